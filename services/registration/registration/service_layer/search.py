"""Search without diacritics: "ca phe" finds "Cà phê", "dak lak" finds "Đắk Lắk"."""

from __future__ import annotations

from unidecode import unidecode


def fold(text: str) -> str:
    """Lower-case ASCII transliteration (đ → d), with runs of spaces collapsed."""
    return " ".join(unidecode(text).lower().split())
