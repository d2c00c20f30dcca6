"""The start page: what the signed-in person can do, by role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from console.web.pages import render
from console.web.session import CurrentAccount

router = APIRouter(tags=["home"])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, account: CurrentAccount) -> Response:
    return render(request, "home/index.html")
