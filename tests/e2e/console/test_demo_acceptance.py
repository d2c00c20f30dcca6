"""Issue #18's acceptance, in a real browser: after the demo's programme cycle (the code path of
`make demo`, driven against this run's stack), the ministry's demo account sees Đắk Lắk's
figures — the same as the report the demo prints, computed by `cnnt report`'s own code — on the
report page and on the national dashboard, and finds the certificates the demo issued."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from cnnt_tools.cli import report as reports
from cnnt_tools.cli import scenario
from console.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.e2e.console.conftest import (
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support.scenario import ok
from tests.support.stack import bearer

pytestmark = pytest.mark.browser
# The demo's whole cycle runs first on a small shared machine: a bound on waiting only.
expect.set_options(timeout=60_000)
FIRST, LAST = 2017, 2021  # the span of the demo's printed report
MINISTRY = next(username for username, role, *_ in DEMO_ACCOUNTS if role == "ministry")


def figures(rows: list[list[Any]]) -> list[list[str]]:
    """A report's rows as the page writes them: labels as they are, figures as 1.234.567."""
    return [
        [str(c) if i < 2 else f"{c:,}".replace(",", ".") for i, c in enumerate(row)] for row in rows
    ]


async def table(page: Page, table_id: str) -> list[list[str]]:
    cells: list[list[str]] = await page.eval_on_selector_all(
        f"#{table_id} tbody tr",
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
    )
    return cells


async def certificates_api(settings: Settings, **params: Any) -> Any:
    async with httpx.AsyncClient(base_url=settings.base_url("certification")) as client:
        return ok(
            await client.get(
                "/api/v1/certificates", params=params, headers=bearer(settings, Role.MINISTRY)
            ),
            200,
        )


@pytest.mark.usefixtures("demo_programme")  # the demo's accounts, then its whole cycle
async def test_after_the_demo_the_ministry_sees_dak_laks_figures_without_a_terminal(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    printed = await asyncio.to_thread(reports.gather, console, scenario.DAK_LAK, FIRST, LAST)
    assert printed.levels, "the demo recognised nothing in Đắk Lắk"

    await sign_in(page, MINISTRY, DEMO_PASSWORD)

    # The report page: Đắk Lắk, 2017–2021, chosen in the form.
    await open_area(page, "Báo cáo")
    await page.get_by_label("Tỉnh, khu vực hoặc toàn quốc").select_option(scenario.DAK_LAK)
    await page.get_by_label("Từ năm").fill(str(FIRST))
    await page.get_by_label("Đến năm").fill(str(LAST))
    await page.get_by_role("button", name="Xem báo cáo").click()
    await expect(page.get_by_role("heading", name=f"Đắk Lắk, {FIRST}–{LAST}")).to_be_visible()
    assert await table(page, "recognition") == figures(printed.recognition_rows())
    assert await table(page, "support") == figures(printed.support_rows())
    await screenshot(page, "demo-report-dak-lak")
    assert await serious_accessibility_violations(page) == []

    # The national dashboard, five years up to the demo's last: Đắk Lắk among the provinces,
    # its recognitions per level as the report counts them, then its figures beside.
    await open_area(page, "Tổng quan toàn quốc")
    await page.get_by_label("Năm năm, đến năm").fill(str(LAST))
    await page.get_by_role("button", name="Xem", exact=True).click()
    await expect(page.locator("#updated-at")).to_contain_text("cập nhật lúc")
    dak_lak = page.locator(f"#provinces tr[data-province='{scenario.DAK_LAK}']")
    per_level = {r["level"]: r["recognised"] for r in printed.levels}
    shown = [int(c) for c in (await dak_lak.locator("td.num").all_inner_texts())]
    # Five columns, lowest level first: the demo holds no commune or district rounds.
    levels = ("commune", "district", "provincial", "regional", "national")
    assert shown == [per_level.get(level, 0) for level in levels]
    await dak_lak.get_by_role("link").click()
    await expect(page.get_by_role("heading", name=f"Đắk Lắk, {FIRST}–{LAST}")).to_be_visible()
    assert await table(page, "province-recognition") == figures(printed.recognition_rows())
    assert await table(page, "province-support") == figures(printed.support_rows())
    updated = await page.locator("#updated-at").inner_text()
    assert re.fullmatch(r"Số liệu cập nhật lúc \d{2}:\d{2} \d{2}/\d{2}/\d{4}\.", updated)
    await screenshot(page, "demo-dashboard-dak-lak")
    assert await serious_accessibility_violations(page) == []

    # The certificates the demo issued: the list's numbers are certification's own. (Their
    # standing depends on today's date: the demo's recognitions of 2021 may have expired.)
    standing = (
        await certificates_api(console, province=scenario.DAK_LAK, level="provincial", year=LAST)
    )["items"][0]["status"]
    await open_area(page, "Giấy chứng nhận", exact=True)
    await page.get_by_label("Tỉnh", exact=True).select_option(scenario.DAK_LAK)
    await page.get_by_label("Cấp", exact=True).select_option("provincial")
    await page.get_by_label("Năm của đợt").fill(str(LAST))
    await page.get_by_label("Tình trạng", exact=True).select_option(standing)
    await page.get_by_role("button", name="Lọc").click()
    expected = await certificates_api(
        console, province=scenario.DAK_LAK, level="provincial", year=LAST, status=standing
    )
    assert expected["total"] > 0
    await expect(page.locator("#certificates-total")).to_have_text(
        f"{expected['total']} giấy chứng nhận"
    )
    numbers = await page.locator("#certificates tr[data-certificate]").evaluate_all(
        "rows => rows.map(r => r.dataset.certificate)"
    )
    assert numbers == [c["certificate_number"] for c in expected["items"]]
    first = expected["items"][0]["certificate_number"]
    row = page.locator(f"#certificates tr[data-certificate='{first}']")
    await expect(row.locator(f"a[href='/verify/{first}']")).to_be_visible()
    await expect(row.locator(f"a[href='/certification/certificates/{first}.pdf']")).to_be_visible()
    await screenshot(page, "demo-certificates-filtered")
    assert await serious_accessibility_violations(page) == []

    # Every certificate, a page at a time: page 2 is certification's page 2.
    await page.goto("/certification/certificates?page=2")
    everything = await certificates_api(console, page=2, size=25)
    assert everything["total"] > 25  # the demo alone issues fifty: pages of 25
    await expect(page.locator("#certificates-total")).to_contain_text(
        f"{everything['total']:,}".replace(",", ".") + " giấy chứng nhận"
    )
    numbers = await page.locator("#certificates tr[data-certificate]").evaluate_all(
        "rows => rows.map(r => r.dataset.certificate)"
    )
    assert numbers == [c["certificate_number"] for c in everything["items"]]
    await expect(page.locator("nav.pages [aria-current=page]")).to_have_text("2")
    await screenshot(page, "demo-certificates-page-2")
    assert await serious_accessibility_violations(page) == []
