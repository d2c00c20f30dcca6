"""Rounds (đợt bình chọn): create, open and close registration, and a round's entries with
their status."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.web import dates
from console.web.dates import iso
from console.web.i18n import N_, gettext
from console.web.nav import SELECTION, item
from console.web.pages import field_errors, render
from console.web.services import ServiceRefused, ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/rounds", tags=["rounds"])
NAV = [item(N_("Rounds"), "/rounds", access.MAY_ORGANISE, group=SELECTION)]
Officer = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
ROUND_FIELDS = ("name", "level", "scope_code", "year", "opens_on", "closes_on")


class RoundForm:
    def __init__(
        self,
        name: Annotated[str, Form()] = "",
        level: Annotated[str, Form()] = "provincial",
        scope_code: Annotated[str, Form()] = "",
        year: Annotated[str, Form()] = "",
        opens_on: Annotated[str, Form()] = "",
        closes_on: Annotated[str, Form()] = "",
    ) -> None:
        self.values = {
            "name": name.strip(),
            "level": level,
            "scope_code": scope_code.strip(),
            "year": year.strip(),
            "opens_on": opens_on.strip(),
            "closes_on": closes_on.strip(),
        }

    def body(self) -> dict[str, Any]:
        v = self.values
        return {
            **v,
            "level": v["level"] or None,
            "year": v["year"] or None,
            "opens_on": iso(v["opens_on"]) or None,
            "closes_on": iso(v["closes_on"]) or None,
        }


async def _list(
    request: Request, account: Account, services: ServicesDep, status: int = 200, **extra: Any
) -> Response:
    params: dict[str, Any] = {"size": 200}
    province = access.province_held_to(account)
    if province is not None:
        params["scope_code"] = province
    found = await services.json("GET", "registration", "/api/v1/rounds", params=params)
    today = dates.today(request)
    default_form = {
        "level": "provincial",
        "scope_code": province or "",
        "year": str(today.year),
    }
    picker = await _commune_picker(request, services, province)
    context = {"rounds": found["items"], "form": default_form, **picker, **extra}
    return render(request, "rounds/list.html", context, status=status)


async def _commune_picker(
    request: Request, services: ServicesDep, province: str | None
) -> dict[str, Any]:
    """The communes (2025) of a province whose name matches what was typed, without
    diacritics, from registration's list: a commune round's scope is the chosen one's code."""
    wanted = request.query_params.get("commune_q", "").strip()
    where = request.query_params.get("commune_province", "").strip() or province or ""
    picker: dict[str, Any] = {
        "commune_q": wanted,
        "commune_province": where,
        "communes": [],
        "commune_errors": {},
    }
    if not wanted or not where:
        return picker
    try:
        picker["communes"] = await services.json(
            "GET", "registration", f"/api/v1/provinces/{where}/communes", params={"q": wanted}
        )
    except ServiceRefused as refused:
        picker["commune_errors"] = field_errors(refused, ("code",))
    return picker


@router.get("", response_class=HTMLResponse)
async def list_rounds(request: Request, account: Officer, services: ServicesDep) -> Response:
    return await _list(request, account, services)


@router.post("", response_class=HTMLResponse)
async def create_round(
    request: Request,
    account: Officer,
    services: ServicesDep,
    form: Annotated[RoundForm, Depends()],
) -> Response:
    try:
        created = await services.json("POST", "registration", "/api/v1/rounds", json=form.body())
    except ServiceRefused as refused:
        errors = field_errors(refused, ROUND_FIELDS)
        return await _list(request, account, services, 422, errors=errors, form=form.values)
    return RedirectResponse(f"/rounds/{created['id']}", status_code=303)


async def _detail(
    request: Request, services: ServicesDep, round_id: UUID, status: int = 200, **extra: Any
) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    entries = await services.json(
        "GET",
        "registration",
        f"/api/v1/rounds/{round_id}/entries",
        params={"include_withdrawn": "true", "size": 500},
    )
    context = {"round": round_, "entries": entries, **extra}
    return render(request, "rounds/detail.html", context, status=status)


