"""The ministry's account administration: list, create, disable and enable accounts."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account, AccountRefused
from console.service_layer import access
from console.service_layer.accounts import create_account, list_accounts, set_disabled
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.nav import item
from console.web.pages import is_htmx, render
from console.web.session import roles

router = APIRouter(prefix="/admin", tags=["admin"])
NAV = [item(N_("Accounts"), "/admin/accounts", access.MAY_ADMINISTER_ACCOUNTS)]
Ministry = Annotated[Account, Depends(roles(access.MAY_ADMINISTER_ACCOUNTS))]


async def _page(
    request: Request, status: int = 200, block: str | None = None, **context: object
) -> Response:
    found = await list_accounts(request.app.state.engine)
    context = {"accounts": found, **context}
    return render(request, "admin/accounts.html", context, status=status, block=block)


@router.get("/accounts", response_class=HTMLResponse)
async def accounts_page(request: Request, _: Ministry) -> Response:
    return await _page(request)


@router.post("/accounts", response_class=HTMLResponse)
async def create(
    request: Request,
    admin: Ministry,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    scope: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
) -> Response:
    form = {"username": username, "role": role, "scope": scope, "display_name": display_name}
    try:
        await create_account(
            request.app.state.engine,
            username=username.strip().lower(),
            password=password,
            role=role,
            scope=scope,
            display_name=display_name.strip(),
            actor=admin.username,
        )
    except AccountRefused as refused:
        errors = {refused.field: error_message(refused.code)}
        return await _page(request, status=422, errors=errors, form=form)
    return RedirectResponse("/admin/accounts", status_code=303)


@router.post("/accounts/{account_id}/disabled", response_class=HTMLResponse)
async def disable(
    request: Request, admin: Ministry, account_id: UUID, disabled: Annotated[bool, Form()]
) -> Response:
    await set_disabled(request.app.state.engine, account_id, disabled, admin.username)
    if is_htmx(request):
        return await _page(request, block="accounts_table")
    return RedirectResponse("/admin/accounts", status_code=303)
