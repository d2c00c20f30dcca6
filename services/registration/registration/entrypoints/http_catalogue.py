"""Routes for facilities, products and the province → region table."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_shared.auth import CurrentPrincipal, Principal, Role
from cnnt_shared.http.pages import Page, PageDep
from cnnt_shared.service import UowDep
from registration.adapters.tables import FacilityRow, ProductRow
from registration.entrypoints.filters import FiltersDep
from registration.entrypoints.schemas import (
    FacilityCreate,
    FacilityPublic,
    FacilityUpdate,
    ProductCreate,
    ProductPublic,
    ProductUpdate,
    ProvincePublic,
    ProvinceRegionPublic,
    ProvinceRegionUpdate,
)
from registration.service_layer import facilities, provinces
from registration.service_layer.access import sees_private

REGION_ADMINS = (Role.MINISTRY, Role.OPERATOR)


def _shown(who: Principal, row: FacilityRow) -> FacilityPublic:
    return FacilityPublic.model_validate(row).for_reader(sees_private(who, row.province_code))


def build_router() -> APIRouter:
    router = APIRouter()

    @router.post("/facilities", status_code=status.HTTP_201_CREATED, tags=["facilities"])
    async def create_facility(
        body: FacilityCreate, uow: UowDep, who: CurrentPrincipal
    ) -> FacilityPublic:
        return FacilityPublic.model_validate(await facilities.create_facility(uow, who, body))

    @router.get("/facilities", tags=["facilities"])
    async def list_facilities(
        uow: UowDep, who: CurrentPrincipal, filters: FiltersDep, page: PageDep
    ) -> Page[FacilityPublic]:
        """Facilities; tax codes and contacts only of the provinces the reader covers."""
        rows, total = await facilities.list_facilities(uow, filters, page)
        items = [_shown(who, r) for r in rows]
        return Page(items=items, total=total, page=page.page, size=page.size)

    @router.get("/facilities/{facility_id}", tags=["facilities"])
    async def get_facility(facility_id: UUID, uow: UowDep, who: CurrentPrincipal) -> FacilityPublic:
        row = await facilities.get(uow, FacilityRow, facility_id, "facility", "facility_id")
        return _shown(who, row)

    @router.patch("/facilities/{facility_id}", tags=["facilities"])
    async def update_facility(
        facility_id: UUID, body: FacilityUpdate, uow: UowDep, who: CurrentPrincipal
    ) -> FacilityPublic:
        row = await facilities.update_facility(uow, who, facility_id, body)
        return FacilityPublic.model_validate(row)

    @router.post("/products", status_code=status.HTTP_201_CREATED, tags=["products"])
    async def create_product(
        body: ProductCreate, uow: UowDep, who: CurrentPrincipal
    ) -> ProductPublic:
        return ProductPublic.model_validate(await facilities.create_product(uow, who, body))

    @router.get("/products", tags=["products"])
    async def list_products(
        uow: UowDep,
        who: CurrentPrincipal,
        filters: FiltersDep,
        page: PageDep,
        facility_id: UUID | None = None,
    ) -> Page[ProductPublic]:
        rows, total = await facilities.list_products(uow, filters, page, facility_id)
        items = [ProductPublic.model_validate(r) for r in rows]
        return Page(items=items, total=total, page=page.page, size=page.size)

    @router.get("/products/{product_id}", tags=["products"])
    async def get_product(product_id: UUID, uow: UowDep, who: CurrentPrincipal) -> ProductPublic:
        row = await facilities.get(uow, ProductRow, product_id, "product", "product_id")
        return ProductPublic.model_validate(row)

    @router.patch("/products/{product_id}", tags=["products"])
    async def update_product(
        product_id: UUID, body: ProductUpdate, uow: UowDep, who: CurrentPrincipal
    ) -> ProductPublic:
        row = await facilities.update_product(uow, who, product_id, body)
        return ProductPublic.model_validate(row)

    @router.get("/provinces", tags=["provinces"])
    async def list_provinces(who: CurrentPrincipal) -> list[ProvincePublic]:
        """The 34 current units and the earlier provinces merged into them (2025)."""
        return [
            ProvincePublic(code=code, name=name, current=current, successor=successor)
            for code, name, current, successor in provinces.known_provinces()
        ]

    @router.get("/province-regions", tags=["provinces"])
    async def list_province_regions(
        uow: UowDep, who: CurrentPrincipal
    ) -> list[ProvinceRegionPublic]:
        """The region of each current unit, used to admit entries to regional rounds."""
        who.require(*REGION_ADMINS)
        return [ProvinceRegionPublic.model_validate(r) for r in await provinces.list_regions(uow)]

    @router.put("/province-regions/{unit_code}", tags=["provinces"])
    async def set_province_region(
        unit_code: str, body: ProvinceRegionUpdate, uow: UowDep, who: CurrentPrincipal
    ) -> ProvinceRegionPublic:
        """Move a current unit to another region (data, not code)."""
        who.require(*REGION_ADMINS)
        row = await provinces.set_region(uow, unit_code, body.region)
        return ProvinceRegionPublic.model_validate(row)

    return router
