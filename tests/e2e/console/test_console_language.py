"""No English and no regex reach people (issue 28, items 5 and 6): the facility form refuses a
tax code, phone or e-mail that breaks the one rule registration applies, each with its rule
next to the field in Vietnamese; an unknown or malformed address answers the console's own
page, in its layout, not FastAPI's JSON."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.e2e.console.conftest import an_account, screenshot, sign_in

pytestmark = pytest.mark.browser
ENGLISH = ("String should", "pattern", "Not Found", "detail", "Input should", "Field required")


async def test_the_facility_form_words_each_rule_next_to_its_field(
    page: Page, console_db: AsyncEngine
) -> None:
    await an_account(console_db, "sct.language-form", "province_officer", "dak-lak", "Hồ Thị Lan")
    await sign_in(page, "sct.language-form")
    await page.goto("/facilities/new")
    await page.get_by_label("Tên cơ sở").fill("Cơ sở mây tre Ea Kar")
    await page.get_by_label("Loại hình cơ sở").select_option("household_business")
    await page.get_by_label("Mã số thuế").fill("12AB")
    await page.get_by_label("Mã tỉnh").fill("dak-lak")
    await page.get_by_label("Điện thoại").fill("điện thoại")
    await page.get_by_label("Thư điện tử").fill("abc")
    # The browser would stop "abc" in an e-mail input itself; the server must refuse it too.
    await page.locator("form[action='/facilities']").evaluate("f => f.noValidate = true")
    await page.get_by_role("button", name="Lưu cơ sở").click()

    await expect(page.locator("#e-business_code")).to_have_text(
        "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số "
        "(6001234567 hoặc 6001234567-001)."
    )
    await expect(page.get_by_label("Mã số thuế")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#e-phone")).to_contain_text("Số điện thoại gồm 8 đến 15 chữ số")
    await expect(page.locator("#e-email")).to_have_text(
        "Địa chỉ thư điện tử có dạng ten@ten-mien.vn."
    )
    body = await page.locator("main").inner_text()
    assert not [word for word in ENGLISH if word in body], body
    await screenshot(page, "facility-rules")

    # A tax code of a dependent unit (10 digits, '-', 3 digits) and grouped phone are taken.
    await page.get_by_label("Mã số thuế").fill("6007300001-001")
    await page.get_by_label("Điện thoại").fill("0262 3852 123")
    await page.get_by_label("Thư điện tử").fill("maytre@eakar.vn")
    await page.get_by_role("button", name="Lưu cơ sở").click()
    await expect(page.get_by_role("heading", name="Cơ sở mây tre Ea Kar")).to_be_visible()


async def test_an_unknown_or_malformed_address_answers_the_consoles_own_page(
    page: Page, console_db: AsyncEngine
) -> None:
    await an_account(console_db, "sct.language-404", "province_officer", "dak-lak", "Hồ Văn Nam")
    await sign_in(page, "sct.language-404")
    for address, status in [
        ("/khong-co-trang-nay", 404),
        ("/facilities/abc", 404),
        ("/rounds/abc/import", 404),
        ("/facilities?page=abc", 422),
    ]:
        response = await page.goto(address)
        assert response is not None
        assert (address, response.status) == (address, status)
        assert response.headers["content-type"].startswith("text/html")
        heading = "Không tìm thấy trang" if status == 404 else "Không thực hiện được"
        await expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        # In the console's layout: the signed-in officer's menu is there.
        menu = page.get_by_role("navigation", name="Trình đơn chính")
        await expect(menu.get_by_role("link", name="Hồ Văn Nam")).to_be_visible()
        await expect(menu.get_by_role("button", name="Đăng xuất")).to_be_visible()
        body = await page.locator("body").inner_text()
        assert not [word for word in ENGLISH if word in body], (address, body)
        if address == "/facilities/abc":
            await screenshot(page, "page-not-found")
