"""Routes for applications to a scheme, and the facilities that may apply."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import UowDep
from support.entrypoints.http.keys import OptionalKey, once
from support.entrypoints.schemas import ApplicationCreate, ApplicationPublic, FacilityPublic
from support.service_layer import commands, queries, schemes

router = APIRouter(prefix="/api/v1", tags=["applications"])


@router.post("/schemes/{scheme_id}/applications", status_code=status.HTTP_201_CREATED)
async def apply(
    scheme_id: UUID,
    body: ApplicationCreate,
    uow: UowDep,
    who: CurrentPrincipal,
    key: OptionalKey = None,
) -> ApplicationPublic:
    command = commands.Apply(
        facility_id=body.facility_id,
        facility_name=body.facility_name,
        province_code=body.province_code,
        asked=body.asked,
        product_id=body.product_id,
        purpose=body.purpose,
    )

    async def create() -> ApplicationPublic:
        row = await schemes.create_application(uow, who, scheme_id, command)
        return ApplicationPublic.model_validate(row)

    payload = [str(scheme_id), body.model_dump(mode="json")]
    return await once(uow, who, key, "create_application", payload, ApplicationPublic, create)


@router.get("/schemes/{scheme_id}/applications")
async def list_applications(
    scheme_id: UUID, page: PageDep, uow: UowDep, who: CurrentPrincipal
) -> Page[ApplicationPublic]:
    """Applications from the provinces the reader's scope covers (docs/read-policy.md)."""
    rows, total = await queries.list_applications(uow, who, scheme_id, page)
    items = [ApplicationPublic.model_validate(r) for r in rows]
    return Page.of(items, total, page)


@router.get(
    "/facilities/{facility_id}",
    summary="A facility support knows from registration (only these may apply)",
)
async def get_facility(facility_id: UUID, uow: UowDep, _: CurrentPrincipal) -> FacilityPublic:
    return FacilityPublic.model_validate(await queries.get_facility(uow, facility_id))
