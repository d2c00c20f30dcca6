"""Dossiers (hồ sơ): the receiving desk of a round (province officers, the ministry), one entry's
dossier with its parts, uploads and the desk's steps, and the files themselves for everyone
registration's read policy admits (the desk, the round's jury, certifiers, the ministry).

Every call goes to registration with the signed-in person's token; registration decides again
who may read or act. Forms post and redirect, so the pages work without JavaScript."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.web.dates import iso
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.pages import field_errors, render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(tags=["dossiers"])
Desk = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
Reader = Annotated[Account, Depends(roles(access.MAY_READ_DOSSIERS))]
FORM_FIELDS = ("file", "part", "reasons", "deadline", "received_on", "receiver", "movement")
STEPS = {
    "file_added": N_("File added"),
    "file_removed": N_("File removed"),
    "received": N_("Received"),
    "sample_received": N_("Sample received"),
    "sample_returned": N_("Sample handed back"),
    "returned": N_("Returned for supplement"),
    "accepted": N_("Accepted"),
}
STATUS = {
    "open": N_("Being put together"),
    "received": N_("Received"),
    "returned": N_("Returned for supplement"),
    "accepted": N_("Accepted"),
}
# Headers of a file passed on from registration: what it is, how to show it, and that it runs
# nothing (a PDF opened inline is data, not a page of the console).
PASSED_ON = ("content-type", "content-disposition", "cache-control", "x-content-type-options")


async def _dossier_page(
    request: Request, services: Services, entry_id: UUID, status: int = 200, **extra: Any
) -> Response:
    dossier = await services.json("GET", "registration", f"/api/v1/entries/{entry_id}/dossier")
    entry = await services.json("GET", "registration", f"/api/v1/entries/{entry_id}")
    context = {
        "dossier": dossier,
        "entry": entry,
        "status_label": STATUS,
        "step_label": STEPS,
        "errors": {},
        **extra,
    }
    return render(request, "dossiers/dossier.html", context, status=status)


def _errors(refused: ServiceRefused, dossier_limit_mb: int | None = None) -> dict[str, str]:
    errors = field_errors(refused, FORM_FIELDS)
    if dossier_limit_mb is not None:
        errors = {k: v.replace("{limit_mb}", str(dossier_limit_mb)) for k, v in errors.items()}
    return errors


@router.get("/rounds/{round_id}/dossiers", response_class=HTMLResponse)
async def desk_page(request: Request, _: Desk, services: ServicesDep, round_id: UUID) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    desk = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}/dossiers")
    context = {"round": round_, "desk": desk, "status_label": STATUS}
    return render(request, "dossiers/desk.html", context)


@router.get("/dossiers/{entry_id}", response_class=HTMLResponse)
async def dossier_page(
    request: Request, _: Desk, services: ServicesDep, entry_id: UUID
) -> Response:
    return await _dossier_page(request, services, entry_id)


@router.post("/dossiers/{entry_id}/files", response_class=HTMLResponse)
async def upload(
    request: Request,
    _: Desk,
    services: ServicesDep,
    entry_id: UUID,
    part: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The file goes on to registration as it came (spooled to disk by the form parser, read
    from there), which judges it by content and stores it or refuses it whole."""
    if file is None or not file.filename:
        errors = {"_form": error_message("file_missing")}
        return await _dossier_page(request, services, entry_id, 422, errors=errors)
    try:
        await services.call(
            "POST",
            "registration",
            f"/api/v1/entries/{entry_id}/dossier/files",
            data={"part": part},
            files={"file": (file.filename, file.file, file.content_type or "")},
        )
    except ServiceRefused as refused:
        limit = None
        if refused.code == "file_too_large":
            found = await services.json("GET", "registration", "/api/v1/dossier-parts")
            limit = int(found["max_file_bytes"]) // 1_000_000
        errors = _errors(refused, limit)
        return await _dossier_page(
            request, services, entry_id, refused.status, errors=errors, failed_part=part
        )
    return RedirectResponse(f"/dossiers/{entry_id}?added={part}", status_code=303)


