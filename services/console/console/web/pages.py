"""Rendering pages and htmx fragments (jinja2-fragments renders one block of a page for a
swap), with what every page needs: the signed-in account, its menu, the CSRF token, the
language and the formatting filters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi_csrf_protect.flexible import CsrfProtect
from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks

from console.domain.accounts import Account
from console.web import csrf, i18n
from console.web.errors import error_message
from console.web.labels import label, options, place
from console.web.nav import NavItem, current_entry, menus
from console.web.services import ServiceRefused

TEMPLATES_DIR = i18n.LOCALE_DIR.parent / "templates"


def build_templates(nav: Sequence[NavItem]) -> Jinja2Blocks:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    templates = Jinja2Blocks(env=env)
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=i18n.money,
        number=i18n.number,
        day=i18n.day,
        moment=i18n.moment,
        updated=i18n.updated,
        place=place,
    )
    env.globals.update(
        error_message=error_message,
        label=label,
        options=options,
        all_nav=tuple(nav),
        decimal_pattern=i18n.DECIMAL_PATTERN,
    )
    return templates


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    block: str | None = None,
    status: int = 200,
) -> Response:
    """The page, or only ``block`` of it (an htmx swap asks for just that part)."""
    templates: Jinja2Blocks = request.app.state.templates
    secret = request.app.state.settings.console_secret.get_secret_value()
    token, new_cookie = csrf.token_for(request, CsrfProtect(), secret)
    account: Account | None = getattr(request.state, "account", None)
    nav = [n for n in templates.env.globals["all_nav"] if account and n.shown_to(account.role)]  # type: ignore[attr-defined]
    current = current_entry(nav, request.url.path)
    full = {
        "request": request,
        "account": account,
        "nav": nav,
        "menus": menus(nav, current),
        "current_entry": current,
        "csrf_token": token,
        "csrf_field": csrf.FIELD,
        "lang": i18n.language.get(),
        "errors": {},
        **(context or {}),
    }
    response = templates.TemplateResponse(
        request, template, full, status_code=status, block_name=block
    )
    if new_cookie is not None:
        CsrfProtect().set_csrf_cookie(new_cookie, response)
    return response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def field_errors(
    refusal: ServiceRefused, fields: Sequence[str], aliases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A refusal's messages under the form fields they name (``aliases`` maps an API field to
    a form field), or under ``_form`` when the field is not on this form (shown at the top).
    A validation failure names each field's own problem."""
    aliases = aliases or {}
    problems = [
        (str(d.get("field") or ""), str(d.get("code") or ""), str(d.get("message") or ""))
        for d in refusal.details
    ] or [(refusal.field or "", refusal.code, refusal.message)]
    errors: dict[str, str] = {}
    for api_field, code, message in problems:
        name = api_field.rsplit(".", 1)[-1]
        name = aliases.get(api_field, aliases.get(name, name))
        errors.setdefault(name if name in fields else "_form", error_message(code, message))
    return errors
