"""Who may read a round's results and who may decide on them."""

from __future__ import annotations

from certification.adapters.tables import RoundRow
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import Forbidden
from cnnt_runtime.scope import covers


def _covers(who: Principal, round_: RoundRow) -> bool:
    """A provincial round is covered by its province's scope (a current unit's scope covers
    the rounds of the provinces merged into it); regional and national rounds only by ``VN``."""
    return covers(who.scope, round_.scope_code)


def _decides(who: Principal, round_: RoundRow) -> bool:
    """A commune round is decided by its commune's People's Committee (UBND xã, a certifier
    scoped to the commune), a district round by its district's (UBND huyện, history); a
    provincial round by the province's (UBND tỉnh), whose scope covers its merged provinces."""
    if round_.level.is_local:
        return who.scope == round_.scope_code
    return _covers(who, round_)


def require_authority(who: Principal, round_: RoundRow) -> None:
    """The certifying authority: the commune's for commune rounds (UBND xã), the district's
    for district rounds, the province's for provincial rounds (UBND tỉnh), the ministry's
    (Bộ Công Thương) for every round."""
    who.require(Role.CERTIFIER, Role.MINISTRY)
    if who.role is Role.CERTIFIER and not _decides(who, round_):
        raise Forbidden(
            "authority_out_of_scope",
            f"người ký thuộc {who.scope!r} không quyết định được đợt bình chọn của "
            f"{round_.scope_code!r}",
            field="round_id",
        )


def require_reader(who: Principal, round_: RoundRow) -> None:
    """The authority, and the officers of the province whose round it is."""
    who.require(Role.CERTIFIER, Role.MINISTRY, Role.PROVINCE_OFFICER)
    if who.role is not Role.MINISTRY and not _covers(who, round_):
        raise Forbidden(
            "round_out_of_scope",
            f"tài khoản thuộc phạm vi {who.scope!r} không xem được đợt bình chọn của "
            f"{round_.scope_code!r}",
            field="round_id",
        )


def records_history(who: Principal) -> bool:
    """The ministry (and operators) enter the decisions of earlier years, judged in the system
    later than they were in fact (as only they may backfill entries in registration); a
    province's certifier decides on a round as it is judged now."""
    return who.role in (Role.MINISTRY, Role.OPERATOR)
