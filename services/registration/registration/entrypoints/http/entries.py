"""Routes for entries (đăng ký bình chọn): a product entered in a round."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response, status

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.exports import ExportFormat, table_response
from cnnt_runtime.http.fields import YearQuery
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import ClockDep, UowDep
from registration.entrypoints.http.filters import FiltersDep
from registration.entrypoints.schemas import EntryCreate, EntryPublic, EntryWithdraw
from registration.service_layer import commands, entries, queries

router = APIRouter(prefix="/api/v1", tags=["entries"])


def _page(items: list[dict[str, Any]], total: int, page: PageDep) -> Page[EntryPublic]:
    return Page.of([EntryPublic.model_validate(i) for i in items], total, page)


@router.post("/rounds/{round_id}/entries", status_code=status.HTTP_201_CREATED)
async def register_entry(
    round_id: UUID, body: EntryCreate, uow: UowDep, who: CurrentPrincipal, clock: ClockDep
) -> EntryPublic:
    """Enter a product; every eligibility rule is checked as of the registration date
    (Vietnam's date)."""
    command = commands.RegisterEntry(body.product_id, body.declarations, body.registered_on)
    entry = await entries.register_entry(uow, who, round_id, command, clock.today())
    return EntryPublic.model_validate(await queries.get_entry(uow, entry.id))


@router.get("/rounds/{round_id}/entries")
async def list_round_entries(
    round_id: UUID,
    uow: UowDep,
    who: CurrentPrincipal,
    filters: FiltersDep,
    page: PageDep,
    include_withdrawn: bool = False,
) -> Page[EntryPublic]:
    await queries.get_round(uow, round_id)
    items, total = await queries.list_entries(
        uow, filters, page, round_id=round_id, include_withdrawn=include_withdrawn
    )
    return _page(items, total, page)


@router.get("/rounds/{round_id}/entries/export")
async def export_round_entries(
    round_id: UUID, uow: UowDep, who: CurrentPrincipal, format: ExportFormat = ExportFormat.CSV
) -> Response:
    """The round's standing entries as CSV (UTF-8), XLSX or JSON; the tax code only of
    the facilities of provinces the reader covers."""
    round_ = await queries.get_round(uow, round_id)
    items, _ = await queries.list_entries(uow, queries.Filters(), None, round_id=round_id)
    items = queries.for_reader(who, items)
    name = f"entries-{round_.level}-{round_.scope_code}-{round_.year}"
    return table_response(queries.EXPORT_COLUMNS, items, format, name)


@router.get("/entries")
async def list_entries(
    uow: UowDep,
    who: CurrentPrincipal,
    filters: FiltersDep,
    page: PageDep,
    level: Level | None = None,
    year: YearQuery | None = None,
    include_withdrawn: bool = False,
) -> Page[EntryPublic]:
    """Entries of every round; ``province`` counts earlier provinces under their successor."""
    items, total = await queries.list_entries(
        uow, filters, page, level=level, year=year, include_withdrawn=include_withdrawn
    )
    return _page(items, total, page)


@router.get("/entries/{entry_id}")
async def get_entry(entry_id: UUID, uow: UowDep, who: CurrentPrincipal) -> EntryPublic:
    return EntryPublic.model_validate(await queries.get_entry(uow, entry_id))


@router.post("/entries/{entry_id}/withdraw")
async def withdraw_entry(
    entry_id: UUID, body: EntryWithdraw, uow: UowDep, who: CurrentPrincipal
) -> EntryPublic:
    """Withdraw before the round closes; announces EntryWithdrawn."""
    entry = await entries.withdraw_entry(uow, who, entry_id, commands.WithdrawEntry(body.reason))
    return EntryPublic.model_validate(await queries.get_entry(uow, entry.id))
