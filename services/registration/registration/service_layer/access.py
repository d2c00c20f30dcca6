"""Who may act on what in registration: province officers in their own province (including the
earlier provinces merged into it), the ministry and operators everywhere."""

from __future__ import annotations

from cnnt_shared.auth import Principal, Role
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.errors import Forbidden
from registration.domain.eligibility import Provinces

NATIONWIDE = (Role.MINISTRY, Role.OPERATOR)
MANAGERS = (Role.MINISTRY, Role.OPERATOR, Role.PROVINCE_OFFICER)


def require_province(
    principal: Principal, code: str, provinces: Provinces, *, field: str = "province_code"
) -> None:
    """A province officer of Thái Nguyên also manages the records of Bắc Kạn (merged in 2025)."""
    principal.require(*MANAGERS)
    if principal.role in NATIONWIDE:
        return
    if principal.scope in (code, provinces.successor.get(code)):
        return
    raise Forbidden(
        "province_out_of_scope",
        f"a token scoped to {principal.scope!r} cannot act on province {code!r}",
        field=field,
    )


def require_round_owner(
    principal: Principal, level: Level, scope_code: str, provinces: Provinces
) -> None:
    """Provincial rounds belong to their province; regional and national ones to the ministry."""
    if level is Level.PROVINCIAL:
        require_province(principal, scope_code, provinces, field="scope_code")
    else:
        principal.require(*NATIONWIDE)


def may_backfill(principal: Principal) -> bool:
    """Only the ministry and operators may record an entry under an earlier date."""
    return principal.role in NATIONWIDE
