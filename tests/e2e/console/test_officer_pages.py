"""A province officer's day in the console: a round, a dossier list imported through the
upload form, facilities found without diacritics, refusals next to their field."""

from __future__ import annotations

import asyncio
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from playwright.async_api import FilePayload, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.clock import Clock
from tests.e2e.console.conftest import (
    SCREENSHOTS,
    an_account,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities

pytestmark = pytest.mark.browser

ROWS = [
    # business code, facility, kind, province, address, phone, e-mail, product, group, set,
    # description, four declarations
    [
        "6000000101",
        "HTX Dệt thổ cẩm Buôn Ako Dhông",
        "Hợp tác xã",
        "dak-lak",
        "",
        "",
        "",
        "Khăn thổ cẩm dệt tay",
        "Thủ công mỹ nghệ",
        "không",
        "",
        "có",
        "có",
        "có",
        "có",
    ],
    [
        "6000000102",
        "Cơ sở cà phê Ê Đê",
        "Hộ kinh doanh",
        "dak-lak",
        "",
        "",
        "",
        "Cà phê bột nguyên chất",
        "Chế biến nông, lâm, thủy sản và thực phẩm",
        "không",
        "",
        "có",
        "có",
        "có",
        "có",
    ],
]
REFUSED_ROW = [
    "6000000103",
    "Cơ sở mây tre Krông Ana",
    "Hộ kinh doanh",
    "dak-lak",
    "",
    "",
    "",
    "Giỏ mây đan",
    "Thủ công mỹ nghệ",
    "không",
    "",
    "có",
    "có",
    "có",
    "không",
]


def as_upload(content: bytes) -> FilePayload:
    return {"name": "danh-sach.xlsx", "mimeType": "application/octet-stream", "buffer": content}


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


async def assert_accessible(page: Page) -> None:
    assert await serious_accessibility_violations(page) == []


async def create_and_open_round(page: Page, name: str) -> None:
    await page.goto("/rounds")
    await page.get_by_label("Tên đợt bình chọn").fill(name)
    await page.get_by_label("Bắt đầu nhận hồ sơ (dd/mm/yyyy)").fill(
        vn(Clock().today() - timedelta(days=1))
    )
    await page.get_by_label("Kết thúc nhận hồ sơ (dd/mm/yyyy)").fill(
        vn(Clock().today() + timedelta(days=30))
    )
    await assert_accessible(page)
    await page.get_by_role("button", name="Tạo đợt bình chọn").click()
    await expect(page.get_by_role("heading", name=name)).to_be_visible()
    await page.get_by_role("button", name="Mở nhận hồ sơ").click()
    await expect(page.get_by_text("Đang nhận hồ sơ")).to_be_visible()


async def filled_template(page: Page, rows: list[list[str]]) -> bytes:
    """The template downloaded from the page, filled in as an officer would."""
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Tải tệp mẫu (XLSX)").click()
    download = await downloading.value
    assert download.suggested_filename == "mau-danh-sach-ho-so.xlsx"
    book = load_workbook(io.BytesIO(await asyncio.to_thread((await download.path()).read_bytes)))
    sheet = book.active
    assert sheet is not None
    assert sheet["A1"].value == "Mã số thuế"
    sheet.delete_rows(2)  # the example row
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_an_officer_imports_a_dossier_list_through_the_upload_form_and_sees_the_entries(
    page: Page, console_db: AsyncEngine
) -> None:
    sct_import = identities.username("sct.import")
    await an_account(console_db, sct_import, "province_officer", "dak-lak", "Trần Văn Nam")
    await sign_in(page, sct_import)
    await create_and_open_round(page, "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk 2026")
    await assert_accessible(page)

    await page.get_by_role("button", name="Nhập danh sách hồ sơ").click()
    await assert_accessible(page)
    upload = await filled_template(page, [*ROWS, REFUSED_ROW])
    await page.get_by_label("Danh sách hồ sơ (XLSX hoặc CSV)").set_input_files(
        files=as_upload(upload)
    )
    await page.get_by_role("button", name="Kiểm tra danh sách").click()

    table = page.get_by_role("table")
    await expect(page.get_by_text("2 hợp lệ, 0 đã có, 1 bị từ chối.")).to_be_visible()
    refused = table.get_by_role("row").filter(has_text="Giỏ mây đan")
    await expect(refused).to_contain_text("bị từ chối")
    await expect(refused).to_contain_text("Sản xuất hàng loạt (có/không)")
    await expect(page.get_by_role("button", name="Lưu 2 hồ sơ")).to_have_count(0)
    await screenshot(page, "import-refused-row")
    await assert_accessible(page)

    # The officer corrects the list (drops the refused row) and checks it again.
    upload = await filled_template(page, ROWS)
    await page.get_by_label("Danh sách hồ sơ (XLSX hoặc CSV)").set_input_files(
        files=as_upload(upload)
    )
    await page.get_by_role("button", name="Kiểm tra danh sách").click()
    await expect(page.get_by_text("2 hợp lệ, 0 đã có, 0 bị từ chối.")).to_be_visible()
    await screenshot(page, "import-dry-run")
    await page.get_by_role("button", name="Lưu 2 hồ sơ").click()

    await expect(page.get_by_text("Đã đăng ký 2 hồ sơ từ danh sách.")).to_be_visible()
    entries = page.get_by_role("table")
    await expect(
        entries.get_by_role("row").filter(has_text="Khăn thổ cẩm dệt tay")
    ).to_contain_text("Đã đăng ký")
    await expect(
        entries.get_by_role("row").filter(has_text="Cà phê bột nguyên chất")
    ).to_contain_text("Cơ sở cà phê Ê Đê")
    await screenshot(page, "round-entries")
    await assert_accessible(page)

    # The facilities came with the list: found by name typed without diacritics.
    await page.goto("/facilities")
    await page.get_by_label("Tìm theo tên (có dấu hoặc không dấu)").fill("det tho cam")
    await page.get_by_role("button", name="Tìm").click()
    await expect(page.get_by_role("link", name="HTX Dệt thổ cẩm Buôn Ako Dhông")).to_be_visible()
    await expect(page.get_by_role("link", name="Cơ sở cà phê Ê Đê")).to_have_count(0)
    await screenshot(page, "facilities-search")
    await assert_accessible(page)
    assert SCREENSHOTS.joinpath("round-entries.png").exists()


async def test_a_refused_facility_shows_the_reason_next_to_the_field(
    page: Page, console_db: AsyncEngine
) -> None:
    sct_facility = identities.username("sct.facility")
    await an_account(console_db, sct_facility, "province_officer", "dak-lak", "Lê Thị Mai")
    await sign_in(page, sct_facility)
    await page.goto("/facilities/new")
    await page.get_by_label("Tên cơ sở").fill("Cơ sở gốm Yang Tao")
    await page.get_by_label("Loại hình cơ sở").select_option("household_business")
    await page.get_by_label("Mã số thuế").fill("6000000201")
    await page.get_by_label("Mã tỉnh").fill("dak-lak")
    await page.get_by_role("button", name="Lưu cơ sở").click()
    await expect(page.get_by_role("heading", name="Cơ sở gốm Yang Tao")).to_be_visible()
    await assert_accessible(page)
    await page.get_by_text("Thêm sản phẩm").click()
    await page.get_by_label("Tên sản phẩm").fill("Bình gốm men lam")
    await page.get_by_label("Nhóm sản phẩm").select_option("handicraft")
    await page.get_by_role("button", name="Lưu sản phẩm").click()
    await page.get_by_role("link", name="Bình gốm men lam").click()
    await expect(page.get_by_label("Tên sản phẩm")).to_have_value("Bình gốm men lam")
    await assert_accessible(page)

    # The same business code again: registration refuses, next to that field.
    await page.goto("/facilities/new")
    await page.get_by_label("Tên cơ sở").fill("Cơ sở gốm khác")
    await page.get_by_label("Loại hình cơ sở").select_option("household_business")
    await page.get_by_label("Mã số thuế").fill("6000000201")
    await page.get_by_label("Mã tỉnh").fill("dak-lak")
    await page.get_by_role("button", name="Lưu cơ sở").click()
    code = page.get_by_label("Mã số thuế")
    await expect(code).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#e-business_code")).to_have_text(
        "Mã số thuế này đã thuộc về một cơ sở khác."
    )
    await screenshot(page, "facility-refused")
    await assert_accessible(page)

    # Another province's code is refused too, next to the province field.
    await page.get_by_label("Mã số thuế").fill("6000000202")
    await page.get_by_label("Mã tỉnh").fill("ha-noi")
    await page.get_by_role("button", name="Lưu cơ sở").click()
    await expect(page.locator("#e-province_code")).to_have_text(
        "Mục này thuộc tỉnh khác, ngoài phạm vi của ông/bà."
    )
