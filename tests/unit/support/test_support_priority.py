from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cnnt_contracts.vocabulary import FundingSource, Level
from support.domain.allocation import Outcome, plan_allocation
from support.domain.budget import Budget
from support.domain.priority import Band, Candidate, Recognition, best_recognition

NATIONAL, LOCAL, COUNTERPART = FundingSource
TODAY = date(2021, 6, 1)
_NUMBERS = itertools.count(1)  # certificate numbers: each recognition its own
T0 = datetime(2021, 5, 1, tzinfo=UTC)


def recognition(
    level: Level,
    mean: str = "80",
    *,
    facility: uuid.UUID | None = None,
    product: uuid.UUID | None = None,
    valid_until: date = date(2023, 12, 31),
    revoked: bool = False,
) -> Recognition:
    return Recognition(
        entry_id=uuid.uuid4(),
        certificate_number=f"{level.value[:2].upper()}-{next(_NUMBERS):04d}",
        level=level,
        mean_score=Decimal(mean),
        facility_id=facility or uuid.uuid4(),
        product_id=product or uuid.uuid4(),
        year=2021,
        valid_until=valid_until,
        revoked=revoked,
    )


def candidate(
    minutes: int, asked: int = 10, rec: Recognition | None = None, source: FundingSource = NATIONAL
) -> Candidate:
    return Candidate(uuid.uuid4(), T0 + timedelta(minutes=minutes), {source: asked}, rec)


def test_the_best_valid_unrevoked_recognition_of_the_facility_gives_its_band() -> None:
    facility = uuid.uuid4()
    known = [
        recognition(Level.NATIONAL, "95", facility=facility, revoked=True),
        recognition(Level.REGIONAL, "75", facility=facility, valid_until=date(2021, 5, 31)),
        recognition(Level.PROVINCIAL, "71", facility=facility),
        recognition(Level.PROVINCIAL, "88", facility=facility),
        recognition(Level.NATIONAL, "99"),  # another facility's
    ]
    best = best_recognition(known, facility, None, TODAY)
    assert best is not None
    assert (best.band, best.mean_score) == (Band.PROVINCIAL, Decimal("88"))


def test_a_recognition_counts_through_the_last_day_of_its_validity() -> None:
    facility = uuid.uuid4()
    known = [recognition(Level.REGIONAL, facility=facility, valid_until=TODAY)]
    assert best_recognition(known, facility, None, TODAY) is not None
    assert best_recognition(known, facility, None, TODAY + timedelta(days=1)) is None


def test_an_application_naming_a_product_counts_only_that_products_recognitions() -> None:
    facility, soap, coffee = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    known = [
        recognition(Level.NATIONAL, facility=facility, product=soap),
        recognition(Level.PROVINCIAL, facility=facility, product=coffee),
    ]
    named = best_recognition(known, facility, coffee, TODAY)
    assert named is not None
    assert named.level is Level.PROVINCIAL
    unnamed = best_recognition(known, facility, None, TODAY)
    assert unnamed is not None
    assert unnamed.level is Level.NATIONAL


def test_priority_is_national_then_regional_then_provincial_then_none() -> None:
    none = candidate(0)
    provincial = candidate(1, rec=recognition(Level.PROVINCIAL, "99"))
    regional = candidate(2, rec=recognition(Level.REGIONAL, "70"))
    national = candidate(3, rec=recognition(Level.NATIONAL, "70"))
    plan = plan_allocation(Budget({NATIONAL: 100}), [none, provincial, regional, national])
    assert [d.candidate for d in plan.decisions] == [national, regional, provincial, none]
    assert [d.candidate.band.label for d in plan.decisions] == [
        "national",
        "regional",
        "provincial",
        "none",
    ]


def test_within_a_band_the_higher_mean_then_the_earlier_application_goes_first() -> None:
    late_high = candidate(9, rec=recognition(Level.REGIONAL, "90.5"))
    early_low = candidate(1, rec=recognition(Level.REGIONAL, "80"))
    late_low = candidate(5, rec=recognition(Level.REGIONAL, "80"))
    plan = plan_allocation(Budget({NATIONAL: 100}), [late_low, early_low, late_high])
    assert [d.candidate for d in plan.decisions] == [late_high, early_low, late_low]
    assert [d.rank for d in plan.decisions] == [1, 2, 3]


def test_the_run_grants_in_priority_order_until_a_source_is_spent() -> None:
    first = candidate(0, 60, recognition(Level.NATIONAL))
    second = candidate(1, 50, recognition(Level.REGIONAL))
    third = candidate(2, 40)
    plan = plan_allocation(Budget({NATIONAL: 100}), [third, second, first])
    outcomes = [(d.candidate, d.outcome, d.reason) for d in plan.decisions]
    assert outcomes == [
        (first, Outcome.GRANTED, "within_budget"),
        (second, Outcome.SKIPPED, "budget_exhausted"),
        (third, Outcome.GRANTED, "within_budget"),
    ]
    assert plan.decisions[1].short_source is NATIONAL
    assert plan.budget_after.granted[NATIONAL] == 100


def test_an_application_is_granted_only_if_every_source_it_asks_is_covered_in_full() -> None:
    both = Candidate(uuid.uuid4(), T0, {NATIONAL: 10, COUNTERPART: 11}, None)
    plan = plan_allocation(Budget({NATIONAL: 100, COUNTERPART: 10}), [both])
    assert plan.decisions[0].outcome is Outcome.SKIPPED
    assert plan.decisions[0].short_source is COUNTERPART
    assert plan.budget_after.granted.get(NATIONAL, 0) == 0  # nothing half-granted


def test_the_same_facts_give_the_same_plan_whatever_order_they_arrive_in() -> None:
    same_time = [candidate(0, 30) for _ in range(5)]
    a = plan_allocation(Budget({NATIONAL: 90}), same_time)
    b = plan_allocation(Budget({NATIONAL: 90}), list(reversed(same_time)))
    assert [(d.candidate, d.outcome) for d in a.decisions] == [
        (d.candidate, d.outcome) for d in b.decisions
    ]
    assert len(a.granted) == 3


def test_a_second_run_over_what_the_first_left_grants_nothing_new() -> None:
    pending = [candidate(i, 40) for i in range(4)]
    first = plan_allocation(Budget({NATIONAL: 100}), pending)
    granted = {d.candidate.application_id for d in first.granted}
    left = [c for c in pending if c.application_id not in granted]
    second = plan_allocation(first.budget_after, left)
    assert second.granted == []
    assert second.budget_after == first.budget_after
