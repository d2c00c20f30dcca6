"""Provinces as data (docs/domain.md "Levels and scopes").

``units_2025.csv``: the 34 provincial-level units in force since 1 July 2025, with the region of
the regional rounds each belongs to by default. ``provinces_2008.csv``: the 63 provinces of the
historical records (2008–2025), each mapped to the 2025 unit it merged into. Codes are ASCII
slugs of the names ("bac-kan", "dak-lak"): the GSO numeric codes were reassigned in 2025 (24 was
Bắc Giang and is now Bắc Ninh), so a number alone cannot tell an old record from a new one.
An earlier province that kept its name shares its slug with its successor.

Registration copies the region column into its own table, where an operator can change it.
``regions.csv``: the three regions of the regional rounds and the names people read (titles,
charts, certificates); the codes stay in data and events.

Below the provinces (issue: four levels since 1 July 2025):
- the 3,321 communes of 2025 (xã, phường, đặc khu) come from the maintained package
  ``vietnam-provinces`` (official list, codes as the GSO assigned them); a commune's code is its
  official numeric code written with five digits ("24133", Phường Buôn Ma Thuột) — stable,
  the natural key, and never confused with a slug, a region or ``VN``;
- ``districts_2008.csv``: the districts (cấp huyện) of the 63 earlier provinces, code = the
  official three-digit district code ("643", Thành phố Buôn Ma Thuột), under the earlier
  province they belonged to; ``commune_origins_2025.csv``: for each 2025 commune the earlier
  wards it was formed from. Both are exported from the package ``vietnamadminunits`` by
  ``cnnt units export`` (cnnt_tools.units says why it is not a service dependency).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from cnnt_contracts.vocabulary import CommuneKind, Region


@dataclass(frozen=True)
class Unit:
    """A provincial-level unit in force since 2025 (tỉnh, thành phố trực thuộc trung ương)."""

    code: str
    name: str
    gso_code: str
    region: Region


@dataclass(frozen=True)
class EarlierProvince:
    """One of the 63 provinces before the 2025 merger, and the unit it merged into."""

    code: str
    name: str
    gso_code: str
    successor: str


def _rows(name: str) -> list[dict[str, str]]:
    text = files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def units() -> dict[str, Unit]:
    return {
        r["code"]: Unit(r["code"], r["name"], r["gso_code"], Region(r["region"]))
        for r in _rows("units_2025.csv")
    }


@cache
def earlier_provinces() -> dict[str, EarlierProvince]:
    return {
        r["code"]: EarlierProvince(r["code"], r["name"], r["gso_code"], r["successor"])
        for r in _rows("provinces_2008.csv")
    }


@dataclass(frozen=True)
class Commune:
    """A commune-level unit since 1 July 2025 (xã, phường, đặc khu) and its 2025 province."""

    code: str
    name: str
    kind: CommuneKind
    province: str


@dataclass(frozen=True)
class District:
    """A district-level unit before 1 July 2025 (quận, huyện, thị xã, thành phố thuộc tỉnh)."""

    code: str
    name: str
    kind: str
    province: str  # the earlier province it belonged to


@dataclass(frozen=True)
class EarlierWard:
    """An earlier commune-level unit a 2025 commune was formed from."""

    code: str
    name: str
    district_code: str


_COMMUNE_KINDS = {
    "xã": CommuneKind.XA,
    "phường": CommuneKind.PHUONG,
    "đặc khu": CommuneKind.DAC_KHU,
}


@cache
def communes() -> dict[str, Commune]:
    """The 3,321 communes of 2025 by code, from ``vietnam-provinces``."""
    from vietnam_provinces import Ward  # imported here: 1 MB of tables, read once

    unit_by_gso = {int(u.gso_code): u.code for u in units().values()}
    found = {}
    for ward in Ward.iter_all():
        code = f"{int(ward.code):05d}"
        found[code] = Commune(
            code,
            " ".join(ward.name.split()),
            _COMMUNE_KINDS[ward.division_type.value],
            unit_by_gso[int(ward.province_code)],
        )
    return found


@cache
def districts() -> dict[str, District]:
    return {
        r["code"]: District(r["code"], r["name"], r["kind"], r["province"])
        for r in _rows("districts_2008.csv")
    }


@cache
def _origins() -> dict[str, tuple[EarlierWard, ...]]:
    found: dict[str, list[EarlierWard]] = {}
    for r in _rows("commune_origins_2025.csv"):
        found.setdefault(r["commune_code"], []).append(
            EarlierWard(r["ward_code"], r["ward_name"], r["district_code"])
        )
    return {code: tuple(wards) for code, wards in found.items()}


def commune_origins(code: str) -> tuple[EarlierWard, ...]:
    """The earlier wards the 2025 commune ``code`` was formed from (empty if unknown)."""
    return _origins().get(code, ())


def is_commune(code: str) -> bool:
    return code in communes()


def is_district(code: str) -> bool:
    return code in districts()


def communes_of(unit_code: str) -> list[Commune]:
    """The communes of a 2025 unit, by name."""
    return sorted((c for c in communes().values() if c.province == unit_code), key=_by_name)


def districts_of(province_codes: set[str] | frozenset[str]) -> list[District]:
    """The districts of the given (earlier) provinces, by name."""
    return sorted((d for d in districts().values() if d.province in province_codes), key=_by_name)


def _by_name(unit: Commune | District) -> tuple[str, str]:
    return (unit.name.casefold(), unit.code)


def province_of_unit(code: str) -> str | None:
    """The province a scope belongs to: a commune's 2025 unit, a district's earlier province, a
    province itself; ``None`` for a region, the nation or an unknown code."""
    if code in communes():
        return communes()[code].province
    if code in districts():
        return districts()[code].province
    return code if is_known(code) else None


def unit_name(code: str) -> str:
    """A province's, commune's or district's name."""
    if code in communes():
        return communes()[code].name
    if code in districts():
        return districts()[code].name
    return province_name(code)


def is_known(code: str) -> bool:
    return code in units() or code in earlier_provinces()


def current_unit(code: str) -> Unit:
    """The 2025 unit a province code rolls up under (itself when it is current)."""
    if code in units():
        return units()[code]
    if code in earlier_provinces():
        return units()[earlier_provinces()[code].successor]
    raise KeyError(code)


def province_name(code: str) -> str:
    if code in earlier_provinces():
        return earlier_provinces()[code].name
    return units()[code].name


@cache
def region_names() -> dict[Region, str]:
    return {Region(r["code"]): r["name"] for r in _rows("regions.csv")}


def region_name(region: Region | str) -> str:
    """A region's name as people read it: ``central_highlands`` -> "Miền Trung – Tây Nguyên"."""
    return region_names()[Region(region)]
