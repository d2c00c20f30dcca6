"""Routes for the province codes and the province → region table."""

from __future__ import annotations

from fastapi import APIRouter

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import UowDep
from registration.entrypoints.schemas import (
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
