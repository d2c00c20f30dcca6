"""Routes for judging as a whole: the round's settings and the close of judging."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import UowDep
from evaluation.entrypoints.schemas import CloseJudging, JudgingPublic, JudgingSettings
from evaluation.service_layer import commands, judging

router = APIRouter(prefix="/api/v1", tags=["judging"])


@router.put("/rounds/{round_id}/judging-settings")
async def configure(
    round_id: UUID, body: JudgingSettings, uow: UowDep, who: CurrentPrincipal
) -> JudgingPublic:
    command = commands.Configure(body.spread_threshold)
    return JudgingPublic.model_validate(await judging.configure(uow, who, round_id, command))


@router.post("/rounds/{round_id}/close-judging")
async def close_judging(
    round_id: UUID, body: CloseJudging, uow: UowDep, who: CurrentPrincipal
) -> JudgingPublic:
    command = commands.CloseJudging(body.override, body.reason)
    return JudgingPublic.model_validate(await judging.close_judging(uow, who, round_id, command))
