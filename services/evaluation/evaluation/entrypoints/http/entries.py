"""Routes for the entries evaluation judges (as registration announced them)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import RuntimeDep
from evaluation.entrypoints.schemas import EntryPublic
from evaluation.service_layer import queries

router = APIRouter(prefix="/api/v1", tags=["entries"])


@router.get("/rounds/{round_id}/entries")
async def list_entries(
    round_id: UUID, runtime: RuntimeDep, who: CurrentPrincipal
) -> list[EntryPublic]:
    """The round's standing entries: for the ministry, the organising province's officers
    and the round's own jury members (docs/read-policy.md)."""
    async with runtime.uow() as uow:
        rows = await queries.round_entries(uow, who, round_id)
    return [EntryPublic.model_validate(r) for r in rows]
