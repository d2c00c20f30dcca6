"""The menu bar in a real browser: one line for every role at 1280 px and at 390 px, the
ministry's many areas grouped in drop-down menus a keyboard opens and Escape closes, the
page shown marked with aria-current, and axe finding nothing serious."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.e2e.console.conftest import (
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities

pytestmark = pytest.mark.browser

NARROW = 390  # a phone; the context is 1280 px wide


async def settled(page: Page) -> None:
    """An open menu has finished fading in (Pico's transition), so a screenshot shows it."""
    opened = page.locator("header nav details[open] > ul")
    if await opened.count():
        await expect(opened).to_have_css("opacity", "1")


async def menu_bar_lines(page: Page) -> int:
    """How many lines the displayed entries of the menu bar take (none may stick out of it)."""
    boxes: list[list[float]] = await page.locator("header nav").evaluate(
        """nav => [...nav.querySelectorAll(':scope > ul > li')]
            .filter(li => li.offsetParent !== null)
            .map(li => li.firstElementChild.getBoundingClientRect())
            .filter(box => box.right <= nav.getBoundingClientRect().right + 1)
            .map(box => [box.top, box.bottom])"""
    )
    displayed = await page.locator("header nav > ul > li:visible").count()
    assert len(boxes) == displayed, "an entry of the menu bar sticks out on the right"
    assert boxes
    lines: list[list[float]] = []
    for top, bottom in sorted(boxes):
        if lines and top < lines[-1][1]:  # overlaps the line so far: on the same line
            lines[-1][1] = max(lines[-1][1], bottom)
        else:
            lines.append([top, bottom])
    return len(lines)


async def test_the_ministrys_areas_are_grouped_in_menus_on_one_line(
    page: Page, console_db: AsyncEngine
) -> None:
    bo_trinhdon = identities.username("bo.trinhdon")
    await an_account(console_db, bo_trinhdon, "ministry", "VN", "Nguyễn Thị Thanh Hương")
    await sign_in(page, bo_trinhdon)
    await expect(
        page.get_by_role("heading", name="Xin chào, Nguyễn Thị Thanh Hương")
    ).to_be_visible()
    menu_bar = page.get_by_role("navigation", name="Trình đơn chính")
    assert await menu_bar_lines(page) == 1

    # Grouped: the figures are one menu; its entries appear when it opens.
    figures = menu_bar.locator("summary", has_text="Số liệu")
    await expect(menu_bar.get_by_role("link", name="Tổng quan toàn quốc")).to_have_count(0)
    await figures.click()
    await expect(menu_bar.get_by_role("link", name="Tổng quan toàn quốc")).to_be_visible()
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_be_visible()
    await settled(page)
    await screenshot(page, "navigation-ministry-1280")
    assert await serious_accessibility_violations(page) == []

    # A click anywhere else closes the menu (Pico's overlay); opening another closes this one.
    await page.mouse.click(600, 600)
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_have_count(0)
    recognition = menu_bar.locator("summary", has_text="Công nhận")
    await recognition.click()
    await expect(menu_bar.get_by_role("link", name="Giấy chứng nhận", exact=True)).to_be_visible()
    await figures.focus()
    await page.keyboard.press("Enter")
    await expect(menu_bar.get_by_role("link", name="Giấy chứng nhận", exact=True)).to_have_count(0)
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_be_visible()
    await page.keyboard.press("Enter")
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_have_count(0)

    # The keyboard: Enter opens a menu, Tab reaches its entries, Escape closes it and returns.
    await figures.focus()
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(menu_bar.get_by_role("link", name="Báo cáo")).to_have_count(0)
    await expect(figures).to_be_focused()
    await page.keyboard.press("Enter")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await expect(menu_bar.get_by_role("link", name="Tổng quan toàn quốc")).to_be_focused()
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/dashboard")

    # The page shown is marked: its entry as the current page, its menu as holding it.
    await expect(figures).to_have_attribute("aria-current", "true")
    await figures.click()
    await expect(menu_bar.get_by_role("link", name="Tổng quan toàn quốc")).to_have_attribute(
        "aria-current", "page"
    )
    await expect(menu_bar.locator(".areas [aria-current]")).to_have_count(2)

    # Only the deepest entry is current: the certificates list is not also "Results".
    await open_area(page, "Giấy chứng nhận", exact=True)
    await page.wait_for_url("**/certification/certificates")
    await recognition.click()
    await expect(menu_bar.locator(".areas a[aria-current=page]")).to_have_text("Giấy chứng nhận")
    assert await menu_bar_lines(page) == 1

    # A narrow screen: one "Menu" holding every area and the account, still one line.
    await page.set_viewport_size({"width": NARROW, "height": 844})
    assert await menu_bar_lines(page) == 1
    await expect(menu_bar.locator("summary", has_text="Số liệu")).to_be_hidden()
    await expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    await menu_bar.locator("summary", has_text="Trình đơn").click()
    for area in ("Cơ sở CNNT", "Đợt bình chọn", "Tổng quan toàn quốc", "Tài khoản"):
        await expect(menu_bar.get_by_role("link", name=area, exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    await settled(page)
    await screenshot(page, "navigation-ministry-390")
    assert await serious_accessibility_violations(page) == []
    await page.get_by_role("button", name="Đăng xuất").click()
    await expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()


async def test_a_judge_sees_a_plain_menu_on_one_line_at_any_width(
    page: Page, console_db: AsyncEngine
) -> None:
    gk_trinhdon = identities.username("gk.trinhdon")
    await an_account(console_db, gk_trinhdon, "judge", "dak-lak", "Lê Văn Giám")
    await sign_in(page, gk_trinhdon)
    menu_bar = page.get_by_role("navigation", name="Trình đơn chính")
    # One area: a plain link, no drop-down to open.
    await expect(menu_bar.locator(".areas details")).to_have_count(0)
    await open_area(page, "Hội đồng của tôi")
    await page.wait_for_url("**/juries")
    await expect(menu_bar.get_by_role("link", name="Hội đồng của tôi")).to_have_attribute(
        "aria-current", "page"
    )
    assert await menu_bar_lines(page) == 1
    await settled(page)
    await screenshot(page, "navigation-judge-1280")
    assert await serious_accessibility_violations(page) == []

    await page.set_viewport_size({"width": NARROW, "height": 844})
    assert await menu_bar_lines(page) == 1
    await menu_bar.locator("summary", has_text="Trình đơn").click()
    await expect(menu_bar.get_by_role("link", name="Hội đồng của tôi")).to_be_visible()
    await settled(page)
    await screenshot(page, "navigation-judge-390")
    assert await serious_accessibility_violations(page) == []
