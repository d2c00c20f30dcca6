"""Evaluation's reads: the lookups its commands share, and what judges and organisers read —
a member's worklist, a round's progress, a sheet's history, a judge's juries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlmodel import col

from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from evaluation.adapters.tables import (
    ConflictRow,
    EntryRow,
    JuryMemberRow,
    RecusalRow,
    RoundRow,
    ScoreSheetRow,
    SheetRevisionRow,
)
from evaluation.domain import progress as rules
from evaluation.domain.completeness import EntriesHeld
from evaluation.domain.progress import Assignment, Progress, WorkStatus
from evaluation.service_layer.access import (
    acting_member,
    authorise_reader,
    reads_every_round,
    require_judge,
    sheets_readable,
)


def round_not_found(round_id: UUID) -> NotFound:
    return NotFound(
        "round_not_found",
        f"chưa có đợt bình chọn {round_id} trong phần chấm điểm",
        field="round_id",
    )


async def get_round(uow: UnitOfWork, round_id: UUID, *, lock: str | None = None) -> RoundRow:
    """The round; ``lock="share"`` keeps it from closing meanwhile, ``"update"`` to change it."""
    stmt = select(RoundRow).where(col(RoundRow.id) == round_id)
    if lock is not None:
        stmt = stmt.with_for_update(read=lock == "share")
    row = (await uow.session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise round_not_found(round_id)
    return row


async def jury_of(uow: UnitOfWork, round_id: UUID) -> list[JuryMemberRow]:
    result = await uow.session.execute(
        select(JuryMemberRow)
        .where(col(JuryMemberRow.round_id) == round_id)
        .order_by(col(JuryMemberRow.is_chair).desc(), col(JuryMemberRow.appointed_at))
    )
    return list(result.scalars())


async def assignments_of(uow: UnitOfWork, members: list[JuryMemberRow]) -> list[Assignment]:
    """Each member with what bars them: declared facilities and recusals."""
    ids = [m.id for m in members]
    session = uow.session
    conflicts = (
        await session.execute(select(ConflictRow).where(col(ConflictRow.member_id).in_(ids)))
    ).scalars()
    recusals = (
        await session.execute(select(RecusalRow).where(col(RecusalRow.member_id).in_(ids)))
    ).scalars()
    facilities: dict[UUID, set[UUID]] = {i: set() for i in ids}
    recused: dict[UUID, set[UUID]] = {i: set() for i in ids}
    for c in conflicts:
        facilities[c.member_id].add(c.facility_id)
    for r in recusals:
        recused[r.member_id].add(r.entry_id)
    return [
        Assignment(m.id, frozenset(facilities[m.id]), frozenset(recused[m.id])) for m in members
    ]


async def entries_held(uow: UnitOfWork, round_: RoundRow) -> EntriesHeld:
    """RoundClosed's count of standing entries against those evaluation holds."""
    held = await uow.session.scalar(
        select(func.count()).where(
            col(EntryRow.round_id) == round_.id, col(EntryRow.withdrawn).is_(False)
        )
    )
    return EntriesHeld(round_.expected_entries, int(held or 0))


async def latest_revisions(uow: UnitOfWork, round_id: UUID) -> dict[tuple[UUID, UUID], int]:
    """(entry id, member id) -> the latest submitted revision of that member's sheet."""
    rows = await uow.session.execute(
        select(
            col(ScoreSheetRow.entry_id), col(ScoreSheetRow.member_id), col(ScoreSheetRow.revision)
        ).where(col(ScoreSheetRow.round_id) == round_id, col(ScoreSheetRow.revision) > 0)
    )
    return {(e, m): r for e, m, r in rows.all()}


