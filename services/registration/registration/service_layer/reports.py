"""The recognition figures provinces publish (docs/domain.md "Reports"), from registration's own
records: rounds held, facilities and products entered, products recognised — per level and
year, and per level over the period (distinct facilities and products, not sums of years).

A scope is a province (rolled up to its 2025 unit, earlier provinces included), a region (by
the operator-maintained region table) or the nation (``VN``). Recognitions come from the
ProductRecognized events registration records; revoked ones do not count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Select, distinct, func, select, union
from sqlmodel import col

from cnnt_shared import reference
from cnnt_shared.contracts.vocabulary import NATION_SCOPE, Level, Region
from cnnt_shared.db.freshness import Freshness, freshness
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import DomainError
from registration.adapters.tables import (
    EntryRow,
    FacilityRow,
    ProvinceRegionRow,
    RecognitionRow,
    RevocationRow,
    RoundRow,
    outbox,
)
from registration.service_layer.provinces import successors


@dataclass(frozen=True)
class Figures:
    level: str
    year: int | None  # None: the whole period
    rounds: int
    facilities: int
    products: int
    recognised: int


async def scope_codes(uow: UnitOfWork, scope: str) -> tuple[str, list[str]]:
    """The scope's name and every province code (current or earlier) it covers."""
    rolled = successors()
    if scope == NATION_SCOPE:
        return "Cả nước", list(rolled)
    if scope in {r.value for r in Region}:
        units = (
            (
                await uow.session.execute(
                    select(col(ProvinceRegionRow.unit_code)).where(
                        col(ProvinceRegionRow.region) == Region(scope)
                    )
                )
            )
            .scalars()
            .all()
        )
        return scope, [code for code, unit in rolled.items() if unit in set(units)]
    if scope not in rolled:
        raise DomainError("province_unknown", f"no province or region {scope!r}", field="scope")
    unit = rolled[scope]
    return reference.units()[unit].name, [code for code, u in rolled.items() if u == unit]


def _entries(codes: list[str], first: int, last: int) -> Select[Level, int, UUID, UUID, UUID]:
    return (
        select(
            col(RoundRow.level),
            col(RoundRow.year),
            col(EntryRow.round_id),
            col(EntryRow.facility_id),
            col(EntryRow.product_id),
        )
        .join(RoundRow, col(RoundRow.id) == col(EntryRow.round_id))
        .join(FacilityRow, col(FacilityRow.id) == col(EntryRow.facility_id))
        .where(
            col(FacilityRow.province_code).in_(codes),
            col(EntryRow.withdrawn_at).is_(None),
            col(RoundRow.year).between(first, last),
        )
    )


def _recognised(codes: list[str], first: int, last: int) -> Select[Level, int, UUID]:
    return (
        select(col(RecognitionRow.level), col(RecognitionRow.year), col(RecognitionRow.product_id))
        .join(FacilityRow, col(FacilityRow.id) == col(RecognitionRow.facility_id))
        .outerjoin(RevocationRow, col(RevocationRow.entry_id) == col(RecognitionRow.entry_id))
        .where(
            col(FacilityRow.province_code).in_(codes),
            col(RevocationRow.entry_id).is_(None),
            col(RecognitionRow.year).between(first, last),
        )
    )


Key = tuple[str, int | None]


async def _count(uow: UnitOfWork, rows: Any, column: Any, by_year: bool) -> dict[Key, int]:
    """Distinct ``column`` values per level (and year): distinct over the period, not summed."""
    group = [rows.c.level, rows.c.year] if by_year else [rows.c.level]
    result = await uow.session.execute(
        select(*group, func.count(distinct(column))).group_by(*group)
    )
    return {(Level(r[0]).value, r[1] if by_year else None): int(r[-1]) for r in result.all()}


async def _figures(
    uow: UnitOfWork, codes: list[str], first: int, last: int, by_year: bool
) -> list[Figures]:
    entries = _entries(codes, first, last).subquery()
    # Rounds held: the provincial rounds the province ran, and every round it had entries in.
    held: Select[Level, int, UUID] = select(
        col(RoundRow.level), col(RoundRow.year), col(RoundRow.id).label("round_id")
    ).where(
        col(RoundRow.level) == Level.PROVINCIAL,
        col(RoundRow.scope_code).in_(codes),
        col(RoundRow.year).between(first, last),
    )
    rounds = union(held, select(entries.c.level, entries.c.year, entries.c.round_id)).subquery()
    recognised = _recognised(codes, first, last).subquery()
    counts = {
        "rounds": await _count(uow, rounds, rounds.c.round_id, by_year),
        "facilities": await _count(uow, entries, entries.c.facility_id, by_year),
        "products": await _count(uow, entries, entries.c.product_id, by_year),
        "recognised": await _count(uow, recognised, recognised.c.product_id, by_year),
    }
    keys = sorted(
        {k for c in counts.values() for k in c}, key=lambda k: (Level(k[0]).rank, k[1] or 0)
    )
    return [
        Figures(level, year, **{n: c.get((level, year), 0) for n, c in counts.items()})
        for level, year in keys
    ]


async def recognition_report(uow: UnitOfWork, scope: str, first: int, last: int) -> dict[str, Any]:
    if last < first:
        raise DomainError("period_inverted", "to_year is before from_year", field="to_year")
    name, codes = await scope_codes(uow, scope)
    return {
        "scope": scope,
        "scope_name": name,
        "from_year": first,
        "to_year": last,
        "levels": [asdict(f) for f in await _figures(uow, codes, first, last, by_year=False)],
        "by_year": [asdict(f) for f in await _figures(uow, codes, first, last, by_year=True)],
    }


async def report_freshness(uow: UnitOfWork) -> Freshness:
    """Registration's own last event, and the last recognition or revocation taken in."""
    received = [col(RecognitionRow.recognized_at), col(RevocationRow.revoked_at)]
    return await freshness(uow.session, outbox, received)
