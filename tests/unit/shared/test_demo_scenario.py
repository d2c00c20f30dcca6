"""The demo's programme is a data file; the loader refuses one the services would refuse."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from cnnt_tools.cli import scenario


def test_the_data_file_describes_the_seeds_programme():
    plan = scenario.build()
    dak_lak = [r for r in plan.rounds if r.scope == scenario.DAK_LAK]
    assert [r.year for r in dak_lak] == [2017, 2019, 2021]
    assert sum(len(r.recognised) for r in dak_lak) == 29
    assert {p.facility.province for p in plan.products} == {"dak-lak", "gia-lai", "ha-noi"}
    provincial = [r for r in plan.rounds if r.level == "provincial" and r.scope == "dak-lak"]
    entered = {e.product.key for r in provincial for e in r.entries}
    assert len(entered) == scenario.DAK_LAK_FIGURES["provincial"]["products"]
    assert plan.rounds[0].entries[0].mean == Decimal(90)
    assert plan.schemes[0].budget == {"national": 1_056_000_000, "counterpart": 1_044_000_000}
    assert scenario.build() is not plan  # callers get their own copy


def _document() -> dict[str, Any]:
    return copy.deepcopy(scenario._document())


def test_an_entry_for_an_unknown_product_is_named():
    document = _document()
    document["rounds"][0]["entries"][0]["product"] = "dak-lak-999-p0"
    with pytest.raises(scenario.ScenarioError, match="dak-lak-999-p0"):
        scenario.parse(document)


def test_a_national_entry_must_be_recognised_in_a_regional_round_first():
    document = _document()
    national = next(r for r in document["rounds"] if r["level"] == "national")
    national["entries"][0]["product"] = document["products"][-1]["key"]  # a Hà Nội product
    with pytest.raises(scenario.ScenarioError, match="not recognised in a regional round"):
        scenario.parse(document)


def test_a_mean_outside_the_score_sheet_is_refused():
    document = _document()
    document["rounds"][0]["entries"][0]["mean"] = "100.5"
    with pytest.raises(scenario.ScenarioError, match="outside 0–100"):
        scenario.parse(document)


def test_every_demo_decision_names_its_signatory_the_regional_ones_too():
    plan = scenario.build()
    regional = [r for r in plan.rounds if r.level == "regional"]
    assert regional
    assert {(r.signatory_title, r.signatory_name) for r in regional} == {
        ("KT. BỘ TRƯỞNG – THỨ TRƯỞNG", "Phạm Quang Huy")
    }
    assert all(r.signatory_title and r.signatory_name for r in plan.rounds)


def test_a_round_whose_authority_has_no_signatory_is_named():
    document = _document()
    del document["signatories"]["VN"]
    with pytest.raises(scenario.ScenarioError, match="no signatory for 'VN'"):
        scenario.parse(document)
