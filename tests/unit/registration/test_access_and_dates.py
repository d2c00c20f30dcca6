"""Who may act on which province's records, and the date an entry is registered on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import DomainError, Forbidden
from registration.domain.model import Round
from registration.service_layer.access import require_province, require_round_owner
from registration.service_layer.entries import registered_at, registration_date


def who(role: Role, scope: str = "VN") -> Principal:
    return Principal(subject="t", role=role, scope=scope)


def test_an_officer_manages_their_province_and_the_provinces_merged_into_it() -> None:
    require_province(who(Role.PROVINCE_OFFICER, "thai-nguyen"), "thai-nguyen")
    require_province(who(Role.PROVINCE_OFFICER, "thai-nguyen"), "bac-kan")


@pytest.mark.parametrize(
    ("scope", "province"),
    [("dak-lak", "bac-kan"), ("bac-kan", "thai-nguyen"), ("phu-yen", "dak-lak")],
)
def test_an_officer_cannot_act_on_another_province(scope: str, province: str) -> None:
    with pytest.raises(Forbidden) as caught:
        require_province(who(Role.PROVINCE_OFFICER, scope), province)
    assert caught.value.code == "province_out_of_scope"


def test_the_ministry_and_operators_act_everywhere_and_judges_nowhere() -> None:
    require_province(who(Role.MINISTRY), "ca-mau")
    require_province(who(Role.OPERATOR), "ca-mau")
    with pytest.raises(Forbidden) as caught:
        require_province(who(Role.JUDGE, "ca-mau"), "ca-mau")
    assert caught.value.code == "role_not_allowed"


def test_regional_and_national_rounds_belong_to_the_ministry() -> None:
    require_round_owner(who(Role.MINISTRY), Level.REGIONAL, "south")
    for level, scope in ((Level.REGIONAL, "south"), (Level.NATIONAL, "VN")):
        with pytest.raises(Forbidden):
            require_round_owner(who(Role.PROVINCE_OFFICER, "ca-mau"), level, scope)
    require_round_owner(who(Role.PROVINCE_OFFICER, "ca-mau"), Level.PROVINCIAL, "ca-mau")


def test_only_the_ministry_and_operators_register_under_an_earlier_date() -> None:
    today = date(2026, 11, 22)
    assert registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), None, today) == today
    assert registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), today, today) == today
    assert registration_date(who(Role.OPERATOR), date(2017, 3, 15), today) == date(2017, 3, 15)
    with pytest.raises(Forbidden) as caught:
        registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), date(2017, 3, 15), today)
    assert (caught.value.code, caught.value.field) == ("backfill_not_allowed", "registered_on")


def test_a_backfilled_entry_is_registered_on_its_day_at_the_same_vietnamese_time() -> None:
    now = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)  # 16:30 in Vietnam
    assert registered_at(date(2026, 11, 22), now) == now
    assert registered_at(date(2017, 3, 15), now) == datetime(2017, 3, 15, 9, 30, tzinfo=UTC)


def test_at_23_30_utc_an_entry_of_vietnams_today_keeps_the_real_time() -> None:
    now = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # already 23/11 in Vietnam
    assert registered_at(date(2026, 11, 23), now) == now


def test_after_the_merger_a_provincial_round_is_for_a_current_unit() -> None:
    def round_(scope: str, opens_on: date) -> Round:
        return Round(Level.PROVINCIAL, scope, opens_on.year, opens_on, date(opens_on.year, 12, 1))

    round_("thai-nguyen", date(2026, 3, 1)).check_unit_in_force()
    round_("bac-kan", date(2025, 6, 30)).check_unit_in_force()  # history, before the merger
    with pytest.raises(DomainError) as caught:
        round_("bac-kan", date(2025, 7, 1)).check_unit_in_force()
    assert (caught.value.code, caught.value.field) == ("province_dissolved", "scope_code")
    assert "Thái Nguyên" in caught.value.message
