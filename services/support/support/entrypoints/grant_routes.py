"""Routes that move money: manual grants, the allocation preview and runs; and grant lists."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.http.pages import Page, PageDep
from cnnt_shared.service import ClockDep, UowDep
from support.entrypoints.schemas import (
    AllocationPlanPublic,
    AllocationRunCreate,
    AllocationRunPublic,
    GrantCreate,
    GrantPublic,
)
from support.service_layer import allocation, grants, reads
from support.service_layer.idempotency import run_command

KEY_DOC = "Client request id: a retry with the same key returns the original result"
OptionalKey = Annotated[
    str | None, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)
]
RequiredKey = Annotated[str, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)]


def build_grant_router() -> APIRouter:
    router = APIRouter()

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
        clock: ClockDep,
    ) -> Any:
        """Priority is judged on the day of the decision (recognitions valid on Vietnam's
        today)."""
        payload = [str(application_id), body.model_dump(mode="json")]
        return await run_command(
            uow,
            who,
            key,
            "grant_application",
            payload,
            lambda: grants.grant_application(uow, who, application_id, body, clock.today()),
        )

    @router.get("/schemes/{scheme_id}/grants", tags=["grants"])
    async def list_grants(
        scheme_id: UUID, page: PageDep, uow: UowDep, who: CurrentPrincipal
    ) -> Page[GrantPublic]:
        """Grants to facilities of the provinces the reader's scope covers."""
        return await reads.list_grants(uow, who, scheme_id, page)

    @router.get("/schemes/{scheme_id}/allocation-preview", tags=["allocation"])
    async def preview(
        scheme_id: UUID, uow: UowDep, who: CurrentPrincipal, clock: ClockDep
    ) -> AllocationPlanPublic:
        return await allocation.preview(uow, who, scheme_id, clock.today())

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
        clock: ClockDep,
    ) -> Any:
        payload = [str(scheme_id), body.model_dump(mode="json")]
        return await run_command(
            uow,
            who,
            key,
            "run_allocation",
            payload,
            lambda: allocation.run(uow, who, scheme_id, body, clock.today()),
        )

    return router
