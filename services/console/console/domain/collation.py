"""Vietnamese alphabetical order for lists of names people scan (provinces on the dashboard):
Đ comes after D and before E, and tone marks do not scatter names (Python's own order puts
"Đắk Lắk" after "Yên Bái")."""

from __future__ import annotations

import unicodedata


def vietnamese_key(name: str) -> tuple[str, str]:
    """A sort key: letters without their marks (đ right after d), then the name itself to
    order names that differ only by marks."""
    base = name.casefold().replace("đ", "d\x7f")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", base) if unicodedata.category(ch) != "Mn"
    )
    return stripped, name
