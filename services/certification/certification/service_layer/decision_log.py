"""The register of decisions: every decision is recorded once, under its own number."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from certification.adapters.tables import DecisionRow
from certification.domain.decisions import DecisionKind
from cnnt_shared.auth import Principal
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict


async def record_decision(
    uow: UnitOfWork,
    who: Principal,
    round_id: UUID,
    kind: DecisionKind,
    number: str,
    decided_on: date,
    reason: str = "",
) -> DecisionRow:
    decision = DecisionRow(
        id=uuid.uuid4(),
        round_id=round_id,
        kind=kind,
        number=number.strip(),
        decided_on=decided_on,
        reason=reason,
        decided_by=who.subject,
        recorded_at=datetime.now(UTC),
    )
    claimed = await uow.session.execute(
        insert(DecisionRow)
        .values(**decision.model_dump())
        .on_conflict_do_nothing()
        .returning(col(DecisionRow.id))
    )
    if claimed.first() is None:
        raise Conflict(
            "decision_number_taken", f"decision {number!r} is already recorded", field="number"
        )
    return decision
