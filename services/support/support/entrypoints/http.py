"""Support's HTTP API: thin routes that parse, call one handler (which authorises) and return.

Commands take an ``Idempotency-Key`` header (a client request id): a retry with the same key
returns the original result. It is required where money moves (grants, allocation runs).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.http.pages import Page, PageDep
from cnnt_shared.service import UowDep
from support.entrypoints.grant_routes import OptionalKey, build_grant_router
from support.entrypoints.reports import build_report_router
from support.entrypoints.schemas import (
    ApplicationCreate,
    ApplicationPublic,
    FacilityPublic,
    SchemeCreate,
    SchemePublic,
)
from support.service_layer import facilities, reads, schemes
from support.service_layer.idempotency import run_command


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post(
        "/schemes",
        status_code=status.HTTP_201_CREATED,
        tags=["schemes"],
        response_model=SchemePublic,
    )
    async def create_scheme(
        body: SchemeCreate, uow: UowDep, who: CurrentPrincipal, key: OptionalKey = None
    ) -> Any:
        return await run_command(
            uow,
            who,
            key,
            "create_scheme",
            body.model_dump(mode="json"),
            lambda: schemes.create_scheme(uow, who, body),
        )

    @router.get("/schemes", tags=["schemes"])
    async def list_schemes(
        page: PageDep,
        uow: UowDep,
        _: CurrentPrincipal,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        scope_code: Annotated[str | None, Query(max_length=40)] = None,
    ) -> Page[SchemePublic]:
        return await reads.list_schemes(uow, page, year, scope_code)

    @router.get("/schemes/{scheme_id}", tags=["schemes"])
    async def get_scheme(scheme_id: UUID, uow: UowDep, _: CurrentPrincipal) -> SchemePublic:
        return await schemes.get_scheme(uow, scheme_id)

    @router.post("/schemes/{scheme_id}/open", tags=["schemes"], response_model=SchemePublic)
    async def open_scheme(scheme_id: UUID, uow: UowDep, who: CurrentPrincipal) -> Any:
        return await run_command(
            uow,
            who,
            None,
            "open_scheme",
            None,
            lambda: schemes.change_status(uow, who, scheme_id, to_open=True),
        )

    @router.post("/schemes/{scheme_id}/close", tags=["schemes"], response_model=SchemePublic)
    async def close_scheme(scheme_id: UUID, uow: UowDep, who: CurrentPrincipal) -> Any:
        return await run_command(
            uow,
            who,
            None,
            "close_scheme",
            None,
            lambda: schemes.change_status(uow, who, scheme_id, to_open=False),
        )

    @router.post(
        "/schemes/{scheme_id}/applications",
        status_code=status.HTTP_201_CREATED,
        tags=["applications"],
        response_model=ApplicationPublic,
    )
    async def apply(
        scheme_id: UUID,
        body: ApplicationCreate,
        uow: UowDep,
        who: CurrentPrincipal,
        key: OptionalKey = None,
    ) -> Any:
        payload = [str(scheme_id), body.model_dump(mode="json")]
        return await run_command(
            uow,
            who,
            key,
            "create_application",
            payload,
            lambda: schemes.create_application(uow, who, scheme_id, body),
        )

    @router.get("/schemes/{scheme_id}/applications", tags=["applications"])
    async def list_applications(
        scheme_id: UUID, page: PageDep, uow: UowDep, who: CurrentPrincipal
    ) -> Page[ApplicationPublic]:
        """Applications from the provinces the reader's scope covers (docs/read-policy.md)."""
        return await reads.list_applications(uow, who, scheme_id, page)

    @router.get(
        "/facilities/{facility_id}",
        tags=["applications"],
        summary="A facility support knows from registration (only these may apply)",
    )
    async def get_facility(facility_id: UUID, uow: UowDep, _: CurrentPrincipal) -> FacilityPublic:
        return FacilityPublic.model_validate(await facilities.get_facility(uow, facility_id))

    router.include_router(build_grant_router())
    router.include_router(build_report_router())
    return router
