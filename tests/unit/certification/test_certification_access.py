"""Who decides and who reads a round's results: the scope rule with the 2025 merger."""

from __future__ import annotations

import uuid

import pytest

from certification.adapters.tables import RoundRow
from certification.service_layer.access import require_authority, require_reader
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal, Role
from cnnt_runtime.errors import Forbidden


def round_of(scope: str, level: Level = Level.PROVINCIAL) -> RoundRow:
    return RoundRow(id=uuid.uuid4(), level=level, scope_code=scope, year=2024)


def who(role: Role, scope: str) -> Principal:
    return Principal(subject=f"{role}:{scope}", role=role, scope=scope)


def test_the_current_units_certifier_decides_the_rounds_of_the_provinces_merged_into_it() -> None:
    require_authority(who(Role.CERTIFIER, "da-nang"), round_of("quang-nam"))
    require_authority(who(Role.CERTIFIER, "thai-nguyen"), round_of("bac-kan"))
    require_reader(who(Role.PROVINCE_OFFICER, "thai-nguyen"), round_of("bac-kan"))


@pytest.mark.parametrize(
    ("scope", "round_scope", "level"),
    [
        ("quang-nam", "da-nang", Level.PROVINCIAL),  # a predecessor: not its successor's rounds
        ("dak-lak", "gia-lai", Level.PROVINCIAL),
        ("dak-lak", "central_highlands", Level.REGIONAL),
    ],
)
def test_a_certifier_decides_nothing_outside_its_scope(
    scope: str, round_scope: str, level: Level
) -> None:
    with pytest.raises(Forbidden) as caught:
        require_authority(who(Role.CERTIFIER, scope), round_of(round_scope, level))
    assert caught.value.code == "authority_out_of_scope"
    with pytest.raises(Forbidden) as read:
        require_reader(who(Role.PROVINCE_OFFICER, scope), round_of(round_scope, level))
    assert read.value.code == "round_out_of_scope"


def test_a_national_certifier_and_the_ministry_decide_every_round() -> None:
    for round_ in (
        round_of("bac-kan"),
        round_of("north", Level.REGIONAL),
        round_of("VN", Level.NATIONAL),
    ):
        require_authority(who(Role.CERTIFIER, "VN"), round_)
        require_authority(who(Role.MINISTRY, "VN"), round_)
