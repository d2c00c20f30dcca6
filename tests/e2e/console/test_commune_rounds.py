"""Issue #30 in the console: an officer finds a commune by name without diacritics (the picker
asks registration's /provinces/{code}/communes) and opens a commune round with its code; a
commune round dated before 1 July 2025 is refused next to the level, in Vietnamese.

Years: 2080 and 2024 are this issue's (h30: 2079-2081 and the acceptance's 2024)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.clock import Clock
from tests.e2e.console.conftest import (
    an_account,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)

pytestmark = pytest.mark.browser


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


async def _find(page: Page, typed: str) -> None:
    await page.goto("/rounds")
    await page.get_by_label("Tên (không cần gõ dấu)").fill(typed)
    await page.get_by_role("button", name="Tìm", exact=True).click()


async def _new_round(page: Page, name: str, scope: str, year: str, opens: date) -> None:
    await page.get_by_label("Tên đợt bình chọn").fill(name)
    await page.locator("#f-level").select_option("commune")
    await page.get_by_label("Phạm vi (mã tỉnh, mã xã, khu vực hoặc VN)").fill(scope)
    await page.get_by_label("Năm").fill(year)
    await page.get_by_label("Bắt đầu nhận hồ sơ (dd/mm/yyyy)").fill(vn(opens))
    await page.get_by_label("Kết thúc nhận hồ sơ (dd/mm/yyyy)").fill(vn(opens + timedelta(days=30)))
    await page.get_by_role("button", name="Tạo đợt bình chọn").click()


async def test_an_officer_finds_a_ward_without_diacritics_and_opens_its_commune_round(
    page: Page, console_db: AsyncEngine
) -> None:
    await an_account(console_db, "sct.h30.commune", "province_officer", "dak-lak", "Y Bhim Niê")
    await sign_in(page, "sct.h30.commune")
    await _find(page, "buon ma thuot")
    found = page.locator("table.communes")
    await expect(found.get_by_role("cell", name="Phường Buôn Ma Thuột", exact=True)).to_be_visible()
    await expect(found.get_by_role("cell", name="24133", exact=True)).to_be_visible()
    await expect(found.get_by_text("Phường Tự An")).to_be_visible()  # one it was formed from
    assert await serious_accessibility_violations(page) == []
    await page.set_viewport_size({"width": 390, "height": 844})
    # Nothing wider than the phone once it has laid the page out again (no sideways scroll).
    await page.wait_for_function("document.documentElement.scrollWidth <= 390")
    await screenshot(page, "commune-picker-390")

    name = "Bình chọn sản phẩm CNNT tiêu biểu phường Buôn Ma Thuột năm 2080"
    await _new_round(page, name, "24133", "2080", Clock().today() - timedelta(days=1))
    await expect(page.get_by_role("heading", name=name)).to_be_visible()
    await page.get_by_role("button", name="Mở nhận hồ sơ").click()
    await expect(page.get_by_text("Đang nhận hồ sơ")).to_be_visible()


async def test_a_commune_round_before_july_2025_is_refused_next_to_the_level(
    page: Page, console_db: AsyncEngine
) -> None:
    await an_account(console_db, "sct.h30.early", "province_officer", "dak-lak", "H Hen Niê")
    await sign_in(page, "sct.h30.early")
    await page.goto("/rounds")
    await _new_round(page, "Bình chọn cấp xã năm 2024", "24133", "2024", date(2024, 3, 1))
    await expect(page.get_by_text("Cấp này không có vào ngày mở đợt bình chọn")).to_be_visible()
    assert await serious_accessibility_violations(page) == []
