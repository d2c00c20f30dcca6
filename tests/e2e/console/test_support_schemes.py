"""A support officer runs khuyến công from the browser alone: a new scheme with its budget per
funding source (a refusal shown next to its field, in Vietnamese), opened, its applications,
the allocation preview, the confirmation and the grants, on a 390 px phone too."""

from __future__ import annotations

import uuid

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import an_account, open_area, screenshot, sign_in
from tests.support import identities
from tests.support.khuyen_cong import apply, officer
from tests.support.scenario import ok

pytestmark = pytest.mark.browser
PROVINCE = "son-la"
YEAR = 2091


async def fits_a_phone(page: Page) -> bool:
    """No sideways scroll on the page loaded at the phone's width."""
    await page.reload()
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_a_support_officer_goes_from_a_new_scheme_to_its_grants(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    kc = identities.username("kc.sonla")
    code = identities.code("KC-SL")
    await an_account(console_db, kc, "support_officer", PROVINCE, "Lò Văn Khuyến")
    await sign_in(page, kc)
    await open_area(page, "Hỗ trợ khuyến công")

    form = page.locator("form[action='/support']")
    await form.get_by_label("Mã đề án").fill(code)
    await form.get_by_label("Tên đề án").fill("Hỗ trợ máy móc chế biến chè Sơn La")
    await form.get_by_label("Nội dung hỗ trợ").select_option("machinery")
    await form.get_by_label("Năm").fill(str(YEAR))
    await form.get_by_label("Phạm vi").fill(PROVINCE)
    await form.get_by_label("Ngân sách trung ương").fill("một trăm triệu")
    await form.get_by_role("button", name="Tạo đề án").click()
    national = page.locator("#f-budget_national")
    await expect(national).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#e-budget_national")).not_to_be_empty()
    await expect(page.get_by_label("Mã đề án")).to_have_value(code)  # nothing typed is lost

    await national.fill("100.000.000")
    await page.get_by_label("Vốn đối ứng").fill("20000000")
    await page.get_by_role("button", name="Tạo đề án").click()
    await expect(
        page.get_by_role("heading", name="Hỗ trợ máy móc chế biến chè Sơn La")
    ).to_be_visible()
    await expect(page.locator("#budget tr[data-source='national']")).to_contain_text(
        "100.000.000 ₫"
    )
    await expect(page.locator("#budget tr[data-source='counterpart']")).to_contain_text(
        "20.000.000 ₫"
    )
    scheme_url = page.url
    scheme_id = scheme_url.rstrip("/").rsplit("/", 1)[-1]
    async with httpx.AsyncClient(base_url=console.base_url("support")) as client:
        stored = ok(
            await client.get(f"/api/v1/schemes/{scheme_id}", headers=officer(console, PROVINCE)),
            200,
        )
    assert (stored["code"], stored["year"], stored["status"]) == (code, YEAR, "draft")
    assert stored["budget"] == {"national": 100_000_000, "local": 0, "counterpart": 20_000_000}

    # The same code twice is refused next to the code.
    await open_area(page, "Hỗ trợ khuyến công")
    await page.get_by_label("Mã đề án").fill(code)
    await page.get_by_label("Tên đề án").fill("Trùng mã")
    await page.get_by_label("Năm").fill(str(YEAR))
    await page.get_by_label("Phạm vi").fill(PROVINCE)
    await page.get_by_label("Nội dung hỗ trợ").select_option("training")
    await page.get_by_label("Ngân sách trung ương").fill("1.000.000")
    await page.get_by_role("button", name="Tạo đề án").click()
    await expect(page.locator("#f-code")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#e-code")).to_have_text("Đã có đề án với mã này.")
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "support-new-scheme-390")
    assert await fits_a_phone(page)
    await page.set_viewport_size({"width": 1280, "height": 900})

    await page.goto(scheme_url)
    await page.get_by_role("button", name="Mở đề án nhận hồ sơ").click()
    await expect(page.get_by_text("· Đang nhận hồ sơ")).to_be_visible()
    async with httpx.AsyncClient(base_url=console.base_url("support")) as client:
        for name, asked in (
            ("HTX Chè Mộc Châu", 70_000_000),
            ("Cơ sở mây tre Mai Sơn", 50_000_000),
        ):
            await apply(
                client,
                console,
                scheme_id,
                PROVINCE,
                {"national": asked},
                facility_id=uuid.uuid4(),
                name=name,
            )
    await page.reload()
    await expect(page.locator("#plan tbody tr")).to_have_count(2)
    await page.get_by_role("button", name="Xác nhận phân bổ").click()
    await expect(page.locator("#grants ~ table tbody tr")).to_have_count(1)
    await expect(page.locator("#grants ~ table tbody tr")).to_contain_text("HTX Chè Mộc Châu")
    await expect(page.locator("#budget tr[data-source='national'] [data-left]")).to_have_text(
        "30.000.000\xa0₫"
    )
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "support-scheme-grants-390")
    assert await fits_a_phone(page)
