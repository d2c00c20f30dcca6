"""The recognition figures provinces publish (docs/domain.md "Reports"), from registration's own
records: rounds held, facilities and products entered, products recognised — per level and
year, and per level over the period (distinct facilities and products, not sums of years).

A scope is a province (rolled up to its 2025 unit, earlier provinces included; or, as recorded,
an earlier province's own records only), a region (by the operator-maintained region table) or
the nation (``VN``). Recognitions come from the
ProductRecognized events registration records; revoked ones do not count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Select, distinct, func, select, union
from sqlmodel import col

from cnnt_contracts.vocabulary import NATION_SCOPE, Level, Region
from cnnt_runtime import reference
from cnnt_runtime.db.freshness import Freshness, freshness
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError
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


@dataclass(frozen=True)
class Scope:
    """What a report covers: the unit's name, a title that says what it includes, and every
    province code (current or earlier) whose records count."""

    name: str
    title: str
    codes: list[str]

    def round_scopes(self) -> list[str]:
        """The scopes of the rounds held under it: its provinces (as recorded: only its own),
        the 2025 communes of those that are current units, and their districts of history (a
        province rolls up with its communes and districts)."""
        codes = set(self.codes)
        found = codes | {d.code for d in reference.districts_of(codes)}
        for code in codes & set(reference.units()):
            found |= {c.code for c in reference.communes_of(code)}
        return sorted(found)


def _names(codes: list[str]) -> str:
    return ", ".join(sorted({reference.province_name(c) for c in codes}))


async def _region(uow: UnitOfWork, region: Region) -> Scope:
    units = set(
        (
            await uow.session.execute(
                select(col(ProvinceRegionRow.unit_code)).where(
                    col(ProvinceRegionRow.region) == region
                )
            )
        )
        .scalars()
        .all()
    )
    name = f"Khu vực {reference.region_name(region)}"
    title = f"{name} (gồm {_names(list(units))}; kể cả các tỉnh đã sáp nhập vào năm 2025)"
    return Scope(name, title, [code for code, unit in successors().items() if unit in units])


def _province(scope: str, as_recorded: bool) -> Scope:
    rolled = successors()
    if scope not in rolled:
        raise DomainError(
            "province_unknown", f"không có tỉnh hoặc khu vực {scope!r}", field="scope"
        )
    unit = reference.units()[rolled[scope]]
    merged = [code for code, u in rolled.items() if u == unit.code]
    if not as_recorded:
        if len(merged) == 1:
            return Scope(unit.name, unit.name, merged)
        title = f"{unit.name} (đơn vị hiện nay; gồm cả số liệu của {_names(merged)} trước 2025)"
        return Scope(unit.name, title, merged)
    name = reference.province_name(scope)
    if scope not in reference.units():
        title = (
            f"{name} (như đã ghi nhận trước khi sáp nhập vào {unit.name} năm 2025: "
            f"chỉ các đợt và hồ sơ của chính {name})"
        )
    else:
        others = _names([c for c in merged if c != scope]) or "tỉnh nào khác"
        title = (
            f"{name} (như đã ghi nhận: chỉ các đợt và hồ sơ của chính {name}, không gồm {others})"
        )
    return Scope(name, title, [scope])


async def report_scope(uow: UnitOfWork, scope: str, *, as_recorded: bool = False) -> Scope:
    """A province is rolled up to its 2025 unit (earlier provinces included) unless
    ``as_recorded`` asks for its own records only; a region by the operator-maintained region
    table; ``VN`` the nation."""
    if as_recorded and (scope == NATION_SCOPE or scope in {r.value for r in Region}):
        raise DomainError(
            "as_recorded_needs_province",
            "số liệu theo tỉnh như đã ghi nhận chỉ áp dụng cho một tỉnh",
            field="as_recorded",
        )
    if scope == NATION_SCOPE:
        return Scope(
            "Cả nước", "Cả nước (mọi tỉnh, thành phố, trước và sau 2025)", list(successors())
        )
    if scope in {r.value for r in Region}:
        return await _region(uow, Region(scope))
    return _province(scope, as_recorded)


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
    uow: UnitOfWork, covered: Scope, first: int, last: int, by_year: bool
) -> list[Figures]:
    codes = covered.codes
    entries = _entries(codes, first, last).subquery()
    # Rounds held: the provincial, commune and district rounds of the province and its units,
    # and every round it had entries in.
    held: Select[Level, int, UUID] = select(
        col(RoundRow.level), col(RoundRow.year), col(RoundRow.id).label("round_id")
    ).where(
        col(RoundRow.level).in_([Level.PROVINCIAL, Level.COMMUNE, Level.DISTRICT]),
        col(RoundRow.scope_code).in_(covered.round_scopes()),
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


async def recognition_report(
    uow: UnitOfWork, scope: str, first: int, last: int, *, as_recorded: bool = False
) -> dict[str, Any]:
    if last < first:
        raise DomainError("period_inverted", "năm cuối không được trước năm đầu", field="to_year")
    covered = await report_scope(uow, scope, as_recorded=as_recorded)
    codes = covered.codes
    return {
        "scope": scope,
        "scope_name": covered.name,
        "scope_title": covered.title,
        "as_recorded": as_recorded,
        "provinces": codes,
        "from_year": first,
        "to_year": last,
        "levels": [asdict(f) for f in await _figures(uow, covered, first, last, by_year=False)],
        "by_year": [asdict(f) for f in await _figures(uow, covered, first, last, by_year=True)],
    }


async def report_freshness(uow: UnitOfWork) -> Freshness:
    """Registration's own last event, and the last recognition or revocation taken in."""
    received = [col(RecognitionRow.recognized_at), col(RevocationRow.revoked_at)]
    return await freshness(uow.session, outbox, received)
