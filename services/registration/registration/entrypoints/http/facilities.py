"""Routes for facilities (cơ sở CNNT)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal, Principal
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import UowDep
from registration.adapters.tables import FacilityRow
from registration.entrypoints.http.filters import FiltersDep
from registration.entrypoints.schemas import FacilityCreate, FacilityPublic, FacilityUpdate
from registration.service_layer import commands, facilities, queries
from registration.service_layer.access import sees_private

router = APIRouter(prefix="/api/v1", tags=["facilities"])


def _shown(who: Principal, row: FacilityRow) -> FacilityPublic:
    return FacilityPublic.model_validate(row).for_reader(
        sees_private(who, row.province_code, row.commune_code)
    )


@router.post("/facilities", status_code=status.HTTP_201_CREATED)
async def create_facility(
    body: FacilityCreate, uow: UowDep, who: CurrentPrincipal
) -> FacilityPublic:
    command = commands.CreateFacility(**body.model_dump())
    return FacilityPublic.model_validate(await facilities.create_facility(uow, who, command))


@router.get("/facilities")
async def list_facilities(
    uow: UowDep, who: CurrentPrincipal, filters: FiltersDep, page: PageDep
) -> Page[FacilityPublic]:
    """Facilities; tax codes and contacts only of the provinces the reader covers."""
    rows, total = await queries.list_facilities(uow, filters, page)
    items = [_shown(who, r) for r in rows]
    return Page.of(items, total, page)


@router.get("/facilities/{facility_id}")
async def get_facility(facility_id: UUID, uow: UowDep, who: CurrentPrincipal) -> FacilityPublic:
    row = await uow.row(FacilityRow, facility_id, what="facility", field="facility_id")
    return _shown(who, row)


@router.patch("/facilities/{facility_id}")
async def update_facility(
    facility_id: UUID, body: FacilityUpdate, uow: UowDep, who: CurrentPrincipal
) -> FacilityPublic:
    command = commands.UpdateFacility(**body.model_dump(exclude_unset=True, exclude_none=True))
    row = await facilities.update_facility(uow, who, facility_id, command)
    return FacilityPublic.model_validate(row)
