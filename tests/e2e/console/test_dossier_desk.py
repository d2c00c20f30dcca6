"""The receiving desk and the judges' view of a dossier, in the browser: an officer uploads a
dossier, returns it for supplement and accepts it; the round's judge sees the photo and the
description on the score sheet; a judge of another round and an officer of another province
get 403 on the file's URL. (h32's year 2084, one round in Cao Bằng and one in Lạng Sơn.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import an_account, screenshot, sign_in, vietnamese_context
from tests.integration.registration.test_dossier_files import pdf_bytes, photo_with_gps
from tests.support.identifiers import tax_code
from tests.support.scenario import DECLARED
from tests.support.stack import bearer, eventually

pytestmark = pytest.mark.browser
YEAR = 2084


async def entered_round(
    settings: Settings, province: str, tag: str, judge_account: str
) -> tuple[str, str]:
    """A provincial round with one entry, registration closed and a jury whose chair is the
    judge's account; the round and the entry."""
    officer = bearer(settings, Role.PROVINCE_OFFICER, province)
    base = settings.base_url("registration")
    today = Clock().today()
    async with httpx.AsyncClient(timeout=30) as http:

        async def made(path: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
            answer = await http.post(f"{base}{path}", json=body, headers=officer)
            assert answer.status_code == status, answer.text
            found: dict[str, Any] = answer.json()
            return found

        round_ = await made(
            "/api/v1/rounds",
            {
                "name": f"Bình chọn CNNT tiêu biểu {tag} {YEAR}",
                "level": "provincial",
                "scope_code": province,
                "year": YEAR,
                "opens_on": (today - timedelta(days=1)).isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
            },
        )
        await made(f"/api/v1/rounds/{round_['id']}/open", {}, 200)
        facility = await made(
            "/api/v1/facilities",
            {
                "name": f"HTX Miến dong {tag}",
                "kind": "cooperative",
                "business_code": tax_code(f"h32-browser-{tag}"),
                "province_code": province,
                "address": tag,
            },
        )
        product = await made(
            "/api/v1/products",
            {"facility_id": facility["id"], "name": f"Miến dong {tag}", "group": "agro_food"},
        )
        entry = await made(
            f"/api/v1/rounds/{round_['id']}/entries",
            {"product_id": product["id"], "declarations": DECLARED},
        )
        await made(f"/api/v1/rounds/{round_['id']}/close", {}, 200)
        jury = f"{settings.base_url('evaluation')}/api/v1/rounds/{round_['id']}/jury"
        members = [{"name": f"Giám khảo {tag}", "is_chair": True, "account_id": judge_account}]

        async def formed() -> bool:  # once evaluation holds the round's closed list
            answer = await http.post(jury, json={"members": members}, headers=officer)
            return answer.status_code == 201

        await eventually(formed)
    return round_["id"], entry["id"]


async def upload(page: Page, part: str, name: str, content: bytes) -> None:
    form = page.locator(f"#part-{part} form.upload")
    payload = {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    await form.locator("input[type=file]").set_input_files(payload)  # type: ignore[arg-type]
    await form.get_by_role("button", name="Tải lên").click()
    await expect(page.get_by_role("alert")).to_have_count(0)
    await expect(page.get_by_role("status")).to_be_visible()


async def test_officer_returns_and_accepts_a_dossier_and_only_the_rounds_judge_sees_it(
    page: Page,
    browser: Browser,
    console_db: AsyncEngine,
    console: Settings,
) -> None:
    await an_account(console_db, "h32.canbo.cb", "province_officer", "cao-bang", "Nông Thị Hoa")
    await an_account(console_db, "h32.canbo.ls", "province_officer", "lang-son", "Hoàng Văn Tư")
    judge = await an_account(console_db, "h32.gk.cb", "judge", "cao-bang", "Bế Văn Đàn")
    other = await an_account(console_db, "h32.gk.ls", "judge", "lang-son", "Lương Thị Mai")
    round_id, entry_id = await entered_round(console, "cao-bang", "Cao Bằng", str(judge.id))
    await entered_round(console, "lang-son", "Lạng Sơn", str(other.id))
    files = {
        "description": ("Thuyết minh sản phẩm.pdf", pdf_bytes(2, "miến dong")),
        "registration_form": ("Phiếu đăng ký.pdf", pdf_bytes(1, "phiếu")),
        "business_registration": ("Giấy ĐKKD.pdf", pdf_bytes(1, "đkkd")),
        "photos": ("anh-mien-dong.jpg", photo_with_gps()),
    }

    # The officer: the round's desk, the entry's dossier, four parts uploaded.
    await sign_in(page, "h32.canbo.cb")
    await page.goto(f"/rounds/{round_id}/dossiers")
    await expect(page.locator("#desk")).to_contain_text("Đang lập hồ sơ")
    await page.get_by_role("link", name="Miến dong Cao Bằng").click()
    await expect(page.locator("#dossier-status")).to_have_text("Đang lập hồ sơ")
    for part in ("description", "photos", "registration_form"):
        await upload(page, part, *files[part])
    await page.get_by_role("button", name="Ghi nhận đã tiếp nhận").click()
    await expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận")

    # Returned for supplement: the business registration is missing.
    await page.get_by_label("Giấy chứng nhận đăng ký kinh doanh").fill(
        "Bổ sung bản sao giấy chứng nhận đăng ký kinh doanh"
    )
    deadline = (Clock().today() + timedelta(days=10)).strftime("%d/%m/%Y")
    await page.locator("#f-deadline").fill(deadline)
    await page.get_by_role("button", name="Trả lại để bổ sung").click()
    await expect(page.locator("#dossier-status")).to_have_text("Trả lại để bổ sung")
    await expect(page.locator("#part-business_registration")).to_contain_text(
        "Bổ sung bản sao giấy chứng nhận"
    )
    await upload(page, "business_registration", *files["business_registration"])
    await page.get_by_role("button", name="Ghi nhận đã tiếp nhận").click()
    await page.get_by_role("button", name="Chấp nhận hồ sơ").click()
    await expect(page.locator("#dossier-status")).to_have_text("Đã chấp nhận")
    await expect(page.locator("#dossier-steps")).to_contain_text("Trả lại để bổ sung")
    await screenshot(page, "dossier-accepted")
    photo_link = page.locator("#part-photos .dossier-files a").first
    photo_url = await photo_link.get_attribute("href")
    assert photo_url is not None
    assert photo_url.startswith("/dossier-files/")

    # The round's judge: the photo's thumbnail and the description on the score sheet.
    judging = await vietnamese_context(browser, console.base_url("console"))
    seen = await judging.new_page()
    await sign_in(seen, "h32.gk.cb")
    await seen.goto(f"/judging/{round_id}/entries/{entry_id}")
    dossier = seen.locator(".judge-dossier")
    await expect(dossier.get_by_role("link", name="Thuyết minh sản phẩm.pdf")).to_be_visible()
    thumbnail = dossier.locator("img.thumb")
    await expect(thumbnail).to_be_visible()
    assert await thumbnail.evaluate("img => img.naturalWidth") == 320
    full = await seen.request.get(photo_url)
    assert full.status == 200
    assert full.headers["content-type"] == "image/jpeg"
    description = await seen.request.get(
        await dossier.get_by_role("link", name="Thuyết minh sản phẩm.pdf").get_attribute("href")
        or ""
    )
    assert description.status == 200
    assert description.headers["content-disposition"].startswith("inline")
    assert await description.body() == files["description"][1]
    await screenshot(seen, "dossier-judge-sheet")
    await judging.close()

    # A judge of another round, and an officer of another province: 403 on the file's URL.
    for username in ("h32.gk.ls", "h32.canbo.ls"):
        context = await vietnamese_context(browser, console.base_url("console"))
        stranger = await context.new_page()
        await sign_in(stranger, username)
        refused = await stranger.request.get(photo_url)
        assert refused.status == 403, username
        await context.close()
