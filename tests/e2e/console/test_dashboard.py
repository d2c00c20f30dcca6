"""The ministry's national dashboard in a real browser: recognitions per region and year as
registration's report gives them, per product group as its breakdown gives them, a round's
progress in the provinces, and when the figures were last updated."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from cnnt_tools.cli import report as reports
from tests.e2e.console.conftest import (
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import bearer

pytestmark = pytest.mark.browser


async def test_the_ministry_sees_recognitions_per_region_and_a_rounds_progress_in_provinces(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    bo_tongquan = identities.username("bo.tongquan")
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as client:
        round_ = await open_provincial_round(client, console, "dak-lak")
        _, product = await facility_with_product(client, console, "dak-lak")
        ok(await register(client, console, "dak-lak", round_["id"], product["id"]))
    year = int(round_["year"])
    first = max(year - 4, 2000)  # five years up to the round's, none before the reports' start
    await an_account(console_db, bo_tongquan, "ministry", "VN", "Phạm Quốc Tổng")
    await sign_in(page, bo_tongquan)
    await open_area(page, "Tổng quan toàn quốc")
    await expect(page.get_by_role("heading", name="Tổng quan toàn quốc")).to_be_visible()
    await expect(page.locator("#updated-at")).to_have_text(
        re.compile(r"^Số liệu cập nhật lúc \d{2}:\d{2} \d{2}/\d{2}/\d{4}\.$")
    )
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
    expected = await asyncio.to_thread(reports.gather, console, "central_highlands", first, year)
    per_year = [
        sum(r["recognised"] for r in expected.by_year if r["year"] == y)
        for y in range(first, year + 1)
    ]
    assert [int(c.replace(".", "")) for c in central[1:]] == per_year

    # Per product group: registration's breakdown, every level added up per year.
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as client:
        breakdown = ok(
            await client.get(
                "/api/v1/reports/recognition/breakdown",
                params={"scope": "VN", "from_year": first, "to_year": year},
                headers=bearer(console, Role.MINISTRY),
            ),
            200,
        )
    for group in ("handicraft", "agro_food", "machinery", "other"):
        cells = await page.locator(f"#groups tr[data-group='{group}'] td").all_inner_texts()
        counts = [
            sum(
                r["recognised"]
                for r in breakdown["groups"]
                if r["product_group"] == group and r["year"] == y
            )
            for y in range(first, year + 1)
        ]
        assert [int(c.replace(".", "")) for c in cells] == [*counts, sum(counts)]
    await screenshot(page, "dashboard-year")
    assert await serious_accessibility_violations(page) == []
