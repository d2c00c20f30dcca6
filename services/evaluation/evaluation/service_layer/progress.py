"""Reading use cases: a member's worklist, the round's progress, a sheet's history."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from cnnt_shared.auth import Principal, Role
from cnnt_shared.db.unit_of_work import UnitOfWork
from evaluation.adapters.tables import EntryRow, ScoreSheetRow, SheetRevisionRow
from evaluation.domain import progress as rules
from evaluation.domain.completeness import EntriesHeld
from evaluation.domain.jury import not_a_member
from evaluation.domain.progress import WorkStatus
from evaluation.entrypoints.schemas import (
    EntryProgressPublic,
    MemberProgressPublic,
    ProgressPublic,
)
from evaluation.service_layer.common import (
    acting_member,
    authorise_organiser,
    authorise_reader,
    get_round,
    round_progress,
)
from evaluation.service_layer.handlers import list_entries


@dataclass(frozen=True)
class WorklistLine:
    entry: EntryRow
    status: WorkStatus
    sheet: ScoreSheetRow | None
    flagged: bool


async def worklist(
    uow: UnitOfWork, who: Principal, only: WorkStatus | None = None
) -> list[WorklistLine]:
    """The member's standing entries: those still to score (none once judging has closed),
    then those they scored with their latest sheet — set aside if a conflict or recusal came
    after. Entries of facilities they declared or they were recused from, unscored, are not
    theirs."""
    member = await acting_member(uow, who)
    round_ = await get_round(uow, member.round_id)
    snapshot, entries, _ = await round_progress(uow, round_)
    mine = next(m for m in snapshot.members if m.member_id == member.id)
    sheets = {
        s.entry_id: s
        for s in (
            await uow.session.execute(
                select(ScoreSheetRow).where(
                    col(ScoreSheetRow.member_id) == member.id, col(ScoreSheetRow.revision) > 0
                )
            )
        ).scalars()
    }
    by_id = {e.id: e for e in entries}
    flagged = {e.entry_id for e in snapshot.entries if e.flagged}
    lines = rules.worklist(
        [e.id for e in entries], mine, frozenset(sheets), round_.judging_closed_at is None
    )
    return [
        WorklistLine(by_id[entry_id], status, sheets.get(entry_id), entry_id in flagged)
        for entry_id, status in lines
        if only is None or status is only
    ]


async def round_entries(uow: UnitOfWork, who: Principal, round_id: UUID) -> list[EntryRow]:
    """The ministry reads every round, even one whose events are still arriving (none yet);
    anyone else needs the round known to tell whether they may read it."""
    who.require(Role.MINISTRY, Role.PROVINCE_OFFICER, Role.JUDGE)
    if who.role is not Role.MINISTRY:
        await authorise_reader(uow, who, await get_round(uow, round_id))
    return await list_entries(uow, round_id)


async def jury_progress(uow: UnitOfWork, who: Principal, round_id: UUID) -> ProgressPublic:
    round_ = await get_round(uow, round_id)
    await authorise_reader(uow, who, round_)
    snapshot, entries, members = await round_progress(uow, round_)
    names = {e.id: e.product_name for e in entries}
    member_names = {m.id: m.name for m in members}
    held = EntriesHeld(round_.expected_entries, len(entries))
    return ProgressPublic(
        round_id=round_.id,
        jury_size=len(members),
        spread_threshold=round_.spread_threshold,
        open_flags=snapshot.open_flags,
        judging_closed=round_.judging_closed_at is not None,
        registration_closed=held.registration_closed,
        entries_expected=held.expected,
        entries_held=held.held,
        entries_complete=held.complete,
        entries=[
            EntryProgressPublic(
                entry_id=e.entry_id,
                product_name=names[e.entry_id],
                eligible_members=e.eligible_members,
                sheets=e.sheets,
                complete=e.complete,
                spread=e.spread,
                flagged=e.flagged,
            )
            for e in snapshot.entries
        ],
        members=[
            MemberProgressPublic(
                member_id=m.member_id,
                name=member_names[m.member_id],
                assigned=m.assigned,
                scored=m.scored,
                remaining=m.remaining,
            )
            for m in snapshot.members
        ],
    )


async def sheet_history(
    uow: UnitOfWork, who: Principal, round_id: UUID, entry_id: UUID
) -> list[list[SheetRevisionRow]]:
    """Every sheet of the entry with all its revisions, oldest first. A judge who is not the
    chair sees only their own sheet."""
    round_ = await get_round(uow, round_id)
    stmt = select(SheetRevisionRow).where(
        col(SheetRevisionRow.round_id) == round_id, col(SheetRevisionRow.entry_id) == entry_id
    )
    if who.role is Role.JUDGE:
        member = await acting_member(uow, who)
        if member.round_id != round_id:
            raise not_a_member()
        if not member.is_chair:
            stmt = stmt.where(col(SheetRevisionRow.member_id) == member.id)
    else:
        authorise_organiser(who, round_)
    rows = (
        await uow.session.execute(
            stmt.order_by(col(SheetRevisionRow.member_id), col(SheetRevisionRow.revision))
        )
    ).scalars()
    sheets: dict[UUID, list[SheetRevisionRow]] = {}
    for row in rows:
        sheets.setdefault(row.sheet_id, []).append(row)
    return list(sheets.values())
