"""The menu offers a role exactly the areas it may open: each role signs in (a real account, a
real session), its menu is read from the page the console draws, and every area of the menu —
any role's — is requested as that role. An area in its menu opens (not 403); an area missing
from it is refused (403). The services are unreachable here: a page that needs one answers 503,
which is past the console's own guard, the thing under test."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from cnnt_runtime.settings import Settings
from cnnt_runtime.tokens import Role
from console.entrypoints.http import navigation
from console.main import create_app as create_console
from console.service_layer.accounts import create_account
from tests.support import identities

PASSWORD = "mat-khau-thu-nghiem-1"
MENU = "Trình đơn chính"  # the menu bar's accessible name (Vietnamese, the default)
NOT_AREAS = ("/", "/password")  # the brand link and the account link sit in the menu bar too


class MenuLinks(HTMLParser):
    """The hrefs of the links inside the main menu's ``<nav>``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # > 0 inside the main menu's nav
        self.hrefs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and (self.depth or found.get("aria-label") == MENU):
            self.depth += 1
        elif tag == "a" and self.depth and found.get("href"):
            self.hrefs.add(str(found["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth:
            self.depth -= 1


def menu_areas(page: str) -> set[str]:
    parser = MenuLinks()
    parser.feed(page)
    return {h for h in parser.hrefs if h not in NOT_AREAS and not h.startswith("/lang/")}


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("the services are not running in this test", request=request)


@pytest.fixture
async def console(stack: Settings) -> AsyncIterator[FastAPI]:
    app = create_console(stack)
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30):
        await app.state.http.aclose()
        app.state.http = httpx.AsyncClient(transport=httpx.MockTransport(unreachable))
        yield app


@asynccontextmanager
async def signed_in(app: FastAPI, role: Role) -> AsyncIterator[httpx.AsyncClient]:
    username = identities.username(f"menu.{role.value.replace('_', '-')}")
    scope = "VN" if role is Role.MINISTRY else "dak-lak"
    await create_account(
        app.state.engine,
        username=username,
        password=PASSWORD,
        role=role.value,
        scope=scope,
        display_name=f"Menu {role.value}",
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
        login = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        assert token is not None, login.text
        answer = await client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token[1]}
        )
        assert answer.status_code == 303, answer.text
        assert answer.headers["location"] == "/"
        yield client


async def test_every_role_may_open_exactly_the_areas_its_menu_shows(console: FastAPI) -> None:
    areas = {entry.href for entry in navigation()}
    seen: dict[Role, set[str]] = {}
    wrong: list[str] = []
    for role in Role:
        async with signed_in(console, role) as client:
            home = await client.get("/")
            assert home.status_code == 200, home.text
            shown = seen[role] = menu_areas(home.text)
            assert shown <= areas, f"{role}: links outside the areas' NAV: {shown - areas}"
            for href in sorted(areas):
                status = (await client.get(href)).status_code
                if (href in shown) != (status != 403):
                    menu = "in its menu" if href in shown else "not in its menu"
                    wrong.append(f"{role.value} {href}: {menu}, answered {status}")
    assert wrong == [], "the menu and the routes disagree:\n" + "\n".join(wrong)
    # Every area is some role's, and every role has an area: the comparison saw them all.
    assert set().union(*seen.values()) == areas
    assert all(seen.values()), seen
