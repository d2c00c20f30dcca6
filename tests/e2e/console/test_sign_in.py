"""Signing in and out of the console in a real browser."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.e2e.console.conftest import (
    an_account,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities

pytestmark = pytest.mark.browser


async def test_a_signed_out_visitor_is_sent_to_sign_in_in_vietnamese(page: Page) -> None:
    await page.goto("/")
    await expect(page).to_have_url("/login")
    assert await page.get_attribute("html", "lang") == "vi"
    await expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    await screenshot(page, "login")
    assert await serious_accessibility_violations(page) == []


async def test_an_officer_signs_in_sees_their_menu_and_signs_out(
    page: Page, console_db: AsyncEngine
) -> None:
    hang_sct_daklak = identities.username("hang.sct-daklak")
    await an_account(console_db, hang_sct_daklak, "province_officer", "dak-lak", "Nguyễn Thị Hằng")
    await sign_in(page, hang_sct_daklak)
    await expect(page.get_by_role("heading", name="Xin chào, Nguyễn Thị Hằng")).to_be_visible()
    await expect(page.get_by_text("Cán bộ Sở Công Thương")).to_be_visible()
    await screenshot(page, "home-officer")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("link", name="English").click()  # English is one click away
    await expect(page.get_by_role("heading", name="Hello, Nguyễn Thị Hằng")).to_be_visible()
    assert await page.get_attribute("html", "lang") == "en"
    await page.get_by_role("link", name="Tiếng Việt").click()

    await page.get_by_role("button", name="Đăng xuất").click()
    await expect(page).to_have_url("/login")
    await page.goto("/")
    await expect(page).to_have_url("/login")
