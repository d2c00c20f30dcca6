"""Routes for rounds (đợt bình chọn): draft → open → closed."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.fields import YearQuery
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import UowDep
from registration.entrypoints.schemas import RoundCreate, RoundEdit, RoundPublic
from registration.service_layer import commands, queries, rounds

router = APIRouter(prefix="/api/v1", tags=["rounds"])


@router.post("/rounds", status_code=status.HTTP_201_CREATED)
async def create_round(body: RoundCreate, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
    command = commands.CreateRound(
        name=body.name,
        level=body.level,
        scope_code=body.scope_code,
        year=body.year,
        opens_on=body.opens_on,
        closes_on=body.closes_on,
        settings=body.settings,
        requires_local_recognition=body.requires_local_recognition,
    )
    return RoundPublic.model_validate(await rounds.create_round(uow, who, command))


@router.get("/rounds")
async def list_rounds(
    uow: UowDep,
    who: CurrentPrincipal,
    page: PageDep,
    level: Level | None = None,
    scope_code: Annotated[str | None, Query(max_length=40)] = None,
    year: YearQuery | None = None,
) -> Page[RoundPublic]:
    rows, total = await queries.list_rounds(uow, page, level, scope_code, year)
    items = [RoundPublic.model_validate(r) for r in rows]
    return Page.of(items, total, page)


@router.get("/rounds/{round_id}")
async def get_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
    return RoundPublic.model_validate(await queries.get_round(uow, round_id))


@router.put("/rounds/{round_id}")
async def edit_round(
    round_id: UUID, body: RoundEdit, uow: UowDep, who: CurrentPrincipal
) -> RoundPublic:
    """Correct a draft round's name and registration window (409 ``round_not_draft`` once
    opened)."""
    command = commands.EditRound(name=body.name, opens_on=body.opens_on, closes_on=body.closes_on)
    return RoundPublic.model_validate(await rounds.edit_round(uow, who, round_id, command))


@router.post("/rounds/{round_id}/open")
async def open_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
    """Open registration; announces RoundOpened with the round's result settings."""
    return RoundPublic.model_validate(await rounds.open_round(uow, who, round_id))


@router.post("/rounds/{round_id}/close")
async def close_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
    """Close registration; announces RoundClosed with the number of standing entries."""
    return RoundPublic.model_validate(await rounds.close_round(uow, who, round_id))
