"""Storing an accepted dossier list: what exists is matched (facility by business code,
product by facility and name), the rest is created, and every row becomes an entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict
from registration.adapters.tables import EntryRow, FacilityRow, ProductRow, RoundRow
from registration.domain.dossier_list import DossierRow
from registration.domain.eligibility import Provinces
from registration.service_layer.entries import registered_at, registered_event
from registration.service_layer.facilities import recorded_event
from registration.service_layer.search import fold


class KnownRecords:
    """What the database already holds for the file's facilities, products and entries."""

    def __init__(self) -> None:
        self.facilities: dict[str, FacilityRow] = {}
        self.products: dict[tuple[UUID, str], ProductRow] = {}
        self.entered: dict[UUID, UUID] = {}  # product id -> its entry in the round

    async def load(self, uow: UnitOfWork, round_id: UUID, codes: set[str]) -> None:
        found = await uow.session.execute(
            select(FacilityRow).where(col(FacilityRow.business_code).in_(codes))
        )
        self.facilities = {f.business_code: f for f in found.scalars()}
        products = await uow.session.execute(
            select(ProductRow).where(
                col(ProductRow.facility_id).in_([f.id for f in self.facilities.values()])
            )
        )
        self.products = {(p.facility_id, p.name): p for p in products.scalars()}
        entered = await uow.session.execute(
            select(col(EntryRow.product_id), col(EntryRow.id)).where(
                col(EntryRow.round_id) == round_id,
                col(EntryRow.product_id).in_([p.id for p in self.products.values()]),
            )
        )
        self.entered = {product_id: entry_id for product_id, entry_id in entered.all()}

    def product(self, row: DossierRow) -> ProductRow | None:
        facility = self.facilities.get(row.business_code)
        return self.products.get((facility.id, row.product_name)) if facility else None


@dataclass(frozen=True)
class StoredRow:
    """What a committed row created: always its entry, and its facility and product when the
    register did not hold them yet."""

    facility_id: UUID
    product_id: UUID
    entry_id: UUID
    facility_created: bool
    product_created: bool


async def store_rows(
    uow: UnitOfWork,
    round_row: RoundRow,
    accepted: list[DossierRow],
    known: KnownRecords,
    on: date,
    provinces: Provinces,
) -> dict[int, StoredRow]:
    """Create the facilities and products the rows name that do not exist yet, then one entry
    and one ProductRegistered per row, in one transaction; returns what each row created."""
    created: list[FacilityRow] = []
    created_by: dict[str, int] = {}  # business code -> the row that created its facility
    for row in accepted:
        if row.business_code not in known.facilities:
            known.facilities[row.business_code] = FacilityRow(
                name=row.facility_name,
                name_folded=fold(row.facility_name),
                kind=row.facility_kind,
                business_code=row.business_code,
                province_code=row.province_code,
                address=row.address,
                contacts=row.contacts,
            )
            uow.session.add(known.facilities[row.business_code])
            created.append(known.facilities[row.business_code])
            created_by[row.business_code] = row.row
    await _flush(uow)
    uow.emit(*(recorded_event(f, provinces) for f in created))
    pairs: list[tuple[DossierRow, FacilityRow, ProductRow]] = []
    new_products: set[int] = set()
    for row in accepted:
        facility = known.facilities[row.business_code]
        product = known.product(row)
        if product is None:
            new_products.add(row.row)
            product = ProductRow(
                facility_id=facility.id,
                name=row.product_name,
                name_folded=fold(row.product_name),
                group=row.product_group,
                is_set=row.is_set,
                description=row.description,
            )
            known.products[(facility.id, row.product_name)] = product
            uow.session.add(product)
        pairs.append((row, facility, product))
    await _flush(uow)
    now = datetime.now(UTC)
    stored: dict[int, StoredRow] = {}
    # The rows of one import share registered_at; their registration sequence follows the
    # file's order, and it is what separates them when a ranking ties.
    sequences = await _next_sequences(uow, len(pairs))
    entries = [
        EntryRow(
            round_id=round_row.id,
            product_id=product.id,
            facility_id=facility.id,
            declarations=row.declarations,
            registered_at=registered_at(on, now),
            sequence=sequence,
        )
        for (row, facility, product), sequence in zip(pairs, sequences, strict=True)
    ]
    uow.session.add_all(entries)
    await _flush(uow)
    for (row, facility, product), entry in zip(pairs, entries, strict=True):
        uow.emit(registered_event(entry, round_row, product, facility, provinces))
        stored[row.row] = StoredRow(
            facility.id,
            product.id,
            entry.id,
            created_by.get(row.business_code) == row.row,
            row.row in new_products,
        )
    await uow.commit()
    return stored


async def _next_sequences(uow: UnitOfWork, count: int) -> list[int]:
    """``count`` numbers of the entries' registration sequence, ascending."""
    taken = await uow.session.execute(
        text(
            "SELECT nextval(pg_get_serial_sequence('registration.entries', 'sequence')) "
            "FROM generate_series(1, :n) ORDER BY 1"
        ),
        {"n": count},
    )
    return [int(n) for n in taken.scalars()]


async def _flush(uow: UnitOfWork) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "import_conflict",
            "có thay đổi khác với cùng cơ sở, sản phẩm hoặc hồ sơ trong lúc nhập; hãy nhập lại tệp",
            field="file",
        ) from exc
