from __future__ import annotations

import pytest

from cnnt_contracts.vocabulary import FundingSource
from cnnt_runtime.errors import Conflict, DomainError
from support.domain import model
from support.domain.budget import Budget

NATIONAL, LOCAL, COUNTERPART = FundingSource


def test_taking_from_a_budget_adds_to_what_is_granted_per_source() -> None:
    budget = Budget({NATIONAL: 1_056_000_000, COUNTERPART: 1_044_000_000})
    after = budget.take({NATIONAL: 56_000_000, COUNTERPART: 44_000_000})
    assert after.remaining(NATIONAL) == 1_000_000_000
    assert after.remaining(COUNTERPART) == 1_000_000_000
    assert after.remaining(LOCAL) == 0
    assert budget.remaining(NATIONAL) == 1_056_000_000  # budgets are values, not mutated


def test_a_grant_that_spends_a_source_exactly_to_the_dong_is_allowed() -> None:
    after = Budget({LOCAL: 768_000_000}).take({LOCAL: 768_000_000})
    assert after.remaining(LOCAL) == 0


def test_a_grant_one_dong_over_a_source_is_refused_as_budget_exhausted() -> None:
    budget = Budget({NATIONAL: 100, COUNTERPART: 100}, {NATIONAL: 40})
    with pytest.raises(Conflict) as caught:
        budget.take({NATIONAL: 61, COUNTERPART: 10})
    assert caught.value.code == "budget_exhausted"
    assert caught.value.field == "amounts.national"


def test_the_shortfall_names_the_first_source_that_cannot_be_covered_in_full() -> None:
    budget = Budget({NATIONAL: 100, LOCAL: 5, COUNTERPART: 0})
    assert budget.shortfall({NATIONAL: 100, LOCAL: 5}) is None
    assert budget.shortfall({NATIONAL: 10, LOCAL: 6, COUNTERPART: 1}) is LOCAL


def test_a_budget_cannot_be_built_with_more_granted_than_allotted() -> None:
    with pytest.raises(ValueError, match="outside"):
        Budget({NATIONAL: 10}, {NATIONAL: 11})


def test_amounts_are_whole_non_negative_vnd_with_at_least_one_source() -> None:
    assert model.amounts({NATIONAL: 5, LOCAL: 0}) == {NATIONAL: 5}
    for bad, code in (
        ({NATIONAL: -1}, "amount_negative"),
        ({NATIONAL: 1.5}, "amount_not_whole_vnd"),
        ({NATIONAL: True}, "amount_not_whole_vnd"),
        ({LOCAL: 0}, "amount_empty"),
    ):
        with pytest.raises(DomainError) as caught:
            model.amounts(bad, field="asked")  # type: ignore[arg-type]
        assert caught.value.code == code
        assert str(caught.value.field).startswith("asked")


def test_an_application_may_only_ask_sources_the_scheme_funds() -> None:
    model.check_sources_funded({NATIONAL: 5}, {NATIONAL: 10, LOCAL: 0}, field="asked")
    with pytest.raises(DomainError) as caught:
        model.check_sources_funded({LOCAL: 5}, {NATIONAL: 10, LOCAL: 0}, field="asked")
    assert (caught.value.code, caught.value.field) == ("source_not_funded", "asked.local")


def test_a_manual_grant_may_give_less_than_asked_but_never_more() -> None:
    model.check_within_request({NATIONAL: 5}, {NATIONAL: 10, LOCAL: 3})
    with pytest.raises(DomainError) as caught:
        model.check_within_request({LOCAL: 4}, {NATIONAL: 10, LOCAL: 3})
    assert caught.value.code == "grant_exceeds_request"


def test_grants_need_an_open_scheme_and_an_application_not_yet_granted() -> None:
    model.check_grants_allowed(model.SchemeStatus.OPEN)
    for status in (model.SchemeStatus.DRAFT, model.SchemeStatus.CLOSED):
        with pytest.raises(Conflict) as caught:
            model.check_grants_allowed(status)
        assert caught.value.code == "scheme_not_open"
    with pytest.raises(Conflict) as granted:
        model.check_not_granted(model.ApplicationStatus.GRANTED)
    assert granted.value.code == "already_granted"


def test_a_scheme_opens_from_draft_and_closes_from_open_only() -> None:
    assert model.open_scheme(model.SchemeStatus.DRAFT) is model.SchemeStatus.OPEN
    assert model.close_scheme(model.SchemeStatus.OPEN) is model.SchemeStatus.CLOSED
    with pytest.raises(Conflict):
        model.open_scheme(model.SchemeStatus.CLOSED)
    with pytest.raises(Conflict):
        model.close_scheme(model.SchemeStatus.DRAFT)
