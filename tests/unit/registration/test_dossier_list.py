"""Parsing a dossier-list row and folding names for search."""

from __future__ import annotations

from cnnt_contracts.vocabulary import FacilityKind, ProductGroup
from cnnt_runtime import reference
from cnnt_runtime.errors import DomainError
from registration.domain.dossier_list import DossierRow, RowError, parse_row, row_error
from registration.domain.eligibility import Provinces
from registration.domain.model import EligibilityError
from registration.service_layer.provinces import successors
from registration.service_layer.search import fold, variants

PROVINCES = Provinces(successors(), {u.code: u.region for u in reference.units().values()})
ROW = {
    "business_code": "6001234567",
    "facility_name": "HTX Dệt thổ cẩm Đắk Lắk",
    "facility_kind": "cooperative",
    "province_code": "dak-lak",
    "product_name": "Cà phê bột nguyên chất Buôn Ma Thuột",
    "product_group": "agro_food",
    "is_set": "no",
    "self_produced": "yes",
    "no_ip_infringement": "có",
    "meets_standards": "x",
    "mass_producible": "1",
}


def test_a_complete_row_parses_with_its_vietnamese_names() -> None:
    parsed = parse_row(2, ROW, PROVINCES)
    assert isinstance(parsed, DossierRow)
    assert parsed.facility_name == "HTX Dệt thổ cẩm Đắk Lắk"
    assert parsed.facility_kind is FacilityKind.COOPERATIVE
    assert parsed.product_group is ProductGroup.AGRO_FOOD
    assert parsed.declarations == dict.fromkeys(parsed.declarations, True)
    assert not parsed.is_set


def test_every_problem_of_a_row_is_reported_with_row_and_column() -> None:
    bad = {
        **ROW,
        "facility_kind": "state_enterprise",
        "province_code": "atlantis",
        "product_name": "",
        "is_set": "maybe",
    }
    parsed = parse_row(7, bad, PROVINCES)
    assert isinstance(parsed, list)
    assert {(e.row, e.field, e.code) for e in parsed} == {
        (7, "facility_kind", "invalid_choice"),
        (7, "province_code", "province_unknown"),
        (7, "product_name", "value_missing"),
        (7, "is_set", "invalid_flag"),
    }


def test_an_eligibility_refusal_is_reported_against_the_rows_column() -> None:
    error = EligibilityError("declaration_missing", "m", field="declarations.self_produced")
    assert row_error(3, error) == RowError(3, "self_produced", "declaration_missing", "m")
    other = DomainError("prior_recognition_required", "m", field="product_id")
    assert row_error(4, other).field == "product_name"


def test_folding_drops_diacritics_and_case() -> None:
    assert fold("Cà phê bột nguyên chất") == "ca phe bot nguyen chat"
    assert fold("HTX Dệt thổ cẩm  Đắk Lắk") == "htx det tho cam dak lak"


def test_a_search_reads_the_abbreviations_both_ways() -> None:
    assert variants("HTX") == ["hop tac xa", "htx"]
    assert variants("Hợp tác xã dệt") == ["hop tac xa det", "htx det"]
    assert variants("Công ty TNHH") == [
        "cong ty tnhh",
        "cong ty trach nhiem huu han",
        "cty tnhh",
        "cty trach nhiem huu han",
    ]
    assert variants("htxa") == ["htxa"]  # whole words only
