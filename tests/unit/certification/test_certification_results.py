"""docs/domain.md "Results": mean, quorum, threshold, quota, ranking and its tie-breaks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from certification.domain.results import (
    Candidate,
    Outcome,
    Reason,
    Result,
    Rules,
    Sheet,
    compute_results,
)
from cnnt_contracts.vocabulary import ProductGroup

T0 = datetime(2021, 5, 1, 8, 0, tzinfo=UTC)


def sheet(market: float, technical: float, culture: float, other: float) -> Sheet:
    return Sheet(uuid.uuid4(), *(Decimal(str(v)) for v in (market, technical, culture, other)))


def entry(
    *sheets: Sheet,
    minute: int = 0,
    group: ProductGroup = ProductGroup.AGRO_FOOD,
    withdrawn: bool = False,
) -> Candidate:
    return Candidate(uuid.uuid4(), group, T0 + timedelta(minutes=minute), sheets, withdrawn)


def same(n: int, *scores: float) -> list[Sheet]:
    return [sheet(*scores) for _ in range(n)]


def by_entry(results: list[Result]) -> dict[uuid.UUID, Result]:
    return {r.entry_id: r for r in results}


def test_the_result_is_the_mean_of_the_members_totals() -> None:
    e = entry(sheet(30, 30, 8, 7), sheet(35, 32, 9, 9), sheet(28, 30, 7, 6))
    [r] = compute_results([e], Rules(jury_size=3))
    assert r.published_mean == Decimal("77.00")  # (75 + 85 + 71) / 3
    assert r.published_criterion("market") == Decimal("31.00")
    assert r.published_criterion("other") == Decimal("7.33")
    assert (r.rank, r.outcome, r.reason) == (1, Outcome.RECOGNISED, None)


def test_a_mean_of_exactly_70_meets_a_threshold_of_70() -> None:
    exactly = entry(sheet(28, 28, 7, 7), sheet(28, 28, 7, 7), sheet(28, 28.5, 7, 6.5))
    [r] = compute_results([exactly], Rules(jury_size=3, threshold=Decimal(70)))
    assert r.published_mean == Decimal("70.00")
    assert r.outcome is Outcome.RECOGNISED


def test_a_mean_just_under_the_threshold_is_below_it_even_if_it_rounds_to_it() -> None:
    # 209.99… cannot happen with half points, but 3 members at 70, 70, 69.5 give 69.833…
    under = entry(sheet(28, 28, 7, 7), sheet(28, 28, 7, 7), sheet(28, 27.5, 7, 7))
    [r] = compute_results([under], Rules(jury_size=3))
    assert r.published_mean == Decimal("69.83")
    assert (r.outcome, r.reason) == (Outcome.NOT_RECOGNISED, Reason.BELOW_THRESHOLD)
    assert r.rank == 1  # ranked, but not recognised


def test_ranking_is_by_mean_descending() -> None:
    low, high, mid = (
        entry(*same(3, 30, 30, 8, 8)),
        entry(*same(3, 38, 38, 9, 9)),
        entry(*same(3, 34, 34, 8, 8)),
    )
    results = compute_results([low, high, mid], Rules(jury_size=3))
    assert [r.entry_id for r in results] == [high.entry_id, mid.entry_id, low.entry_id]
    assert [r.rank for r in results] == [1, 2, 3]


@pytest.mark.parametrize(
    ("winner", "loser", "criterion"),
    [
        ((36, 34, 8, 8), (35, 35, 8, 8), "market"),
        ((35, 35, 9, 7), (35, 34, 10, 7), "technical"),
        ((35, 35, 9, 7), (35, 35, 8, 8), "culture"),
    ],
)
def test_equal_means_are_broken_by_market_then_technical_then_culture(
    winner: tuple[float, ...], loser: tuple[float, ...], criterion: str
) -> None:
    # The loser registered first, so only the criterion can put the winner ahead.
    first, second = entry(*same(3, *loser), minute=0), entry(*same(3, *winner), minute=5)
    results = compute_results([first, second], Rules(jury_size=3))
    assert results[0].mean == results[1].mean, criterion
    assert [r.entry_id for r in results] == [second.entry_id, first.entry_id], criterion


def test_the_other_tie_break_is_implied_so_registration_decides_after_culture() -> None:
    # The mean is the sum of the four criterion means: equal mean, market, technical and
    # culture force an equal `other`, so after culture the earliest registration decides.
    late = entry(sheet(34, 34, 8, 4), sheet(34, 34, 6, 6), minute=9)
    early = entry(sheet(34, 34, 7, 5), sheet(34, 34, 7, 5), minute=1)
    results = compute_results([late, early], Rules(jury_size=2))
    assert results[0].criterion_means == results[1].criterion_means
    assert [r.entry_id for r in results] == [early.entry_id, late.entry_id]


def test_a_complete_tie_goes_to_the_earliest_registration() -> None:
    late, early = entry(*same(3, 35, 35, 8, 8), minute=9), entry(*same(3, 35, 35, 8, 8), minute=1)
    results = compute_results([late, early], Rules(jury_size=3))
    assert [r.entry_id for r in results] == [early.entry_id, late.entry_id]


def test_rows_of_one_import_tie_in_the_order_registration_stored_them() -> None:
    # An import stores its rows with one registered_at; the sequence keeps the file's order,
    # whatever the entry ids (random) would say.
    scores = same(3, 35, 35, 8, 8)
    rows = [
        Candidate(uuid.UUID(int=n), ProductGroup.AGRO_FOOD, T0, scores, registration_sequence=s)
        for n, s in [(1, 42), (2, 40), (3, 41)]
    ]
    for order in (rows, rows[::-1]):
        ranked = compute_results(order, Rules(jury_size=3))
        assert [r.entry_id.int for r in ranked] == [2, 3, 1]
        assert [r.rank for r in ranked] == [1, 2, 3]


def test_the_registration_time_comes_before_the_sequence_and_known_sequences_before_none() -> None:
    scores = same(3, 35, 35, 8, 8)
    backfilled = Candidate(
        uuid.UUID(int=1), ProductGroup.AGRO_FOOD, T0, scores, registration_sequence=900
    )
    today = Candidate(
        uuid.UUID(int=2),
        ProductGroup.AGRO_FOOD,
        T0 + timedelta(days=1),
        scores,
        registration_sequence=5,
    )
    earlier_event = Candidate(uuid.UUID(int=3), ProductGroup.AGRO_FOOD, T0, scores)
    ranked = compute_results([today, earlier_event, backfilled], Rules(jury_size=3))
    assert [r.entry_id.int for r in ranked] == [1, 3, 2]


def test_ranking_uses_exact_means_not_the_published_two_places() -> None:
    # 634 / 9 = 70.444… and 563.5 / 8 = 70.4375 both publish as 70.44.
    nine = [sheet(28, 28, 7, 7.5)] * 4 + [sheet(28, 28, 7, 7)] * 5  # 4 × 70.5 + 5 × 70 = 632
    nine = [*nine[:-2], sheet(29, 28, 7, 7), sheet(29, 28, 7, 7)]  # +2 → 634
    eight = [sheet(28, 28, 7, 7.5)] * 7 + [sheet(28, 28, 7, 7)]  # 7 × 70.5 + 70 = 563.5
    later, earlier = entry(*nine, minute=9), entry(*eight, minute=1)
    results = compute_results([later, earlier], Rules(jury_size=9, quorum=Decimal("0.5")))
    assert [r.published_mean for r in results] == [Decimal("70.44"), Decimal("70.44")]
    assert [r.entry_id for r in results] == [later.entry_id, earlier.entry_id]


def test_the_round_quota_recognises_only_the_best_ranked() -> None:
    entries = [entry(*same(3, 30 + i, 35, 8, 8), minute=i) for i in range(4)]
    results = compute_results(entries, Rules(jury_size=3, quota=2))
    assert [r.outcome for r in results] == [Outcome.RECOGNISED] * 2 + [Outcome.NOT_RECOGNISED] * 2
    assert [r.reason for r in results] == [None, None, Reason.OUTSIDE_QUOTA, Reason.OUTSIDE_QUOTA]


def test_a_full_group_quota_leaves_room_for_other_groups() -> None:
    food = [entry(*same(3, 38 - i, 35, 8, 8), minute=i) for i in range(3)]
    craft = entry(*same(3, 30, 35, 8, 8), group=ProductGroup.HANDICRAFT, minute=7)
    rules = Rules(jury_size=3, quota=3, group_quotas={ProductGroup.AGRO_FOOD: 2})
    results = by_entry(compute_results([*food, craft], rules))
    assert [results[e.entry_id].reason for e in food] == [None, None, Reason.OUTSIDE_QUOTA]
    assert results[craft.entry_id].outcome is Outcome.RECOGNISED
    assert results[craft.entry_id].rank == 4


def test_the_round_quota_counts_every_group() -> None:
    craft = entry(*same(3, 38, 35, 8, 8), group=ProductGroup.HANDICRAFT)
    food = entry(*same(3, 36, 35, 8, 8), minute=1)
    rules = Rules(jury_size=3, quota=1, group_quotas={ProductGroup.AGRO_FOOD: 5})
    results = by_entry(compute_results([craft, food], rules))
    assert results[food.entry_id].reason is Reason.OUTSIDE_QUOTA


@pytest.mark.parametrize(
    ("jury", "quorum", "needed"),
    [(7, "0.6667", 5), (9, "0.6667", 6), (3, "0.6667", 2), (5, "0.5", 3), (4, "0.75", 3)],
)
def test_a_fractional_quorum_rounds_up(jury: int, quorum: str, needed: int) -> None:
    assert Rules(jury_size=jury, quorum=Decimal(quorum)).members_needed == needed


def test_an_entry_scored_by_fewer_members_than_the_quorum_is_not_decided() -> None:
    four, five = entry(*same(4, 38, 38, 9, 9)), entry(*same(5, 30, 30, 7, 7), minute=1)
    results = by_entry(compute_results([four, five], Rules(jury_size=7)))
    assert results[four.entry_id].outcome is Outcome.UNDECIDED
    assert results[four.entry_id].reason is Reason.NO_QUORUM
    assert results[four.entry_id].rank is None
    assert results[five.entry_id].rank == 1


def test_an_entry_nobody_scored_and_a_withdrawn_entry_each_have_their_reason() -> None:
    unscored = entry()
    gone = entry(*same(3, 38, 38, 9, 9), withdrawn=True, minute=1)
    results = by_entry(compute_results([unscored, gone], Rules(jury_size=3)))
    assert results[unscored.entry_id].reason is Reason.NO_QUORUM
    assert results[unscored.entry_id].mean is None
    assert results[gone.entry_id].reason is Reason.WITHDRAWN
    assert results[gone.entry_id].outcome is Outcome.NOT_RECOGNISED


def test_every_entry_not_recognised_has_a_reason() -> None:
    entries = [entry(*same(3, 20 + 3 * i, 30, 8, 8), minute=i) for i in range(6)]
    entries += [entry(sheet(40, 40, 10, 10)), entry(*same(2, 40, 40, 10, 10), withdrawn=True)]
    for r in compute_results(entries, Rules(jury_size=3, quota=2)):
        assert (r.reason is None) == (r.outcome is Outcome.RECOGNISED)
