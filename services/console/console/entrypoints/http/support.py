"""The support officer's pages (khuyến công): schemes with their budgets per source, a scheme's
applications with their priority band, the allocation run as preview → confirm → grants, and
a grant to one application. The ministry reads them too; only a support officer moves money."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.nav import item
from console.web.pages import render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/support", tags=["support"])
NAV = [item(N_("Khuyến công support"), "/support", access.MAY_READ_SUPPORT)]
Reader = Annotated[Account, Depends(roles(access.MAY_READ_SUPPORT))]
Officer = Annotated[Account, Depends(roles(access.MAY_ALLOCATE_SUPPORT))]
SOURCES = ("national", "local", "counterpart")
ALL = "?size=500"  # one page holds a scheme's applications and grants (the API's maximum)


@router.get("", response_class=HTMLResponse)
async def schemes_page(request: Request, _: Reader, services: ServicesDep) -> Response:
    found = await services.json("GET", "support", f"/api/v1/schemes{ALL}")
    return render(request, "support/schemes.html", {"schemes": found["items"], "sources": SOURCES})


async def _context(services: Services, scheme_id: UUID) -> dict[str, Any]:
    base = f"/api/v1/schemes/{scheme_id}"
    scheme, applications, grants = await asyncio.gather(
        services.json("GET", "support", base),
        services.json("GET", "support", f"{base}/applications{ALL}"),
        services.json("GET", "support", f"{base}/grants{ALL}"),
    )
    plan: dict[str, Any] | None = None
    plan_refusal = ""
    if scheme["status"] == "open":
        try:
            plan = await services.json("GET", "support", f"{base}/allocation-preview")
        except ServiceRefused as refused:  # shown where the plan would be, not swallowed
            plan_refusal = error_message(refused.code, refused.message)
    decisions = {d["application_id"]: d for d in (plan or {}).get("decisions", [])}
    granted = {g["application_id"]: g for g in grants["items"]}
    return {
        "scheme": scheme,
        "applications": applications["items"],
        "grants": grants["items"],
        "granted": granted,
        "plan": plan,
        "decisions": decisions,
        "plan_refusal": plan_refusal,
        "sources": SOURCES,
        "names": {a["id"]: a["facility_name"] for a in applications["items"]},
        "errors": {},
        "row_errors": {},
        "may_allocate": access.may_allocate_support(services.account),
        "request_id": uuid4().hex,  # one grant form, one key: a double click grants once
    }


@router.get("/{scheme_id}", response_class=HTMLResponse)
async def scheme_page(
    request: Request, _: Reader, services: ServicesDep, scheme_id: UUID
) -> Response:
    return render(request, "support/scheme.html", await _context(services, scheme_id))


@router.post("/{scheme_id}/allocation", response_class=HTMLResponse)
async def run_allocation(
    request: Request,
    _: Officer,
    services: ServicesDep,
    scheme_id: UUID,
    digest: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Confirms the plan the officer saw: the service refuses a run whose plan changed since.
    The key is the plan's digest, so a second click on the same preview grants nothing twice."""
    try:
        await services.json(
            "POST",
            "support",
            f"/api/v1/schemes/{scheme_id}/allocation-runs",
            json={"expected_digest": digest or None},
            headers={"Idempotency-Key": f"console-allocation-{scheme_id}-{digest}"},
        )
    except ServiceRefused as refused:
        context = await _context(services, scheme_id)
        context["errors"] = {"_form": error_message(refused.code, refused.message)}
        return render(request, "support/scheme.html", context, status=refused.status)
    return RedirectResponse(f"/support/{scheme_id}#grants", status_code=303)


@router.post("/{scheme_id}/applications/{application_id}/grant", response_class=HTMLResponse)
async def grant(
    request: Request,
    _: Officer,
    services: ServicesDep,
    scheme_id: UUID,
    application_id: UUID,
    request_id: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Grants what the application asks; a refusal is shown on the application's row."""
    try:
        await services.json(
            "POST",
            "support",
            f"/api/v1/applications/{application_id}/grant",
            json={},
            headers={"Idempotency-Key": f"console-grant-{application_id}-{request_id}"},
        )
    except ServiceRefused as refused:
        context = await _context(services, scheme_id)
        context["row_errors"] = {str(application_id): error_message(refused.code, refused.message)}
        return render(request, "support/scheme.html", context, status=refused.status)
    return RedirectResponse(f"/support/{scheme_id}#grants", status_code=303)
