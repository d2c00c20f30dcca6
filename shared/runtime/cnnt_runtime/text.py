"""Text as people type it, made comparable: one Unicode form, no stray or invisible characters.

The same name typed on two keyboards arrives as NFC ("Đắk Lắk" precomposed) or NFD (letters
followed by combining marks); a copy from a spreadsheet brings trailing, double or non-breaking
spaces. Stored as they came, they make two facilities of one and slip past uniqueness rules that
compare strings. So every text is normalised once, at the edge, and only the normal form is
stored and compared. Standard library only: the domain may use it too.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Zero-width spaces and joiners, word joiner, BOM: invisible, so two names differing only by
# them look identical to every reader. They are dropped.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Format characters (Cf: zero-width space and joiners, BOM, bidi marks) show nothing by
# themselves; a name made only of them, or of spaces, is an empty name.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc", "Mn"})


class TextError(ValueError):
    """A text refused at the edge; the message is what the client is told (Vietnamese)."""


def _refuse_control(value: str) -> None:
    for ch in value:
        # Tabs and line breaks are allowed (and folded below); NUL and other C0/C1 controls
        # never belong in a name or a comment, and PostgreSQL refuses NUL in text outright.
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            raise TextError(f"chứa ký tự điều khiển không hợp lệ (U+{ord(ch):04X})")


def normalise_line(value: str) -> str:
    """One line of text: NFC, controls refused, whitespace trimmed and collapsed to one space."""
    _refuse_control(value)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value.translate(_ZERO_WIDTH))).strip()


def normalise_paragraphs(value: str) -> str:
    """Free text (a description, a comment): NFC, controls refused, lines kept, each line's
    spaces collapsed, surrounding blank space trimmed."""
    _refuse_control(value)
    lines = (
        unicodedata.normalize("NFC", value.translate(_ZERO_WIDTH))
        .replace("\r\n", "\n")
        .replace("\r", "\n")
    )
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines.split("\n")).strip()


def normalise_name(value: str) -> str:
    """A name: a normalised line that shows at least one visible character."""
    line = normalise_line(value)
    if all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in line):
        raise TextError("không được để trống hoặc chỉ gồm ký tự không hiển thị")
    return line