@router.get("/{round_id}", response_class=HTMLResponse)
async def show_round(
    request: Request, _: Officer, services: ServicesDep, round_id: UUID
) -> Response:
    return await _detail(request, services, round_id)


@router.post("/{round_id}/edit", response_class=HTMLResponse)
async def edit_round(
    request: Request,
    _: Officer,
    services: ServicesDep,
    round_id: UUID,
    name: Annotated[str, Form()] = "",
    opens_on: Annotated[str, Form()] = "",
    closes_on: Annotated[str, Form()] = "",
) -> Response:
    """A draft round corrected: its name and registration window."""
    typed = {"name": name.strip(), "opens_on": opens_on.strip(), "closes_on": closes_on.strip()}
    body = {
        "name": typed["name"],
        "opens_on": iso(typed["opens_on"]) or None,
        "closes_on": iso(typed["closes_on"]) or None,
    }
    try:
        await services.json("PUT", "registration", f"/api/v1/rounds/{round_id}", json=body)
    except ServiceRefused as refused:
        errors = field_errors(refused, ("name", "opens_on", "closes_on"))
        return await _detail(
            request, services, round_id, status=refused.status, errors=errors, edit=typed
        )
    return RedirectResponse(f"/rounds/{round_id}?edited=1", status_code=303)


@router.post("/{round_id}/open", response_class=HTMLResponse)
async def open_round(
    request: Request, _: Officer, services: ServicesDep, round_id: UUID
) -> Response:
    return await _act(request, services, round_id, "open")


@router.post("/{round_id}/close", response_class=HTMLResponse)
async def close_round(
    request: Request, _: Officer, services: ServicesDep, round_id: UUID
) -> Response:
    return await _act(request, services, round_id, "close")


async def _act(request: Request, services: ServicesDep, round_id: UUID, action: str) -> Response:
    try:
        await services.call("POST", "registration", f"/api/v1/rounds/{round_id}/{action}")
    except ServiceRefused as refused:
        errors = field_errors(refused, ())
        return await _detail(request, services, round_id, status=422, errors=errors)
    return RedirectResponse(f"/rounds/{round_id}", status_code=303)


@router.post("/{round_id}/entries/{entry_id}/withdraw", response_class=HTMLResponse)
async def withdraw_entry(
    request: Request,
    _: Officer,
    services: ServicesDep,
    round_id: UUID,
    entry_id: UUID,
    reason: Annotated[str, Form()] = "",
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    """Rút hồ sơ: the entry leaves the round (before registration closes), after a
    confirmation; evaluation and certification learn it from registration's event."""
    if not confirmed:
        entry = await services.json("GET", "registration", f"/api/v1/entries/{entry_id}")
        context = {
            "heading": gettext("Withdraw this entry?"),
            "consequences": [
                gettext("%(product)s of %(facility)s leaves the round: it is not judged.")
                % {"product": entry["product_name"], "facility": entry["facility_name"]},
                gettext("Reason: %(reason)s") % {"reason": reason or "—"},
            ],
            "irreversible": gettext(
                "a withdrawn entry stays withdrawn; the product can only be registered again "
                "while the round is open."
            ),
            "action": f"/rounds/{round_id}/entries/{entry_id}/withdraw",
            "fields": {"reason": reason},
            "confirm_label": gettext("Withdraw the entry"),
            "back": f"/rounds/{round_id}",
            "back_label": gettext("Rounds"),
        }
        return render(request, "confirm.html", context)
    try:
        await services.call(
            "POST",
            "registration",
            f"/api/v1/entries/{entry_id}/withdraw",
            json={"reason": reason.strip()},
        )
    except ServiceRefused as refused:
        errors = field_errors(refused, ())
        return await _detail(request, services, round_id, status=refused.status, errors=errors)
    return RedirectResponse(f"/rounds/{round_id}", status_code=303)
