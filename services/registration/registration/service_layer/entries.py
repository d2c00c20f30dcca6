"""Entries (đăng ký bình chọn): registration as of a date, withdrawal before the round closes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_contracts import (
    EntryWithdrawn,
    EntryWithdrawnData,
    FacilityRef,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
)
from cnnt_runtime.auth import Principal
from cnnt_runtime.clock import VIETNAM
from cnnt_runtime.db.unit_of_work import UnitOfWork
from registration.adapters.tables import (
    EntryRow,
    FacilityRow,
    ProductRow,
    RecognitionRow,
    RevocationRow,
    RoundRow,
)
from registration.domain.eligibility import Provinces, Recognition, check_entry
from registration.domain.model import Dossier, check_not_entered_twice, duplicate_entry
from registration.service_layer import provinces as province_data
from registration.service_layer import rounds
from registration.service_layer.access import require_entry_backfill, require_facility
from registration.service_layer.commands import RegisterEntry, WithdrawEntry


def registration_date(who: Principal, registered_on: date | None, today: date) -> date:
    if registered_on is None or registered_on == today:
        return today
    require_entry_backfill(who)
    return registered_on


def registered_at(on: date, now: datetime) -> datetime:
    """Today's entries (Vietnam's today) carry the real time; a backfilled one its day at the
    same Vietnamese clock time."""
    local = now.astimezone(VIETNAM)
    return now if on == local.date() else datetime.combine(on, local.timetz()).astimezone(UTC)


async def recognitions_of(
    uow: UnitOfWork, product_ids: Iterable[UUID]
) -> dict[UUID, list[Recognition]]:
    result = await uow.session.execute(
        select(RecognitionRow, col(RevocationRow.entry_id).is_not(None))
        .outerjoin(RevocationRow, col(RevocationRow.entry_id) == RecognitionRow.entry_id)
        .where(col(RecognitionRow.product_id).in_(list(product_ids)))
    )
    held: dict[UUID, list[Recognition]] = {}
    for row, revoked in result.all():
        held.setdefault(row.product_id, []).append(
            Recognition(row.level, row.scope_code, row.year, row.valid_until, bool(revoked))
        )
    return held


def registered_event(
    entry: EntryRow,
    round_row: RoundRow,
    product: ProductRow,
    facility: FacilityRow,
    provinces: Provinces,
) -> ProductRegistered:
    return ProductRegistered.new(
        ProductRegisteredData(
            entry_id=entry.id,
            round=rounds.round_ref(round_row),
            product=ProductRef(
                id=product.id, name=product.name, group=product.group, is_set=product.is_set
            ),
            facility=FacilityRef(
                id=facility.id,
                name=facility.name,
                kind=facility.kind,
                province_code=facility.province_code,
                current_province_code=provinces.current(facility.province_code),
                commune_code=facility.commune_code,
            ),
            registered_at=entry.registered_at,
            registration_sequence=entry.sequence,
        )
    )


async def register_entry(
    uow: UnitOfWork, who: Principal, round_id: UUID, cmd: RegisterEntry, today: date
) -> EntryRow:
    on = registration_date(who, cmd.registered_on, today)
    provinces = await province_data.load(uow)
    round_row = await rounds.lock(uow, round_id, shared=True)
    product = await uow.row(ProductRow, cmd.product_id, what="product", field="product_id")
    facility = await uow.row(FacilityRow, product.facility_id, what="facility", field="product_id")
    require_facility(who, facility.province_code, facility.commune_code, field="product_id")
    held = (await recognitions_of(uow, [product.id])).get(product.id, [])
    check_entry(
        rounds.model(round_row),
        Dossier(cmd.declarations),
        facility.province_code,
        held,
        on,
        provinces,
        facility_commune=facility.commune_code,
    )
    existing = await uow.session.execute(
        select(col(EntryRow.id)).where(
            col(EntryRow.round_id) == round_id, col(EntryRow.product_id) == product.id
        )
    )
    check_not_entered_twice(existing.first() is not None)
    entry = EntryRow(
        round_id=round_id,
        product_id=product.id,
        facility_id=facility.id,
        declarations=cmd.declarations,
        registered_at=registered_at(on, datetime.now(UTC)),
    )
    uow.session.add(entry)
    try:
        await uow.session.flush()  # the entry's registration sequence is in its event
        uow.emit(registered_event(entry, round_row, product, facility, provinces))
        await uow.commit()
    except IntegrityError as exc:  # a concurrent request entered the same product first
        raise duplicate_entry() from exc
    return entry


async def withdraw_entry(
    uow: UnitOfWork, who: Principal, entry_id: UUID, cmd: WithdrawEntry
) -> EntryRow:
    entry = await uow.row(EntryRow, entry_id, what="entry", field="entry_id")
    await uow.session.refresh(entry, with_for_update=True)  # one withdrawal, one event
    round_row = await rounds.lock(uow, entry.round_id, shared=True)
    facility = await uow.row(FacilityRow, entry.facility_id, what="facility", field="entry_id")
    require_facility(who, facility.province_code, facility.commune_code, field="entry_id")
    rounds.model(round_row).check_may_withdraw(already_withdrawn=entry.withdrawn_at is not None)
    entry.withdrawn_at = datetime.now(UTC)
    entry.withdrawal_reason = cmd.reason
    uow.emit(
        EntryWithdrawn.new(
            EntryWithdrawnData(
                entry_id=entry.id,
                round_id=entry.round_id,
                reason=cmd.reason,
                withdrawn_at=entry.withdrawn_at,
            )
        )
    )
    await uow.commit()
    return entry
