"""A judge signs in once and sees every jury they sit on."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    sign_in,
)
from tests.support import identities
from tests.support.stack import bearer, eventually

pytestmark = pytest.mark.browser


async def round_with_jury(
    settings: Settings, name: str, year: int, seats: list[dict], province: str = "dak-lak"
) -> None:
    officer = bearer(settings, Role.PROVINCE_OFFICER, province)
    today = Clock().today()
    async with httpx.AsyncClient(timeout=30) as http:
        created = await http.post(
            f"{settings.base_url('registration')}/api/v1/rounds",
            json={
                "name": name,
                "level": "provincial",
                "scope_code": province,
                "year": year,
                "opens_on": (today - timedelta(days=1)).isoformat(),
                "closes_on": (today + timedelta(days=30)).isoformat(),
            },
            headers=officer,
        )
        assert created.status_code == 201, created.text
        round_id = created.json()["id"]
        opened = await http.post(
            f"{settings.base_url('registration')}/api/v1/rounds/{round_id}/open", headers=officer
        )
        assert opened.status_code == 200, opened.text
        # A jury is formed on the whole list of entries: registration closes first.
        closed = await http.post(
            f"{settings.base_url('registration')}/api/v1/rounds/{round_id}/close", headers=officer
        )
        assert closed.status_code == 200, closed.text
        jury_url = f"{settings.base_url('evaluation')}/api/v1/rounds/{round_id}/jury"

        async def formed() -> bool:  # once evaluation holds the round's closed list
            answer = await http.post(jury_url, json={"members": seats}, headers=officer)
            return answer.status_code == 201

        await eventually(formed)


async def test_a_judge_signs_in_once_and_sees_every_jury_they_sit_on(
    page: Page, console_db: AsyncEngine, console: Settings
) -> None:
    gk_hung = identities.username("gk.hung")
    judge = await an_account(console_db, gk_hung, "judge", "dak-lak", "Nguyễn Văn Hùng")
    me = {"name": "Nguyễn Văn Hùng", "account_id": str(judge.id)}
    chaired, sat = (identities.round_year("provincial", "dak-lak") for _ in range(2))
    elsewhere = identities.round_year("provincial", "gia-lai")
    await round_with_jury(
        console, f"Bình chọn CNNT tiêu biểu Đắk Lắk {chaired}", chaired, [{**me, "is_chair": True}]
    )
    await round_with_jury(
        console,
        f"Bình chọn CNNT tiêu biểu Đắk Lắk {sat}",
        sat,
        [{"name": "Trần Thị Lan", "is_chair": True}, me],
    )
    await round_with_jury(
        console,
        f"Bình chọn CNNT tiêu biểu Gia Lai {elsewhere}",
        elsewhere,
        [{"name": "Lê Văn Sơn", "is_chair": True}],
        province="gia-lai",
    )

    await sign_in(page, gk_hung)
    await open_area(page, "Hội đồng của tôi")
    rows = page.get_by_role("row")
    await expect(rows.filter(has_text=f"Đắk Lắk {sat}")).to_contain_text("Thành viên")
    await expect(rows.filter(has_text=f"Đắk Lắk {chaired}")).to_contain_text("Chủ tịch hội đồng")
    await expect(rows.filter(has_text="Gia Lai")).to_have_count(0)
    await screenshot(page, "judge-juries")
    assert await serious_accessibility_violations(page) == []