@router.post("/dossiers/{entry_id}/files/{file_id}/delete", response_class=HTMLResponse)
async def remove(
    request: Request, _: Desk, services: ServicesDep, entry_id: UUID, file_id: UUID
) -> Response:
    return await _step(
        request, services, entry_id, "DELETE", f"/dossier/files/{file_id}", None, "removed"
    )


@router.post("/dossiers/{entry_id}/receive", response_class=HTMLResponse)
async def receive(
    request: Request,
    _: Desk,
    services: ServicesDep,
    entry_id: UUID,
    received_on: Annotated[str, Form()] = "",
    receiver: Annotated[str, Form()] = "",
) -> Response:
    body: dict[str, Any] = {"receiver": receiver.strip()}
    if received_on.strip():
        body["received_on"] = iso(received_on)
    return await _step(request, services, entry_id, "POST", "/dossier/receive", body, "received")


@router.post("/dossiers/{entry_id}/sample", response_class=HTMLResponse)
async def sample(
    request: Request,
    _: Desk,
    services: ServicesDep,
    entry_id: UUID,
    movement: Annotated[str, Form()] = "",
) -> Response:
    body = {"movement": movement}
    return await _step(request, services, entry_id, "POST", "/dossier/sample", body, "sample")


@router.post("/dossiers/{entry_id}/return", response_class=HTMLResponse)
async def return_for_supplement(
    request: Request, _: Desk, services: ServicesDep, entry_id: UUID
) -> Response:
    """One reason field per part (``reason-<part>``), the blank ones left out, and a deadline."""
    form = await request.form()
    reasons = {
        str(key).removeprefix("reason-"): str(value)
        for key, value in form.items()
        if str(key).startswith("reason-") and isinstance(value, str) and value.strip()
    }
    body = {"reasons": reasons, "deadline": iso(str(form.get("deadline") or "")) or None}
    return await _step(request, services, entry_id, "POST", "/dossier/return", body, "returned")


@router.post("/dossiers/{entry_id}/accept", response_class=HTMLResponse)
async def accept(request: Request, _: Desk, services: ServicesDep, entry_id: UUID) -> Response:
    return await _step(request, services, entry_id, "POST", "/dossier/accept", None, "accepted")


async def _step(
    request: Request,
    services: Services,
    entry_id: UUID,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    done: str,
) -> Response:
    try:
        await services.call(method, "registration", f"/api/v1/entries/{entry_id}{path}", json=body)
    except ServiceRefused as refused:
        return await _dossier_page(
            request, services, entry_id, refused.status, errors=_errors(refused)
        )
    return RedirectResponse(f"/dossiers/{entry_id}?done={done}", status_code=303)


@router.get("/dossier-files/{file_id}")
async def file_content(
    _: Reader, services: ServicesDep, file_id: UUID, thumbnail: bool = False
) -> Response:
    """The file (or its thumbnail) as registration serves it to this person, opened inline."""
    what = "thumbnail" if thumbnail else "content"
    answer = await services.call("GET", "registration", f"/api/v1/dossier-files/{file_id}/{what}")
    headers = {k: v for k, v in answer.headers.items() if k.lower() in PASSED_ON}
    headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return Response(answer.content, status_code=200, headers=headers)


async def for_judges(services: Services, entry_id: str) -> dict[str, Any] | None:
    """An entry's dossier as the judging pages show it (description, photos, documents), or
    ``None`` while registration does not show it to this judge yet (their seat's event is on
    its way) or the entry has none."""
    try:
        found: dict[str, Any] = await services.json(
            "GET", "registration", f"/api/v1/entries/{entry_id}/dossier"
        )
    except ServiceRefused:
        return None
    parts = {p["code"]: p["files"] for p in found["parts"]}
    return {
        "photos": parts.get("photos", []),
        "documents": [f for code, files in parts.items() if code not in ("photos",) for f in files],
        "status": found["status"],
    }
