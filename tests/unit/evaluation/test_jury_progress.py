"""The jury's progress: worklists, counts per entry and per member, spread flags."""

from __future__ import annotations

import uuid
from decimal import Decimal

from evaluation.domain.progress import Assignment, WorkStatus, progress, worklist

E1, E2, E3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
F1, F2 = uuid.uuid4(), uuid.uuid4()
A, B, C = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ENTRIES = [(E1, F1), (E2, F2), (E3, F2)]


def test_a_fresh_jury_has_everything_still_to_score() -> None:
    snapshot = progress(ENTRIES, [Assignment(A), Assignment(B)], {}, Decimal(10))
    assert [m.to_score for m in snapshot.members] == [(E1, E2, E3), (E1, E2, E3)]
    assert [(e.eligible_members, e.sheets, e.complete) for e in snapshot.entries] == [
        (2, 0, False)
    ] * 3
    assert snapshot.open_flags == 0


def test_conflicts_and_recusals_take_entries_off_a_members_worklist() -> None:
    members = [
        Assignment(A, conflicted_facilities=frozenset({F2})),
        Assignment(B, recused_entries=frozenset({E1})),
        Assignment(C),
    ]
    snapshot = progress(ENTRIES, members, {(E1, C): Decimal(80)}, Decimal(10))
    a, b, c = snapshot.members
    assert (a.assigned, a.to_score) == (1, (E1,))
    assert (b.assigned, b.to_score) == (2, (E2, E3))
    assert (c.assigned, c.scored, c.remaining, c.to_score) == (3, 1, 2, (E2, E3))
    e1, e2, _ = snapshot.entries
    assert (e1.eligible_members, e1.sheets) == (2, 1)
    assert (e2.eligible_members, e2.sheets) == (2, 0)


def test_an_entry_is_complete_when_every_eligible_member_scored_it() -> None:
    members = [Assignment(A), Assignment(B, conflicted_facilities=frozenset({F1}))]
    snapshot = progress(ENTRIES, members, {(E1, A): Decimal(75)}, Decimal(10))
    assert snapshot.entries[0].complete
    assert not snapshot.entries[1].complete


def test_totals_further_apart_than_the_threshold_flag_the_entry() -> None:
    totals = {
        (E1, A): Decimal(70),
        (E1, B): Decimal("80.5"),
        (E2, A): Decimal(70),
        (E2, B): Decimal(80),
    }
    snapshot = progress(ENTRIES, [Assignment(A), Assignment(B)], totals, Decimal(10))
    assert [(e.spread, e.flagged) for e in snapshot.entries] == [
        (Decimal("10.5"), True),
        (Decimal(10), False),
        (Decimal(0), False),
    ]
    assert snapshot.open_flags == 1
    stricter = progress(ENTRIES, [Assignment(A), Assignment(B)], totals, Decimal(5))
    assert stricter.open_flags == 2


def test_a_sheet_by_a_member_barred_after_scoring_does_not_count() -> None:
    totals = {(E1, A): Decimal(90), (E1, B): Decimal(60)}
    members = [Assignment(A, recused_entries=frozenset({E1})), Assignment(B)]
    snapshot = progress(ENTRIES, members, totals, Decimal(10))
    assert (snapshot.entries[0].sheets, snapshot.entries[0].flagged) == (1, False)


def test_a_worklist_lists_what_is_left_first_then_scored_and_set_aside_sheets() -> None:
    e0, e1, e2, e3 = (uuid.uuid4() for _ in range(4))
    f0, f1, f2, f3 = (uuid.uuid4() for _ in range(4))
    member = Assignment(uuid.uuid4(), conflicted_facilities=frozenset({f1, f3}))
    snapshot = progress(
        [(e0, f0), (e1, f1), (e2, f2), (e3, f3)],
        [member],
        {(e0, member.member_id): Decimal(80), (e1, member.member_id): Decimal(75)},
        Decimal(15),
    )
    [mine] = snapshot.members
    sheets = frozenset({e0, e1})
    assert worklist([e0, e1, e2, e3], mine, sheets, judging_open=True) == [
        (e2, WorkStatus.TO_SCORE),
        (e0, WorkStatus.SCORED),
        (e1, WorkStatus.SET_ASIDE),
    ]
    assert worklist([e0, e1, e2, e3], mine, sheets, judging_open=False) == [
        (e0, WorkStatus.SCORED),
        (e1, WorkStatus.SET_ASIDE),
    ]
