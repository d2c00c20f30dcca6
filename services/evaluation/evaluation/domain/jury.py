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
        raise DomainError("jury_empty", "a jury needs at least one member", field="members")
    chairs = sum(1 for m in members if m.is_chair)
    if chairs != 1:
        raise DomainError(
            "jury_needs_one_chair",
            f"a jury has exactly one chair; {chairs} were named",
            field="members",
        )
    for index, member in enumerate(members):
        if not member.name.strip():
            raise DomainError(
                "member_name_missing", "every member needs a name", field=f"members.{index}.name"
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
                f"account {account_id} already holds a seat in this jury",
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
    return Forbidden("not_a_jury_member", "this judge token does not belong to a member of a jury")


def judging_closed() -> Conflict:
    return Conflict(
        "judging_closed", "judging is closed for this round; nothing more can be submitted"
    )


def check_judging_open(closed: bool) -> None:
    """Once judging has closed, the results rest on the jury and sheets as they were."""
    if closed:
        raise judging_closed()


def check_no_jury_yet(seated: int) -> None:
    """A round's jury is formed once; later members are added one by one."""
    if seated:
        raise Conflict("jury_exists", "this round already has a jury", field="round_id")


def check_judging_not_started(sheets: int) -> None:
    """A jury is edited only before its first score sheet: after that, changing who sits on
    it would change whose sheets count."""
    if sheets:
        raise Conflict(
            "judging_started",
            "the jury has started scoring; its members can no longer be changed",
            field="round_id",
        )


def check_added_member_not_chair(is_chair: bool) -> None:
    """The chair is named when the jury is formed; a member added later is not a second one."""
    if is_chair:
        raise Conflict("jury_has_a_chair", "the jury already has its chair", field="is_chair")


def check_may_score(scorer: Scorer, entry: EntryToScore, *, judging_is_closed: bool) -> None:
    """Only members of the round's jury score, only its entries, not their conflicts, and only
    while judging is open (docs/domain.md, "The score sheet")."""
    if judging_is_closed:
        raise judging_closed()
    if entry.round_id != scorer.round_id:
        raise DomainError(
            "entry_not_in_round",
            "the entry belongs to another round than this member's jury",
            field="entry_id",
        )
    if entry.withdrawn:
        raise Conflict("entry_withdrawn", "the entry was withdrawn", field="entry_id")
    if entry.facility_id in scorer.conflicted_facilities:
        raise Forbidden(
            "conflict_of_interest",
            "this member declared a conflict of interest with the entry's facility",
            field="entry_id",
        )
    if entry.id in scorer.recused_entries:
        raise Forbidden(
            "member_recused", "the chair recused this member from this entry", field="entry_id"
        )


def check_chair(is_chair: bool) -> None:
    if not is_chair:
        raise Forbidden("chair_only", "only the jury's chair may do this")


def check_recusal_reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError("reason_missing", "a recusal records its reason", field="reason")
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
            f"{open_flags} entries are flagged for discussion; the chair may override them",
            field="override",
        )
    if not closing.by_chair:
        raise Forbidden(
            "override_needs_chair",
            "only the jury's chair may override spread flags",
            field="override",
        )
    if not closing.reason.strip():
        raise DomainError(
            "override_reason_missing", "an override records its reason", field="reason"
        )
    return open_flags
