"""A facility's identifying and contact values (mã số thuế, điện thoại, thư điện tử) and the rule
each follows: the one definition registration's API, its dossier-list import and the console's
facility form all apply (docs/architecture.md, "Rules that live once").

``refusal(kind, value)`` names the rule a value breaks, as the error code the services answer
with (``invalid_<kind>``, the shape of every validation failure), or None for a value that
passes; ``RULES`` words each rule in Vietnamese.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final, Literal

Kind = Literal["tax_code", "phone", "email"]

# Mã số thuế: 10 digits for the enterprise, cooperative or household; a dependent unit's code
# (chi nhánh, cửa hàng) adds '-' and 3 digits (Law 38/2019/QH14 on tax administration, art. 30).
_TAX_CODE: Final = re.compile(r"\d{10}(-\d{3})?")
# A phone number as people write it: digits grouped by spaces, dots, dashes or brackets, a '+'
# only in front; 8 to 15 digits (a landline with its area code has 11, a mobile 10, E.164 at
# most 15).
_PHONE_CHARACTERS: Final = re.compile(r"\+?[0-9 ().\-]+")
_PHONE_DIGITS: Final = range(8, 16)
# An e-mail address: one '@', no spaces, a domain with a dot (htx@example.vn).
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

RULES: Final = MappingProxyType(
    {
        "tax_code": "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số "
        "(ví dụ 6001234567 hoặc 6001234567-001)",
        "phone": "Số điện thoại gồm 8 đến 15 chữ số, có thể cách nhau bằng dấu cách, dấu chấm "
        "hoặc gạch ngang (ví dụ 0262 3852 123)",
        "email": "Địa chỉ thư điện tử có dạng ten@ten-mien.vn",
    }
)
"""Each value's rule as people read it (the services' message for ``invalid_<kind>``)."""


def refusal(kind: Kind, value: str) -> str | None:
    """``invalid_<kind>`` when ``value`` breaks the rule of its kind, else None."""
    if kind == "tax_code":
        ok = _TAX_CODE.fullmatch(value) is not None
    elif kind == "phone":
        digits = sum(ch.isdigit() for ch in value)
        ok = _PHONE_CHARACTERS.fullmatch(value) is not None and digits in _PHONE_DIGITS
    else:
        ok = _EMAIL.fullmatch(value) is not None
    return None if ok else f"invalid_{kind}"
