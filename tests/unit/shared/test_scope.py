"""The one scope rule, checked against the 2025 merger table shipped as reference data."""

from __future__ import annotations

from datetime import date

import pytest

from cnnt_runtime.reference import earlier_provinces, units
from cnnt_runtime.scope import MERGER_DATE, covered_codes, covers, dissolved_on, is_current


@pytest.mark.parametrize(
    ("earlier", "unit"),
    [
        ("bac-kan", "thai-nguyen"),
        ("phu-yen", "dak-lak"),
        ("binh-dinh", "gia-lai"),
        ("quang-nam", "da-nang"),
        ("ha-giang", "tuyen-quang"),
    ],
)
def test_a_current_unit_covers_the_provinces_merged_into_it_but_not_the_reverse(
    earlier: str, unit: str
) -> None:
    assert covers(unit, earlier)
    assert covers(unit, unit)
    assert covers(earlier, earlier)
    assert not covers(earlier, unit)


def test_every_earlier_province_is_covered_by_its_successor_and_by_no_other_unit() -> None:
    for code, province in earlier_provinces().items():
        covering = {u for u in units() if covers(u, code)}
        assert covering == {province.successor}, code


def test_a_predecessor_does_not_cover_its_successors_other_parts() -> None:
    # Bình Định and Gia Lai form today's Gia Lai: a Bình Định token reaches only Bình Định.
    assert not covers("binh-dinh", "gia-lai")
    assert covered_codes("binh-dinh") == frozenset({"binh-dinh"})
    assert covered_codes("gia-lai") == frozenset({"gia-lai", "binh-dinh"})


def test_a_province_that_kept_its_name_is_its_successor() -> None:
    # Thái Nguyên's slug names both the earlier province and today's unit: it means today's.
    assert covers("thai-nguyen", "bac-kan")
    assert covered_codes("thai-nguyen") == frozenset({"thai-nguyen", "bac-kan"})


def test_vn_covers_every_province_and_no_province_covers_a_region_or_the_nation() -> None:
    assert all(covers("VN", code) for code in [*units(), *earlier_provinces()])
    assert covers("VN", "VN")
    assert covered_codes("VN") is None
    assert not covers("dak-lak", "central_highlands")
    assert not covers("dak-lak", "VN")
    assert not covers("dak-lak", "dong-thap")


def test_an_unknown_scope_covers_nothing() -> None:
    assert not covers("66", "dak-lak")
    assert not covers("atlantis", "atlantis")
    assert covered_codes("atlantis") == frozenset()


def test_the_34_units_are_current_and_the_dissolved_provinces_dissolve_on_1_july_2025() -> None:
    assert sum(1 for code in units() if is_current(code)) == 34
    assert not is_current("bac-kan")
    assert dissolved_on("bac-kan", MERGER_DATE)
    assert not dissolved_on("bac-kan", date(2025, 6, 30))
    assert not dissolved_on("thai-nguyen", date(2026, 1, 1))
