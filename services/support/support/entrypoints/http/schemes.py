"""Routes for khuyến công schemes (đề án): creating, opening and closing them, and reading."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status

from cnnt_runtime.auth import CurrentPrincipal, Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.http.fields import YearQuery
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import UowDep
from support.entrypoints.http.keys import OptionalKey, once
from support.entrypoints.schemas import SchemeCreate, SchemePublic
from support.service_layer import commands, queries, schemes

router = APIRouter(prefix="/api/v1", tags=["schemes"])


@router.post("/schemes", status_code=status.HTTP_201_CREATED)
async def create_scheme(
    body: SchemeCreate, uow: UowDep, who: CurrentPrincipal, key: OptionalKey = None
) -> SchemePublic:
    command = commands.CreateScheme(
        body.code, body.title, body.kind, body.year, body.scope_code, body.budget
    )

    async def create() -> SchemePublic:
        return SchemePublic.of(await schemes.create_scheme(uow, who, command))

    payload = body.model_dump(mode="json")
    return await once(uow, who, key, "create_scheme", payload, SchemePublic, create)


@router.get("/schemes")
async def list_schemes(
    page: PageDep,
    uow: UowDep,
    _: CurrentPrincipal,
    year: YearQuery | None = None,
    scope_code: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[SchemePublic]:
    views, total = await queries.list_schemes(uow, page, year, scope_code)
    items = [SchemePublic.of(v) for v in views]
    return Page.of(items, total, page)


@router.get("/schemes/{scheme_id}")
async def get_scheme(scheme_id: UUID, uow: UowDep, _: CurrentPrincipal) -> SchemePublic:
    return SchemePublic.of(await queries.get_scheme(uow, scheme_id))


async def _change_status(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, *, to_open: bool
) -> SchemePublic:
    async def change() -> SchemePublic:
        view = await schemes.change_status(uow, who, scheme_id, to_open=to_open)
        return SchemePublic.of(view)

    command = "open_scheme" if to_open else "close_scheme"
    return await once(uow, who, None, command, None, SchemePublic, change)


@router.post("/schemes/{scheme_id}/open")
async def open_scheme(scheme_id: UUID, uow: UowDep, who: CurrentPrincipal) -> SchemePublic:
    return await _change_status(uow, who, scheme_id, to_open=True)


@router.post("/schemes/{scheme_id}/close")
async def close_scheme(scheme_id: UUID, uow: UowDep, who: CurrentPrincipal) -> SchemePublic:
    return await _change_status(uow, who, scheme_id, to_open=False)
