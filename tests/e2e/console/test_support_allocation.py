"""The support officer's khuyến công pages in a real browser: a scheme's budget per source, its
applications with their priority band, the allocation from preview to confirmed grants whose
amounts are the support service's own, and a refusal shown on the application it concerns."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    vietnamese_context,
)
from tests.support import identities
from tests.support.khuyen_cong import apply, officer, open_scheme, recognized
from tests.support.scenario import ok
from tests.support.stack import eventually, publish

pytestmark = pytest.mark.browser
PROVINCE = "dak-lak"


def vnd(shown: str) -> int:
    """``60.000.000 ₫`` as the page writes it, back to whole đồng."""
    return int("".join(c for c in shown if c.isdigit()))


async def _scheme_with_three_applications(settings: Settings) -> dict[str, Any]:
    """100 million from the national budget; 60 + 30 + 50 million asked, the 30 by a facility
    with a provincial recognition (so it comes first): the last one no longer fits."""
    first, recognised, last = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with httpx.AsyncClient(base_url=settings.base_url("support")) as client:
        scheme = await open_scheme(client, settings, PROVINCE, {"national": 100_000_000})
        sid = scheme["id"]
        await apply(
            client,
            settings,
            sid,
            PROVINCE,
            {"national": 60_000_000},
            facility_id=first,
            name="HTX Mây tre đan Krông Ana",
        )
        await apply(
            client,
            settings,
            sid,
            PROVINCE,
            {"national": 30_000_000},
            facility_id=recognised,
            name="Cơ sở cà phê Buôn Ma Thuột",
        )
        await apply(
            client,
            settings,
            sid,
            PROVINCE,
            {"national": 50_000_000},
            facility_id=last,
            name="Cơ sở dệt thổ cẩm Buôn Đôn",
        )
        await publish(settings, recognized(recognised, Level.PROVINCIAL, "91"))

        async def banded() -> bool:
            plan = ok(
                await client.get(
                    f"/api/v1/schemes/{sid}/allocation-preview",
                    headers=officer(settings, PROVINCE),
                ),
                200,
            )
            return bool(plan["decisions"][0]["priority_band"] == "provincial")

        await eventually(banded, timeout=60)
    return scheme


async def test_a_support_officer_allocates_from_preview_to_the_grants_the_service_recorded(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    kc_daklak = identities.username("kc.daklak")
    scheme = await _scheme_with_three_applications(console)
    await an_account(console_db, kc_daklak, "support_officer", PROVINCE, "Lê Thị Khuyến")
    await sign_in(page, kc_daklak)

    await open_area(page, "Hỗ trợ khuyến công")
    await expect(page.get_by_role("heading", name="Hỗ trợ khuyến công")).to_be_visible()
    row = page.locator(f"#schemes tr[data-scheme='{scheme['id']}']")
    await expect(row).to_contain_text("100.000.000 ₫")
    await screenshot(page, "support-schemes")
    assert await serious_accessibility_violations(page) == []

    await row.get_by_role("link", name=scheme["code"]).click()
    await expect(
        page.get_by_role("heading", name="Phân bổ kinh phí theo thứ tự ưu tiên")
    ).to_be_visible()
    outcomes = page.locator("#plan tbody tr td[data-outcome]")
    await expect(outcomes).to_have_text(
        ["Được hỗ trợ", "Được hỗ trợ", "Không được hỗ trợ — hết dự toán (Ngân sách trung ương)"]
    )
    await expect(page.locator("#plan tbody tr").first).to_contain_text("Đạt cấp tỉnh")
    await expect(page.get_by_text("giấy chứng nhận P-")).to_be_visible()
    await screenshot(page, "support-preview")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_role("button", name="Xác nhận phân bổ").click()
    await expect(page.locator("#grants ~ table tbody tr")).to_have_count(2)
    async with httpx.AsyncClient(base_url=console.base_url("support")) as client:
        granted = ok(
            await client.get(
                f"/api/v1/schemes/{scheme['id']}/grants", headers=officer(console, PROVINCE)
            ),
            200,
        )
        after = ok(
            await client.get(f"/api/v1/schemes/{scheme['id']}", headers=officer(console, PROVINCE)),
            200,
        )
    shown = {
        await r.get_attribute("data-grant"): vnd(await r.locator("[data-total]").inner_text())
        for r in await page.locator("#grants ~ table tbody tr").all()
    }
    assert shown == {g["application_id"]: g["total"] for g in granted["items"]}
    assert sorted(shown.values()) == [30_000_000, 60_000_000]
    national = page.locator("#budget tr[data-source='national']")
    assert (
        vnd(await national.locator("[data-granted]").inner_text()) == after["granted"]["national"]
    )
    assert vnd(await national.locator("[data-left]").inner_text()) == 10_000_000
    await expect(page.get_by_role("button", name="Xác nhận phân bổ")).to_have_count(0)
    await expect(page.get_by_text("Dự toán còn lại không đủ cho hồ sơ nào")).to_be_visible()
    await screenshot(page, "support-grants")
    assert await serious_accessibility_violations(page) == []

    # The one left out cannot be granted by hand either: the refusal sits on its own row.
    await page.get_by_role(
        "button", name="Hỗ trợ theo mức đề nghị Cơ sở dệt thổ cẩm Buôn Đôn"
    ).click()
    await expect(page.get_by_role("alert")).to_have_text(
        "Dự toán của đề án từ nguồn vốn này đã hết."
    )
    pending = page.locator("#applications ~ table tr", has_text="Cơ sở dệt thổ cẩm Buôn Đôn")
    await expect(pending.get_by_role("alert")).to_be_visible()
    await screenshot(page, "support-refusal")


async def test_a_plan_that_changed_after_its_preview_is_refused_and_the_ministry_only_reads(
    page: Page, browser: Browser, console: Settings, console_db: AsyncEngine
) -> None:
    bo_khuyencong = identities.username("bo.khuyencong")
    kc_daklak2 = identities.username("kc.daklak2")
    async with httpx.AsyncClient(base_url=console.base_url("support")) as client:
        scheme = await open_scheme(client, console, PROVINCE, {"local": 50_000_000})
        sid = scheme["id"]
        await apply(client, console, sid, PROVINCE, {"local": 20_000_000}, name="HTX Gốm Yang Tao")
        await an_account(console_db, kc_daklak2, "support_officer", PROVINCE, "Trần Văn Phân")
        await sign_in(page, kc_daklak2)
        await page.goto(f"/support/{sid}")
        await expect(page.locator("#plan tbody tr")).to_have_count(1)
        # Another application arrives while the officer reads the preview.
        await apply(client, console, sid, PROVINCE, {"local": 40_000_000}, name="Cơ sở rèn Ea Súp")
        await page.get_by_role("button", name="Xác nhận phân bổ").click()
        await expect(page.get_by_role("alert")).to_have_text(
            "Phương án phân bổ đã thay đổi sau khi xem trước: hãy xem lại phương án mới và xác "
            "nhận lại."
        )
        await expect(page.locator("#plan tbody tr")).to_have_count(2)  # the new preview
        granted = ok(
            await client.get(f"/api/v1/schemes/{sid}/grants", headers=officer(console, PROVINCE)),
            200,
        )
    assert granted["items"] == []
    await expect(page.get_by_text("Chưa có khoản hỗ trợ nào.")).to_be_visible()

    await an_account(console_db, bo_khuyencong, "ministry", "VN", "Đỗ Minh Bộ")
    context = await vietnamese_context(browser, console.base_url("console"))
    ministry = await context.new_page()
    try:
        await sign_in(ministry, bo_khuyencong)
        await ministry.goto(f"/support/{sid}")
        await expect(ministry.locator("#plan tbody tr")).to_have_count(2)
        await expect(ministry.get_by_role("button", name="Xác nhận phân bổ")).to_have_count(0)
        await expect(ministry.get_by_role("button", name="Hỗ trợ theo mức đề nghị")).to_have_count(
            0
        )
    finally:
        await context.close()
