"""Who may act on what in registration: province officers in the provinces their scope covers
(``cnnt_runtime.scope``: a current unit covers the earlier provinces merged into it), the ministry
and operators everywhere."""

from __future__ import annotations

from cnnt_contracts.vocabulary import NATION_SCOPE, Level
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import Forbidden
from cnnt_runtime.scope import covers

NATIONWIDE = (Role.MINISTRY, Role.OPERATOR)
MANAGERS = (Role.MINISTRY, Role.OPERATOR, Role.PROVINCE_OFFICER)


def require_province(principal: Principal, code: str, *, field: str = "province_code") -> None:
    """A province officer of Thái Nguyên also manages the records of Bắc Kạn (merged in 2025)."""
    principal.require(*MANAGERS)
    if principal.role in NATIONWIDE:
        return
    if covers(principal.scope, code):
        return
    raise Forbidden(
        "province_out_of_scope",
        f"tài khoản thuộc phạm vi {principal.scope!r} không được thao tác với tỉnh {code!r}",
        field=field,
    )


def require_facility(
    principal: Principal, province_code: str, commune_code: str | None, *, field: str
) -> None:
    """A facility is managed by the tokens whose scope covers its province, and by a commune
    officer (a ``province_officer`` token scoped to a commune: docs/read-policy.md) when it is
    recorded in that commune."""
    principal.require(*MANAGERS)
    if principal.role in NATIONWIDE or covers(principal.scope, province_code):
        return
    if commune_code is not None and principal.scope == commune_code:
        return
    raise Forbidden(
        "province_out_of_scope",
        f"tài khoản thuộc phạm vi {principal.scope!r} không được thao tác với tỉnh "
        f"{province_code!r}" + (f" (xã {commune_code})" if commune_code else ""),
        field=field,
    )


def require_importer(principal: Principal) -> Principal:
    """A dossier list is imported by those who manage registration records; each row still
    needs its province within the importer's scope (``require_province``)."""
    return principal.require(*MANAGERS)


def require_round_owner(principal: Principal, level: Level, scope_code: str) -> None:
    """Provincial rounds belong to their province, commune rounds to their commune and its
    province, district rounds (history) to their province as it was and its successor;
    regional and national ones to the ministry."""
    if level in (Level.PROVINCIAL, Level.COMMUNE, Level.DISTRICT):
        require_province(principal, scope_code, field="scope_code")
    else:
        principal.require(*NATIONWIDE)


def sees_private(principal: Principal, province_code: str, commune_code: str | None = None) -> bool:
    """Tax codes, addresses and contacts of a province's facilities are read by the ministry,
    operators and the tokens whose scope covers that province, or the facility's commune
    (docs/read-policy.md)."""
    return (
        principal.role in NATIONWIDE
        or covers(principal.scope, province_code)
        or (commune_code is not None and principal.scope == commune_code)
    )


def may_backfill(principal: Principal) -> bool:
    """Only the ministry and operators may record an entry under an earlier date."""
    return principal.role in NATIONWIDE


def require_entry_backfill(principal: Principal) -> None:
    """An entry recorded under a date other than today (a record of an earlier round)."""
    if not may_backfill(principal):
        raise Forbidden(
            "backfill_not_allowed",
            "chỉ Bộ Công Thương (hoặc người vận hành) được ghi nhận hồ sơ với ngày khác",
            field="registered_on",
        )


def require_backfill(principal: Principal, *, field: str, what: str | None = None) -> None:
    """Recording history (a round of a province dissolved in 2025, a district round) is the
    ministry's job."""
    if not may_backfill(principal):
        raise Forbidden(
            "backfill_not_allowed",
            "chỉ Bộ Công Thương (hoặc người vận hành) được ghi nhận "
            + (what or "đợt bình chọn của tỉnh đã sáp nhập năm 2025"),
            field=field,
        )


def require_region_admin(principal: Principal) -> None:
    """The province → region table is kept by the ministry and operators."""
    principal.require(*NATIONWIDE)


def may_read_dossier(
    principal: Principal, province_code: str, round_scope: str, *, sits_on_jury: bool = False
) -> bool:
    """Dossier files (docs/read-policy.md): the officers of the facility's province, the
    round's jury, the certifier whose scope covers the round, the ministry and operators. Never
    the public, and never another province's officer."""
    if principal.role in NATIONWIDE:
        return True
    if principal.role is Role.PROVINCE_OFFICER:
        return covers(principal.scope, province_code)
    if principal.role is Role.CERTIFIER:
        return principal.scope == NATION_SCOPE or principal.scope == round_scope
    if principal.role is Role.JUDGE:
        return sits_on_jury
    return False


def require_dossier_reader(
    principal: Principal, province_code: str, round_scope: str, *, sits_on_jury: bool = False
) -> None:
    if not may_read_dossier(principal, province_code, round_scope, sits_on_jury=sits_on_jury):
        raise Forbidden(
            "dossier_not_readable",
            "hồ sơ chỉ dành cho cán bộ của tỉnh, hội đồng bình chọn của đợt, người cấp chứng "
            "nhận và Bộ Công Thương",
            field="entry_id",
        )


def require_file_keeper(principal: Principal) -> None:
    """The orphan cleaner removes stored bytes: operators only."""
    principal.require(Role.OPERATOR)


def may_work_desk(principal: Principal, province_code: str) -> bool:
    """The receiving desk: officers of the facility's province, the ministry, operators."""
    if principal.role in NATIONWIDE:
        return True
    return principal.role is Role.PROVINCE_OFFICER and covers(principal.scope, province_code)


def require_desk(principal: Principal, province_code: str) -> None:
    require_province(principal, province_code, field="entry_id")


def require_desk_reader(principal: Principal) -> None:
    """A round's desk lists the entries of the provinces the reader covers."""
    principal.require(*MANAGERS)
