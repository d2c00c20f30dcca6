"""What evaluation learns from registration: the rounds and entries to judge, and how many
entries a round closed with. Every effect is idempotent on its own as well as behind the inbox
(an entry that overtakes its round's opening is kept)."""

from __future__ import annotations

from sqlalchemy import or_
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from cnnt_contracts import DossierAccepted, DossierReceived, DossierReturned, SampleRecorded
from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from cnnt_runtime.db.unit_of_work import UnitOfWork, apply_once
from evaluation.adapters.tables import DossierStateRow, EntryRow, RoundRow

RegistrationEvent = replicas.RegistrationEvent

registrations = replicas.RoundReplica(
    table_of(RoundRow),
    table_of(EntryRow),
    defaults={"name": ""},
    opened=lambda data: {"name": data.name},
    # RoundClosed's count of standing entries: judging waits until evaluation holds them all.
    closed=lambda data: {"registration_closed": True, "expected_entries": data.entries},
)
apply_registration_event = registrations.apply


DossierEvent = DossierReceived | SampleRecorded | DossierReturned | DossierAccepted


async def apply_dossier_event(uow: UnitOfWork, consumer: str, event: DossierEvent) -> None:
    """Record the desk's step; a step older than the one held changes nothing."""
    data = event.data
    at = event.occurred_at
    if isinstance(event, SampleRecorded):
        change: dict[str, object] = {"sample": event.data.movement, "sample_at": at}
        held = col(DossierStateRow.sample_at)
    else:
        change = {"status": _STATUS[event.event_type], "status_at": at}
        held = col(DossierStateRow.status_at)

    async def keep(u: UnitOfWork) -> None:
        statement = insert(DossierStateRow).values(
            entry_id=data.entry_id, round_id=data.round_id, **change
        )
        await u.session.execute(
            statement.on_conflict_do_update(
                index_elements=["entry_id"],
                set_=change,
                where=or_(held.is_(None), held <= at),
            )
        )

    await apply_once(uow, consumer, event, keep)


_STATUS = {
    "DossierReceived": "received",
    "DossierReturned": "returned",
    "DossierAccepted": "accepted",
}
