"""The support report as JSON, CSV or XLSX (``?format=``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.exports import ExportFormat, table_response
from cnnt_runtime.http.fields import YearQuery
from cnnt_runtime.service import UowDep
from support.service_layer.reports import (
    COLUMNS,
    report_freshness,
    report_unit,
    support_report,
)

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get(
    "/reports/support",
    summary="Schemes run, facilities supported and money per kind and source",
    description="The `CNNT-As-Of` header is the time of the last event the figures "
    "include; `CNNT-Received-As-Of` that of the last recognition or revocation taken in.",
)
async def report(
    uow: UowDep,
    _: CurrentPrincipal,
    from_year: YearQuery,
    to_year: YearQuery,
    province: Annotated[
        str | None, Query(description="One province (rolled up to its 2025 unit) or VN")
    ] = None,
    as_recorded: Annotated[
        bool,
        Query(description="The province as recorded (an earlier one on its own), not rolled up"),
    ] = False,
    format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
) -> Response:
    unit = report_unit(from_year, to_year, province, as_recorded=as_recorded)
    rows = await support_report(uow, from_year, to_year, unit, as_recorded=as_recorded)
    name = f"support-{unit or 'all'}-{from_year}-{to_year}"
    response = table_response(COLUMNS, rows, format, name)
    # The body stays a table in every format; how fresh it is travels in headers.
    response.headers.update((await report_freshness(uow)).headers())
    return response