async def round_progress(
    uow: UnitOfWork, round_: RoundRow
) -> tuple[Progress, list[EntryRow], list[JuryMemberRow]]:
    """The round's progress from its standing entries, its jury, their bars and latest totals."""
    session = uow.session
    entries = list(
        (
            await session.execute(
                select(EntryRow)
                .where(col(EntryRow.round_id) == round_.id, col(EntryRow.withdrawn).is_(False))
                .order_by(col(EntryRow.registered_at), col(EntryRow.id))
            )
        ).scalars()
    )
    members = await jury_of(uow, round_.id)
    assignments = await assignments_of(uow, members)
    sheets = await session.execute(
        select(
            col(ScoreSheetRow.entry_id), col(ScoreSheetRow.member_id), col(ScoreSheetRow.total)
        ).where(col(ScoreSheetRow.round_id) == round_.id, col(ScoreSheetRow.revision) > 0)
    )
    totals: dict[tuple[UUID, UUID], Decimal] = {(e, m): t for e, m, t in sheets.all()}
    snapshot = rules.progress(
        [(e.id, e.facility_id) for e in entries], assignments, totals, round_.spread_threshold
    )
    return snapshot, entries, members


async def list_entries(uow: UnitOfWork, round_id: UUID) -> list[EntryRow]:
    result = await uow.session.execute(
        select(EntryRow)
        .where(col(EntryRow.round_id) == round_id, col(EntryRow.withdrawn).is_(False))
        .order_by(col(EntryRow.registered_at))
    )
    return list(result.scalars())


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
    if not reads_every_round(who):
        await authorise_reader(uow, who, await get_round(uow, round_id))
    return await list_entries(uow, round_id)


@dataclass(frozen=True)
class RoundProgress:
    """Where a round's judging stands: per entry and per member, and the entries held."""

    round: RoundRow
    progress: Progress
    entries: list[EntryRow]
    members: list[JuryMemberRow]
    held: EntriesHeld


async def jury_progress(uow: UnitOfWork, who: Principal, round_id: UUID) -> RoundProgress:
    round_ = await get_round(uow, round_id)
    await authorise_reader(uow, who, round_)
    snapshot, entries, members = await round_progress(uow, round_)
    held = EntriesHeld(round_.expected_entries, len(entries))
    return RoundProgress(round_, snapshot, entries, members, held)


async def sheet_history(
    uow: UnitOfWork, who: Principal, round_id: UUID, entry_id: UUID
) -> list[list[SheetRevisionRow]]:
    """Every sheet of the entry with all its revisions, oldest first. A judge who is not the
    chair sees only their own sheet."""
    round_ = await get_round(uow, round_id)
    stmt = select(SheetRevisionRow).where(
        col(SheetRevisionRow.round_id) == round_id, col(SheetRevisionRow.entry_id) == entry_id
    )
    only = await sheets_readable(uow, who, round_)
    if only is not None:
        stmt = stmt.where(col(SheetRevisionRow.member_id) == only)
    rows = (
        await uow.session.execute(
            stmt.order_by(col(SheetRevisionRow.member_id), col(SheetRevisionRow.revision))
        )
    ).scalars()
    sheets: dict[UUID, list[SheetRevisionRow]] = {}
    for row in rows:
        sheets.setdefault(row.sheet_id, []).append(row)
    return list(sheets.values())


def _member_id(scope: str) -> UUID | None:
    try:
        return UUID(scope)
    except ValueError:
        return None


async def my_juries(uow: UnitOfWork, who: Principal) -> list[tuple[JuryMemberRow, RoundRow]]:
    """The seats the judge holds with their rounds, latest round first."""
    require_judge(who)
    mine = [col(JuryMemberRow.account_id) == who.scope]
    member_id = _member_id(who.scope)
    if member_id is not None:
        mine.append(col(JuryMemberRow.id) == member_id)
    result = await uow.session.execute(
        select(JuryMemberRow, RoundRow)
        .join(RoundRow, col(RoundRow.id) == col(JuryMemberRow.round_id))
        .where(or_(*mine))
        .order_by(col(RoundRow.year).desc(), col(RoundRow.name))
    )
    return [(member, round_) for member, round_ in result.all()]
