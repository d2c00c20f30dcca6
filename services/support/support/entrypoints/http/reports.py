"""The support report as JSON, CSV or XLSX (``?format=``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.contracts.vocabulary import NATION_SCOPE
from cnnt_shared.errors import DomainError
from cnnt_shared.http.exports import ExportFormat, table_response
from cnnt_shared.service import UowDep
from support.service_layer.access import check_scope_code, unit_of
from support.service_layer.reports import COLUMNS, report_freshness, support_report

router = APIRouter(tags=["reports"])


@router.get(
    "/reports/support",
    summary="Schemes run, facilities supported and money per kind and source",
    description="The `CNNT-As-Of` header is the time of the last event the figures "
    "include; `CNNT-Received-As-Of` that of the last recognition or revocation taken in.",
)
async def report(
    uow: UowDep,
    _: CurrentPrincipal,
    from_year: Annotated[int, Query(ge=2000, le=2100)],
    to_year: Annotated[int, Query(ge=2000, le=2100)],
    province: Annotated[
        str | None, Query(description="One province (rolled up to its 2025 unit) or VN")
    ] = None,
    as_recorded: Annotated[
        bool,
        Query(description="The province as recorded (an earlier one on its own), not rolled up"),
    ] = False,
    format: Annotated[ExportFormat, Query()] = ExportFormat.JSON,
) -> Response:
    if to_year < from_year:
        raise DomainError("period_inverted", "to_year is before from_year", field="to_year")
    if province is not None:
        check_scope_code(province, field="province")
    if as_recorded and province in (None, NATION_SCOPE):
        raise DomainError(
            "as_recorded_needs_province", "as recorded applies to a province", field="province"
        )
    unit = province if as_recorded else unit_of(province) if province is not None else None
    rows = await support_report(uow, from_year, to_year, unit, as_recorded=as_recorded)
    name = f"support-{unit or 'all'}-{from_year}-{to_year}"
    response = table_response(COLUMNS, rows, format, name)
    # The body stays a table in every format; how fresh it is travels in headers.
    response.headers.update((await report_freshness(uow)).headers())
    return response
