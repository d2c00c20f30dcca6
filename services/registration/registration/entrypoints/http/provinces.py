"""Routes for the province codes and the province → region table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import UowDep
from registration.entrypoints.schemas import (
    CommunePublic,
    DistrictPublic,
    EarlierUnitPublic,
    ProvincePublic,
    ProvinceRegionPublic,
    ProvinceRegionUpdate,
)
from registration.service_layer import provinces
from registration.service_layer.access import require_region_admin

router = APIRouter(prefix="/api/v1", tags=["provinces"])


@router.get("/provinces")
async def list_provinces(who: CurrentPrincipal) -> list[ProvincePublic]:
    """The 34 current units and the earlier provinces merged into them (2025)."""
    return [
        ProvincePublic(code=code, name=name, current=current, successor=successor)
        for code, name, current, successor in provinces.known_provinces()
    ]


Search = Annotated[
    str | None,
    Query(max_length=100, description="Part of the name, with or without diacritics"),
]


@router.get("/provinces/{code}/communes")
async def list_communes(code: str, who: CurrentPrincipal, q: Search = None) -> list[CommunePublic]:
    """The 2025 communes of a current unit (an earlier province: of the unit it merged into),
    by name, each with the earlier wards it was formed from; ``q`` finds a commune by name
    without diacritics ("buon ma thuot")."""
    return [
        CommunePublic(
            code=c.code,
            name=c.name,
            type=c.kind,
            province_code=c.province,
            formed_from=[
                EarlierUnitPublic(
                    code=w.code,
                    name=w.name,
                    district_code=w.district_code,
                    district_name=provinces.district_name(w.district_code),
                )
                for w in ward_list
            ],
        )
        for c, ward_list in provinces.communes_of(code, q)
    ]


@router.get("/provinces/{code}/districts")
async def list_districts(
    code: str, who: CurrentPrincipal, q: Search = None
) -> list[DistrictPublic]:
    """The districts of history (before 1 July 2025) counted under a province: a current unit's
    include those of the earlier provinces merged into it; an earlier province's its own."""
    return [
        DistrictPublic(
            code=d.code,
            name=d.name,
            type=d.kind,
            province_code=d.province,
            current_province_code=current,
        )
        for d, current in provinces.districts_of(code, q)
    ]


@router.get("/province-regions")
async def list_province_regions(uow: UowDep, who: CurrentPrincipal) -> list[ProvinceRegionPublic]:
    """The region of each current unit, used to admit entries to regional rounds."""
    require_region_admin(who)
    return [ProvinceRegionPublic.model_validate(r) for r in await provinces.list_regions(uow)]


@router.put("/province-regions/{unit_code}")
async def set_province_region(
    unit_code: str, body: ProvinceRegionUpdate, uow: UowDep, who: CurrentPrincipal
) -> ProvinceRegionPublic:
    """Move a current unit to another region (data, not code)."""
    require_region_admin(who)
    row = await provinces.set_region(uow, unit_code, body.region)
    return ProvinceRegionPublic.model_validate(row)
