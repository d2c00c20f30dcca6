"""Browser tests: Debian's Chromium (never a downloaded one) driven by Playwright, against the
console and the services running as processes in this run's private stack."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.components import installed_web_apps, load_spec, load_web_app
from cnnt_runtime.db.engine import service_engine
from cnnt_runtime.http.app import create_app
from cnnt_runtime.settings import Settings
from console.service_layer.accounts import create_account
from tests.support.processes import free_port

CHROMIUM = "/usr/bin/chromium"
# The machine has no internet: without the background flags Chromium keeps trying to reach it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=vi-VN",
]
# Date inputs are drawn in Chromium's own UI language, not the page's locale: on Linux it
# follows LANGUAGE (``--lang`` alone left them mm/dd/yyyy), and needs Debian's chromium-l10n
# (without it Chromium has only en-US). With both: dd/mm/yyyy, as a Vietnamese user sees them.
CHROMIUM_ENV: dict[str, str | float | bool] = {
    **os.environ,
    "LANGUAGE": "vi",
    "LANG": "vi_VN.UTF-8",
}
SCREENSHOTS = Path("out/screenshots")
PASSWORD = "mat-khau-thu-nghiem-1"
# A Vietnamese user's browser: date inputs, number formats and the clock as they see them.
VIETNAMESE: dict[str, Any] = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@asynccontextmanager
async def served(settings: Settings, *names: str) -> AsyncIterator[Settings]:
    """The console and services in this process, each served by uvicorn on a free port (the
    browser needs real sockets); settings whose ports reach them. In-process because the
    machine is shared and slow: importing every service in five processes took over a minute."""
    settings = settings.model_copy(update={f"{name}_port": free_port() for name in names})
    servers = []
    for name in names:
        app = (
            load_web_app(name)(settings)
            if name in installed_web_apps()
            else create_app(load_spec(name), settings)
        )
        config = uvicorn.Config(
            app, host=settings.host, port=settings.port(name), log_config=None, lifespan="on"
        )
        servers.append(uvicorn.Server(config))
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        for server, task in zip(servers, tasks, strict=True):
            while not server.started:
                if task.done():
                    task.result()  # raises what stopped it
                    raise RuntimeError("a server stopped before it started")
                await asyncio.sleep(0.05)
        yield settings
    finally:
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)


# Package scope: the services' consumers stop when the browser tests end, so they never
# compete with the services the other test packages start on the same queues.
@pytest.fixture(scope="package")
async def console(stack: Settings) -> AsyncIterator[Settings]:
    """The console and the four services; settings whose ports reach them."""
    async with served(
        stack, "registration", "evaluation", "certification", "support", "console"
    ) as settings:
        yield settings


@pytest.fixture(scope="package")
async def console_db(console: Settings) -> AsyncIterator[AsyncEngine]:
    engine = service_engine(console, "console", connections=1)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="package")
async def demo_programme(console: Settings, console_db: AsyncEngine) -> None:
    """The demo's accounts and its whole programme cycle (the code path of `make demo`), driven
    once per run against this package's stack: the tests reading the demo share it (its rounds
    are the demo's fixed years, so it cannot run twice)."""
    from cnnt_tools.cli import demo, scenario
    from console.demo_accounts import ensure_demo_accounts

    await ensure_demo_accounts(console_db)
    await demo.drive(console, scenario.build(), quiet=True)


@pytest.fixture(scope="package")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        yield launched
        await launched.close()


async def vietnamese_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A browser context as a Vietnamese user's: vi-VN locale, Vietnam's time zone."""
    return await browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 900}, **VIETNAMESE, **options
    )


@pytest.fixture
async def page(browser: Browser, console: Settings) -> AsyncIterator[Page]:
    context = await vietnamese_context(browser, console.base_url("console"))
    opened = await context.new_page()
    yield opened
    await context.close()


async def an_account(engine: AsyncEngine, username: str, role: str, scope: str, name: str) -> Any:
    """An account; ``username`` one the test claimed (``identities.username``): two tests, or
    a test and the demo, can never both create one."""
    return await create_account(
        engine,
        username=username,
        password=PASSWORD,
        role=role,
        scope=scope,
        display_name=name,
    )


async def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    await page.goto("/login")
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def open_area(page: Page, name: str, *, exact: bool = False) -> None:
    """Follow the menu bar's link to an area, first opening the drop-down menu that holds it
    when the signed-in role's areas are grouped (console/web/nav.py)."""
    menu_bar = page.get_by_role("navigation", name="Trình đơn chính")
    link = menu_bar.get_by_role("link", name=name, exact=exact)
    if not await link.is_visible():
        if await menu_bar.locator("details[open]").count():
            await page.keyboard.press("Escape")  # another menu is open: close it first
        holder = menu_bar.locator("details.dropdown:visible").filter(
            has=page.get_by_role("link", name=name, exact=exact, include_hidden=True)
        )
        await holder.locator("summary").click()
    await link.click()


async def screenshot(page: Page, name: str) -> None:
    await asyncio.to_thread(SCREENSHOTS.mkdir, parents=True, exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


async def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
