"""When evaluation's list of entries is whole, and the sheets judging ends with."""

from __future__ import annotations

import uuid

import pytest

from cnnt_runtime.errors import Conflict
from evaluation.domain.completeness import (
    EntriesHeld,
    check_entries_complete,
    judged_sheets,
)
from evaluation.domain.progress import Assignment

E1, E2 = uuid.uuid4(), uuid.uuid4()
F1, F2 = uuid.uuid4(), uuid.uuid4()
A, B = uuid.uuid4(), uuid.uuid4()


def test_the_list_is_whole_only_once_registration_closed_and_every_entry_is_held() -> None:
    assert not EntriesHeld(None, 3).complete  # registration has not closed (or it is not here)
    assert not EntriesHeld(3, 2).complete  # one still on its way
    assert not EntriesHeld(3, 4).complete  # a withdrawal still on its way
    assert EntriesHeld(3, 3).complete
    assert EntriesHeld(0, 0).complete
    check_entries_complete(EntriesHeld(3, 3))


@pytest.mark.parametrize(
    ("held", "registration_closed"), [(EntriesHeld(None, 2), False), (EntriesHeld(5, 2), True)]
)
def test_an_incomplete_list_is_a_wait_with_its_figures(
    held: EntriesHeld, registration_closed: bool
) -> None:
    with pytest.raises(Conflict) as refused:
        check_entries_complete(held)
    assert refused.value.code == "entries_still_arriving"
    assert refused.value.details == {
        "registration_closed": registration_closed,
        "entries_expected": held.expected,
        "entries_held": 2,
    }


def test_sheets_of_a_barred_member_are_set_aside_and_the_others_count_at_their_revision() -> None:
    members = [Assignment(A), Assignment(B, conflicted_facilities=frozenset({F2}))]
    revisions = {(E1, A): 2, (E1, B): 1, (E2, A): 1, (E2, B): 3}
    sheets = judged_sheets([(E1, F1), (E2, F2)], members, revisions)
    assert (sheets.counting, sheets.revisions, sheets.set_aside) == (3, 4, 1)


def test_sheets_of_entries_no_longer_standing_are_not_counted() -> None:
    sheets = judged_sheets([(E1, F1)], [Assignment(A)], {(E1, A): 1, (E2, A): 1})
    assert (sheets.counting, sheets.revisions, sheets.set_aside) == (1, 1, 0)
