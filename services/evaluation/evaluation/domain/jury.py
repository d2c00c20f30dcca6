"""The jury (hội đồng bình chọn / ban giám khảo) and who may score what, and when.

Pure: standard library and the shared errors only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from cnnt_runtime.errors import Conflict, DomainError, Forbidden


@dataclass(frozen=True)
class MemberDraft:
    """A member as the organiser names them: name, title (chức danh), organisation."""

    name: str
    title: str
    organisation: str
    is_chair: bool = False


def check_jury(members: Sequence[MemberDraft]) -> None:
    """A jury has at least one member and exactly one chair (chủ tịch hội đồng)."""
    if not members:
        raise DomainError("jury_empty", "hội đồng cần ít nhất một thành viên", field="members")
    chairs = sum(1 for m in members if m.is_chair)
    if chairs != 1:
        raise DomainError(
            "jury_needs_one_chair",
            f"hội đồng có đúng một chủ tịch; đã chọn {chairs}",
            field="members",
        )
    for index, member in enumerate(members):
        if not member.name.strip():
            raise DomainError(
                "member_name_missing", "mỗi thành viên cần có họ tên", field=f"members.{index}.name"
            )


def check_one_seat_per_account(account_ids: Sequence[str | None]) -> None:
    """A person (a console account) holds at most one seat in a jury."""
    seen: set[str] = set()
    for index, account_id in enumerate(account_ids):
        if not account_id:
            continue
        if account_id in seen:  # the repeated seat is the one named
            raise DomainError(
                "account_already_in_jury",
                f"tài khoản {account_id} đã giữ một ghế trong hội đồng này",
                field=f"members.{index}.account_id",
            )
        seen.add(account_id)


@dataclass(frozen=True)
class EntryToScore:
    """What the scoring rules need to know of an entry, as registration announced it."""

    id: UUID
    round_id: UUID
    facility_id: UUID
    withdrawn: bool = False


@dataclass(frozen=True)
class Scorer:
    """A jury member about to score, with what bars them."""

    member_id: UUID
    round_id: UUID
    conflicted_facilities: frozenset[UUID] = frozenset()
    recused_entries: frozenset[UUID] = frozenset()


def not_a_member() -> Forbidden:
    return Forbidden(
        "not_a_jury_member", "tài khoản giám khảo này không thuộc thành viên nào của hội đồng"
    )


def judging_closed() -> Conflict:
    return Conflict(
        "judging_closed", "đã kết thúc chấm điểm của đợt bình chọn; không nhận thêm phiếu"
    )


def check_judging_open(closed: bool) -> None:
    """Once judging has closed, the results rest on the jury and sheets as they were."""
    if closed:
        raise judging_closed()


def check_no_jury_yet(seated: int) -> None:
    """A round's jury is formed once; later members are added one by one."""
    if seated:
        raise Conflict("jury_exists", "đợt bình chọn đã có hội đồng", field="round_id")


def check_judging_not_started(sheets: int) -> None:
    """A jury is edited only before its first score sheet: after that, changing who sits on
    it would change whose sheets count."""
    if sheets:
        raise Conflict(
            "judging_started",
            "hội đồng đã bắt đầu chấm điểm; không thể thay đổi thành viên",
            field="round_id",
        )


def check_added_member_not_chair(is_chair: bool) -> None:
    """The chair is named when the jury is formed; a member added later is not a second one."""
    if is_chair:
        raise Conflict("jury_has_a_chair", "hội đồng đã có chủ tịch", field="is_chair")


def check_may_score(scorer: Scorer, entry: EntryToScore, *, judging_is_closed: bool) -> None:
    """Only members of the round's jury score, only its entries, not their conflicts, and only
    while judging is open (docs/domain.md, "The score sheet")."""
    if judging_is_closed:
        raise judging_closed()
    if entry.round_id != scorer.round_id:
        raise DomainError(
            "entry_not_in_round",
            "hồ sơ thuộc đợt bình chọn khác với hội đồng của thành viên",
            field="entry_id",
        )
    if entry.withdrawn:
        raise Conflict("entry_withdrawn", "hồ sơ đã được rút", field="entry_id")
    if entry.facility_id in scorer.conflicted_facilities:
        raise Forbidden(
            "conflict_of_interest",
            "thành viên đã khai báo xung đột lợi ích với cơ sở của hồ sơ",
            field="entry_id",
        )
    if entry.id in scorer.recused_entries:
        raise Forbidden(
            "member_recused",
            "chủ tịch hội đồng đã cho thành viên này không chấm hồ sơ",
            field="entry_id",
        )


def check_chair(is_chair: bool) -> None:
    if not is_chair:
        raise Forbidden("chair_only", "chỉ chủ tịch hội đồng được thực hiện thao tác này")


def check_recusal_reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError(
            "reason_missing", "cần ghi lý do cho thành viên không chấm", field="reason"
        )
    return reason.strip()


@dataclass(frozen=True)
class Closing:
    """A request to close judging (kết thúc chấm điểm), possibly overriding open spread flags."""

    by_chair: bool
    override: bool = False
    reason: str = ""


def check_may_close(closing: Closing, *, open_flags: int, already_closed: bool) -> int:
    """Judging closes once; open spread flags block it unless the chair overrides them,
    explicitly and with a reason. Returns how many flags the closing overrides."""
    if already_closed:
        raise judging_closed()
    if open_flags == 0:
        return 0
    if not closing.override:
        raise Conflict(
            "spread_flags_open",
            f"{open_flags} hồ sơ có điểm chênh lệch lớn cần thảo luận; chủ tịch có thể bỏ qua",
            field="override",
        )
    if not closing.by_chair:
        raise Forbidden(
            "override_needs_chair",
            "chỉ chủ tịch hội đồng được bỏ qua cảnh báo chênh lệch",
            field="override",
        )
    if not closing.reason.strip():
        raise DomainError(
            "override_reason_missing", "cần ghi lý do bỏ qua cảnh báo", field="reason"
        )
    return open_flags
