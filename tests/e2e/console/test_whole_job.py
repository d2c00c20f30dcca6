"""A round run from the browser, role by role (issue 28): the officer creates and opens a
round and closes its registration; the round without a jury says so and offers no closing;
the ministry forms the jury, picking the judges' console accounts by name, and corrects it
before judging starts; the judges score; the chair closes judging after a confirmation; the
certifier's decision dated before judging closed is refused next to its date, then recorded
after a confirmation, and a certificate is revoked after one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    vietnamese_context,
)
from tests.support.scenario import facility_with_product, ok, register
from tests.support.stack import bearer, eventually

pytestmark = pytest.mark.browser
expect.set_options(timeout=60_000)
PROVINCE = "dak-lak"
YEAR = 2071  # h28a's reserved years: (provincial, dak-lak, 2071) is this file's
ROUND_NAME = f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk năm {YEAR}"
PRODUCTS = ("Cà phê bột Ea Kiết", "Mật ong hoa cà phê Krông Pắc")
WITHDRAWN = "Rượu cần Buôn Đôn"  # registered, then withdrawn by the officer
JUDGES = (
    ("gk.h28a.chu-tich", "Nguyễn Văn Hùng", "Phó Giám đốc Sở Công Thương"),
    ("gk.h28a.uy-vien", "Trần Thị Lan", "Trưởng phòng Quản lý công nghiệp"),
)
CRITERIA = ("market", "technical", "culture", "other")
SCORES = ((35, 30, 8, 7), (30, 28, 7, 7))  # per entry, both judges alike: totals 80 and 72


def typed(days: int = 0) -> str:
    return (Clock().today() + timedelta(days=days)).strftime("%d/%m/%Y")


async def looked_at(page: Page, name: str) -> None:
    """A screenshot at 1280 px and at 390 px (no sideways scroll there), and axe's verdict."""
    await screenshot(page, name)
    assert await serious_accessibility_violations(page) == [], name
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, f"{name}-390")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    await page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
async def contexts(browser: Browser, console: Settings) -> AsyncIterator[list[BrowserContext]]:
    opened = [
        await vietnamese_context(browser, console.base_url("console"), accept_downloads=True)
        for _ in range(5)
    ]
    yield opened
    for context in opened:
        await context.close()


async def signed_in(context: BrowserContext, username: str) -> Page:
    page = await context.new_page()
    await sign_in(page, username)
    return page


