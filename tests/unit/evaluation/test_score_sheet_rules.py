"""The score sheet's rules (Phụ lục 4): limits, steps, totals, revisions and the spread."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cnnt_contracts.score_sheet import MAXIMA
from cnnt_runtime.errors import DomainError
from evaluation.domain.score_sheet import (
    ScoreError,
    Scores,
    check_spread_threshold,
    is_flagged,
    next_revision,
    spread,
)


def sheet(**overrides: str) -> dict[str, Decimal]:
    values = {"market": "35", "technical": "30.5", "culture": "8", "other": "7.5", **overrides}
    return {k: Decimal(v) for k, v in values.items()}


def test_the_four_criteria_have_the_circulars_maxima() -> None:
    assert MAXIMA == {"market": 40, "technical": 40, "culture": 10, "other": 10}
    assert sum(MAXIMA.values()) == 100


def test_a_valid_sheet_totals_its_four_scores() -> None:
    assert Scores.of(sheet()).total == Decimal("81.0")


@pytest.mark.parametrize("criterion", list(MAXIMA))
def test_each_criterion_accepts_zero_and_its_maximum(criterion: str) -> None:
    Scores.of(sheet(**{criterion: "0"}))
    Scores.of(sheet(**{criterion: str(MAXIMA[criterion])}))


@pytest.mark.parametrize(
    ("criterion", "value"),
    [("market", "40.5"), ("technical", "41"), ("culture", "10.5"), ("other", "11")],
)
def test_a_score_above_its_criterions_maximum_is_refused(criterion: str, value: str) -> None:
    with pytest.raises(ScoreError) as caught:
        Scores.of(sheet(**{criterion: value}))
    assert (caught.value.code, caught.value.field) == ("score_above_maximum", f"scores.{criterion}")


def test_a_negative_score_is_refused() -> None:
    with pytest.raises(ScoreError) as caught:
        Scores.of(sheet(culture="-0.5"))
    assert (caught.value.code, caught.value.field) == ("score_negative", "scores.culture")


@pytest.mark.parametrize("value", ["0.3", "12.25", "39.9"])
def test_a_score_off_the_half_point_steps_is_refused(value: str) -> None:
    with pytest.raises(ScoreError) as caught:
        Scores.of(sheet(market=value))
    assert (caught.value.code, caught.value.field) == ("score_not_a_half_step", "scores.market")


def test_half_points_are_kept_exactly() -> None:
    scores = Scores.of(sheet(market="39.5", technical="0.5", culture="9.5", other="10"))
    assert scores.total == Decimal("59.5")
    assert scores.as_dict()["market"] == Decimal("39.5")


def test_not_a_number_and_a_missing_criterion_are_refused() -> None:
    with pytest.raises(ScoreError) as nan:
        Scores.of(sheet(other="NaN"))
    assert nan.value.code == "score_not_a_number"
    values = sheet()
    del values["technical"]
    with pytest.raises(ScoreError) as missing:
        Scores.of(values)
    assert (missing.value.code, missing.value.field) == ("score_missing", "scores.technical")


def test_revisions_count_from_one_and_each_follows_the_latest() -> None:
    assert next_revision(0) == 1
    assert next_revision(1) == 2
    assert next_revision(7) == 8


def test_spread_is_the_distance_between_highest_and_lowest_total() -> None:
    assert spread([Decimal(70), Decimal("81.5"), Decimal(75)]) == Decimal("11.5")
    assert spread([Decimal(70)]) == 0
    assert spread([]) == 0


def test_an_entry_is_flagged_only_when_totals_differ_by_more_than_the_threshold() -> None:
    assert not is_flagged([Decimal(70), Decimal(80)], Decimal(10))
    assert is_flagged([Decimal(70), Decimal("80.5")], Decimal(10))
    assert is_flagged([Decimal(70), Decimal(76)], Decimal(5))


@pytest.mark.parametrize("value", ["-1", "100.5", "NaN"])
def test_a_spread_threshold_outside_zero_to_a_hundred_is_refused(value: str) -> None:
    with pytest.raises(DomainError) as caught:
        check_spread_threshold(Decimal(value))
    assert caught.value.code == "spread_threshold_out_of_range"
