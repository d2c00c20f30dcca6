"""Support's HTTP API: thin routes that parse, authorise (in the handler), call one handler.

Commands take an ``Idempotency-Key`` header (a client request id): a retry with the same key
returns the original result. It is required where money moves (grants, allocation runs).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.service import UowDep
from support.entrypoints.reports import build_report_router
from support.entrypoints.schemas import (
    AllocationPlanPublic,
    AllocationRunCreate,
    AllocationRunPublic,
    ApplicationCreate,
    ApplicationPublic,
    GrantCreate,
    GrantPublic,
    SchemeCreate,
    SchemePublic,
)
from support.service_layer import allocation, grants, schemes
from support.service_layer.idempotency import run_command

KEY_DOC = "Client request id: a retry with the same key returns the original result"
OptionalKey = Annotated[
    str | None, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)
]
RequiredKey = Annotated[str, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)]


def today() -> date:
    return datetime.now(UTC).date()


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
        payload = body.model_dump(mode="json")
        return await run_command(
            uow,
            who,
            key,
            "create_scheme",
            payload,
            lambda: schemes.create_scheme(uow, who, body),
        )

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
        scheme_id: UUID, uow: UowDep, _: CurrentPrincipal
    ) -> list[ApplicationPublic]:
        return await schemes.list_applications(uow, scheme_id)

    @router.post(
        "/applications/{application_id}/grant",
        status_code=status.HTTP_201_CREATED,
        tags=["grants"],
        response_model=GrantPublic,
    )
    async def grant(
        application_id: UUID,
        body: GrantCreate,
        uow: UowDep,
        who: CurrentPrincipal,
        key: RequiredKey,
    ) -> Any:
        payload = [str(application_id), body.model_dump(mode="json")]
        return await run_command(
            uow,
            who,
            key,
            "grant_application",
            payload,
            lambda: grants.grant_application(uow, who, application_id, body, today()),
        )

    @router.get("/schemes/{scheme_id}/allocation-preview", tags=["allocation"])
    async def preview(scheme_id: UUID, uow: UowDep, who: CurrentPrincipal) -> AllocationPlanPublic:
        return await allocation.preview(uow, who, scheme_id, today())

    @router.post(
        "/schemes/{scheme_id}/allocation-runs",
        status_code=status.HTTP_201_CREATED,
        tags=["allocation"],
        response_model=AllocationRunPublic,
    )
    async def run_allocation(
        scheme_id: UUID,
        body: AllocationRunCreate,
        uow: UowDep,
        who: CurrentPrincipal,
        key: RequiredKey,
    ) -> Any:
        payload = [str(scheme_id), body.model_dump(mode="json")]
        return await run_command(
            uow,
            who,
            key,
            "run_allocation",
            payload,
            lambda: allocation.run(uow, who, scheme_id, body, today()),
        )

    router.include_router(build_report_router())
    return router
