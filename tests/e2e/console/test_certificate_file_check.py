"""A person holding a certificate PDF checks it on the public verification page, on a phone
(issue 34): the file downloaded from the system is "the one issued", the same file with one
byte changed is not, a mistyped SHA-256 is refused next to the field, and a revoked
certificate's first edition is reported as superseded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    VIETNAMESE,
    screenshot,
    serious_accessibility_violations,
)
from tests.integration.certification.conftest import decide, judged_round, publish_round
from tests.support.stack import bearer

pytestmark = pytest.mark.browser
PROVINCE = "lam-dong"
YEAR = 2085  # h34's reserved years: (provincial, lam-dong, 2085) is this file's


async def test_a_visitor_on_a_phone_tells_the_issued_pdf_from_a_changed_one(
    browser: Browser, console: Settings, tmp_path: Path
) -> None:
    # The first certificate a process signs loads fpdf2 and pyHanko: seconds on this machine.
    async with httpx.AsyncClient(
        base_url=console.base_url("certification"), timeout=60
    ) as certification:
        judged = judged_round([(36, 35, 9, 8), (34, 33, 8, 8)], year=YEAR, province=PROVINCE)
        await publish_round(certification, console, judged)
        decided = await decide(
            certification, console, judged.id, "2085-kiem-tra/QĐ-UBND", province=PROVINCE
        )
        assert decided.status_code == 201, decided.text
        kept, revoked = decided.json()["certificates"]
        officer = bearer(console, Role.PROVINCE_OFFICER, PROVINCE)
        issued = await certification.get(f"/api/v1/certificates/{kept}/pdf", headers=officer)
        first_edition = (
            await certification.get(f"/api/v1/certificates/{revoked}/pdf", headers=officer)
        ).content
        revocation = await certification.post(
            f"/api/v1/certificates/{revoked}/revocation",
            json={
                "number": "2085-thu-hoi/QĐ-UBND",
                "decided_on": "2022-01-10",
                "reason": "Vi phạm",
            },
            headers=bearer(console, Role.CERTIFIER, PROVINCE),
        )
        assert revocation.status_code == 201, revocation.text
    genuine = tmp_path / f"{kept}.pdf"
    genuine.write_bytes(issued.content)
    changed = tmp_path / "sua-doi.pdf"
    tampered = bytearray(issued.content)
    tampered[len(tampered) // 3] ^= 0x01
    changed.write_bytes(bytes(tampered))
    superseded = tmp_path / f"{revoked}.pdf"
    superseded.write_bytes(first_edition)

    context = await browser.new_context(
        base_url=console.base_url("console"), viewport={"width": 390, "height": 844}, **VIETNAMESE
    )
    page = await context.new_page()
    try:
        await page.goto(f"/verify/{kept}")
        await page.get_by_label("Tệp giấy chứng nhận (PDF)").set_input_files(genuine)
        await page.get_by_role("button", name="Kiểm tra tệp").click()
        verdict = page.locator("#document-verdict")
        await expect(verdict).to_contain_text("đúng là giấy chứng nhận đã cấp")
        await expect(page.locator("code.digest")).to_have_text(
            hashlib.sha256(issued.content).hexdigest()
        )
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        await screenshot(page, "verify-file-issued-390")
        assert await serious_accessibility_violations(page) == []

        await page.get_by_label("Tệp giấy chứng nhận (PDF)").set_input_files(changed)
        await page.get_by_role("button", name="Kiểm tra tệp").click()
        await expect(verdict).to_contain_text("không phải giấy chứng nhận do hệ thống cấp")
        await screenshot(page, "verify-file-changed-390")

        await page.get_by_label("Hoặc mã SHA-256 của tệp").fill("abc123")
        await page.get_by_role("button", name="Kiểm tra mã SHA-256").click()
        await expect(page.locator("#e-sha256")).to_contain_text("64 chữ số thập lục phân")

        await page.goto(f"/verify/{revoked}")
        await page.get_by_label("Tệp giấy chứng nhận (PDF)").set_input_files(superseded)
        await page.get_by_role("button", name="Kiểm tra tệp").click()
        await expect(page.locator("#verdict")).to_contain_text("đã bị thu hồi")
        await expect(verdict).to_contain_text("bản đã cấp trước đây")
        await screenshot(page, "verify-file-superseded-390")
    finally:
        await context.close()
