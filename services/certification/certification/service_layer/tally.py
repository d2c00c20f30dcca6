"""What certification holds of a round's tally, against what judging closed with."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlmodel import col

from certification.adapters.tables import EntryRow, JudgingRow, SheetRow
from certification.domain.tally import Counts, Tally
from cnnt_runtime.db.unit_of_work import UnitOfWork


def expected(judging: JudgingRow) -> Counts | None:
    figures = (judging.entries, judging.sheets, judging.sheet_revisions, judging.sheets_set_aside)
    if any(f is None for f in figures):
        return None  # a JudgingClosed from before the counts
    return Counts(*(int(f or 0) for f in figures))


async def received(uow: UnitOfWork, round_id: UUID) -> Counts:
    """Standing entries, and the sheets of standing entries: counting ones (submitted, not set
    aside), the sum of their revisions, and the set-aside ones."""
    entries = await uow.session.scalar(
        select(func.count()).where(
            col(EntryRow.round_id) == round_id, col(EntryRow.withdrawn).is_(False)
        )
    )
    counting = col(SheetRow.set_aside_at).is_(None) & (col(SheetRow.revision) > 0)
    row = (
        await uow.session.execute(
            select(
                func.count().filter(counting),
                func.coalesce(func.sum(col(SheetRow.revision)).filter(counting), 0),
                func.count().filter(col(SheetRow.set_aside_at).is_not(None)),
            )
            .select_from(SheetRow)
            .join(EntryRow, col(EntryRow.id) == col(SheetRow.entry_id))
            .where(col(SheetRow.round_id) == round_id, col(EntryRow.withdrawn).is_(False))
        )
    ).one()
    return Counts(int(entries or 0), int(row[0]), int(row[1]), int(row[2]))


async def tally_of(uow: UnitOfWork, round_id: UUID) -> Tally:
    """The round's tally, whether or not judging has closed."""
    judging = await uow.session.get(JudgingRow, round_id)
    counts = await received(uow, round_id)
    if judging is None:
        return Tally(None, counts, judging_closed=False)
    return Tally(expected(judging), counts)
