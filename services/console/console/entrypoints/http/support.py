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
from console.web import dates
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.nav import item
from console.web.pages import field_errors, render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/support", tags=["support"])
NAV = [item(N_("Khuyến công support"), "/support", access.MAY_READ_SUPPORT)]
Reader = Annotated[Account, Depends(roles(access.MAY_READ_SUPPORT))]
Officer = Annotated[Account, Depends(roles(access.MAY_ALLOCATE_SUPPORT))]
SOURCES = ("national", "local", "counterpart")
ALL = "?size=500"  # one page holds a scheme's applications and grants (the API's maximum)
SCHEME_FIELDS = ("code", "title", "kind", "year", "scope_code", *(f"budget_{s}" for s in SOURCES))
BUDGET_ALIASES = {s: f"budget_{s}" for s in SOURCES}


def whole_vnd(typed: str) -> int | str | None:
    """``1.234.567 ₫`` (or ``1234567``) as typed, to whole đồng; nothing typed is no budget
    from that source. Anything else goes to the service as typed, which refuses it by field."""
    digits = typed.replace(".", "").replace(" ", "").replace("\xa0", "").removesuffix("₫")
    if not digits:
        return None
    return int(digits) if digits.isdigit() else typed


class SchemeForm:
    def __init__(
        self,
        code: Annotated[str, Form(max_length=200)] = "",
        title: Annotated[str, Form(max_length=1000)] = "",
        kind: Annotated[str, Form(max_length=60)] = "",
        year: Annotated[str, Form(max_length=10)] = "",
        scope_code: Annotated[str, Form(max_length=60)] = "",
        budget_national: Annotated[str, Form(max_length=40)] = "",
        budget_local: Annotated[str, Form(max_length=40)] = "",
        budget_counterpart: Annotated[str, Form(max_length=40)] = "",
    ) -> None:
        self.values = {
            "code": code.strip(),
            "title": title.strip(),
            "kind": kind,
            "year": year.strip(),
            "scope_code": scope_code.strip(),
            "budget_national": budget_national.strip(),
            "budget_local": budget_local.strip(),
            "budget_counterpart": budget_counterpart.strip(),
        }

    def body(self) -> dict[str, Any]:
        v = self.values
        budget = {s: whole_vnd(v[f"budget_{s}"]) for s in SOURCES}
        return {
            "code": v["code"],
            "title": v["title"],
            "kind": v["kind"] or None,
            "year": v["year"] or None,
            "scope_code": v["scope_code"],
            "budget": {s: amount for s, amount in budget.items() if amount is not None},
        }


async def _schemes(
    request: Request, services: Services, status: int = 200, **extra: Any
) -> Response:
    found = await services.json("GET", "support", f"/api/v1/schemes{ALL}")
    province = access.province_held_to(services.account)
    form = {"year": str(dates.today(request).year), "scope_code": province or ""}
    context = {
        "schemes": found["items"],
        "sources": SOURCES,
        "may_allocate": access.may_allocate_support(services.account),
        "form": form,
        "errors": {},
        **extra,
    }
    return render(request, "support/schemes.html", context, status=status)


@router.get("", response_class=HTMLResponse)
async def schemes_page(request: Request, _: Reader, services: ServicesDep) -> Response:
    return await _schemes(request, services)


@router.post("", response_class=HTMLResponse)
async def create_scheme(
    request: Request,
    _: Officer,
    services: ServicesDep,
    form: Annotated[SchemeForm, Depends()],
) -> Response:
    """A new scheme (a draft, with its budget per funding source); a refusal is shown next to
    the field it names."""
    try:
        created = await services.json("POST", "support", "/api/v1/schemes", json=form.body())
    except ServiceRefused as refused:
        errors = field_errors(refused, SCHEME_FIELDS, BUDGET_ALIASES)
        return await _schemes(request, services, 422, errors=errors, form=form.values)
    return RedirectResponse(f"/support/{created['id']}", status_code=303)


@router.post("/{scheme_id}/open", response_class=HTMLResponse)
async def open_scheme(
    request: Request, _: Officer, services: ServicesDep, scheme_id: UUID
) -> Response:
    """Opens a draft scheme to applications and allocation."""
    try:
        await services.json("POST", "support", f"/api/v1/schemes/{scheme_id}/open")
    except ServiceRefused as refused:
        context = await _context(services, scheme_id)
        context["errors"] = {"_form": error_message(refused.code, refused.message)}
        return render(request, "support/scheme.html", context, status=refused.status)
    return RedirectResponse(f"/support/{scheme_id}", status_code=303)


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
