"""Which provinces a token's scope covers: the one rule every service applies (docs/read-policy.md).

Since 1 July 2025 the 63 earlier provinces are merged into 34 current units. A token scoped to
a current unit covers that unit and every earlier province merged into it — the Thái Nguyên
officer manages Bắc Kạn's records. A token scoped to an earlier province covers that province
only: a Bắc Kạn token does not reach the rest of Thái Nguyên, a Phú Yên token not Đắk Lắk.
``VN`` covers everything. Regions are not provinces: only ``VN`` covers a regional round.

Below the provinces the same rule holds (docs/read-policy.md "Communes and districts"). A 2025
commune (five-digit code) belongs to its 2025 unit: the unit's scope covers it, and a token
scoped to the commune covers that commune only. A district (three-digit code, before 1 July
2025) belongs to its earlier province: that province's scope covers it, and so does the current
unit the province merged into — Đắk Lắk covers Buôn Ma Thuột (643) and Phú Yên's districts;
a Phú Yên token covers Phú Yên's districts, not the 2025 communes of Đắk Lắk formed from them
(as it does not reach the rest of Đắk Lắk). The earlier wards a commune was formed from were
never a level of the programme, so they are not scopes.

Pure: the merger table is the reference data shipped in ``cnnt_runtime.reference``; roles are
the caller's business (which roles may act at all differs per service and action).
"""

from __future__ import annotations

from datetime import date

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.reference import (
    communes,
    communes_of,
    current_unit,
    districts,
    districts_of,
    earlier_provinces,
    is_known,
    units,
)

MERGER_DATE = date(2025, 7, 1)
"""The day the 34 current units took over from the 63 earlier provinces."""


def covers(scope: str, province_code: str) -> bool:
    """Whether a token scoped to ``scope`` covers records of ``province_code``."""
    if scope == NATION_SCOPE:
        return True
    if province_code in communes():
        return scope == province_code or _covers_province(scope, communes()[province_code].province)
    if province_code in districts():
        return scope == province_code or _covers_province(
            scope, districts()[province_code].province
        )
    return _covers_province(scope, province_code)


def _covers_province(scope: str, province_code: str) -> bool:
    if scope == NATION_SCOPE:
        return True
    if not is_known(province_code):
        return False
    if scope == province_code:
        return True
    # Only a current unit reaches its predecessors: an earlier province that kept its name
    # shares its slug with its successor, and that slug means the successor.
    return scope in units() and current_unit(province_code).code == scope


def is_current(province_code: str) -> bool:
    """Whether the code names a unit in force since the merger (not a dissolved province)."""
    return province_code in units()


def dissolved_on(province_code: str, on: date) -> bool:
    """Whether the province no longer existed on ``on`` (an earlier province, after the merger)."""
    return is_known(province_code) and not is_current(province_code) and on >= MERGER_DATE


def covered_codes(scope: str) -> frozenset[str] | None:
    """Every province code ``scope`` covers, for filtering a query; ``None`` means all of them."""
    if scope == NATION_SCOPE:
        return None
    if scope in units():
        merged = {c for c, p in earlier_provinces().items() if p.successor == scope}
        return frozenset({scope} | merged)
    return frozenset({scope}) if is_known(scope) else frozenset()


def covered_units(scope: str) -> frozenset[str] | None:
    """Every round scope below the nation that ``scope`` covers: its provinces (``covered_codes``),
    their 2025 communes and their districts of history; a commune or a district covers itself.
    ``None`` means all of them."""
    provinces = covered_codes(scope)
    if provinces is None:
        return None
    if scope in communes() or scope in districts():
        return frozenset({scope})
    below = {d.code for d in districts_of(provinces)}
    if scope in units():
        below |= {c.code for c in communes_of(scope)}
    return frozenset(provinces | below)


def is_local_unit(code: str) -> bool:
    """Whether ``code`` names a commune (2025) or a district (before 1 July 2025)."""
    return code in communes() or code in districts()
