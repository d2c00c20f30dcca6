"""Lookups and authorisation shared by evaluation's use cases."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select
from sqlmodel import col

from cnnt_shared.auth import Principal, Role
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import NotFound
from evaluation.adapters.tables import (
    ConflictRow,
    EntryRow,
    JuryMemberRow,
    RecusalRow,
    RoundRow,
    ScoreSheetRow,
)
from evaluation.domain.completeness import EntriesHeld
from evaluation.domain.jury import judging_closed, not_a_member
from evaluation.domain.progress import Assignment, Progress, progress


def round_not_found(round_id: UUID) -> NotFound:
    return NotFound("round_not_found", f"evaluation knows no round {round_id}", field="round_id")


async def get_round(uow: UnitOfWork, round_id: UUID, *, lock: str | None = None) -> RoundRow:
    """The round; ``lock="share"`` keeps it from closing meanwhile, ``"update"`` to change it."""
    stmt = select(RoundRow).where(col(RoundRow.id) == round_id)
    if lock is not None:
        stmt = stmt.with_for_update(read=lock == "share")
    row = (await uow.session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise round_not_found(round_id)
    return row


def ensure_judging_open(round_: RoundRow) -> None:
    if round_.judging_closed_at is not None:
        raise judging_closed()


def authorise_organiser(principal: Principal, round_: RoundRow) -> None:
    """The ministry, or for a provincial round the officers whose scope covers its province."""
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER)
    if round_.level is Level.PROVINCIAL:
        principal.require_province(round_.scope_code, field="round_id")
    else:
        principal.require(Role.MINISTRY)


async def authorise_reader(uow: UnitOfWork, principal: Principal, round_: RoundRow) -> None:
    """Who reads a round's entries, jury and progress (docs/read-policy.md): its organisers,
    and the judges who sit on its jury."""
    if principal.role is Role.JUDGE:
        member = await acting_member(uow, principal)
        if member.round_id != round_.id:
            raise not_a_member()
    else:
        authorise_organiser(principal, round_)


def judge_id(principal: Principal) -> UUID:
    """The judge id a judge token carries as its scope."""
    principal.require(Role.JUDGE)
    try:
        return UUID(principal.scope)
    except ValueError as exc:
        raise not_a_member() from exc


async def acting_member(uow: UnitOfWork, principal: Principal) -> JuryMemberRow:
    """The jury member a judge token speaks for (its scope is the judge id)."""
    member = await uow.session.get(JuryMemberRow, judge_id(principal))
    if member is None:
        raise not_a_member()
    return member


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
    snapshot = progress(
        [(e.id, e.facility_id) for e in entries], assignments, totals, round_.spread_threshold
    )
    return snapshot, entries, members
