"""The ministry's accounts without a trap (issue 28, item 1): its own account cannot be locked,
locking asks first and ends the account's sessions, a lockout is lifted with one click, and a
password reset ends the account's other sessions — all in the browser."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    PASSWORD,
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
    vietnamese_context,
)
from tests.support import identities

pytestmark = pytest.mark.browser
NEW_PASSWORD = "mat-khau-dat-lai-2070"


async def test_the_ministry_cannot_lock_its_own_account(
    page: Page, console_db: AsyncEngine
) -> None:
    bo_h28a_self = identities.username("bo.h28a.self")
    me = await an_account(console_db, bo_h28a_self, "ministry", "VN", "Lê Thị Quản Trị")
    await sign_in(page, bo_h28a_self)
    await open_area(page, "Tài khoản")
    own = page.locator(f'tr[data-account="{bo_h28a_self}"]')
    await expect(own).to_contain_text("đang hoạt động")
    await expect(own.get_by_role("button", name="Khóa")).to_have_count(0)

    await page.goto(f"/admin/accounts/{me.id}/lock")
    await expect(page.locator("#confirmation")).to_have_count(0)
    await expect(page.get_by_text("Đây là tài khoản của chính ông/bà")).to_be_visible()
    # Even a hand-made request (the form the page does not offer) is refused.
    await page.evaluate(
        """(id) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = `/admin/accounts/${id}/disabled`;
            form.append(document.querySelector("#reset-password input[type=hidden]").cloneNode());
            const flag = document.createElement("input");
            flag.name = "disabled"; flag.value = "true";
            form.append(flag);
            document.body.append(form);
            form.submit();
        }""",
        str(me.id),
    )
    await expect(page.get_by_role("alert")).to_have_text(
        "Ông/bà không thể khóa tài khoản của chính mình."
    )
    await page.goto("/admin/accounts")
    await expect(own).to_contain_text("đang hoạt động")


async def test_locking_asks_first_ends_the_sessions_and_an_unlock_undoes_it(
    page: Page, browser: Browser, console: Settings, console_db: AsyncEngine
) -> None:
    sct_h28a_lock = identities.username("sct.h28a.lock")
    bo_h28a_admin = identities.username("bo.h28a.admin")
    await an_account(console_db, bo_h28a_admin, "ministry", "VN", "Trịnh Văn Quản")
    officer = await an_account(
        console_db, sct_h28a_lock, "province_officer", "gia-lai", "Rơ Mah Hlim"
    )
    other = await vietnamese_context(browser, console.base_url("console"))
    officer_page = await other.new_page()
    await sign_in(officer_page, sct_h28a_lock)
    await expect(officer_page.get_by_role("heading", name="Xin chào, Rơ Mah Hlim")).to_be_visible()

    await sign_in(page, bo_h28a_admin)
    await open_area(page, "Tài khoản")
    row = page.locator(f'tr[data-account="{sct_h28a_lock}"]')
    await row.get_by_role("button", name="Khóa").click()
    confirmation = page.locator("#confirmation")
    await expect(confirmation).to_contain_text("Rơ Mah Hlim (sct.h28a.lock) sẽ không thể đăng nhập")
    await expect(confirmation).to_contain_text("không thể khôi phục")
    await screenshot(page, "admin-account-lock-confirmation")
    assert await serious_accessibility_violations(page) == []
    await page.get_by_role("button", name="Khóa tài khoản").click()
    await expect(page.get_by_role("status")).to_contain_text("Tài khoản đã bị khóa")
    await expect(page.locator("#account-state")).to_contain_text("đã khóa")

    await officer_page.goto("/")  # the session the officer had open has ended
    await expect(officer_page).to_have_url(f"{console.base_url('console')}/login")

    await page.get_by_role("button", name="Mở khóa").click()
    await expect(page.locator("#account-state")).to_contain_text("đang hoạt động")
    await sign_in(officer_page, sct_h28a_lock)
    await expect(officer_page.get_by_role("heading", name="Xin chào, Rơ Mah Hlim")).to_be_visible()

    # A lockout after failed sign-ins is shown as such and lifted the same way.
    async with console_db.begin() as conn:
        await conn.execute(
            text(
                "UPDATE console.accounts SET locked_until = now() + interval '1 hour', "
                "failed_attempts = 0 WHERE id = :id"
            ),
            {"id": officer.id},
        )
    await page.goto("/admin/accounts")
    await expect(row).to_contain_text("bị khóa do đăng nhập sai")
    await row.get_by_role("button", name="Mở khóa").click()
    await expect(page.locator("#account-state")).to_contain_text("đang hoạt động")
    await other.close()


async def test_a_password_reset_ends_the_accounts_other_sessions(
    page: Page, browser: Browser, console: Settings, console_db: AsyncEngine
) -> None:
    sct_h28a_reset = identities.username("sct.h28a.reset")
    bo_h28a_reset = identities.username("bo.h28a.reset")
    await an_account(console_db, bo_h28a_reset, "ministry", "VN", "Hoàng Văn Đặt")
    officer = await an_account(console_db, sct_h28a_reset, "province_officer", "kon-tum", "A Blong")
    other = await vietnamese_context(browser, console.base_url("console"))
    officer_page = await other.new_page()
    await sign_in(officer_page, sct_h28a_reset)
    await expect(officer_page.get_by_role("heading", name="Xin chào, A Blong")).to_be_visible()

    await sign_in(page, bo_h28a_reset)
    await page.goto(f"/admin/accounts/{officer.id}")
    await page.locator("#f-new_password").fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu mới").fill("khong-giong-nhau-1")
    await page.get_by_role("button", name="Đặt lại mật khẩu").click()
    await expect(page.locator("#e-confirm_password")).to_have_text(
        "Hai lần nhập mật khẩu mới không khớp."
    )
    await page.locator("#f-new_password").fill(NEW_PASSWORD)
    await page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    await page.get_by_role("button", name="Đặt lại mật khẩu").click()
    await expect(page.get_by_role("status")).to_contain_text("Mật khẩu đã được đặt lại")
    await screenshot(page, "admin-account")
    await page.set_viewport_size({"width": 390, "height": 844})
    await screenshot(page, "admin-account-390")
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    await officer_page.goto("/")
    await expect(officer_page).to_have_url(f"{console.base_url('console')}/login")
    await sign_in(officer_page, sct_h28a_reset, PASSWORD)
    await expect(officer_page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    await sign_in(officer_page, sct_h28a_reset, NEW_PASSWORD)
    await expect(officer_page.get_by_role("heading", name="Xin chào, A Blong")).to_be_visible()
    await other.close()
