"""The start page: what the signed-in person can do, by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.web.pages import render
from console.web.session import roles

router = APIRouter(tags=["home"])
SignedIn = Annotated[Account, Depends(roles(access.SIGNED_IN))]


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, account: SignedIn) -> Response:
    return render(request, "home/index.html")
