"""Default dates come from Vietnam's clock, and every date field is the same dd/mm/yyyy control
(issue 28, item 7). The console runs on a clock frozen at 20:30 UTC on 04/03/2070 — already
05/03/2070 in Vietnam — so a default taken from the machine's (UTC) date shows the day before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_contracts import JudgingClosed, JudgingClosedData
from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    screenshot,
    served,
    sign_in,
    vietnamese_context,
)
from tests.support import identities
from tests.support.scenario import ok
from tests.support.stack import bearer, eventually, publish

pytestmark = pytest.mark.browser
FROZEN = datetime(2070, 3, 4, 20, 30, tzinfo=UTC)
PROVINCE = "gia-lai"
YEAR = 2070  # h28a's reserved years: (provincial, gia-lai, 2070) is this file's


@pytest.fixture
async def frozen_page(browser: Browser, console: Settings) -> AsyncIterator[Page]:
    """A console of its own on the frozen clock, reaching the package's services."""
    async with served(console.model_copy(update={"clock_at": FROZEN}), "console") as settings:
        context = await vietnamese_context(browser, settings.base_url("console"))
        yield await context.new_page()
        await context.close()


async def test_default_dates_are_vietnams_today_in_the_one_date_control(
    frozen_page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    sct_h28a_dates = identities.username("sct.h28a.dates")
    page = frozen_page
    await an_account(console_db, sct_h28a_dates, "province_officer", PROVINCE, "Ksor Nhi")
    await an_account(console_db, "cq.h28a.dates", "certifier", PROVINCE, "Rah Lan Chung")
    await sign_in(page, sct_h28a_dates)
    await page.goto("/rounds")
    await expect(page.get_by_label("Năm")).to_have_value(str(YEAR))  # not 2026, not UTC's
    for name in ("opens_on", "closes_on"):
        control = page.locator(f"input[name={name}]")
        await expect(control).to_have_attribute("type", "text")
        await expect(control).to_have_attribute("placeholder", "dd/mm/yyyy")

    # A round certification knows, for the decision form's date.
    today = Clock().today()
    body = {
        "name": f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Gia Lai năm {YEAR}",
        "level": "provincial",
        "scope_code": PROVINCE,
        "year": YEAR,
        "opens_on": str(today - timedelta(days=1)),
        "closes_on": str(today + timedelta(days=30)),
    }
    officer = bearer(console, Role.PROVINCE_OFFICER, PROVINCE)
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as registration:
        created = ok(await registration.post("/api/v1/rounds", json=body, headers=officer))
        ok(await registration.post(f"/api/v1/rounds/{created['id']}/open", headers=officer), 200)
    # Its judging closed (as evaluation would announce it: no entry), for certification to
    # preview it and the page to offer the decision.
    closing = JudgingClosedData(
        round_id=created["id"],
        jury_size=1,
        closed_at=FROZEN,
        entries=0,
        sheets=0,
        sheet_revisions=0,
        sheets_set_aside=0,
    )
    await publish(console, JudgingClosed.new(closing))
    certifier = bearer(console, Role.CERTIFIER, PROVINCE)
    async with httpx.AsyncClient(base_url=console.base_url("certification")) as certification:

        async def known() -> bool:
            found = await certification.get(
                f"/api/v1/rounds/{created['id']}/preview", headers=certifier
            )
            return found.status_code == 200

        await eventually(known)

    await page.get_by_role("button", name="Đăng xuất").click()
    await sign_in(page, "cq.h28a.dates")
    await page.goto(f"/certification/{created['id']}")
    decided_on = page.locator("#decide input[name=decided_on]")
    await expect(decided_on).to_have_value("05/03/2070")
    await expect(decided_on).to_have_attribute("type", "text")
    await expect(decided_on).to_have_attribute("placeholder", "dd/mm/yyyy")
    await screenshot(page, "certify-decision-date")
