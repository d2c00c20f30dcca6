"""Routes for the allocation run (phân bổ kinh phí): its preview, then the run that moves money."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import ClockDep, UowDep
from support.entrypoints.http.keys import RequiredKey, once
from support.entrypoints.schemas import (
    AllocationPlanPublic,
    AllocationRunCreate,
    AllocationRunPublic,
)
from support.service_layer import allocation, commands

router = APIRouter(prefix="/api/v1", tags=["allocation"])


@router.get("/schemes/{scheme_id}/allocation-preview")
async def preview(
    scheme_id: UUID, uow: UowDep, who: CurrentPrincipal, clock: ClockDep
) -> AllocationPlanPublic:
    plan = await allocation.preview(uow, who, scheme_id, clock.today())
    return AllocationPlanPublic.model_validate(plan)


@router.post("/schemes/{scheme_id}/allocation-runs", status_code=status.HTTP_201_CREATED)
async def run_allocation(
    scheme_id: UUID,
    body: AllocationRunCreate,
    uow: UowDep,
    who: CurrentPrincipal,
    key: RequiredKey,
    clock: ClockDep,
) -> AllocationRunPublic:
    command = commands.RunAllocation(body.expected_digest)

    async def run() -> AllocationRunPublic:
        done = await allocation.run(uow, who, scheme_id, command, clock.today())
        return AllocationRunPublic.model_validate(done)

    payload = [str(scheme_id), body.model_dump(mode="json")]
    return await once(uow, who, key, "run_allocation", payload, AllocationRunPublic, run)
