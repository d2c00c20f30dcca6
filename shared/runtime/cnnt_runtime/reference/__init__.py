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
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from cnnt_contracts.vocabulary import Region


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
