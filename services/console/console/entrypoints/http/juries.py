"""A judge's start: every jury they sit on, across rounds (the judging pages build on it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from console.domain.accounts import Account
from console.service_layer import access
from console.web.i18n import N_
from console.web.nav import SELECTION, item
from console.web.pages import render
from console.web.services import ServicesDep
from console.web.session import roles

router = APIRouter(prefix="/juries", tags=["juries"])
NAV = [item(N_("My juries"), "/juries", access.MAY_JUDGE, group=SELECTION)]
Judge = Annotated[Account, Depends(roles(access.MAY_JUDGE))]


@router.get("", response_class=HTMLResponse)
async def my_juries(request: Request, _: Judge, services: ServicesDep) -> Response:
    return render(request, "judge/juries.html", {"seats": await services.my_juries()})
