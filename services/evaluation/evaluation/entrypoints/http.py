"""Evaluation's HTTP API."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from cnnt_shared.auth import CurrentPrincipal, Role
from cnnt_shared.service import RuntimeDep
from evaluation.entrypoints.schemas import EntryPublic
from evaluation.service_layer import handlers


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get("/rounds/{round_id}/entries", tags=["entries"])
    async def list_entries(
        round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal
    ) -> list[EntryPublic]:
        who.require(Role.MINISTRY, Role.PROVINCE_OFFICER, Role.JUDGE)
        async with runtime.uow() as uow:
            rows = await handlers.list_entries(uow, round_id)
        return [EntryPublic.model_validate(r) for r in rows]

    return router
