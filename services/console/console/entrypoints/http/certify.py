"""The certifier's pages (cơ quan công nhận): the results preview with its completeness, the
decision (quyết định công nhận), the round's certificates, their PDF and their revocation."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account
from console.domain.collation import vietnamese_key
from console.entrypoints.http.jury import rounds_in_scope
from console.service_layer import access
from console.web import dates
from console.web.i18n import N_
from console.web.nav import RECOGNITION, item
from console.web.pages import field_errors, render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/certification", tags=["certification"])
NAV = [
    item(
        N_("Results and certificates"),
        "/certification",
        access.MAY_CERTIFY,
        group=RECOGNITION,
    ),
    item(
        N_("Certificates"),
        "/certification/certificates",
        access.MAY_CERTIFY,
        group=RECOGNITION,
    ),
]
Certifier = Annotated[Account, Depends(roles(access.MAY_CERTIFY))]
DECISION_FIELDS = ["number", "decided_on", "issuer", "place", "signatory_title", "signatory_name"]
CERTIFICATE_FILTERS = ("province", "level", "year", "status")
CERTIFICATES_PER_PAGE = 25


@router.get("", response_class=HTMLResponse)
async def rounds_page(request: Request, _: Certifier, services: ServicesDep) -> Response:
    return render(request, "certify/rounds.html", {"rounds": await rounds_in_scope(services)})


# Before "/{round_id}": a round id is a UUID, and FastAPI would refuse "certificates" as one.
@router.get("/certificates", response_class=HTMLResponse)
async def certificates_page(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    province: Annotated[str, Query(max_length=40)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    year: Annotated[str, Query(max_length=10)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """Every certificate certification lists, filtered as its ``GET /certificates`` filters
    (province as recorded or a current unit, level, round year, standing), a page at a time;
    the figures are the service's own (its total, its page)."""
    form = {"province": province, "level": level, "year": year.strip(), "status": status}
    params: dict[str, Any] = {k: v for k, v in form.items() if v}
    params |= {"page": page, "size": CERTIFICATES_PER_PAGE}
    provinces = await services.json("GET", "registration", "/api/v1/provinces")
    errors: dict[str, str] = {}
    found: dict[str, Any] = {"items": [], "total": 0, "page": page, "size": CERTIFICATES_PER_PAGE}
    try:
        found = await services.json("GET", "certification", "/api/v1/certificates", params=params)
    except ServiceRefused as refused:
        if refused.status != 422:
            raise
        errors = field_errors(refused, list(CERTIFICATE_FILTERS))
    pages = max(1, -(-int(found["total"]) // CERTIFICATES_PER_PAGE))
    query = urlencode({k: v for k, v in form.items() if v})
    context = {
        "form": form,
        "errors": errors,
        "found": found,
        "pages": pages,
        "query": query,
        "provinces": sorted(provinces, key=lambda p: (not p["current"], vietnamese_key(p["name"]))),
        "province_names": {p["code"]: p["name"] for p in provinces},
    }
    return render(request, "certify/certificates.html", context, status=422 if errors else 200)


async def _context(services: Services, round_id: UUID, today: date) -> dict[str, Any]:
    preview = await services.json("GET", "certification", f"/api/v1/rounds/{round_id}/preview")
    numbers = [r["certificate_number"] for r in preview["results"] if r["certificate_number"]]
    verified = await asyncio.gather(
        *(services.json("GET", "certification", f"/api/v1/verify/{n}") for n in numbers)
    )
    # Sheets counted per entry; certification's tally, when it gives one, says what it expects.
    lines = preview["results"]
    return {
        "round_id": round_id,
        "preview": preview,
        "received": sum(r["judges"] for r in lines),
        "certificates": verified,
        "errors": {},
        "form": {},
        "today": dates.typed(today),
    }


@router.get("/{round_id}", response_class=HTMLResponse)
async def round_page(
    request: Request, _: Certifier, services: ServicesDep, round_id: UUID
) -> Response:
    return render(
        request, "certify/round.html", await _context(services, round_id, dates.today(request))
    )


@router.post("/{round_id}/decision", response_class=HTMLResponse)
async def decide(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    round_id: UUID,
    number: Annotated[str, Form()] = "",
    decided_on: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    signatory_title: Annotated[str, Form()] = "",
    signatory_name: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "number": number,
        "decided_on": dates.iso(decided_on) or None,
        "issuer": issuer,
        "place": place,
        "signatory_title": signatory_title,
        "signatory_name": signatory_name,
    }
    try:
        await services.json(
            "POST", "certification", f"/api/v1/rounds/{round_id}/decision", json=form
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id, dates.today(request))
        typed = {**form, "decided_on": decided_on}  # sent back as the person typed it
        context.update(errors=field_errors(refused, DECISION_FIELDS), form=typed)
        return render(request, "certify/round.html", context, status=refused.status)
    return RedirectResponse(f"/certification/{round_id}", status_code=303)


@router.get("/certificates/{number}.pdf")
async def certificate_pdf(_: Certifier, services: ServicesDep, number: str) -> Response:
    found = await services.call("GET", "certification", f"/api/v1/certificates/{number}/pdf")
    headers = {"Content-Disposition": f'attachment; filename="{number}.pdf"'}
    return Response(found.content, media_type="application/pdf", headers=headers)


@router.get("/decisions/{decision_id}.pdf")
async def decision_pdf(_: Certifier, services: ServicesDep, decision_id: UUID) -> Response:
    found = await services.call("GET", "certification", f"/api/v1/decisions/{decision_id}/pdf")
    headers = {"Content-Disposition": f'attachment; filename="quyet-dinh-{decision_id}.pdf"'}
    return Response(found.content, media_type="application/pdf", headers=headers)


@router.post("/{round_id}/certificates/{number}/revocation", response_class=HTMLResponse)
async def revoke(
    request: Request,
    _: Certifier,
    services: ServicesDep,
    round_id: UUID,
    number: str,
    decision_number: Annotated[str, Form()] = "",
    decided_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    body = {
        "number": decision_number,
        "decided_on": dates.iso(decided_on) or None,
        "reason": reason,
    }
    try:
        await services.json(
            "POST", "certification", f"/api/v1/certificates/{number}/revocation", json=body
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id, dates.today(request))
        errors = field_errors(refused, ["decided_on", "reason"])
        if refused.form_field == "number":
            errors = {"decision_number": errors.get("_form", "")}
        typed = {**body, "decided_on": decided_on}
        context.update(revoke_errors=errors, revoking=number, revoke_form=typed)
        return render(request, "certify/round.html", context, status=refused.status)
    return RedirectResponse(f"/certification/{round_id}#certificates", status_code=303)
