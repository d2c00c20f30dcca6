"""Routes for grants (hỗ trợ): a support officer's manual grant, and a scheme's grants."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import ClockDep, UowDep
from support.entrypoints.http.keys import RequiredKey, once
from support.entrypoints.schemas import GrantCreate, GrantPublic
from support.service_layer import commands, grants, queries

router = APIRouter(prefix="/api/v1", tags=["grants"])


@router.post("/applications/{application_id}/grant", status_code=status.HTTP_201_CREATED)
async def grant(
    application_id: UUID,
    body: GrantCreate,
    uow: UowDep,
    who: CurrentPrincipal,
    key: RequiredKey,
    clock: ClockDep,
) -> GrantPublic:
    """Priority is judged on the day of the decision (recognitions valid on Vietnam's
    today)."""
    command = commands.GrantApplication(body.amounts)

    async def grant_it() -> GrantPublic:
        granted = await grants.grant_application(uow, who, application_id, command, clock.today())
        return GrantPublic.model_validate(granted)

    payload = [str(application_id), body.model_dump(mode="json")]
    return await once(uow, who, key, "grant_application", payload, GrantPublic, grant_it)


@router.get("/schemes/{scheme_id}/grants")
async def list_grants(
    scheme_id: UUID, page: PageDep, uow: UowDep, who: CurrentPrincipal
) -> Page[GrantPublic]:
    """Grants to facilities of the provinces the reader's scope covers."""
    granted, total = await queries.list_grants(uow, who, scheme_id, page)
    items = [GrantPublic.model_validate(g) for g in granted]
    return Page.of(items, total, page)
