"""Who may act on what: support officers within their province (or VN), the ministry anywhere.

A token scoped to a current (2025) unit covers the earlier provinces merged into it, so the
Thái Nguyên officer may act on a record of Bắc Kạn; a token of an earlier province covers only
that province (``cnnt_runtime.scope``).
"""

from __future__ import annotations

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import DomainError, Forbidden
from cnnt_runtime.reference import current_unit, is_known
from cnnt_runtime.scope import covered_codes, covers


def check_scope_code(code: str, *, field: str) -> None:
    if code != NATION_SCOPE and not is_known(code):
        raise DomainError("unknown_province", f"không có tỉnh mã {code!r}", field=field)


def unit_of(code: str) -> str:
    """The 2025 unit a scope rolls up under; ``VN`` stays itself."""
    return code if code == NATION_SCOPE else current_unit(code).code


READERS = (Role.MINISTRY, Role.OPERATOR, Role.SUPPORT_OFFICER, Role.PROVINCE_OFFICER)


def readable_provinces(principal: Principal) -> frozenset[str] | None:
    """The provinces whose applications and grants the reader sees (docs/read-policy.md):
    ``None`` for all of them (the ministry, operators, ``VN``), else those their scope covers."""
    principal.require(*READERS)
    if principal.role in (Role.MINISTRY, Role.OPERATOR):
        return None
    return covered_codes(principal.scope)


def authorise(principal: Principal, scope_code: str, *, field: str = "scope_code") -> None:
    principal.require(Role.MINISTRY, Role.SUPPORT_OFFICER)
    if principal.role is Role.MINISTRY or covers(principal.scope, scope_code):
        return
    raise Forbidden(
        "province_out_of_scope",
        f"tài khoản thuộc phạm vi {principal.scope!r} không được thao tác với {scope_code!r}",
        field=field,
    )
