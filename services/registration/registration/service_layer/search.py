"""Search without diacritics: "ca phe" finds "Cà phê", "dak lak" finds "Đắk Lắk"; and by the
abbreviations people write: "HTX" finds "Hợp tác xã" and "hợp tác xã" finds "HTX …"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement
from unidecode import unidecode

# The abbreviations of facility names (folded), and what they stand for.
ABBREVIATIONS: dict[str, str] = {
    "htx": "hop tac xa",
    "tht": "to hop tac",
    "cty": "cong ty",
    "tnhh": "trach nhiem huu han",
    "dntn": "doanh nghiep tu nhan",
    "hkd": "ho kinh doanh",
    "csxs": "co so san xuat",
}


def fold(text: str) -> str:
    """Lower-case ASCII transliteration (đ → d), with runs of spaces collapsed."""
    return " ".join(unidecode(text).lower().split())


def variants(query: str) -> list[str]:
    """The folded query, and the same with each abbreviation written out or each written-out
    form abbreviated (whole words only): the names are stored folded as written."""
    found = {fold(query)}
    for short, full in ABBREVIATIONS.items():
        for known in list(found):
            padded = f" {known} "
            if f" {short} " in padded:
                found.add(padded.replace(f" {short} ", f" {full} ").strip())
            if f" {full} " in padded:
                found.add(padded.replace(f" {full} ", f" {short} ").strip())
    return sorted(found)


def name_matches(column: Any, query: str) -> ColumnElement[bool]:
    """``column`` (a folded name) contains the query, or one of its variants."""
    return or_(*(column.contains(v, autoescape=True) for v in variants(query)))
