"""The province reference with the operator-changeable region of each current unit."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlmodel import col

from cnnt_contracts.vocabulary import Region
from cnnt_runtime import reference
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from cnnt_runtime.scope import covered_codes
from registration.adapters.tables import ProvinceRegionRow
from registration.domain.eligibility import Provinces
from registration.service_layer.search import fold


def successors() -> dict[str, str]:
    """Every known code, current or earlier, mapped to the current unit it rolls up under."""
    known = {code: p.successor for code, p in reference.earlier_provinces().items()}
    return {**known, **{code: code for code in reference.units()}}


async def load(uow: UnitOfWork) -> Provinces:
    rows = (await uow.session.execute(select(ProvinceRegionRow))).scalars().all()
    return Provinces(successors(), {r.unit_code: Region(r.region) for r in rows})


async def list_regions(uow: UnitOfWork) -> list[ProvinceRegionRow]:
    result = await uow.session.execute(
        select(ProvinceRegionRow).order_by(col(ProvinceRegionRow.unit_code))
    )
    return list(result.scalars())


async def set_region(uow: UnitOfWork, unit_code: str, region: Region) -> ProvinceRegionRow:
    result = await uow.session.execute(
        update(ProvinceRegionRow)
        .where(col(ProvinceRegionRow.unit_code) == unit_code)
        .values(region=region, updated_at=func.now())
        .returning(ProvinceRegionRow)
    )
    row = result.scalar_one_or_none()
    if row is None:
        raise NotFound(
            "unit_not_found",
            f"không có đơn vị hành chính hiện hành {unit_code!r}",
            field="unit_code",
        )
    await uow.commit()
    return row


def known_provinces() -> list[tuple[str, str, bool, str]]:
    """Every code the records may name: (code, name, is current, successor), current first."""
    current = [(u.code, u.name, True, u.code) for u in reference.units().values()]
    earlier = [
        (p.code, p.name, False, p.successor)
        for p in reference.earlier_provinces().values()
        if p.code not in reference.units()
    ]
    return current + earlier


def _province(code: str) -> str:
    if not reference.is_known(code):
        raise NotFound("province_unknown", f"không có tỉnh {code!r}", field="code")
    return code


def _matches(name: str, q: str | None) -> bool:
    return not q or fold(q) in fold(name)


def communes_of(
    code: str, q: str | None = None
) -> list[tuple[reference.Commune, tuple[reference.EarlierWard, ...]]]:
    """The 2025 communes of ``code``'s current unit whose name matches ``q`` (no diacritics
    needed), with the earlier wards each was formed from."""
    unit = reference.current_unit(_province(code)).code
    return [
        (c, reference.commune_origins(c.code))
        for c in reference.communes_of(unit)
        if _matches(c.name, q)
    ]


def districts_of(code: str, q: str | None = None) -> list[tuple[reference.District, str]]:
    """The districts of history under ``code`` (a current unit's include its earlier
    provinces'), with the current unit each rolls up under."""
    provinces = covered_codes(_province(code)) or frozenset()
    return [
        (d, reference.current_unit(d.province).code)
        for d in reference.districts_of(provinces)
        if _matches(d.name, q)
    ]


def district_name(code: str) -> str | None:
    found = reference.districts().get(code)
    return found.name if found else None
