"""The national dashboard's per-province table counts commune recognitions in their own column
(issue #30), beside the district ones of history and the three upper levels."""

from __future__ import annotations

from console.entrypoints.http.dashboard import LEVELS, _per_province


def test_a_provinces_commune_recognitions_have_their_column() -> None:
    breakdown = {
        "provinces": [
            {"province_code": "dak-lak", "level": "commune", "recognised": 3},
            {"province_code": "dak-lak", "level": "district", "recognised": 2},
            {"province_code": "dak-lak", "level": "provincial", "recognised": 29},
        ]
    }
    [line] = _per_province(breakdown, {"dak-lak": "Đắk Lắk"})
    assert LEVELS == ["commune", "district", "provincial", "regional", "national"]
    assert line["levels"] == {
        "commune": 3,
        "district": 2,
        "provincial": 29,
        "regional": 0,
        "national": 0,
    }
