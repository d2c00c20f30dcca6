"""Which provinces a token's scope covers: the one rule every service applies (docs/read-policy.md).

Since 1 July 2025 the 63 earlier provinces are merged into 34 current units. A token scoped to
a current unit covers that unit and every earlier province merged into it — the Thái Nguyên
officer manages Bắc Kạn's records. A token scoped to an earlier province covers that province
only: a Bắc Kạn token does not reach the rest of Thái Nguyên, a Phú Yên token not Đắk Lắk.
``VN`` covers everything. Regions are not provinces: only ``VN`` covers a regional round.

Pure: the merger table is the reference data shipped in ``cnnt_runtime.reference``; roles are
the caller's business (which roles may act at all differs per service and action).
"""

from __future__ import annotations

from datetime import date

from cnnt_contracts.vocabulary import NATION_SCOPE
from cnnt_runtime.reference import current_unit, earlier_provinces, is_known, units

MERGER_DATE = date(2025, 7, 1)
"""The day the 34 current units took over from the 63 earlier provinces."""


def covers(scope: str, province_code: str) -> bool:
    """Whether a token scoped to ``scope`` covers records of ``province_code``."""
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
