"""The report page: the figures a province, region or the nation publishes over a span of
years, computed by the same code as ``cnnt report`` (its requests to the services and its
tables), drawn as a chart in the page and downloadable as XLSX, CSV and PNG."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from cnnt_contracts.vocabulary import NATION_SCOPE, Region
from cnnt_runtime.http.fields import FIRST_YEAR, LAST_YEAR, YearQuery
from cnnt_tools.cli import report as reports
from console.domain.accounts import Account
from console.domain.charts import BarChart, bar_chart
from console.service_layer import access
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.labels import place
from console.web.nav import FIGURES, item
from console.web.pages import render
from console.web.services import Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/reports", tags=["reports"])
NAV = [item(N_("Reports"), "/reports", access.MAY_READ_REPORTS, group=FIGURES)]
Reader = Annotated[Account, Depends(roles(access.MAY_READ_REPORTS))]
REGION_NAMES = {
    Region.NORTH: "Khu vực phía Bắc",
    Region.CENTRAL_HIGHLANDS: "Khu vực miền Trung – Tây Nguyên",
    Region.SOUTH: "Khu vực phía Nam",
}
DOWNLOADS: dict[str, tuple[Callable[[reports.Report, Path], object], str]] = {
    "xlsx": (
        reports.write_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    # One table per CSV file, as `cnnt report` writes them: recognition, then khuyến công.
    "csv": (reports.write_csv, "text/csv; charset=utf-8"),
    "khuyen-cong.csv": (reports.write_csv, "text/csv; charset=utf-8"),
    "png": (reports.write_chart, "image/png"),
}


async def report_for(services: Services, scope: str, first: int, last: int) -> reports.Report:
    """``cnnt report``'s figures, asked of the services with the signed-in person's token."""
    wanted = reports.sources(scope, first, last)
    answers = await asyncio.gather(
        *(services.json("GET", svc, path, params=q) for svc, path, q in wanted.values())
    )
    return reports.assemble(scope, first, last, dict(zip(wanted, answers, strict=True)))


def _span_errors(first: int, last: int) -> dict[str, str]:
    if not FIRST_YEAR <= first <= LAST_YEAR:
        return {"from_year": error_message("year_out_of_range")}
    if not FIRST_YEAR <= last <= LAST_YEAR:
        return {"to_year": error_message("year_out_of_range")}
    if last < first:
        return {"to_year": error_message("year_span_reversed")}
    return {}


async def _scopes(services: Services, account: Account) -> list[tuple[str, str]]:
    if not access.may_choose_report_scope(account):
        return [(account.scope, place(account.scope))]
    provinces = await services.json("GET", "registration", "/api/v1/provinces")
    return [
        (NATION_SCOPE, "Toàn quốc"),
        *((r.value, name) for r, name in REGION_NAMES.items()),
        *((p["code"], p["name"]) for p in provinces if p.get("current", True)),
    ]


def chart_of(report: reports.Report) -> BarChart:
    """Products recognised per year, one bar per level (the PNG download draws the same)."""
    years = list(range(report.first, report.last + 1))
    series = {
        reports.LEVEL_NAMES[level]: [
            next(
                (r["recognised"] for r in report.by_year if r["level"] == level and r["year"] == y),
                0,
            )
            for y in years
        ]
        for level in ("provincial", "regional", "national")
    }
    return bar_chart([str(y) for y in years], series)


@router.get("", response_class=HTMLResponse)
async def report_page(
    request: Request,
    account: Reader,
    services: ServicesDep,
    scope: Annotated[str | None, Query()] = None,
    from_year: Annotated[int | None, Query()] = None,
    to_year: Annotated[int | None, Query()] = None,
) -> Response:
    chosen = scope or access.default_report_scope(account)
    form: dict[str, Any] = {"scope": chosen, "from_year": from_year, "to_year": to_year}
    context: dict[str, Any] = {"form": form, "scopes": await _scopes(services, account)}
    if from_year is None or to_year is None:
        return render(request, "reports/report.html", context)
    errors = _span_errors(from_year, to_year)
    if errors:
        return render(request, "reports/report.html", {**context, "errors": errors}, status=422)
    report = await report_for(services, chosen, from_year, to_year)
    context |= {
        "report": report,
        "recognition_headers": reports.RECOGNITION_HEADERS,
        "recognition_rows": report.recognition_rows(),
        "support_headers": reports.SUPPORT_HEADERS,
        "support_rows": report.support_rows(),
        "chart": chart_of(report),
        "query": f"scope={chosen}&from_year={from_year}&to_year={to_year}",
    }
    return render(request, "reports/report.html", context)


@router.get("/download.{fmt}")
async def download(
    account: Reader,
    services: ServicesDep,
    fmt: str,
    scope: Annotated[str, Query()],
    from_year: YearQuery,
    to_year: YearQuery,
) -> Response:
    if fmt not in DOWNLOADS:
        return Response(status_code=404)
    write, media_type = DOWNLOADS[fmt]
    report = await report_for(services, scope, from_year, to_year)
    content = await asyncio.to_thread(_written, write, report, fmt)
    name = f"bao-cao-{scope}-{from_year}-{to_year}.{fmt}"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _written(
    write: Callable[[reports.Report, Path], object], report: reports.Report, fmt: str
) -> bytes:
    """The report's file as ``cnnt report`` writes it (the CLI's writers take a path; its CSV
    writer makes one file per table)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"report.{fmt.rsplit('.', 1)[-1]}"
        write(report, path)
        if fmt.endswith("csv"):
            recognition, support = reports.csv_paths(path)
            path = support if fmt == "khuyen-cong.csv" else recognition
        return path.read_bytes()
