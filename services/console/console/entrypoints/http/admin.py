"""The ministry's account administration: list, create, lock (with a confirmation) and unlock
accounts, and reset a password."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.domain.accounts import Account, AccountRefused
from console.service_layer import access
from console.service_layer.accounts import (
    create_account,
    get_account,
    list_accounts,
    locked_out,
    reset_password,
    set_disabled,
    unlock,
)
from console.web.errors import error_message
from console.web.i18n import N_
from console.web.nav import item
from console.web.pages import render
from console.web.services import ServiceRefused
from console.web.session import COOKIE, roles

router = APIRouter(prefix="/admin", tags=["admin"])
NAV = [item(N_("Accounts"), "/admin/accounts", access.MAY_ADMINISTER_ACCOUNTS)]
Ministry = Annotated[Account, Depends(roles(access.MAY_ADMINISTER_ACCOUNTS))]


async def _page(request: Request, status: int = 200, **context: object) -> Response:
    engine = request.app.state.engine
    found = await list_accounts(engine)
    context = {"accounts": found, "locked_out": await locked_out(engine), **context}
    return render(request, "admin/accounts.html", context, status=status)


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


async def _account_page(
    request: Request, admin: Account, account_id: UUID, status: int = 200, **context: object
) -> Response:
    engine = request.app.state.engine
    try:
        target = await get_account(engine, account_id)
    except AccountRefused as refused:
        raise ServiceRefused(404, refused.code, "", refused.field) from refused
    full = {
        "target": target,
        "locked_out": account_id in await locked_out(engine),
        "is_self": target.id == admin.id,
        **context,
    }
    return render(request, "admin/account.html", full, status=status)


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
async def account_page(request: Request, admin: Ministry, account_id: UUID) -> Response:
    return await _account_page(request, admin, account_id)


@router.get("/accounts/{account_id}/lock", response_class=HTMLResponse)
async def lock_confirmation(request: Request, admin: Ministry, account_id: UUID) -> Response:
    """What locking does, before it is done (khóa tài khoản)."""
    return await _account_page(request, admin, account_id, confirming=True)


@router.post("/accounts/{account_id}/disabled", response_class=HTMLResponse)
async def disable(
    request: Request, admin: Ministry, account_id: UUID, disabled: Annotated[bool, Form()]
) -> Response:
    engine = request.app.state.engine
    try:
        await set_disabled(
            engine,
            account_id,
            disabled,
            admin.username,
            actor_id=admin.id,
            administrators=access.MAY_ADMINISTER_ACCOUNTS,
        )
    except AccountRefused as refused:
        errors = {"_form": error_message(refused.code)}
        return await _account_page(request, admin, account_id, status=409, errors=errors)
    return RedirectResponse(f"/admin/accounts/{account_id}?done=locked", status_code=303)


@router.post("/accounts/{account_id}/unlock", response_class=HTMLResponse)
async def unlock_account(request: Request, admin: Ministry, account_id: UUID) -> Response:
    await unlock(request.app.state.engine, account_id, admin.username)
    return RedirectResponse(f"/admin/accounts/{account_id}?done=unlocked", status_code=303)


@router.post("/accounts/{account_id}/password", response_class=HTMLResponse)
async def reset(
    request: Request,
    admin: Ministry,
    account_id: UUID,
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    try:
        if new_password != confirm_password:
            raise AccountRefused("password_mismatch", "confirm_password")
        await reset_password(
            request.app.state.engine,
            account_id,
            new_password,
            admin.username,
            keep_session=request.cookies.get(COOKIE),
        )
    except AccountRefused as refused:
        field = "new_password" if refused.field == "password" else refused.field
        errors = {field: error_message(refused.code)}
        return await _account_page(request, admin, account_id, status=422, errors=errors)
    return RedirectResponse(f"/admin/accounts/{account_id}?done=password", status_code=303)
