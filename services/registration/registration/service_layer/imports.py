"""Bulk import of a round's dossier list: a dry run reports every row; a commit stores all rows
or none, and importing the same file again creates nothing new (facilities are matched by
business code, products by facility and name, entries by round and product)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_shared.auth import Principal
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict, DomainError
from registration.adapters.spreadsheets import Rows
from registration.adapters.tables import EntryRow, FacilityRow, ProductRow, RoundRow
from registration.domain.dossier_list import REQUIRED, DossierRow, RowError, parse_row, row_error
from registration.domain.eligibility import Provinces, check_entry
from registration.domain.model import Dossier, duplicate_entry
from registration.service_layer import provinces as province_data
from registration.service_layer import rounds
from registration.service_layer.access import MANAGERS, require_province
from registration.service_layer.entries import (
    recognitions_of,
    registered_at,
    registered_event,
    registration_date,
)
from registration.service_layer.search import fold

Status = Literal["accepted", "existing", "refused"]


@dataclass
class RowOutcome:
    row: int
    status: Status
    business_code: str = ""
    product_name: str = ""
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    outcomes: list[RowOutcome]
    committed: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


class _Known:
    """What the database already holds for the file's facilities, products and entries."""

    def __init__(self) -> None:
        self.facilities: dict[str, FacilityRow] = {}
        self.products: dict[tuple[UUID, str], ProductRow] = {}
        self.entered: set[UUID] = set()

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
            select(col(EntryRow.product_id)).where(
                col(EntryRow.round_id) == round_id,
                col(EntryRow.product_id).in_([p.id for p in self.products.values()]),
            )
        )
        self.entered = set(entered.scalars())

    def product(self, row: DossierRow) -> ProductRow | None:
        facility = self.facilities.get(row.business_code)
        return self.products.get((facility.id, row.product_name)) if facility else None


async def import_dossier_list(
    uow: UnitOfWork,
    who: Principal,
    round_id: UUID,
    header: list[str],
    rows: Rows,
    *,
    dry_run: bool,
    registered_on: date | None,
    today: date,
) -> ImportReport:
    who.require(*MANAGERS)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError("columns_missing", f"missing columns: {', '.join(missing)}", field="file")
    on = registration_date(who, registered_on, today)
    provinces = await province_data.load(uow)
    round_row = await rounds.lock(uow, round_id, shared=True)
    round_ = rounds.model(round_row)
    round_.check_registration_window(on)
    parsed = [parse_row(number, raw, provinces) for number, raw in rows]
    good = [p for p in parsed if isinstance(p, DossierRow)]
    known = _Known()
    await known.load(uow, round_id, {p.business_code for p in good})
    held = await recognitions_of(uow, [p.id for p in known.products.values()])
    report = ImportReport(dry_run, [])
    seen: set[tuple[str, str]] = set()
    for item in parsed:
        if not isinstance(item, DossierRow):
            report.outcomes.append(RowOutcome(item[0].row, "refused", errors=item))
            continue
        outcome = RowOutcome(item.row, "accepted", item.business_code, item.product_name)
        report.outcomes.append(outcome)
        facility = known.facilities.get(item.business_code)
        province = facility.province_code if facility else item.province_code
        product = known.product(item)
        try:
            require_province(who, province, provinces)
            check_entry(
                round_,
                Dossier(item.declarations),
                province,
                held.get(product.id, []) if product else [],
                on,
                provinces,
            )
            if (item.business_code, item.product_name) in seen:
                raise duplicate_entry()
        except DomainError as exc:
            outcome.status, outcome.errors = "refused", [row_error(item.row, exc)]
            continue
        seen.add((item.business_code, item.product_name))
        if product and product.id in known.entered:
            outcome.status = "existing"
    if dry_run or report.count("refused"):
        return report
    accepted = [p for p in good if _status(report, p.row) == "accepted"]
    await _store(uow, round_row, accepted, known, on, provinces)
    report.committed = True
    return report


def _status(report: ImportReport, row: int) -> Status:
    return next(o.status for o in report.outcomes if o.row == row)


async def _store(
    uow: UnitOfWork,
    round_row: RoundRow,
    accepted: list[DossierRow],
    known: _Known,
    on: date,
    provinces: Provinces,
) -> None:
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
    await _flush(uow)
    pairs: list[tuple[DossierRow, FacilityRow, ProductRow]] = []
    for row in accepted:
        facility = known.facilities[row.business_code]
        product = known.product(row)
        if product is None:
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
    for row, facility, product in pairs:
        entry = EntryRow(
            round_id=round_row.id,
            product_id=product.id,
            facility_id=facility.id,
            declarations=row.declarations,
            registered_at=registered_at(on, now),
        )
        uow.session.add(entry)
        uow.emit(registered_event(entry, round_row, product, facility, provinces))
    await _flush(uow)
    await uow.commit()


async def _flush(uow: UnitOfWork) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "import_conflict",
            "another change to the same facilities, products or entries happened meanwhile; "
            "import the file again",
            field="file",
        ) from exc
