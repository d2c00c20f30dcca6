"""Registration's use cases: each runs in one unit of work and emits its integration events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_shared.auth import Principal, Role
from cnnt_shared.contracts import (
    FacilityRef,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    ResultSettings,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
)
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict, NotFound
from registration.adapters.tables import EntryRow, FacilityRow, ProductRow, RoundRow
from registration.domain.model import (
    Dossier,
    Round,
    RoundStatus,
    check_not_entered_twice,
    duplicate_entry,
)
from registration.entrypoints.schemas import (
    EntryCreate,
    FacilityCreate,
    ProductCreate,
    RoundCreate,
)

T = TypeVar("T")


async def _get(uow: UnitOfWork, model: type[T], id_: UUID, what: str, field: str) -> T:
    row = await uow.session.get(model, id_)
    if row is None:
        raise NotFound(f"{what}_not_found", f"no {what} with id {id_}", field=field)
    return row


def authorise_round(principal: Principal, row: RoundRow) -> None:
    """Provincial rounds belong to their province; regional and national ones to the ministry."""
    if row.level is Level.PROVINCIAL:
        principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER).require_province(
            row.scope_code, field="scope_code"
        )
    else:
        principal.require(Role.MINISTRY)


async def create_facility(
    uow: UnitOfWork, principal: Principal, cmd: FacilityCreate
) -> FacilityRow:
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER).require_province(cmd.province_code)
    row = FacilityRow(**cmd.model_dump())
    uow.session.add(row)
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "business_code_taken",
            f"a facility with business code {cmd.business_code!r} exists",
            field="business_code",
        ) from exc
    await uow.commit()
    return row


async def create_product(uow: UnitOfWork, principal: Principal, cmd: ProductCreate) -> ProductRow:
    facility = await _get(uow, FacilityRow, cmd.facility_id, "facility", "facility_id")
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER).require_province(facility.province_code)
    row = ProductRow(**cmd.model_dump())
    uow.session.add(row)
    await uow.commit()
    return row


async def create_round(uow: UnitOfWork, principal: Principal, cmd: RoundCreate) -> RoundRow:
    Round(cmd.level, cmd.scope_code, cmd.year, cmd.opens_on, cmd.closes_on)  # validates
    row = RoundRow(
        **cmd.model_dump(exclude={"settings"}),
        threshold=cmd.settings.threshold,
        quorum=cmd.settings.quorum,
        quota=cmd.settings.quota,
        group_quotas={str(k): v for k, v in cmd.settings.group_quotas.items()},
        validity_years=cmd.settings.validity_years,
    )
    authorise_round(principal, row)
    uow.session.add(row)
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "round_exists",
            f"a {cmd.level} round for {cmd.scope_code} in {cmd.year} exists",
            field="year",
        ) from exc
    await uow.commit()
    return row


def round_ref(row: RoundRow) -> RoundRef:
    return RoundRef(id=row.id, level=row.level, scope_code=row.scope_code, year=row.year)


async def open_round(uow: UnitOfWork, principal: Principal, round_id: UUID) -> RoundRow:
    row = await _lock_round(uow, round_id)
    authorise_round(principal, row)
    model = Round(row.level, row.scope_code, row.year, row.opens_on, row.closes_on, row.status)
    model.open()
    row.status = model.status
    uow.emit(
        RoundOpened.new(
            RoundOpenedData(
                round=round_ref(row),
                name=row.name,
                opens_on=row.opens_on,
                closes_on=row.closes_on,
                settings=ResultSettings(
                    threshold=row.threshold,
                    quorum=row.quorum,
                    quota=row.quota,
                    group_quotas=row.group_quotas,
                    validity_years=row.validity_years,
                ),
                opened_at=datetime.now(UTC),
            )
        )
    )
    await uow.commit()
    return row


async def _lock_round(uow: UnitOfWork, round_id: UUID) -> RoundRow:
    result = await uow.session.execute(
        select(RoundRow).where(col(RoundRow.id) == round_id).with_for_update()
    )
    row = result.scalar_one_or_none()
    if row is None:
        raise NotFound("round_not_found", f"no round with id {round_id}", field="round_id")
    return row


async def register_entry(
    uow: UnitOfWork, principal: Principal, round_id: UUID, cmd: EntryCreate, today: date
) -> EntryRow:
    round_row = await _get(uow, RoundRow, round_id, "round", "round_id")
    product = await _get(uow, ProductRow, cmd.product_id, "product", "product_id")
    facility = await _get(uow, FacilityRow, product.facility_id, "facility", "product_id")
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER).require_province(facility.province_code)
    Round(
        round_row.level,
        round_row.scope_code,
        round_row.year,
        round_row.opens_on,
        round_row.closes_on,
        RoundStatus(round_row.status),
    ).check_registration_window(today)
    Dossier(cmd.declarations).check()
    existing = await uow.session.execute(
        select(col(EntryRow.id)).where(
            col(EntryRow.round_id) == round_id, col(EntryRow.product_id) == product.id
        )
    )
    check_not_entered_twice(existing.first() is not None)
    now = datetime.now(UTC)
    entry = EntryRow(
        round_id=round_id,
        product_id=product.id,
        facility_id=facility.id,
        declarations=cmd.declarations,
        registered_at=now,
    )
    uow.session.add(entry)
    uow.emit(
        ProductRegistered.new(
            ProductRegisteredData(
                entry_id=entry.id,
                round=round_ref(round_row),
                product=ProductRef(
                    id=product.id, name=product.name, group=product.group, is_set=product.is_set
                ),
                facility=FacilityRef(
                    id=facility.id,
                    name=facility.name,
                    kind=facility.kind,
                    province_code=facility.province_code,
                    current_province_code=facility.province_code,
                ),
                registered_at=now,
            )
        )
    )
    try:
        await uow.commit()
    except IntegrityError as exc:  # a concurrent request entered the same product first
        raise duplicate_entry() from exc
    return entry


async def get_entry(uow: UnitOfWork, entry_id: UUID) -> EntryRow:
    return await _get(uow, EntryRow, entry_id, "entry", "entry_id")
