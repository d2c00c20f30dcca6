"""The public verification page (tra cứu giấy chứng nhận): no sign-in. A buyer or another
agency opens it from the QR code on a certificate and sees whether it is valid."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cnnt_runtime.settings import Settings
from console.web.pages import render
from console.web.services import ServiceRefused

router = APIRouter(tags=["verify"])


@router.get("/verify/{number}", response_class=HTMLResponse)
async def verify_page(request: Request, number: str) -> Response:
    settings: Settings = request.app.state.settings
    http: httpx.AsyncClient = request.app.state.http
    url = f"{settings.base_url('certification')}/api/v1/verify/{quote(number, safe='')}"
    try:
        response = await http.get(url)
    except httpx.TransportError as exc:
        raise ServiceRefused(503, "service_unavailable", str(exc), None) from exc
    response.raise_for_status()
    found = response.json()
    status = 200 if found["status"] != "unknown" else 404
    return render(request, "verify/certificate.html", {"found": found}, status=status)
