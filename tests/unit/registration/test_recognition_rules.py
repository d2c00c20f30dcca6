"""Prior-level recognition and province scope (docs/domain.md "Levels and scopes",
"Eligibility")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cnnt_contracts.vocabulary import NATION_SCOPE, Level, Region
from cnnt_runtime import reference
from cnnt_runtime.errors import DomainError
from registration.domain.eligibility import (
    Provinces,
    Recognition,
    check_entry,
    check_facility_in_scope,
    check_prior_recognition,
)
from registration.domain.model import DECLARATIONS, Dossier, EligibilityError, Round, RoundStatus
from registration.service_layer.provinces import successors

PROVINCES = Provinces(successors(), {u.code: u.region for u in reference.units().values()})
ON = date(2020, 6, 1)


def a_round(level: Level, scope: str, year: int = 2020) -> Round:
    opens, closes = date(year, 5, 1), date(year, 7, 31)
    return Round(level, scope, year, opens, closes, RoundStatus.OPEN)


REGIONAL = a_round(Level.REGIONAL, Region.CENTRAL_HIGHLANDS)
NATIONAL = a_round(Level.NATIONAL, NATION_SCOPE)
DAK_LAK_2019 = Recognition(Level.PROVINCIAL, "dak-lak", 2019, date(2021, 12, 31))
REGIONAL_2018 = Recognition(Level.REGIONAL, "central_highlands", 2018, date(2020, 12, 31))


def refusal(call: object, *args: object) -> tuple[str, str | None]:
    with pytest.raises(EligibilityError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.code, caught.value.field


def test_a_regional_entry_with_a_valid_provincial_recognition_of_the_region_is_accepted() -> None:
    check_prior_recognition(REGIONAL, [DAK_LAK_2019], ON, PROVINCES)


def test_a_regional_entry_needs_a_provincial_recognition() -> None:
    assert refusal(check_prior_recognition, REGIONAL, [], ON, PROVINCES) == (
        "prior_recognition_required",
        "product_id",
    )


def test_a_regional_entry_needs_the_recognition_from_a_province_of_its_region() -> None:
    ha_noi = replace(DAK_LAK_2019, scope_code="ha-noi")
    code, _ = refusal(check_prior_recognition, REGIONAL, [ha_noi], ON, PROVINCES)
    assert code == "prior_recognition_required"


def test_an_earlier_province_counts_in_the_region_of_its_successor() -> None:
    phu_yen = replace(DAK_LAK_2019, scope_code="phu-yen")  # merged into Đắk Lắk
    check_prior_recognition(REGIONAL, [phu_yen], ON, PROVINCES)


def test_the_region_comes_from_the_operator_changeable_table() -> None:
    moved = Provinces(PROVINCES.successor, {**PROVINCES.region, "dak-lak": Region.SOUTH})
    code, _ = refusal(check_prior_recognition, REGIONAL, [DAK_LAK_2019], ON, moved)
    assert code == "prior_recognition_required"


def test_a_recognition_that_has_expired_does_not_count() -> None:
    late = date(2022, 1, 1)
    code, _ = refusal(
        check_prior_recognition,
        a_round(Level.REGIONAL, "central_highlands", 2022),
        [DAK_LAK_2019],
        late,
        PROVINCES,
    )
    assert code == "prior_recognition_expired"


def test_a_recognition_from_a_later_round_does_not_count_earlier() -> None:
    later = replace(DAK_LAK_2019, year=2021, valid_until=date(2023, 12, 31))
    code, _ = refusal(check_prior_recognition, REGIONAL, [later], ON, PROVINCES)
    assert code == "prior_recognition_expired"


def test_a_revoked_recognition_does_not_count() -> None:
    revoked = replace(DAK_LAK_2019, revoked=True)
    code, _ = refusal(check_prior_recognition, REGIONAL, [revoked], ON, PROVINCES)
    assert code == "prior_recognition_revoked"


def test_a_national_entry_with_a_valid_regional_recognition_is_accepted() -> None:
    check_prior_recognition(NATIONAL, [REGIONAL_2018], ON, PROVINCES)


def test_a_national_entry_needs_a_regional_not_a_provincial_recognition() -> None:
    code, field = refusal(check_prior_recognition, NATIONAL, [DAK_LAK_2019], ON, PROVINCES)
    assert (code, field) == ("prior_recognition_required", "product_id")


def test_a_provincial_entry_needs_no_prior_recognition() -> None:
    check_prior_recognition(a_round(Level.PROVINCIAL, "dak-lak"), [], ON, PROVINCES)


def test_a_provincial_round_takes_facilities_of_its_province() -> None:
    check_facility_in_scope(a_round(Level.PROVINCIAL, "dak-lak"), "dak-lak", PROVINCES)
    check_facility_in_scope(a_round(Level.PROVINCIAL, "bac-kan"), "bac-kan", PROVINCES)
    check_facility_in_scope(a_round(Level.PROVINCIAL, "thai-nguyen", 2026), "bac-kan", PROVINCES)


def test_a_provincial_round_refuses_facilities_of_another_province() -> None:
    assert refusal(
        check_facility_in_scope, a_round(Level.PROVINCIAL, "dak-lak"), "ha-noi", PROVINCES
    ) == ("facility_outside_scope", "product_id")


def test_an_unknown_province_code_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        PROVINCES.current("atlantis")
    assert caught.value.code == "province_unknown"


def test_listing_by_a_current_unit_includes_the_provinces_merged_into_it() -> None:
    assert PROVINCES.rolling_up_to("thai-nguyen") == ["bac-kan", "thai-nguyen"]


def test_check_entry_applies_every_rule_and_accepts_an_eligible_entry() -> None:
    dossier = Dossier(dict.fromkeys(DECLARATIONS, True))
    check_entry(REGIONAL, dossier, "dak-lak", [DAK_LAK_2019], ON, PROVINCES)
    code, _ = refusal(check_entry, REGIONAL, Dossier({}), "dak-lak", [DAK_LAK_2019], ON, PROVINCES)
    assert code == "declaration_missing"
    code, _ = refusal(
        check_entry, REGIONAL, dossier, "dak-lak", [DAK_LAK_2019], date(2020, 8, 1), PROVINCES
    )
    assert code == "outside_registration_window"


def test_a_regional_round_has_a_region_as_scope() -> None:
    with pytest.raises(DomainError) as caught:
        a_round(Level.REGIONAL, "dak-lak")
    assert (caught.value.code, caught.value.field) == ("scope_mismatch", "scope_code")
