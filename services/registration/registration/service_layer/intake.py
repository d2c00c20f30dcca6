"""The local record of recognitions, built from certification's events, against which regional
and national entries are checked (no call to another service)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from cnnt_contracts import JuryMemberAppointed
from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from cnnt_runtime.db.unit_of_work import UnitOfWork, apply_once
from registration.adapters.tables import JurySeatRow, RecognitionRow, RevocationRow

RecognitionEvent = replicas.RecognitionEvent


recognitions = replicas.RecognitionReplica(table_of(RecognitionRow), table_of(RevocationRow))
apply_recognition_event = recognitions.apply


async def apply_jury_member(uow: UnitOfWork, consumer: str, event: JuryMemberAppointed) -> None:
    """Keep the seat: the round's jury reads its entries' dossiers (docs/read-policy.md)."""
    data = event.data

    async def keep(u: UnitOfWork) -> None:
        await u.session.execute(
            insert(JurySeatRow)
            .values(
                member_id=data.member_id,
                round_id=data.round_id,
                account_id=data.account_id,
                appointed_at=data.appointed_at,
            )
            .on_conflict_do_nothing()
        )

    await apply_once(uow, consumer, event, keep)
