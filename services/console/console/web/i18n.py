"""Languages (Vietnamese first, English switchable), gettext catalogues and the formats
Vietnamese readers expect: money ``1.234.567 ₫``, numbers ``1.234,5``, dates ``dd/MM/yyyy``.

The catalogues are the ``.po`` files under ``console/locale``; they are compiled in memory at
start-up, so a clean checkout needs no build step. Message ids are English, so English is the
untranslated text and Vietnamese is a complete catalogue (a test checks it has every id).
"""

from __future__ import annotations

import io
import re
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES = {"vi": "vi_VN", "en": "en_GB"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_PATTERN = "dd/MM/yyyy"  # Babel's short date for vi is d/M/yy; readers expect this

language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def translations(lang: str) -> NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext(message: str) -> str:
    return translations(language.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language.get()).ungettext(singular, plural, n)


def _(message: str) -> str:
    return gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


def money(value: int | Decimal | str | None) -> str:
    if value is None or value == "":
        return ""
    return format_currency(Decimal(value), "VND", locale=LOCALES[language.get()])


def number(value: int | float | Decimal | str | None, digits: int = 2) -> str:
    if value is None or value == "":
        return ""
    return format_decimal(
        Decimal(value), format=f"#,##0.{'#' * digits}", locale=LOCALES[language.get()]
    )


# What a person types as a decimal number: digits, and after a comma (Vietnamese) or a dot
# (pasted, or typed on an English keyboard) more digits. No grouping, exponent or NaN.
TYPED_NUMBER = re.compile(r"\s*([+-]?\d+)(?:[.,](\d+))?\s*")
DECIMAL_PATTERN = "[0-9]+([.,][0-9]+)?"
"""An input's ``pattern`` for such a number (not negative: none of the forms takes one)."""


def parse_number(text: str) -> Decimal | None:
    """A number typed in a form, ``30,5`` or ``30.5`` alike; None when it is not one.

    Not Babel's ``parse_decimal(text, locale="vi")``: with the Vietnamese dot being the group
    separator it reads a pasted ``30.5`` as 305, and it takes ``NaN`` and ``1e3`` as numbers."""
    typed = TYPED_NUMBER.fullmatch(text)
    if typed is None:
        return None
    whole, fraction = typed.groups()
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def day(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(VIETNAM).date() if value.tzinfo else value.date()
    return format_date(value, DATE_PATTERN, locale=LOCALES[language.get()])


def moment(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(
        value, f"{DATE_PATTERN} HH:mm", tzinfo=VIETNAM, locale=LOCALES[language.get()]
    )


def updated(value: datetime | str | None) -> str:
    """When figures were last updated, clock first as Vietnamese write it: ``HH:mm dd/MM/yyyy``
    (Vietnam's time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(
        value, f"HH:mm {DATE_PATTERN}", tzinfo=VIETNAM, locale=LOCALES[language.get()]
    )
