"""The history of administrative units, exported from ``vietnamadminunits`` into the runtime's
reference data (``cnnt units export``; docs/domain.md "Levels and scopes").

The 2025 units (34 provinces, 3,321 communes) are read at run time from ``vietnam-provinces``,
a small pure-data package. The history — the ~700 districts of the 63 earlier provinces and the
earlier wards each 2025 commune was formed from — comes from ``vietnamadminunits``, whose wheel
holds it as SQLite and JSON but installs shapely, numpy, geopy and tqdm for its address parser:
~60 MB a service image does not need. So the services ship two CSV files exported from its data
files (read directly, without importing its parser), and a unit test checks they still equal
what the pinned package holds. Only the development environment installs it.

Matching: ``vietnamadminunits`` (data of August 2025) numbers some communes differently from
the official list ``vietnam-provinces`` ships (October 2025; Hà Nội's were renumbered), so a
2025 commune is found in it by its province and name first, then by its code.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from cnnt_runtime import reference

DISTRICTS_FILE = "districts_2008.csv"
ORIGINS_FILE = "commune_origins_2025.csv"
DISTRICT_COLUMNS = ("code", "name", "kind", "province")
ORIGIN_COLUMNS = ("commune_code", "ward_code", "ward_name", "district_code")

_DISTRICT_KINDS = {
    "Quận": "quan",
    "Huyện": "huyen",
    "Thị xã": "thi_xa",
    "Thành phố": "thanh_pho",
}


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")  # finds it without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "vietnamadminunits is not installed: it is a development dependency (uv sync)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _normal(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _earlier_by_gso() -> dict[str, str]:
    return {p.gso_code: p.code for p in reference.earlier_provinces().values()}


def districts() -> list[dict[str, str]]:
    """Every district (cấp huyện) of the 63 earlier provinces, under its earlier province."""
    db = sqlite3.connect(_data_dir() / "dataset.db")
    try:
        rows = db.execute(
            "SELECT DISTINCT districtCode, district, districtType, provinceCode "
            "FROM admin_units_legacy ORDER BY districtCode"
        ).fetchall()
    finally:
        db.close()
    province = _earlier_by_gso()
    return [
        {
            "code": code,
            "name": re.sub(r"\s+", " ", name).strip(),
            "kind": _DISTRICT_KINDS[kind],
            "province": province[gso],
        }
        for code, name, kind, gso in rows
    ]


def commune_origins() -> list[dict[str, str]]:
    """For each 2025 commune (by its official code), the earlier wards it was formed from."""
    data = _data_dir()
    db = sqlite3.connect(data / "dataset.db")
    try:
        legacy = {
            f"{p}_{d}_{w}": (code, name, district)
            for p, d, w, code, name, district in db.execute(
                "SELECT provinceKey, districtKey, wardKey, wardCode, ward, districtCode "
                "FROM admin_units_legacy"
            )
        }
        new = db.execute(
            "SELECT provinceKey, wardKey, wardCode, ward, provinceCode FROM admin_units"
        ).fetchall()
    finally:
        db.close()
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"]
    by_name = {(gso, _normal(name)): (pk, wk) for pk, wk, _, name, gso in new}
    by_code = {code: (pk, wk) for pk, wk, code, _, _ in new}
    rows: list[dict[str, str]] = []
    for commune in sorted(reference.communes().values(), key=lambda c: c.code):
        gso = reference.units()[commune.province].gso_code
        found = by_name.get((gso, _normal(commune.name))) or by_code.get(commune.code)
        if found is None:
            continue
        pk, wk = found
        keys = list(whole.get(pk, {}).get(wk, []))
        keys += [
            old
            for old, parts in divided.get(pk, {}).items()
            if any(part["newWardKey"] == wk for part in parts)
        ]
        for key in sorted(set(keys)):
            if key not in legacy:
                continue
            code, name, district = legacy[key]
            rows.append(
                {
                    "commune_code": commune.code,
                    "ward_code": code,
                    "ward_name": re.sub(r"\s+", " ", name).strip(),
                    "district_code": district,
                }
            )
    return rows


def render(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def exported() -> Iterator[tuple[str, str]]:
    """(file name, text) of each reference file the export writes."""
    yield DISTRICTS_FILE, render(districts(), DISTRICT_COLUMNS)
    yield ORIGINS_FILE, render(commune_origins(), ORIGIN_COLUMNS)


def reference_dir() -> Path:
    return Path(reference.__file__).parent


def export() -> list[Path]:
    written = []
    for name, text in exported():
        path = reference_dir() / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
