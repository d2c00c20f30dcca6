"""Who may act in evaluation: the round's organisers (the ministry, or for a provincial round
the officers whose scope covers its province, ``cnnt_runtime.scope``), its jury members by their
judge tokens, and its chair."""

from __future__ import annotations

from uuid import UUID

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.db.unit_of_work import UnitOfWork
from evaluation.adapters.tables import JuryMemberRow, RoundRow
from evaluation.domain.jury import check_chair, not_a_member


def authorise_organiser(principal: Principal, round_: RoundRow) -> None:
    """The ministry, or for a provincial, commune or district round the officers whose scope
    covers it (a commune's officer: a province_officer token scoped to the commune)."""
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER)
    if round_.level is Level.PROVINCIAL or round_.level.is_local:
        principal.require_province(round_.scope_code, field="round_id")
    else:
        principal.require(Role.MINISTRY)


def reads_every_round(principal: Principal) -> bool:
    """Organisers and judges may read a round's entries; the ministry reads every round, even
    one whose events are still arriving (True), the others only the rounds ``authorise_reader``
    admits them to (False)."""
    principal.require(Role.MINISTRY, Role.PROVINCE_OFFICER, Role.JUDGE)
    return principal.role is Role.MINISTRY


async def authorise_reader(uow: UnitOfWork, principal: Principal, round_: RoundRow) -> None:
    """Who reads a round's entries, jury and progress (docs/read-policy.md): its organisers,
    and the judges who sit on its jury."""
    if principal.role is Role.JUDGE:
        member = await acting_member(uow, principal)
        if member.round_id != round_.id:
            raise not_a_member()
    else:
        authorise_organiser(principal, round_)


async def sheets_readable(uow: UnitOfWork, principal: Principal, round_: RoundRow) -> UUID | None:
    """Whose sheets of the round the reader sees: ``None`` for every member's (its organisers,
    its chair), else the judge's own member id (a judge of its jury who is not the chair)."""
    if principal.role is Role.JUDGE:
        member = await acting_member(uow, principal)
        if member.round_id != round_.id:
            raise not_a_member()
        return None if member.is_chair else member.id
    authorise_organiser(principal, round_)
    return None


def require_judge(principal: Principal) -> Principal:
    """A judge token: the seats it holds are its own to list."""
    return principal.require(Role.JUDGE)


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


async def acting_chair(uow: UnitOfWork, principal: Principal) -> JuryMemberRow:
    """The jury member a judge token speaks for, who must chair the jury (recusals)."""
    member = await acting_member(uow, principal)
    check_chair(member.is_chair)
    return member


async def organiser_or_chair(uow: UnitOfWork, who: Principal, round_: RoundRow) -> bool:
    """True when the chair acts; an organiser acts otherwise; anyone else is refused."""
    if who.role is Role.JUDGE:
        member = await acting_member(uow, who)
        if member.round_id != round_.id:
            check_chair(False)
        check_chair(member.is_chair)
        return True
    authorise_organiser(who, round_)
    return False


async def authorise_closing(uow: UnitOfWork, who: Principal, round_: RoundRow) -> bool:
    """Judging is closed by the jury's chair (True) or by the ministry (False); a provincial
    organiser may configure the round but not close its judging."""
    by_chair = await organiser_or_chair(uow, who, round_)
    if not by_chair:
        who.require(Role.MINISTRY)
    return by_chair
