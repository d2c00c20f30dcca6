"""When evaluation's picture of a round is whole, and what judging ended with.

Registration's entries reach evaluation as events, so evaluation may briefly hold fewer than
registration closed with (or one withdrawn entry too many). A jury is formed, and judging
closed, only on the whole list: RoundClosed says how many entries stand, and until evaluation
holds exactly that many the answer is "still arriving" — a wait, not a refusal.

Pure: standard library and the shared errors only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from cnnt_runtime.errors import Conflict
from evaluation.domain.progress import Assignment

ENTRIES_STILL_ARRIVING = "entries_still_arriving"


@dataclass(frozen=True)
class EntriesHeld:
    """``expected`` is RoundClosed's count of standing entries (None before it arrived);
    ``held`` the standing entries evaluation holds."""

    expected: int | None
    held: int

    @property
    def registration_closed(self) -> bool:
        return self.expected is not None

    @property
    def complete(self) -> bool:
        return self.expected is not None and self.held == self.expected


def check_entries_complete(entries: EntriesHeld) -> None:
    """Refuse, with a code a client can wait on, while the list of entries is not final."""
    if entries.complete:
        return
    if entries.expected is None:
        message = (
            "Chưa nhận được thông báo đóng đăng ký của đợt bình chọn: danh sách hồ sơ chưa "
            f"cuối cùng (đã nhận {entries.held} hồ sơ)"
        )
    else:
        message = (
            f"Hồ sơ đăng ký đang được chuyển đến: đã nhận {entries.held}/{entries.expected} "
            "hồ sơ của đợt bình chọn"
        )
    raise Conflict(
        ENTRIES_STILL_ARRIVING,
        message,
        field="round_id",
        details={
            "registration_closed": entries.registration_closed,
            "entries_expected": entries.expected,
            "entries_held": entries.held,
        },
    )


@dataclass(frozen=True)
class JudgedSheets:
    """The sheets of a round at the close of judging, as certification must hold them."""

    counting: int
    revisions: int
    set_aside: int


def judged_sheets(
    entries: Sequence[tuple[UUID, UUID]],
    members: Sequence[Assignment],
    latest_revisions: Mapping[tuple[UUID, UUID], int],
) -> JudgedSheets:
    """``entries`` are the standing (entry id, facility id); ``latest_revisions`` maps (entry id,
    member id) to the latest submitted revision. A submitted sheet of a member now barred from
    the entry was announced as set aside; every other one counts."""
    counting = revisions = set_aside = 0
    for entry_id, facility_id in entries:
        for member in members:
            revision = latest_revisions.get((entry_id, member.member_id))
            if revision is None:
                continue
            if member.may_score(entry_id, facility_id):
                counting += 1
                revisions += revision
            else:
                set_aside += 1
    return JudgedSheets(counting, revisions, set_aside)
