"""Who may act on which province's records, and the date an entry is registered on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cnnt_shared import reference
from cnnt_shared.auth import Principal, Role
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.errors import Forbidden
from registration.domain.eligibility import Provinces
from registration.service_layer.access import require_province, require_round_owner
from registration.service_layer.entries import registered_at, registration_date
from registration.service_layer.provinces import successors

PROVINCES = Provinces(successors(), {u.code: u.region for u in reference.units().values()})


def who(role: Role, scope: str = "VN") -> Principal:
    return Principal(subject="t", role=role, scope=scope)


def test_an_officer_manages_their_province_and_the_provinces_merged_into_it() -> None:
    require_province(who(Role.PROVINCE_OFFICER, "thai-nguyen"), "thai-nguyen", PROVINCES)
    require_province(who(Role.PROVINCE_OFFICER, "thai-nguyen"), "bac-kan", PROVINCES)


def test_an_officer_cannot_act_on_another_province() -> None:
    with pytest.raises(Forbidden) as caught:
        require_province(who(Role.PROVINCE_OFFICER, "dak-lak"), "bac-kan", PROVINCES)
    assert caught.value.code == "province_out_of_scope"


def test_the_ministry_and_operators_act_everywhere_and_judges_nowhere() -> None:
    require_province(who(Role.MINISTRY), "ca-mau", PROVINCES)
    require_province(who(Role.OPERATOR), "ca-mau", PROVINCES)
    with pytest.raises(Forbidden) as caught:
        require_province(who(Role.JUDGE, "ca-mau"), "ca-mau", PROVINCES)
    assert caught.value.code == "role_not_allowed"


def test_regional_and_national_rounds_belong_to_the_ministry() -> None:
    require_round_owner(who(Role.MINISTRY), Level.REGIONAL, "south", PROVINCES)
    for level, scope in ((Level.REGIONAL, "south"), (Level.NATIONAL, "VN")):
        with pytest.raises(Forbidden):
            require_round_owner(who(Role.PROVINCE_OFFICER, "ca-mau"), level, scope, PROVINCES)
    require_round_owner(who(Role.PROVINCE_OFFICER, "ca-mau"), Level.PROVINCIAL, "ca-mau", PROVINCES)


def test_only_the_ministry_and_operators_register_under_an_earlier_date() -> None:
    today = date(2026, 11, 22)
    assert registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), None, today) == today
    assert registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), today, today) == today
    assert registration_date(who(Role.OPERATOR), date(2017, 3, 15), today) == date(2017, 3, 15)
    with pytest.raises(Forbidden) as caught:
        registration_date(who(Role.PROVINCE_OFFICER, "ca-mau"), date(2017, 3, 15), today)
    assert (caught.value.code, caught.value.field) == ("backfill_not_allowed", "registered_on")


def test_a_backfilled_entry_is_registered_on_its_day() -> None:
    now = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    assert registered_at(now.date(), now) == now
    assert registered_at(date(2017, 3, 15), now) == datetime(2017, 3, 15, 9, 30, tzinfo=UTC)
