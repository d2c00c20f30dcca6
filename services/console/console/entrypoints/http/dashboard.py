"""The ministry's national dashboard: products recognised per region and year, and the latest
year's provincial rounds across provinces (status, entries), with the moment the figures were
computed. Figures come from registration's report and round APIs, asked when the page loads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from cnnt_shared.tokens import Role
from console.domain.accounts import Account
from console.domain.charts import bar_chart
from console.entrypoints.http.reports import REGION_NAMES
from console.web.i18n import N_
from console.web.nav import item
from console.web.pages import render
from console.web.services import Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/dashboard", tags=["dashboard"])
NAV = [item(N_("National dashboard"), "/dashboard", Role.MINISTRY)]
Ministry = Annotated[Account, Depends(roles(Role.MINISTRY))]
YEARS_SHOWN = 5
ROUNDS = "/api/v1/rounds"


async def _latest_year(services: Services) -> int:
    """The year of the latest provincial round (rounds are listed newest year first)."""
    latest = await services.json(
        "GET", "registration", ROUNDS, params={"level": "provincial", "size": 1}
    )
    return int(latest["items"][0]["year"]) if latest["items"] else datetime.now(UTC).year


async def _recognised_per_year(services: Services, region: str, first: int, last: int) -> list[int]:
    report = await services.json(
        "GET",
        "registration",
        "/api/v1/reports/recognition",
        params={"scope": region, "from_year": first, "to_year": last},
    )
    per_year = {y: 0 for y in range(first, last + 1)}
    for row in report["by_year"]:
        per_year[row["year"]] += row["recognised"]
    return list(per_year.values())


async def _progress(services: Services, year: int) -> list[dict[str, Any]]:
    """Each province's provincial round of ``year``: its status and entries standing."""
    rounds, provinces = await asyncio.gather(
        services.json(
            "GET", "registration", ROUNDS, params={"level": "provincial", "year": year, "size": 500}
        ),
        services.json("GET", "registration", "/api/v1/provinces"),
    )
    names = {p["code"]: p["name"] for p in provinces}
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
        }
        for r, c in zip(rounds["items"], counts, strict=True)
    ]
    return sorted(rows, key=lambda row: str(row["province"]))


@router.get("", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    _: Ministry,
    services: ServicesDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    shown = year or await _latest_year(services)
    first = shown - YEARS_SHOWN + 1
    per_region = await asyncio.gather(
        *(_recognised_per_year(services, r.value, first, shown) for r in REGION_NAMES)
    )
    regions = dict(zip(REGION_NAMES.values(), per_region, strict=True))
    years = [str(y) for y in range(first, shown + 1)]
    context = {
        "year": shown,
        "years": years,
        "regions": regions,
        "chart": bar_chart(years, regions),
        "progress": await _progress(services, shown),
        "computed_at": datetime.now(UTC),
    }
    return render(request, "dashboard/index.html", context)
