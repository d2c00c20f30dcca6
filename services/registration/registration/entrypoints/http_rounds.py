"""Routes for rounds and their entries."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.http.exports import ExportFormat, table_response
from cnnt_shared.http.pages import Page, PageDep
from cnnt_shared.service import ClockDep, UowDep
from registration.entrypoints import http_imports
from registration.entrypoints.filters import FiltersDep
from registration.entrypoints.schemas import (
    EntryCreate,
    EntryPublic,
    EntryWithdraw,
    RoundCreate,
    RoundPublic,
)
from registration.service_layer import entries, entry_views, rounds
from registration.service_layer.facilities import Filters


def _page(items: list[dict[str, Any]], total: int, page: PageDep) -> Page[EntryPublic]:
    return Page(
        items=[EntryPublic.model_validate(i) for i in items],
        total=total,
        page=page.page,
        size=page.size,
    )


def build_router() -> APIRouter:
    router = APIRouter()
    router.include_router(http_imports.build_router())

    @router.post("/rounds", status_code=status.HTTP_201_CREATED, tags=["rounds"])
    async def create_round(body: RoundCreate, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        return RoundPublic.model_validate(await rounds.create_round(uow, who, body))

    @router.get("/rounds", tags=["rounds"])
    async def list_rounds(
        uow: UowDep,
        who: CurrentPrincipal,
        page: PageDep,
        level: Level | None = None,
        scope_code: Annotated[str | None, Query(max_length=40)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    ) -> Page[RoundPublic]:
        rows, total = await rounds.list_rounds(uow, page, level, scope_code, year)
        items = [RoundPublic.model_validate(r) for r in rows]
        return Page(items=items, total=total, page=page.page, size=page.size)

    @router.get("/rounds/{round_id}", tags=["rounds"])
    async def get_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        return RoundPublic.model_validate(await rounds.get_round(uow, round_id))

    @router.post("/rounds/{round_id}/open", tags=["rounds"])
    async def open_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        """Open registration; announces RoundOpened with the round's result settings."""
        return RoundPublic.model_validate(await rounds.open_round(uow, who, round_id))

    @router.post("/rounds/{round_id}/close", tags=["rounds"])
    async def close_round(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> RoundPublic:
        """Close registration; announces RoundClosed with the number of standing entries."""
        return RoundPublic.model_validate(await rounds.close_round(uow, who, round_id))

    @router.post(
        "/rounds/{round_id}/entries", status_code=status.HTTP_201_CREATED, tags=["entries"]
    )
    async def register_entry(
        round_id: UUID, body: EntryCreate, uow: UowDep, who: CurrentPrincipal, clock: ClockDep
    ) -> EntryPublic:
        """Enter a product; every eligibility rule is checked as of the registration date
        (Vietnam's date)."""
        entry = await entries.register_entry(uow, who, round_id, body, clock.today())
        return EntryPublic.model_validate(await entry_views.get_entry(uow, entry.id))

    @router.get("/rounds/{round_id}/entries", tags=["entries"])
    async def list_round_entries(
        round_id: UUID,
        uow: UowDep,
        who: CurrentPrincipal,
        filters: FiltersDep,
        page: PageDep,
        include_withdrawn: bool = False,
    ) -> Page[EntryPublic]:
        await rounds.get_round(uow, round_id)
        items, total = await entry_views.list_entries(
            uow, filters, page, round_id=round_id, include_withdrawn=include_withdrawn
        )
        return _page(items, total, page)

    @router.get("/rounds/{round_id}/entries/export", tags=["entries"])
    async def export_round_entries(
        round_id: UUID, uow: UowDep, who: CurrentPrincipal, format: ExportFormat = ExportFormat.CSV
    ) -> Response:
        """The round's standing entries as CSV (UTF-8), XLSX or JSON; the tax code only of
        the facilities of provinces the reader covers."""
        round_ = await rounds.get_round(uow, round_id)
        items, _ = await entry_views.list_entries(uow, Filters(), None, round_id=round_id)
        items = entry_views.for_reader(who, items)
        name = f"entries-{round_.level}-{round_.scope_code}-{round_.year}"
        return table_response(entry_views.EXPORT_COLUMNS, items, format, name)

    @router.get("/entries", tags=["entries"])
    async def list_entries(
        uow: UowDep,
        who: CurrentPrincipal,
        filters: FiltersDep,
        page: PageDep,
        level: Level | None = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
        include_withdrawn: bool = False,
    ) -> Page[EntryPublic]:
        """Entries of every round; ``province`` counts earlier provinces under their successor."""
        items, total = await entry_views.list_entries(
            uow, filters, page, level=level, year=year, include_withdrawn=include_withdrawn
        )
        return _page(items, total, page)

    @router.get("/entries/{entry_id}", tags=["entries"])
    async def get_entry(entry_id: UUID, uow: UowDep, who: CurrentPrincipal) -> EntryPublic:
        return EntryPublic.model_validate(await entry_views.get_entry(uow, entry_id))

    @router.post("/entries/{entry_id}/withdraw", tags=["entries"])
    async def withdraw_entry(
        entry_id: UUID, body: EntryWithdraw, uow: UowDep, who: CurrentPrincipal
    ) -> EntryPublic:
        """Withdraw before the round closes; announces EntryWithdrawn."""
        entry = await entries.withdraw_entry(uow, who, entry_id, body)
        return EntryPublic.model_validate(await entry_views.get_entry(uow, entry.id))

    return router
