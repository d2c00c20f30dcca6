"""What evaluation learns from registration: rounds and entries to judge. Every effect is
idempotent on its own as well as behind the inbox (an entry before its round's opening is kept)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from cnnt_shared.contracts import EntryWithdrawn, ProductRegistered, RoundClosed, RoundOpened
from cnnt_shared.contracts.events import RoundRef
from cnnt_shared.db.unit_of_work import UnitOfWork, apply_once
from evaluation.adapters.tables import EntryRow, RoundRow

RegistrationEvent = RoundOpened | ProductRegistered | EntryWithdrawn | RoundClosed


async def _know_round(uow: UnitOfWork, ref: RoundRef, name: str = "") -> None:
    # Events may arrive out of order (an entry before its round's opening): upsert either way.
    stmt = insert(RoundRow).values(
        id=ref.id, level=ref.level, scope_code=ref.scope_code, year=ref.year, name=name
    )
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[col(RoundRow.id)],
            set_={"name": name} if name else {"id": stmt.excluded.id},
        )
    )


async def apply_registration_event(
    uow: UnitOfWork, consumer: str, event: RegistrationEvent
) -> None:
    await apply_once(uow, consumer, event, lambda u: _apply(u, event))


async def _apply(uow: UnitOfWork, event: RegistrationEvent) -> None:
    match event:
        case RoundOpened(data=data):
            await _know_round(uow, data.round, data.name)
        case ProductRegistered(data=data):
            await _know_round(uow, data.round)
            await uow.session.execute(
                insert(EntryRow)
                .values(
                    id=data.entry_id,
                    round_id=data.round.id,
                    product_id=data.product.id,
                    product_name=data.product.name,
                    product_group=data.product.group,
                    is_set=data.product.is_set,
                    facility_id=data.facility.id,
                    facility_name=data.facility.name,
                    facility_kind=data.facility.kind,
                    province_code=data.facility.province_code,
                    registered_at=data.registered_at,
                )
                .on_conflict_do_nothing()
            )
        case EntryWithdrawn(data=data):
            await uow.session.execute(
                update(EntryRow).where(col(EntryRow.id) == data.entry_id).values(withdrawn=True)
            )
        case RoundClosed(data=data):
            await _know_round(uow, data.round)
            await uow.session.execute(
                update(RoundRow)
                .where(col(RoundRow.id) == data.round.id)
                .values(registration_closed=True, expected_entries=data.entries)
            )
