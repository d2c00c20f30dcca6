"""The public verification page (tra cứu giấy chứng nhận): no sign-in. A buyer or another
agency opens it from the QR code on a certificate and sees whether it is valid; a person who
holds the PDF uploads it (or types its SHA-256) and learns whether that file is the one issued
(the signed edition certification keeps), a superseded edition, or not ours. The console only
hashes the file: certification compares the hash with what it issued."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from cnnt_runtime.settings import Settings
from cnnt_runtime.uploads import sniff
from console.web.errors import error_message
from console.web.pages import render
from console.web.services import ServiceRefused

router = APIRouter(tags=["verify"])

SHA256 = re.compile(r"[0-9a-fA-F]{64}")


async def _verification(request: Request, number: str, sha256: str | None) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    http: httpx.AsyncClient = request.app.state.http
    url = f"{settings.base_url('certification')}/api/v1/verify/{quote(number, safe='')}"
    try:
        response = await http.get(url, params={"sha256": sha256} if sha256 else None)
    except httpx.TransportError as exc:
        raise ServiceRefused(503, "service_unavailable", str(exc), None) from exc
    response.raise_for_status()
    found: dict[str, Any] = response.json()
    return found


async def _page(
    request: Request,
    number: str,
    sha256: str | None = None,
    errors: dict[str, str] | None = None,
    typed: str = "",
) -> Response:
    found = await _verification(request, number, sha256)
    status = 422 if errors else 200 if found["status"] != "unknown" else 404
    context = {"found": found, "errors": errors or {}, "typed": typed}
    return render(request, "verify/certificate.html", context, status=status)


@router.get("/verify/{number}", response_class=HTMLResponse)
async def verify_page(
    request: Request,
    number: str,
    sha256: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The certificate's standing; with ``?sha256=``, whether that file is the one issued."""
    typed = (sha256 or "").strip()
    if typed and not SHA256.fullmatch(typed):
        errors = {"sha256": error_message("sha256_invalid")}
        return await _page(request, number, errors=errors, typed=typed)
    return await _page(request, number, typed.lower() or None, typed=typed)


@router.post("/verify/{number}", response_class=HTMLResponse)
async def verify_file(
    request: Request, number: str, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """An uploaded PDF, checked by its SHA-256 against the editions issued."""
    content = await file.read() if file is not None else b""
    if not content:
        return await _page(request, number, errors={"file": error_message("file_missing")})
    if sniff(content) != "pdf":
        return await _page(request, number, errors={"file": error_message("file_not_pdf")})
    return await _page(request, number, hashlib.sha256(content).hexdigest())
