"""Sign-in, sign-out, password change and the language switch."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cnnt_runtime.settings import Settings
from console.domain.accounts import Account, AccountRefused
from console.domain.throttle import SignInThrottles
from console.service_layer import access
from console.service_layer.accounts import change_password
from console.service_layer.signin import SignInRefused, sign_in, sign_out
from console.web import i18n
from console.web.errors import error_message
from console.web.pages import render
from console.web.session import COOKIE, optional_account, roles

router = APIRouter(tags=["auth"])
LANGUAGE_COOKIE = "cnnt_lang"
SignedIn = Annotated[Account, Depends(roles(access.SIGNED_IN))]


def client_of(request: Request) -> str:
    """The client's address: the socket's peer, or what a trusted proxy forwarded
    (CNNT_TRUSTED_PROXIES; the console's proxy-headers middleware decides, never the header
    alone)."""
    return request.client.host[:80] if request.client else ""


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    if await optional_account(request) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "auth/login.html")


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()]
) -> Response:
    settings: Settings = request.app.state.settings
    try:
        session = await sign_in(
            request.app.state.engine,
            username,
            password,
            client=client_of(request),
            throttles=SignInThrottles.of(
                settings.console_lockout_attempts,
                timedelta(minutes=settings.console_lockout_minutes),
                settings.console_address_failures,
            ),
            session_length=timedelta(hours=settings.console_session_hours),
        )
    except SignInRefused as refused:
        context = {"username": username, "errors": {"_form": error_message(refused.code)}}
        if refused.code == "throttled":
            page = render(request, "auth/login.html", context, status=429)
            page.headers["Retry-After"] = str(refused.retry_after)
            return page
        return render(request, "auth/login.html", context, status=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE,
        session.token,
        max_age=settings.console_session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.environment == "production",
    )
    return response


@router.post("/logout")
async def logout(request: Request, account: SignedIn) -> Response:
    await sign_out(request.app.state.engine, request.cookies[COOKIE], account, client_of(request))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/password", response_class=HTMLResponse)
async def password_page(request: Request, account: SignedIn) -> Response:
    return render(request, "auth/password.html")


@router.post("/password", response_class=HTMLResponse)
async def password_change(
    request: Request,
    account: SignedIn,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
    confirm_password: Annotated[str, Form()],
) -> Response:
    try:
        await change_password(
            request.app.state.engine,
            account,
            current_password,
            new_password,
            confirm_password,
            keep_session=request.cookies.get(COOKIE),
        )
    except AccountRefused as refused:
        errors = {refused.field: error_message(refused.code)}
        return render(request, "auth/password.html", {"errors": errors}, status=422)
    return render(request, "auth/password.html", {"changed": True})


@router.get("/lang/{lang}")
async def switch_language(lang: str, next: str = "/") -> Response:
    # Only local paths: the switch must not become an open redirect.
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response
