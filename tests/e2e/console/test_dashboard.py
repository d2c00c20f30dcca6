"""The ministry's national dashboard in a real browser: recognitions per region and year as
registration's report gives them, and a round's progress in the provinces."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_shared.cli import report as reports
from cnnt_shared.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register

pytestmark = pytest.mark.browser


async def test_the_ministry_sees_recognitions_per_region_and_a_rounds_progress_in_provinces(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as client:
        round_ = await open_provincial_round(client, console, "dak-lak")
        _, product = await facility_with_product(client, console, "dak-lak")
        ok(await register(client, console, "dak-lak", round_["id"], product["id"]))
    year = int(round_["year"])
    await an_account(console_db, "bo.tongquan", "ministry", "VN", "Phạm Quốc Tổng")
    await sign_in(page, "bo.tongquan")
    await page.get_by_role("link", name="Tổng quan toàn quốc").first.click()
    await expect(page.get_by_role("heading", name="Tổng quan toàn quốc")).to_be_visible()
    await expect(page.get_by_text("Số liệu tính đến")).to_be_visible()
    await screenshot(page, "dashboard")
    assert await serious_accessibility_violations(page) == []

    await page.goto(f"/dashboard?year={year}")
    row = page.locator("#progress tbody tr", has_text="Đắk Lắk")
    await expect(row.locator("td").nth(0)).to_have_text("Đang nhận hồ sơ")
    assert int(await row.locator("td").nth(1).inner_text()) >= 1

    shown = await page.eval_on_selector_all(
        "#regions tbody tr", "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))"
    )
    central = next(r for r in shown if r[0] == "Khu vực miền Trung – Tây Nguyên")
    expected = await asyncio.to_thread(reports.gather, console, "central_highlands", year - 4, year)
    per_year = [
        sum(r["recognised"] for r in expected.by_year if r["year"] == y)
        for y in range(year - 4, year + 1)
    ]
    assert [int(c.replace(".", "")) for c in central[1:]] == per_year
