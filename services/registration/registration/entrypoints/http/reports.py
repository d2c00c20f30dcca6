"""Reports the provinces publish, from registration's records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from cnnt_runtime import labels
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.exports import Column, ExportFormat, table_response
from cnnt_runtime.http.fields import YearQuery
from cnnt_runtime.service import UowDep
from registration.service_layer.breakdown import recognition_breakdown
from registration.service_layer.reports import recognition_report, report_freshness

COLUMNS = [
    Column("level", "Cấp (level)", labels.LEVELS),
    Column("year", "Năm (year; empty: the whole period)"),
    Column("rounds", "Số đợt (rounds held)"),
    Column("facilities", "Cơ sở tham gia (facilities entered)"),
    Column("products", "Sản phẩm tham gia (products entered)"),
    Column("recognised", "Sản phẩm được công nhận (products recognised)"),
]


router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get(
    "/reports/recognition",
    summary="Rounds held, facilities and products entered, products recognised per level",
    description="`as_of` (and the `CNNT-As-Of` header) is the time of the last event the "
    "figures include; `received_as_of` (`CNNT-Received-As-Of`) that of the last "
    "recognition or revocation taken in from certification.",
    response_model=None,
)
async def report(
    uow: UowDep,
    _: CurrentPrincipal,
    scope: Annotated[str, Query(description="Province code, region, or VN", examples=["dak-lak"])],
    from_year: YearQuery,
    to_year: YearQuery,
    as_recorded: Annotated[
        bool,
        Query(
            description="A province as recorded: its own rounds and entries only (for a "
            "province dissolved in 2025), instead of its 2025 unit with every province "
            "merged into it"
        ),
    ] = False,
    format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
) -> Any:
    result = await recognition_report(uow, scope, from_year, to_year, as_recorded=as_recorded)
    fresh = await report_freshness(uow)
    if format is ExportFormat.JSON:
        body = jsonable_encoder({**result, **fresh.body()})
        return JSONResponse(body, headers=fresh.headers())
    rows = [*result["by_year"], *result["levels"]]
    name = f"recognition-{scope}-{from_year}-{to_year}"
    response = table_response(COLUMNS, rows, format, name)
    response.headers.update(fresh.headers())
    return response


@router.get(
    "/reports/recognition/breakdown",
    summary="Products recognised per product group, level and year, and per province",
    description="Recognitions not revoked, distinct products per cell: `groups` per product "
    "group, level and year; `provinces` per 2025 unit and level over the whole period. "
    "`as_of` and `received_as_of` as for `/reports/recognition`.",
    response_model=None,
)
async def breakdown(
    uow: UowDep,
    _: CurrentPrincipal,
    from_year: YearQuery,
    to_year: YearQuery,
    scope: Annotated[
        str, Query(description="Province code, region, or VN", examples=["VN"])
    ] = "VN",
) -> Any:
    result = await recognition_breakdown(uow, scope, from_year, to_year)
    fresh = await report_freshness(uow)
    body = jsonable_encoder({**result, **fresh.body()})
    return JSONResponse(body, headers=fresh.headers())
