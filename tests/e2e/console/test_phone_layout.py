"""Every page on a 390 px phone (issue 28, item 8): for each role of the demo, a crawl from the
start page follows the links of the menus and of the pages (so a page added later is covered
once a link reaches it), one page of each type, and no page may scroll sideways:
``document.documentElement.scrollWidth <= window.innerWidth``. A wide table scrolls inside its
own region, or turns into cards; the batch scoring form keeps its four score inputs reachable.

Each page type's screenshot goes to out/screenshots/phone-<role>-<type>.png, to look at."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.settings import Settings
from console.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.e2e.console.conftest import SCREENSHOTS, sign_in, vietnamese_context

pytestmark = pytest.mark.browser
expect.set_options(timeout=60_000)  # the demo's cycle runs first on a small shared machine

PHONE: ViewportSize = {"width": 390, "height": 844}
PAGES_PER_ROLE = 80  # a bound on the crawl; the demo's roles reach fewer page types
SKIPPED = re.compile(
    r"^/(static|lang|logout|healthz|readyz|metrics)\b|\.(xlsx|csv|pdf|zip|png|svg|json)$"
)
# A path segment naming one record: an id, a year, a certificate number, a queue (with a dot).
IDENTIFIER = re.compile(r"^.*[\d.].*$")


def page_type(path: str) -> str:
    """A path with its identifiers replaced: one page per type."""
    return "/".join("*" if IDENTIFIER.match(part) else part for part in path.split("/"))


async def links(page: Page) -> list[str]:
    hrefs: list[str] = await page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.href)"
    )
    return hrefs


async def overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    wider: int = await page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )
    return wider


async def sticking_out(page: Page) -> list[str]:
    """The innermost elements reaching past the window's right edge: what to fix."""
    found: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => ![...e.children].some(
                c => c.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                 + (e.className && typeof e.className === 'string' ? '.' + e.className : '')
                 + ' ' + Math.round(e.getBoundingClientRect().right))"""
    )
    return found


async def outside_the_screen(page: Page) -> list[str]:
    """The batch form's score inputs (four per line) not wholly within the screen's width."""
    outside: list[str] = await page.eval_on_selector_all(
        "#batch-sheets input[data-criterion]",
        """inputs => inputs.filter(i => {
            const box = i.getBoundingClientRect();
            return box.left < 0 || box.right > window.innerWidth || box.width < 40;
        }).map(i => i.id)""",
    )
    return outside


async def crawl(page: Page, origin: str, role: str, batch_pages: list[list[str]]) -> dict[str, int]:
    """Page type -> the pixels it scrolls sideways, for every page type the role reaches; each
    batch scoring page's score inputs outside the screen go to ``batch_pages``."""
    seen: dict[str, int] = {}
    culprits: dict[str, list[str]] = {}
    queue = ["/"]
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        kind = page_type(path)
        if kind in seen:
            continue
        response = await page.goto(path)
        assert response is not None
        assert response.status < 400, (role, path, response.status)
        seen[kind] = await overflow(page)
        if seen[kind] > 0:
            culprits[kind] = await sticking_out(page)
        if await page.locator("#batch-sheets").count():
            batch_pages.append(await outside_the_screen(page))
        name = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "home"
        await page.screenshot(path=SCREENSHOTS / f"phone-{role}-{name}.png", full_page=True)
        for href in await links(page):
            target = urlsplit(href)
            if f"{target.scheme}://{target.netloc}" != origin or SKIPPED.search(target.path):
                continue
            found = target.path + (f"?{target.query}" if target.query else "")
            if page_type(target.path) not in seen:
                queue.append(found)
    assert culprits == {}, culprits
    return seen


@pytest.mark.usefixtures("demo_programme")
@pytest.mark.parametrize(("username", "role"), [(u, r) for u, r, *_ in DEMO_ACCOUNTS])
async def test_no_page_of_any_role_scrolls_sideways_on_a_phone(
    browser: Browser, console: Settings, console_db: AsyncEngine, username: str, role: str
) -> None:
    origin = console.base_url("console")
    context = await vietnamese_context(browser, origin)
    try:
        page = await context.new_page()
        await page.set_viewport_size(PHONE)
        await sign_in(page, username, DEMO_PASSWORD)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        batch_pages: list[list[str]] = []
        widths = await crawl(page, origin.rstrip("/"), role, batch_pages)
    finally:
        await context.close()
    assert len(widths) > 3, widths  # the crawl reached the role's pages, not only the start
    assert {kind: px for kind, px in widths.items() if px > 0} == {}
    # The judge's batch form, where a crawl reaches it (a round still being scored): every
    # score input of every line on the screen, none squeezed.
    assert all(outside == [] for outside in batch_pages), batch_pages
