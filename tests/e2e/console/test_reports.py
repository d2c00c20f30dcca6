"""The report page in a real browser: the ministry's figures equal ``cnnt report``'s for the
same span, and the downloaded XLSX holds the same numbers."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.settings import Settings
from cnnt_tools.cli import report as reports
from tests.e2e.console.conftest import (
    SCREENSHOTS,
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities
from tests.support.khuyen_cong import apply, key, officer, open_scheme
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register

pytestmark = pytest.mark.browser
PROVINCE = "dak-lak"


async def _a_round_with_an_entry_and_a_grant(settings: Settings) -> int:
    """One provincial round with one entry, and one khuyến công grant, in a year of their own."""
    async with httpx.AsyncClient(base_url=settings.base_url("registration")) as client:
        round_ = await open_provincial_round(client, settings, PROVINCE)
        _, product = await facility_with_product(client, settings, PROVINCE)
        ok(await register(client, settings, PROVINCE, round_["id"], product["id"]))
    year = int(round_["year"])
    async with httpx.AsyncClient(base_url=settings.base_url("support")) as client:
        scheme = await open_scheme(client, settings, PROVINCE, {"national": 300_000_000}, year=year)
        await apply(client, settings, scheme["id"], PROVINCE, {"national": 120_000_000})
        ok(
            await client.post(
                f"/api/v1/schemes/{scheme['id']}/allocation-runs",
                json={},
                headers={**officer(settings, PROVINCE), **key()},
            )
        )
    return year


def _figures(rows: list[list[Any]]) -> list[list[Any]]:
    """A table's rows with its figures as integers (the page writes 1.234.567)."""
    return [[*row[:2], *(int(str(c).replace(".", "")) for c in row[2:])] for row in rows]


async def _table(page: Page, table_id: str) -> list[list[str]]:
    cells: list[list[str]] = await page.eval_on_selector_all(
        f"#{table_id} tbody tr",
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
    )
    return cells


async def test_the_ministry_sees_the_same_figures_as_cnnt_report_and_downloads_them_as_xlsx(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    bo_baocao = identities.username("bo.baocao")
    year = await _a_round_with_an_entry_and_a_grant(console)
    await an_account(console_db, bo_baocao, "ministry", "VN", "Trần Văn Báo")
    await sign_in(page, bo_baocao)
    await open_area(page, "Báo cáo")
    await page.get_by_label("Tỉnh, khu vực hoặc toàn quốc").select_option(PROVINCE)
    await page.get_by_label("Từ năm").fill(str(year))
    await page.get_by_label("Đến năm").fill(str(year))
    await page.get_by_role("button", name="Xem báo cáo").click()
    await expect(page.get_by_role("heading", name=f"Đắk Lắk, {year}–{year}")).to_be_visible()

    expected = await asyncio.to_thread(reports.gather, console, PROVINCE, year, year)
    shown = _figures(await _table(page, "recognition"))
    assert shown == [[r[0], str(r[1]), *r[2:]] for r in expected.recognition_rows()]
    provincial = next(r for r in shown if r[0] == "Cấp tỉnh" and r[1] == str(year))
    assert provincial[4] >= 1  # our entry is counted
    support = _figures(await _table(page, "support"))
    assert support == expected.support_rows()
    assert sum(row[-1] for row in support) >= 120_000_000
    await expect(
        page.get_by_role("img", name="Sản phẩm được công nhận theo năm và cấp")
    ).to_be_visible()
    await screenshot(page, "report-dak-lak")
    assert await serious_accessibility_violations(page) == []

    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="XLSX").click()
    download = await downloading.value
    path = SCREENSHOTS.parent / "report-dak-lak.xlsx"
    await download.save_as(path)
    book = await asyncio.to_thread(load_workbook, path)
    recognition = [list(r) for r in book["Công nhận"].iter_rows(min_row=3, values_only=True)]
    assert recognition == expected.recognition_rows()
    granted = [list(r) for r in book["Khuyến công"].iter_rows(min_row=3, values_only=True)]
    assert granted == expected.support_rows()


async def test_a_reversed_span_is_refused_next_to_the_last_year(
    page: Page, console_db: AsyncEngine
) -> None:
    bo_baocao2 = identities.username("bo.baocao2")
    await an_account(console_db, bo_baocao2, "ministry", "VN", "Lê Thị Năm")
    await sign_in(page, bo_baocao2)
    response = await page.goto("/reports?scope=VN&from_year=2021&to_year=2017")
    assert response is not None
    assert response.status == 422
    await expect(page.get_by_text("Năm cuối không được trước năm đầu.")).to_be_visible()
