"""Dossier import (nhập danh sách hồ sơ): upload an XLSX or CSV list, see the dry run row by
row (accepted, already registered, refused with the reason), then commit it. The file is parsed
by a worker process (console.service_layer.import_jobs), never in the request."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from uuid import UUID

import structlog
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_runtime.settings import Settings
from cnnt_runtime.uploads import UploadRefused
from console.adapters.dossier_files import COLUMNS, kind_of, template_xlsx
from console.domain.accounts import Account
from console.service_layer import access
from console.service_layer.import_jobs import ImportJobs
from console.web.errors import error_message
from console.web.pages import render
from console.web.services import ServiceRefused, Services, ServicesDep
from console.web.session import roles

router = APIRouter(tags=["imports"])
Officer = Annotated[Account, Depends(roles(access.MAY_ORGANISE))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_OF = dict(COLUMNS)
JOB_PAGE_WAIT = 3.0  # seconds the job's page waits for a result before showing the refresh
REFRESH_SECONDS = 2
log = structlog.get_logger("cnnt.console.imports")


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
    full = {
        "round": round_,
        "header_of": HEADER_OF,
        "report": None,
        "payload": "",
        "job": None,
        "refresh": None,
        **context,
    }
    return render(request, "imports/upload.html", full, status=status)


@router.get("/rounds/{round_id}/import", response_class=HTMLResponse)
async def upload_page(
    request: Request, _: Officer, services: ServicesDep, round_id: UUID
) -> Response:
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    return _page(request, round_)


def _refusal(code: str, limits: dict[str, int] | None = None) -> str:
    """The message for an upload refusal, with the limit it names filled in."""
    message = error_message(code)
    try:
        return message.format(**(limits or {}))
    except (KeyError, IndexError, ValueError):
        return message


@router.post("/rounds/{round_id}/import", response_class=HTMLResponse)
async def preview(
    request: Request,
    officer: Officer,
    services: ServicesDep,
    round_id: UUID,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Check what costs nothing here (the bytes' kind, a workbook's central directory) and
    hand the parsing to a worker: the answer is the job's page, at once."""
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    content = await file.read() if file is not None else b""
    if not content:
        return _page(request, round_, 422, errors={"file": error_message("file_missing")})
    settings: Settings = request.app.state.settings
    if len(content) > settings.max_upload_bytes:
        limit = {"limit_mb": settings.max_upload_bytes // (1024 * 1024)}
        return _page(request, round_, 413, errors={"file": _refusal("file_too_large", limit)})
    filename = file.filename or "" if file else ""
    try:
        kind_of(filename, content)
    except UploadRefused as refused:
        log.info("import_refused", code=refused.code, detail=str(refused))
        errors = {"file": _refusal(refused.code, refused.limits)}
        return _page(request, round_, 422, errors=errors)
    jobs: ImportJobs = request.app.state.imports
    job = jobs.submit(services, round_id, filename, content)
    return RedirectResponse(f"/rounds/{round_id}/import/jobs/{job.id}", status_code=303)


@router.get("/rounds/{round_id}/import/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(
    request: Request, officer: Officer, services: ServicesDep, round_id: UUID, job_id: str
) -> Response:
    """The import job: still being read (the page refreshes itself), refused with the reason,
    or the dry run's report to confirm."""
    round_ = await services.json("GET", "registration", f"/api/v1/rounds/{round_id}")
    jobs: ImportJobs = request.app.state.imports
    job = jobs.find(job_id, officer.id, round_id)
    if job is None:
        return _page(request, round_, 404, errors={"file": error_message("import_not_found")})
    await jobs.wait(job, JOB_PAGE_WAIT)  # a small list shows its report on this very page
    if job.state == "running":
        return _page(request, round_, 200, job=job, refresh=REFRESH_SECONDS)
    if job.state == "refused":
        errors = {"file": _refusal(job.error, job.limits)}
        return _page(request, round_, 422, errors=errors)
    payload = base64.b64encode(job.csv).decode("ascii")
    return _page(request, round_, report=job.report, payload=payload)


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
