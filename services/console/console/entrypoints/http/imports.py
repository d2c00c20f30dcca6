"""Dossier import (nhập danh sách hồ sơ): upload an XLSX or CSV list, see the dry run row by
row (accepted, already registered, refused with the reason), then commit it."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.dossier_files import COLUMNS, template_xlsx, to_service_csv
from console.domain.accounts import Account
from console.service_layer import access
from console.web.errors import error_message
from console.web.pages import render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(tags=["imports"])
Officer = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_OF = dict(COLUMNS)


async def _send(services: Services, round_id: UUID, csv: bytes, *, dry_run: bool) -> Any:
    files = {"file": ("danh-sach.csv", csv, "text/csv")}
    return await services.json(
        "POST",
        "registration",
        f"/api/v1/rounds/{round_id}/imports",
        params={"dry_run": "true" if dry_run else "false"},
        files=files,
    )


def _page(request: Request, round_: dict[str, Any], status: int = 200, **context: Any) -> Response:
    full = {"round": round_, "header_of": HEADER_OF, "report": None, "payload": "", **context}
    return render(request, "imports/upload.html", full, status=status)


@router.get("/rounds/{round_id}/import", response_class=HTMLResponse)
async def upload_page(
    request: Request, _: Officer, services: ServicesDep, round_id: UUID
) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    return _page(request, round_)


@router.post("/rounds/{round_id}/import", response_class=HTMLResponse)
async def preview(
    request: Request,
    _: Officer,
    services: ServicesDep,
    round_id: UUID,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    content = await file.read() if file is not None else b""
    if not content:
        return _page(request, round_, 422, errors={"file": error_message("file_missing")})
    try:
        csv = to_service_csv(file.filename or "" if file else "", content)
        report = await _send(services, round_id, csv, dry_run=True)
    except (ValueError, OSError, KeyError) as exc:  # not a spreadsheet openpyxl or csv can read
        errors = {"file": error_message("file_unreadable", str(exc)[:200])}
        return _page(request, round_, 422, errors=errors)
    except ServiceRefused as refused:
        return _page(request, round_, 422, errors={"file": error_message(refused.code)})
    payload = base64.b64encode(csv).decode("ascii")
    return _page(request, round_, report=report, payload=payload)


@router.post("/rounds/{round_id}/import/commit", response_class=HTMLResponse)
async def commit(
    request: Request,
    _: Officer,
    services: ServicesDep,
    round_id: UUID,
    payload: Annotated[str, Form()],
) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    try:
        csv = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return _page(request, round_, 422, errors={"file": error_message("import_conflict")})
    try:
        report = await _send(services, round_id, csv, dry_run=False)
    except ServiceRefused as refused:
        context: dict[str, Any] = {"errors": {"_form": error_message(refused.code)}}
        if isinstance(refused.body.get("report"), dict):
            context |= {"report": refused.body["report"], "payload": payload}
        return _page(request, round_, 422, **context)
    return RedirectResponse(f"/rounds/{round_id}?imported={report['accepted']}", status_code=303)


@router.get("/imports/template.xlsx")
async def template(_: Officer) -> Response:
    return Response(
        template_xlsx(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-danh-sach-ho-so.xlsx"'},
    )
