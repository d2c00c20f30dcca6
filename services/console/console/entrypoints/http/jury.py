"""The chair's and the organiser's pages (chủ tịch hội đồng, Sở Công Thương): progress per
member, spread alerts with the totals side by side, recusals, and closing judging."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.service_layer.judging import barred_pairs, spread_sheets
from console.web.i18n import N_
from console.web.nav import SELECTION, item
from console.web.pages import field_errors, render
from console.web.seats import seat
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/jury-progress", tags=["jury progress"])
NAV = [item(N_("Judging"), "/jury-progress", access.MAY_ORGANISE, group=SELECTION)]
Organiser = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
ChairOrOrganiser = Annotated[Account, Depends(roles(access.MAY_FOLLOW_A_JURY))]


async def rounds_in_scope(services: Services) -> list[dict[str, Any]]:
    """Registration's rounds the signed-in person's scope covers (all, for the whole country)."""
    scope = access.rounds_scope(services.account)
    params = {"size": 100} if scope is None else {"size": 100, "scope_code": scope}
    page = await services.json("GET", "registration", "/api/v1/rounds", params=params)
    return list(page["items"])


@router.get("", response_class=HTMLResponse)
async def rounds_page(request: Request, _: Organiser, services: ServicesDep) -> Response:
    return render(request, "jury/rounds.html", {"rounds": await rounds_in_scope(services)})


async def _acting(services: Services, round_id: UUID) -> tuple[Services, bool]:
    """Services speaking for the chair (a judge's seat, refused unless they chair) or for the
    organiser; and whether the chair acts."""
    if not access.acts_from_a_seat(services.account):
        return services, False
    seated, jury = await seat(services, round_id)
    access.authorise_chair(jury)
    return seated, True


async def _context(services: Services, round_id: UUID) -> dict[str, Any]:
    acting, by_chair = await _acting(services, round_id)
    progress, jury, entries = await asyncio.gather(
        acting.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/progress"),
        acting.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/jury"),
        acting.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/entries"),
    )
    flagged = [e["entry_id"] for e in progress["entries"] if e["flagged"]]
    names = {m["id"]: m["name"] for m in jury["members"]}
    products = {e["entry_id"]: e["product_name"] for e in progress["entries"]}
    # A conflict is declared with a facility: the line names the facility's products entered.
    of_facility: dict[str, list[str]] = {}
    for e in entries:
        of_facility.setdefault(e["facility_id"], []).append(products.get(e["id"], ""))
    named = {f: ", ".join(sorted(p for p in n if p)) for f, n in of_facility.items()}
    return {
        "conflict_products": named,
        "round_id": round_id,
        "progress": progress,
        "jury": jury,
        "names": names,
        "products": products,
        "spreads": await spread_sheets(acting, round_id, flagged, barred_pairs(jury, entries)),
        "by_chair": by_chair,
        "errors": {},
    }


@router.get("/{round_id}", response_class=HTMLResponse)
async def progress_page(
    request: Request, _: ChairOrOrganiser, services: ServicesDep, round_id: UUID
) -> Response:
    return render(request, "jury/progress.html", await _context(services, round_id))


@router.post("/{round_id}/recusals", response_class=HTMLResponse)
async def recuse(
    request: Request,
    _: ChairOrOrganiser,
    services: ServicesDep,
    round_id: UUID,
    member_id: Annotated[str, Form()] = "",
    entry_id: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    acting, _chair = await _acting(services, round_id)
    body = {"member_id": member_id or None, "entry_id": entry_id or None, "reason": reason}
    try:
        await acting.json("POST", "evaluation", "/api/v1/recusals", json=body)
    except ServiceRefused as refused:
        context = await _context(services, round_id)
        errors = field_errors(refused, ["member_id", "entry_id", "reason"])
        context.update(recusal_errors=errors, recusal_form=body)
        return render(request, "jury/progress.html", context, status=refused.status)
    return RedirectResponse(f"/jury-progress/{round_id}", status_code=303)


@router.post("/{round_id}/close", response_class=HTMLResponse)
async def close_judging(
    request: Request,
    _: ChairOrOrganiser,
    services: ServicesDep,
    round_id: UUID,
    override: Annotated[bool, Form()] = False,
    reason: Annotated[str, Form()] = "",
) -> Response:
    acting, _chair = await _acting(services, round_id)
    body = {"override": override, "reason": reason}
    try:
        await acting.json(
            "POST", "evaluation", f"/api/v1/rounds/{round_id}/close-judging", json=body
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id)
        context.update(close_errors=field_errors(refused, ["override", "reason"]), close_form=body)
        return render(request, "jury/progress.html", context, status=refused.status)
    return RedirectResponse(f"/jury-progress/{round_id}", status_code=303)