async def test_a_round_from_creation_to_revocation_in_the_browser(
    console: Settings, console_db: AsyncEngine, contexts: list[BrowserContext]
) -> None:
    officer_ctx, ministry_ctx, chair_ctx, member_ctx, certifier_ctx = contexts
    await an_account(console_db, "sct.h28a.whole", "province_officer", PROVINCE, "Y Moan Niê")
    await an_account(console_db, "bo.h28a.whole", "ministry", "VN", "Đặng Quốc Bảo")
    await an_account(console_db, "cq.h28a.whole", "certifier", PROVINCE, "Phạm Văn Minh")
    judges = [await an_account(console_db, u, "judge", PROVINCE, n) for u, n, _ in JUDGES]

    # The officer: a new round, opened.
    officer = await signed_in(officer_ctx, "sct.h28a.whole")
    await officer.goto("/rounds")
    await officer.get_by_label("Tên đợt bình chọn").fill(f"{ROUND_NAME} (dự thảo)")
    await officer.get_by_label("Năm").fill(str(YEAR))
    await officer.get_by_label("Bắt đầu nhận hồ sơ (dd/mm/yyyy)").fill(typed(-1))
    await officer.get_by_label("Kết thúc nhận hồ sơ (dd/mm/yyyy)").fill(typed(20))
    await officer.get_by_role("button", name="Tạo đợt bình chọn").click()
    await expect(officer.get_by_role("heading", name=f"{ROUND_NAME} (dự thảo)")).to_be_visible()
    round_id = officer.url.rsplit("/", 1)[-1]
    # … corrected while it is a draft: its name and closing date.
    await officer.locator("#edit-round summary").click()
    await officer.get_by_label("Tên đợt bình chọn").fill(ROUND_NAME)
    await officer.get_by_label("Kết thúc nhận hồ sơ (dd/mm/yyyy)").fill(typed(30))
    await officer.get_by_role("button", name="Lưu đợt bình chọn").click()
    await expect(officer.get_by_role("status")).to_have_text("Đã lưu đợt bình chọn.")
    await expect(officer.get_by_role("heading", name=ROUND_NAME, exact=True)).to_be_visible()
    await expect(officer.locator("dl.facts")).to_contain_text(typed(30))
    await looked_at(officer, "round-draft")
    await officer.get_by_role("button", name="Mở nhận hồ sơ").click()
    await expect(officer.get_by_text("Đang nhận hồ sơ")).to_be_visible()
    # The facilities' dossiers (the officer's import and facility pages have their own tests).
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as registration:
        for product_name in (*PRODUCTS, WITHDRAWN):
            _, product = await facility_with_product(
                registration, console, PROVINCE, f"Cơ sở {product_name} h28a", product_name
            )
            ok(await register(registration, console, PROVINCE, round_id, product["id"]))
    await officer.reload()
    # One entry is withdrawn, after the confirmation.
    row = officer.get_by_role("row").filter(has_text=WITHDRAWN)
    await row.locator("summary").click()
    await row.get_by_label("Lý do").fill("Cơ sở xin rút hồ sơ")
    await row.get_by_role("button", name="Rút hồ sơ").click()
    await expect(officer.locator("#consequences")).to_contain_text(WITHDRAWN)
    await looked_at(officer, "withdrawal-confirmation")
    await officer.locator("#confirmation button[type=submit]").click()
    await expect(row).to_contain_text("Đã rút")
    await officer.get_by_role("button", name="Đóng nhận hồ sơ").click()
    await expect(officer.get_by_role("button", name="Đóng nhận hồ sơ")).to_have_count(0)

    # The ministry: a round without a jury does not pretend judging could go on.
    ministry = await signed_in(ministry_ctx, "bo.h28a.whole")

    async def entries_arrived() -> bool:
        await ministry.goto(f"/jury-progress/{round_id}")
        return await ministry.get_by_role("button", name="Thành lập hội đồng").count() == 1

    await eventually(entries_arrived, timeout=120, interval=1)
    await expect(ministry.locator("#judging-state")).to_have_text(
        "Chưa có hội đồng: chưa thể chấm điểm."
    )
    await expect(ministry.get_by_text("Đang chấm điểm")).to_have_count(0)
    await expect(ministry.locator("#close-judging")).to_have_count(0)

    # … forms it: names, titles, the chair, each judge's account picked by name.
    await ministry.get_by_role("button", name="Thành lập hội đồng").click()
    for index, (username, name, title) in enumerate(JUDGES):
        await ministry.locator(f"#f-name-{index}").fill(name)
        await ministry.locator(f"#f-title-{index}").fill(title)
        await ministry.locator(f"#f-organisation-{index}").fill("Sở Công Thương Đắk Lắk")
        await ministry.locator(f"#f-account_id-{index}").select_option(label=f"{name} ({username})")
    await ministry.locator("input[name=chair][value='0']").check()
    await looked_at(ministry, "jury-form")
    await ministry.get_by_role("button", name="Lưu hội đồng").click()
    await expect(ministry.get_by_role("status")).to_have_text("Đã lưu hội đồng.")
    await expect(ministry.locator("#member-progress")).to_contain_text("Trần Thị Lan")

    # … and corrects it before judging starts: a title, and a third member who is removed again.
    await ministry.get_by_role("link", name="Sửa hội đồng").click()
    await ministry.locator("#f-title-1").fill("Trưởng phòng Quản lý công nghiệp, Sở Công Thương")
    await ministry.get_by_role("button", name="Lưu hội đồng").click()
    await expect(ministry.get_by_role("status")).to_have_text("Đã lưu hội đồng.")
    async with httpx.AsyncClient(base_url=console.base_url("evaluation")) as evaluation:
        jury = (
            await evaluation.get(
                f"/api/v1/rounds/{round_id}/jury", headers=bearer(console, Role.MINISTRY, "VN")
            )
        ).json()
    seats = {m["name"]: m for m in jury["members"]}
    assert seats["Nguyễn Văn Hùng"]["is_chair"] is True
    assert seats["Nguyễn Văn Hùng"]["account_id"] == str(judges[0].id)
    assert seats["Trần Thị Lan"]["title"] == "Trưởng phòng Quản lý công nghiệp, Sở Công Thương"
    assert seats["Trần Thị Lan"]["account_id"] == str(judges[1].id)

    # The judges find the jury under their own account and score.
    entries = await _entries(console, round_id)
    pages = [await signed_in(chair_ctx, JUDGES[0][0]), await signed_in(member_ctx, JUDGES[1][0])]
    for page in pages:
        await page.goto("/juries")
        await expect(page.locator(f"a[href='/judging/{round_id}']").first).to_be_visible()
        for entry, values in zip(entries, SCORES, strict=True):
            await page.goto(f"/judging/{round_id}/entries/{entry['id']}")
            for criterion, value in zip(CRITERIA, values, strict=True):
                await page.locator(f"#f-{criterion}").fill(str(value))
            await page.locator("#sheet button[type=submit]").click()
            await expect(page.locator("#sheet [role=status]")).to_contain_text("Đã lưu")
    # Once a sheet is in, the jury is no longer edited.
    await ministry.goto(f"/jury-progress/{round_id}/jury")
    await expect(ministry.locator("#jury-locked")).to_be_visible()

    # While judging is open the certifier's page of the round says so, as a page, not an error.
    certifier = await signed_in(certifier_ctx, "cq.h28a.whole")
    still_judged = await certifier.goto(f"/certification/{round_id}")
    assert still_judged is not None
    assert still_judged.status == 200
    await expect(certifier.locator("#not-closed")).to_contain_text("Chưa kết thúc chấm điểm")

    # The chair closes judging, after the confirmation says what cannot be undone.
    chair = pages[0]
    await chair.goto(f"/jury-progress/{round_id}")
    await chair.locator("#close-judging button[type=submit]").click()
    await expect(chair.locator("#irreversible")).to_contain_text("không thể mở lại")
    await looked_at(chair, "close-judging-confirmation")
    await chair.locator("#confirmation button[type=submit]").click()
    await expect(chair.locator("#judging-state")).to_have_text("Đã kết thúc chấm điểm")

    # The certifier: a decision dated before judging closed is refused next to its date.

    async def previewable() -> bool:
        # Until certification hears judging closed, the page says the round is still judged.
        response = await certifier.goto(f"/certification/{round_id}")
        return response is not None and await certifier.locator("#decide").count() > 0

    await eventually(previewable, timeout=120, interval=1)
    await expect(certifier.locator("#decide input[name=decided_on]")).to_have_value(typed())
    await certifier.get_by_label("Số quyết định").fill("71/QĐ-UBND")
    await certifier.get_by_label("Ngày quyết định").fill(typed(-3))
    await certifier.get_by_role("button", name="Ghi nhận quyết định").click()
    await expect(certifier.locator("#consequences")).to_contain_text(
        "2 sản phẩm được công nhận được cấp giấy chứng nhận"
    )
    await expect(certifier.locator("#irreversible")).to_be_visible()
    await looked_at(certifier, "decision-confirmation")
    await certifier.locator("#confirmation button[type=submit]").click()
    await expect(certifier.locator("#e-f-decided_on")).to_have_text(
        "Ngày quyết định không được trước ngày kết thúc chấm điểm."
    )
    await expect(certifier.locator("#decide input[name=decided_on]")).to_have_value(typed(-3))
    await certifier.get_by_label("Ngày quyết định").fill(typed())
    await certifier.get_by_role("button", name="Ghi nhận quyết định").click()
    await certifier.locator("#confirmation button[type=submit]").click()
    await expect(certifier.locator("#decision")).to_contain_text("71/QĐ-UBND")

    numbers = await certifier.locator("tr[data-certificate]").evaluate_all(
        "rows => rows.map(r => r.dataset.certificate)"
    )
    assert len(numbers) == 2
    async with certifier.expect_download() as download:
        await certifier.get_by_role("link", name=f"Tải bản PDF {numbers[0]}").click()
    assert (await (await download.value).path()).read_bytes().startswith(b"%PDF")

    # … downloads the results, the certificate list and every certificate PDF at once.
    async with certifier.expect_download() as download:
        await certifier.get_by_role("link", name="Kết quả (XLSX)").click()
    sheet = load_workbook(io.BytesIO((await (await download.value).path()).read_bytes())).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert {"Xếp hạng (rank)", "Điểm bình quân (mean)"} <= set(header)
    products = [
        row[header.index("Sản phẩm (product)")] for row in sheet.iter_rows(2, values_only=True)
    ]
    assert set(PRODUCTS) <= set(products)
    async with certifier.expect_download() as download:
        await certifier.get_by_role("link", name="Danh sách giấy chứng nhận (CSV)").click()
    listed = (await (await download.value).path()).read_text(encoding="utf-8-sig")
    assert listed.splitlines()[0].startswith("Số giấy chứng nhận,Sản phẩm,Cơ sở")
    assert all(n in listed for n in numbers)
    async with certifier.expect_download() as download:
        await certifier.get_by_role("link", name="Tất cả giấy chứng nhận PDF (ZIP)").click()
    with zipfile.ZipFile(await (await download.value).path()) as archive:
        assert sorted(archive.namelist()) == sorted(f"{n}.pdf" for n in numbers)
        assert all(archive.read(f"{n}.pdf").startswith(b"%PDF") for n in numbers)

    # … and revokes one, after its confirmation.
    row = certifier.locator(f"tr[data-certificate='{numbers[1]}']")
    await row.locator("summary").click()
    await row.get_by_label("Số quyết định thu hồi").fill("72/QĐ-UBND")
    await row.get_by_label("Lý do").fill("Cơ sở ngừng sản xuất sản phẩm")
    await row.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    await expect(certifier.locator("#consequences")).to_contain_text(numbers[1])
    await looked_at(certifier, "revocation-confirmation")
    await certifier.locator("#confirmation button[type=submit]").click()
    await expect(row.locator("[data-status]")).to_contain_text("Đã thu hồi")


async def _entries(console: Settings, round_id: str) -> list[dict[str, Any]]:
    """The round's entries as evaluation holds them, in PRODUCTS order."""
    async with httpx.AsyncClient(base_url=console.base_url("evaluation")) as evaluation:
        found = await evaluation.get(
            f"/api/v1/rounds/{round_id}/entries",
            headers=bearer(console, Role.PROVINCE_OFFICER, PROVINCE),
        )
    by_name = {e["product_name"]: e for e in found.json()}
    return [by_name[p] for p in PRODUCTS]
