"""Whether certification's tally is what judging closed with."""

from __future__ import annotations

import pytest

from certification.domain.tally import Counts, Tally, check_tally_complete
from cnnt_runtime.errors import Conflict

CLOSED_WITH = Counts(entries=3, sheets=15, sheet_revisions=17, sheets_set_aside=1)


def test_the_tally_is_complete_when_every_figure_matches() -> None:
    tally = Tally(CLOSED_WITH, Counts(3, 15, 17, 1))
    assert tally.complete
    assert tally.checked
    check_tally_complete(tally)


@pytest.mark.parametrize(
    "received",
    [
        Counts(2, 15, 17, 1),  # an entry still on its way
        Counts(3, 14, 16, 1),  # a sheet still on its way
        Counts(3, 15, 16, 1),  # a revision still on its way
        Counts(3, 16, 18, 0),  # a set-aside still on its way: the sheet still counts here
    ],
)
def test_anything_still_on_its_way_refuses_a_decision_with_both_sides_figures(
    received: Counts,
) -> None:
    tally = Tally(CLOSED_WITH, received)
    assert not tally.complete
    with pytest.raises(Conflict) as refused:
        check_tally_complete(tally)
    assert refused.value.code == "tally_incomplete"
    assert refused.value.details is not None
    assert refused.value.details["sheets_expected"] == 15
    assert refused.value.details["sheets_received"] == received.sheets


def test_before_judging_closes_the_tally_is_not_complete() -> None:
    assert not Tally(None, Counts(3, 15, 15, 0), judging_closed=False).complete


def test_a_closing_announced_without_counts_cannot_be_checked_and_keeps_the_old_behaviour() -> None:
    tally = Tally(None, Counts(3, 10, 10, 0))
    assert tally.complete
    assert not tally.checked
