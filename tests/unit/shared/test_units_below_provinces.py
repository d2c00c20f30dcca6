"""Communes (2025) and districts (before) as data from maintained packages, the scope rule
below the provinces, the levels' dates, and the contract's minor version routing."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime

from cnnt_contracts import ProductRegistered, ProductRegisteredData, ScoreSubmitted
from cnnt_contracts.events import FacilityRef, ProductRef, RoundRef
from cnnt_contracts.vocabulary import CommuneKind, Level
from cnnt_runtime import reference
from cnnt_runtime.scope import covered_codes, covered_units, covers
from cnnt_tools import units

BUON_MA_THUOT_WARD = "24133"  # Phường Buôn Ma Thuột (2025)
BUON_MA_THUOT_CITY = "643"  # Thành phố Buôn Ma Thuột (district, before 1 July 2025)


def test_the_2025_communes_are_the_official_3321_with_their_kinds() -> None:
    kinds = Counter(c.kind for c in reference.communes().values())
    assert kinds == {CommuneKind.XA: 2621, CommuneKind.PHUONG: 687, CommuneKind.DAC_KHU: 13}
    ward = reference.communes()[BUON_MA_THUOT_WARD]
    assert (ward.name, ward.kind, ward.province) == (
        "Phường Buôn Ma Thuột",
        CommuneKind.PHUONG,
        "dak-lak",
    )
    assert {c.province for c in reference.communes().values()} == set(reference.units())


def test_the_shipped_history_equals_what_the_pinned_package_holds() -> None:
    folder = units.reference_dir()
    for name, text in units.exported():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run `uv run cnnt units export`"
        )


def test_a_2025_commune_knows_the_earlier_wards_it_was_formed_from() -> None:
    formed = reference.commune_origins(BUON_MA_THUOT_WARD)
    assert {w.name for w in formed} >= {"Phường Thành Công", "Phường Tự An"}
    assert {w.district_code for w in formed} == {BUON_MA_THUOT_CITY}
    city = reference.districts()[BUON_MA_THUOT_CITY]
    assert (city.name, city.province) == ("Thành phố Buôn Ma Thuột", "dak-lak")


def test_a_province_covers_its_communes_and_its_districts_of_history() -> None:
    tuy_hoa = next(d for d in reference.districts().values() if d.name == "Thành phố Tuy Hòa")
    assert tuy_hoa.province == "phu-yen"  # merged into Đắk Lắk in 2025
    assert covers("dak-lak", BUON_MA_THUOT_WARD)
    assert covers("dak-lak", BUON_MA_THUOT_CITY)
    assert covers("dak-lak", tuy_hoa.code)
    assert covers("phu-yen", tuy_hoa.code)
    assert not covers("phu-yen", BUON_MA_THUOT_CITY)
    assert not covers("phu-yen", BUON_MA_THUOT_WARD)  # an earlier province: its own only
    assert not covers("gia-lai", BUON_MA_THUOT_WARD)
    assert covers("VN", BUON_MA_THUOT_WARD)


def test_a_commune_scope_covers_that_commune_only() -> None:
    other = next(c.code for c in reference.communes_of("dak-lak") if c.code != BUON_MA_THUOT_WARD)
    assert covers(BUON_MA_THUOT_WARD, BUON_MA_THUOT_WARD)
    assert not covers(BUON_MA_THUOT_WARD, other)
    assert not covers(BUON_MA_THUOT_WARD, "dak-lak")
    assert not covers(BUON_MA_THUOT_WARD, BUON_MA_THUOT_CITY)
    assert covered_units(BUON_MA_THUOT_WARD) == frozenset({BUON_MA_THUOT_WARD})


def test_province_codes_stay_provinces_and_units_add_communes_and_districts() -> None:
    assert covered_codes("dak-lak") == frozenset({"dak-lak", "phu-yen"})
    under = covered_units("dak-lak")
    assert under is not None
    assert {"dak-lak", "phu-yen", BUON_MA_THUOT_WARD, BUON_MA_THUOT_CITY} <= under
    assert len(under) == 2 + len(reference.communes_of("dak-lak")) + len(
        reference.districts_of({"dak-lak", "phu-yen"})
    )


def test_commune_rounds_from_1_july_2025_and_district_rounds_before() -> None:
    assert not Level.COMMUNE.in_force_on(date(2025, 6, 30))
    assert Level.COMMUNE.in_force_on(date(2025, 7, 1))
    assert Level.DISTRICT.in_force_on(date(2025, 6, 30))
    assert not Level.DISTRICT.in_force_on(date(2025, 7, 1))
    assert all(Level(v).in_force_on(date(2019, 1, 1)) for v in ("provincial", "national"))


def _registered(level: Level, scope: str) -> ProductRegistered:
    return ProductRegistered.new(
        ProductRegisteredData(
            entry_id=uuid.UUID(int=1),
            round=RoundRef(id=uuid.UUID(int=2), level=level, scope_code=scope, year=2026),
            product=ProductRef(id=uuid.UUID(int=3), name="Cà phê", group="agro_food", is_set=False),
            facility=FacilityRef(
                id=uuid.UUID(int=4),
                name="HTX",
                kind="cooperative",
                province_code="dak-lak",
                current_province_code="dak-lak",
            ),
            registered_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    )


def test_a_local_levels_events_travel_on_the_minor_versions_key() -> None:
    assert ProductRegistered.routing_keys() == (
        "registration.product_registered.v1",
        "registration.product_registered.v1.1",
    )
    assert ScoreSubmitted.routing_keys() == ("evaluation.score_submitted.v1",)
    commune = _registered(Level.COMMUNE, BUON_MA_THUOT_WARD)
    provincial = _registered(Level.PROVINCIAL, "dak-lak")
    assert commune.published_routing_key() == "registration.product_registered.v1.1"
    assert provincial.published_routing_key() == "registration.product_registered.v1"
