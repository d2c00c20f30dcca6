from __future__ import annotations

import pytest

from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import DomainError, Forbidden
from support.service_layer.access import authorise, check_scope_code, unit_of


def officer(scope: str) -> Principal:
    return Principal(subject=f"support_officer:{scope}", role=Role.SUPPORT_OFFICER, scope=scope)


def test_an_officer_of_a_2025_unit_acts_on_the_earlier_provinces_merged_into_it() -> None:
    authorise(officer("thai-nguyen"), "bac-kan")
    authorise(officer("dak-lak"), "phu-yen")
    assert unit_of("bac-kan") == "thai-nguyen"
    assert unit_of("VN") == "VN"


@pytest.mark.parametrize(
    ("scope", "target"),
    [
        ("dak-lak", "dong-thap"),
        ("dak-lak", "VN"),
        ("bac-kan", "thai-nguyen"),
        ("binh-dinh", "gia-lai"),
    ],
)
def test_a_provincial_officer_cannot_act_elsewhere_or_nationally(scope: str, target: str) -> None:
    with pytest.raises(Forbidden) as caught:
        authorise(officer(scope), target)
    assert caught.value.code == "province_out_of_scope"


def test_national_officers_and_the_ministry_act_everywhere_and_other_roles_nowhere() -> None:
    authorise(officer("VN"), "dong-thap")
    authorise(Principal(subject="m", role=Role.MINISTRY, scope="VN"), "VN")
    with pytest.raises(Forbidden) as caught:
        authorise(Principal(subject="p", role=Role.PROVINCE_OFFICER, scope="dak-lak"), "dak-lak")
    assert caught.value.code == "role_not_allowed"


def test_scopes_are_vn_or_a_known_province_code() -> None:
    check_scope_code("VN", field="scope_code")
    check_scope_code("bac-kan", field="scope_code")
    with pytest.raises(DomainError) as caught:
        check_scope_code("66", field="scope_code")
    assert (caught.value.code, caught.value.field) == ("unknown_province", "scope_code")
