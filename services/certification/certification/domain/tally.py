"""Whether certification's tally of a round is whole (kiểm phiếu đầy đủ).

Entries come from registration and sheets from evaluation on separate queues, so a preview can
be computed while some are still on their way. JudgingClosed says what judging ended with; the
tally is complete once certification holds the same standing entries, the same number of sheets
that count, each at its latest revision (the sums of revisions agree, and a held revision is
never newer than the latest), and the same number of sheets set aside. Until then a decision
would count missing or stale sheets, so it is refused.

Pure: standard library and the shared errors only.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnt_runtime.errors import Conflict

TALLY_INCOMPLETE = "tally_incomplete"


@dataclass(frozen=True)
class Counts:
    entries: int
    sheets: int
    sheet_revisions: int
    sheets_set_aside: int


@dataclass(frozen=True)
class Tally:
    """Before JudgingClosed arrives nothing is expected yet and the tally is not complete.
    After it, ``expected`` is None only for a JudgingClosed published before it carried counts:
    such a round's tally cannot be checked and is taken as judging closed it (the earlier
    behaviour)."""

    expected: Counts | None
    received: Counts
    judging_closed: bool = True

    @property
    def checked(self) -> bool:
        return self.expected is not None

    @property
    def complete(self) -> bool:
        return self.judging_closed and (self.expected is None or self.expected == self.received)


def check_tally_complete(tally: Tally) -> None:
    if tally.complete:
        return
    assert tally.expected is not None  # results.rules_of refused the round before judging closed
    expected, received = tally.expected, tally.received
    raise Conflict(
        TALLY_INCOMPLETE,
        "Kết quả kiểm phiếu chưa đầy đủ, chưa thể ra quyết định công nhận: đã nhận "
        f"{received.entries}/{expected.entries} hồ sơ và "
        f"{received.sheets}/{expected.sheets} phiếu chấm điểm",
        field="round_id",
        details={
            "entries_expected": expected.entries,
            "entries_received": received.entries,
            "sheets_expected": expected.sheets,
            "sheets_received": received.sheets,
            "sheet_revisions_expected": expected.sheet_revisions,
            "sheet_revisions_received": received.sheet_revisions,
            "sheets_set_aside_expected": expected.sheets_set_aside,
            "sheets_set_aside_received": received.sheets_set_aside,
        },
    )
