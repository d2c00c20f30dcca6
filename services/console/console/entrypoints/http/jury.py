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
from console.service_layer.accounts import accounts_with_roles
from console.service_layer.judging import barred_pairs, spread_sheets
from console.web.errors import error_message
from console.web.i18n import N_, gettext
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


SEAT_FIELDS = ("name", "title", "organisation", "account_id")
BLANK_SEATS = 3  # empty lines the form offers beyond the seats already there


def _seats_of(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seats = [
        {
            "id": str(m["id"]),
            "name": m["name"],
            "title": m["title"],
            "organisation": m["organisation"],
            "account_id": m["account_id"] or "",
            "is_chair": m["is_chair"],
        }
        for m in members
    ]
    blank = {"id": "", "name": "", "title": "", "organisation": "", "account_id": ""}
    wanted = max(BLANK_SEATS, 5 - len(seats)) if len(seats) < 5 else BLANK_SEATS
    return seats + [{**blank, "is_chair": False} for _ in range(wanted)]


async def _jury_form(
    request: Request,
    services: Services,
    round_id: UUID,
    status: int = 200,
    seats: list[dict[str, Any]] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    round_, jury, progress = await asyncio.gather(
        services.json("GET", "registration", f"/api/v1/rounds/{round_id}"),
        services.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/jury"),
        services.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/progress"),
    )
    judges = await accounts_with_roles(request.app.state.engine, access.MAY_JUDGE)
    started = any(m["scored"] for m in progress["members"]) or progress["judging_closed"]
    context = {
        "round": round_,
        "round_id": round_id,
        "formed": bool(jury["members"]),
        "started": started,
        "seats": seats if seats is not None else _seats_of(jury["members"]),
        "judges": judges,
        "errors": errors or {},
    }
    return render(request, "jury/form.html", context, status=status)


@router.get("/{round_id}/jury", response_class=HTMLResponse)
async def jury_form(
    request: Request, _: Organiser, services: ServicesDep, round_id: UUID
) -> Response:
    """Forming the jury (thành lập hội đồng), or correcting it until judging starts."""
    return await _jury_form(request, services, round_id)


@router.post("/{round_id}/jury", response_class=HTMLResponse)
async def save_jury(
    request: Request, _: Organiser, services: ServicesDep, round_id: UUID
) -> Response:
    form = await request.form()
    chair = str(form.get("chair", ""))
    seats: list[dict[str, Any]] = []
    for index in range(int(str(form.get("seats", "0")) or 0)):
        seat: dict[str, Any] = {
            f: str(form.get(f"{f}-{index}", "")).strip() for f in (*SEAT_FIELDS, "id")
        }
        seat["is_chair"] = chair == str(index)
        seats.append(seat)
    judges = {
        str(a.id): a for a in await accounts_with_roles(request.app.state.engine, access.MAY_JUDGE)
    }
    sent: list[int] = []  # which form line each member sent is
    members: list[dict[str, Any]] = []
    for index, seat in enumerate(seats):
        if not any(seat[f] for f in SEAT_FIELDS) and not seat["is_chair"]:
            continue  # an empty line
        name = seat["name"] or (
            judges[seat["account_id"]].display_name if seat["account_id"] in judges else ""
        )
        member: dict[str, Any] = {
            "name": name,
            "title": seat["title"],
            "organisation": seat["organisation"],
            "is_chair": seat["is_chair"],
            "account_id": seat["account_id"] or None,
        }
        if seat["id"]:
            member["id"] = seat["id"]
        members.append(member)
        sent.append(index)
    existing = any(seat["id"] for seat in seats)
    try:
        await services.json(
            "PUT" if existing else "POST",
            "evaluation",
            f"/api/v1/rounds/{round_id}/jury",
            json={"members": members},
        )
    except ServiceRefused as refused:
        errors = _seat_errors(refused, sent)
        return await _jury_form(request, services, round_id, 422, seats=seats, errors=errors)
    return RedirectResponse(f"/jury-progress/{round_id}?jury=saved", status_code=303)


def _seat_errors(refused: ServiceRefused, sent: list[int]) -> dict[str, str]:
    """A refusal's messages under the form line they name (``members.2.name`` → the third
    member sent, wherever it stands on the form); the rest at the top."""
    problems = [
        (str(d.get("field") or ""), str(d.get("code") or "")) for d in refusal_details(refused)
    ]
    errors: dict[str, str] = {}
    for api_field, code in problems:
        parts = api_field.split(".")
        if (
            len(parts) == 3
            and parts[0] == "members"
            and parts[1].isdigit()
            and int(parts[1]) < len(sent)
        ):
            errors.setdefault(f"{parts[2]}-{sent[int(parts[1])]}", error_message(code))
        else:
            errors.setdefault("_form", error_message(code))
    return errors


def refusal_details(refused: ServiceRefused) -> list[dict[str, Any]]:
    return refused.details or [{"field": refused.field, "code": refused.code}]


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
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    acting, _chair = await _acting(services, round_id)
    body = {"override": override, "reason": reason}
    if not confirmed:
        progress = await acting.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/progress")
        missing = sum(m["remaining"] for m in progress["members"])
        consequences = [
            gettext("Judging of the round ends for every member of the jury."),
            gettext("The results and the counts of the sheets go to the certifying authority."),
        ]
        if missing:
            consequences.append(
                gettext("%(n)s score sheets are still missing: they will never be scored.")
                % {"n": missing}
            )
        if override:
            consequences.append(
                gettext("The open spread alerts are overridden: %(reason)s") % {"reason": reason}
            )
        context = {
            "heading": gettext("Close judging?"),
            "consequences": consequences,
            "irreversible": gettext(
                "once judging is closed no score sheet can be saved, changed or declared "
                "conflicted, and it cannot be reopened."
            ),
            "action": f"/jury-progress/{round_id}/close",
            "fields": {"override": "true", "reason": reason} if override else {},
            "confirm_label": gettext("Close judging"),
            "back": f"/jury-progress/{round_id}",
            "back_label": gettext("Jury progress"),
        }
        return render(request, "confirm.html", context)
    try:
        await acting.json(
            "POST", "evaluation", f"/api/v1/rounds/{round_id}/close-judging", json=body
        )
    except ServiceRefused as refused:
        context = await _context(services, round_id)
        context.update(close_errors=field_errors(refused, ["override", "reason"]), close_form=body)
        return render(request, "jury/progress.html", context, status=refused.status)
    return RedirectResponse(f"/jury-progress/{round_id}", status_code=303)
