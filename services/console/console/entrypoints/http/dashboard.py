"""The ministry's national dashboard: products recognised per region and year, per product group
and year, and per province over the five years shown (a province's full figures beside, the same
as its report and ``cnnt report``'s), and the latest year's provincial rounds across provinces
(status, entries, recognised), with the time the figures were last updated — the last event the
services' reports include. Figures come from registration's report and round APIs (and support's
for a province's khuyến công), asked when the page loads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.http.fields import FIRST_YEAR, YearQuery
from cnnt_tools.cli import report as reports
from console.domain.accounts import Account
from console.domain.charts import bar_chart
from console.domain.collation import vietnamese_key
from console.entrypoints.http.reports import REGION_NAMES, report_for
from console.service_layer import access
from console.web.i18n import N_
from console.web.labels import LABELS
from console.web.nav import FIGURES, item
from console.web.pages import render
from console.web.services import Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/dashboard", tags=["dashboard"])
NAV = [item(N_("National dashboard"), "/dashboard", access.MAY_SEE_THE_NATION, group=FIGURES)]
Ministry = Annotated[Account, Depends(roles(access.MAY_SEE_THE_NATION))]
YEARS_SHOWN = 5
ROUNDS = "/api/v1/rounds"
LEVELS = [level.value for level in sorted(Level, key=lambda lv: lv.rank)]


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def _latest_year(services: Services) -> int:
    """The year of the latest provincial round (rounds are listed newest year first)."""
    latest = await services.json(
        "GET", "registration", ROUNDS, params={"level": "provincial", "size": 1}
    )
    return int(latest["items"][0]["year"]) if latest["items"] else datetime.now(UTC).year


async def _region_report(services: Services, region: str, first: int, last: int) -> Any:
    return await services.json(
        "GET",
        "registration",
        "/api/v1/reports/recognition",
        params={"scope": region, "from_year": first, "to_year": last},
    )


def _per_year(rows: list[dict[str, Any]], first: int, last: int) -> list[int]:
    """Products recognised per year, every level added up (as the region rows count them)."""
    per_year = dict.fromkeys(range(first, last + 1), 0)
    for row in rows:
        per_year[row["year"]] += row["recognised"]
    return list(per_year.values())


async def _breakdown(services: Services, first: int, last: int) -> Any:
    return await services.json(
        "GET",
        "registration",
        "/api/v1/reports/recognition/breakdown",
        params={"scope": "VN", "from_year": first, "to_year": last},
    )


def _per_group(breakdown: dict[str, Any], first: int, last: int) -> dict[str, list[int]]:
    """Products recognised per product group and year, every level added up; every group
    shown, with or without recognitions."""
    rows = breakdown["groups"]
    return {
        code: _per_year([r for r in rows if r["product_group"] == code], first, last)
        for code in LABELS["product_group"]
    }


def _per_province(breakdown: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each province (2025 unit) with a recognition in the span: products per level, total."""
    found: dict[str, dict[str, int]] = {}
    for row in breakdown["provinces"]:
        found.setdefault(row["province_code"], dict.fromkeys(LEVELS, 0))[row["level"]] = row[
            "recognised"
        ]
    lines = [
        {"code": code, "name": names.get(code, code), "levels": per_level}
        for code, per_level in found.items()
    ]
    return sorted(lines, key=lambda line: vietnamese_key(str(line["name"])))


async def _progress(
    services: Services, year: int, names: dict[str, str], recognised: dict[str, int]
) -> list[dict[str, Any]]:
    """Each province's provincial round of ``year``: its status, entries standing, and the
    products it recognised so far."""
    rounds = await services.json(
        "GET", "registration", ROUNDS, params={"level": "provincial", "year": year, "size": 500}
    )
    counts = await asyncio.gather(
        *(
            services.json("GET", "registration", f"{ROUNDS}/{r['id']}/entries", params={"size": 1})
            for r in rounds["items"]
        )
    )
    rows = [
        {
            "province": names.get(r["scope_code"], r["scope_code"]),
            "status": r["status"],
            "entries": c["total"],
            "closes_on": r["closes_on"],
            "recognised": recognised.get(r["scope_code"], 0),
        }
        for r, c in zip(rounds["items"], counts, strict=True)
    ]
    return sorted(rows, key=lambda row: vietnamese_key(str(row["province"])))


async def _province_figures(
    services: Services, province: str, first: int, last: int
) -> dict[str, Any]:
    """A province's figures as its report page and ``cnnt report`` give them."""
    report = await report_for(services, province, first, last)
    return {
        "report": report,
        "recognition_headers": reports.RECOGNITION_HEADERS,
        "recognition_rows": report.recognition_rows(),
        "support_headers": reports.SUPPORT_HEADERS,
        "support_rows": report.support_rows(),
        "query": f"scope={province}&from_year={first}&to_year={last}",
    }


@router.get("", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    _: Ministry,
    services: ServicesDep,
    year: YearQuery | None = None,
    province: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    shown = year or await _latest_year(services)
    first = max(shown - YEARS_SHOWN + 1, FIRST_YEAR)
    provinces, breakdown, this_year, *per_region = await asyncio.gather(
        services.json("GET", "registration", "/api/v1/provinces"),
        _breakdown(services, first, shown),
        _breakdown(services, shown, shown),
        *(_region_report(services, r.value, first, shown) for r in REGION_NAMES),
    )
    names = {p["code"]: p["name"] for p in provinces}
    regions = {
        name: _per_year(found["by_year"], first, shown)
        for name, found in zip(REGION_NAMES.values(), per_region, strict=True)
    }
    groups = _per_group(breakdown, first, shown)
    years = [str(y) for y in range(first, shown + 1)]
    provincial_now = {
        r["province_code"]: r["recognised"]
        for r in this_year["provinces"]
        if r["level"] == Level.PROVINCIAL.value
    }
    context: dict[str, Any] = {
        "year": shown,
        "years": years,
        "regions": regions,
        "chart": bar_chart(years, regions),
        "groups": groups,
        "provinces": _per_province(breakdown, names),
        "levels": LEVELS,
        "progress": await _progress(services, shown, names, provincial_now),
        "chosen": province,
    }
    moments = [_moment(found.get("as_of")) for found in (breakdown, this_year, *per_region)]
    if province:
        figures = await _province_figures(services, province, first, shown)
        context |= figures
        moments += [figures["report"].recognition_as_of]
    # The last event any of these figures includes; none yet: the moment they were computed.
    context["updated_at"] = max((m for m in moments if m), default=datetime.now(UTC))
    return render(request, "dashboard/index.html", context)
