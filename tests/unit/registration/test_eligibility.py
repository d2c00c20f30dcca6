from __future__ import annotations

from datetime import date

import pytest

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.errors import Conflict, DomainError
from registration.domain.model import (
    DECLARATIONS,
    Dossier,
    EligibilityError,
    Round,
    RoundStatus,
    check_not_entered_twice,
)


def a_round(status: RoundStatus = RoundStatus.OPEN) -> Round:
    return Round(Level.PROVINCIAL, "dak-lak", 2021, date(2021, 3, 1), date(2021, 4, 30), status)


def test_registration_is_accepted_inside_the_window_of_an_open_round() -> None:
    a_round().check_registration_window(date(2021, 3, 1))
    a_round().check_registration_window(date(2021, 4, 30))


@pytest.mark.parametrize("day", [date(2021, 2, 28), date(2021, 5, 1)])
def test_registration_outside_the_window_is_refused(day: date) -> None:
    with pytest.raises(EligibilityError) as caught:
        a_round().check_registration_window(day)
    assert (caught.value.code, caught.value.field) == ("outside_registration_window", "round_id")


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.CLOSED])
def test_a_round_that_is_not_open_refuses_entries(status: RoundStatus) -> None:
    with pytest.raises(EligibilityError) as caught:
        a_round(status).check_registration_window(date(2021, 3, 15))
    assert caught.value.code == "round_not_open"


@pytest.mark.parametrize("missing", sorted(DECLARATIONS))
def test_each_missing_declaration_rejects_the_dossier(missing: str) -> None:
    declarations = {key: key != missing for key in DECLARATIONS}
    with pytest.raises(EligibilityError) as caught:
        Dossier(declarations).check()
    assert (caught.value.code, caught.value.field) == (
        "declaration_missing",
        f"declarations.{missing}",
    )


def test_a_complete_dossier_passes() -> None:
    Dossier(dict.fromkeys(DECLARATIONS, True)).check()


def test_the_same_product_cannot_be_entered_twice() -> None:
    check_not_entered_twice(False)
    with pytest.raises(EligibilityError) as caught:
        check_not_entered_twice(True)
    assert caught.value.code == "duplicate_entry"


def test_a_round_opens_once_and_closes_once() -> None:
    round_ = a_round(RoundStatus.DRAFT)
    round_.open()
    with pytest.raises(Conflict):
        round_.open()
    round_.close()
    with pytest.raises(Conflict):
        round_.close()


def test_a_national_round_has_the_nation_as_scope() -> None:
    with pytest.raises(DomainError) as caught:
        Round(Level.NATIONAL, "dak-lak", 2021, date(2021, 3, 1), date(2021, 4, 1))
    assert caught.value.code == "scope_mismatch"
