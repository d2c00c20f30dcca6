"""The operator's pages in a real browser: evaluation's running consumer dead-letters an entry
the database refused; once the fault is repaired the operator finds the dead letter with its
reason, replays it through the confirmation page, the queue empties, the consumer applies the
entry, and the audit log shows the operator's replay."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from cnnt_runtime.db.engine import service_engine
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import (
    an_account,
    open_area,
    screenshot,
    serious_accessibility_violations,
    served,
    sign_in,
)
from tests.support import identities
from tests.support.scenario import registered_event
from tests.support.stack import eventually, own_vhost, publish, queue_depth, scalar

pytestmark = pytest.mark.browser
QUEUE = "evaluation.registrations"
DLQ = f"{QUEUE}.dlq"
REFUSAL = "kho hồ sơ tạm thời không ghi được"
MOMENT = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


# The operator's pages show whole queues (depths, "matching" counts, "empty"), so this module
# has the console and the services on a vhost of its own: on the run's, evaluation's queue holds
# whatever earlier tests sent while evaluation was not running, and letters of theirs would
# land in the dead-letter queue as these tests count it.
@pytest.fixture(scope="module")
async def console(stack: Settings) -> AsyncIterator[Settings]:
    with own_vhost(stack) as settings:
        async with served(
            settings, "registration", "evaluation", "certification", "support", "console"
        ) as serving:
            yield serving


@pytest.fixture(scope="module")
async def console_db(console: Settings) -> AsyncIterator[AsyncEngine]:
    engine = service_engine(console, "console", connections=1)
    yield engine
    await engine.dispose()


async def _refuse_entries_of(settings: Settings, round_id: uuid.UUID, *, on: bool) -> None:
    """A fault in evaluation's database for this one round (a trigger refusing its entries),
    switched on, or repaired."""
    db = await asyncpg.connect(settings.admin_dsn())
    try:
        if on:
            await db.execute(
                f"""
                CREATE FUNCTION evaluation.refuse_round_{round_id.hex}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.round_id = '{round_id}' THEN RAISE EXCEPTION '{REFUSAL}'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_round_{round_id.hex} BEFORE INSERT ON evaluation.entries
                FOR EACH ROW EXECUTE FUNCTION evaluation.refuse_round_{round_id.hex}();
                """
            )
        else:
            await db.execute(
                f"DROP TRIGGER refuse_round_{round_id.hex} ON evaluation.entries;"
                f"DROP FUNCTION evaluation.refuse_round_{round_id.hex}();"
            )
    finally:
        await db.close()


async def _depth_is(settings: Settings, queue: str, depth: int) -> bool:
    return bool(await queue_depth(settings, queue) == depth)


async def _entries(settings: Settings, round_id: uuid.UUID) -> int:
    sql = "SELECT count(*) FROM evaluation.entries WHERE round_id = :r"
    return int(await scalar(settings, "evaluation", sql, r=round_id))


async def _entry_applied(settings: Settings, round_id: uuid.UUID) -> bool:
    return await _entries(settings, round_id) == 1


async def test_an_operator_replays_a_dead_letter_with_confirmation_and_sees_it_in_the_audit_log(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    username = identities.username(f"vanhanh.{identities.code(length=6)}")
    await an_account(console_db, username, "operator", "VN", "Trần Văn Vận")
    round_id = uuid.uuid4()
    event = registered_event(round_id)
    await _refuse_entries_of(console, round_id, on=True)
    try:
        await publish(console, event)
        await eventually(lambda: _depth_is(console, DLQ, 1), 60)
    finally:
        await _refuse_entries_of(console, round_id, on=False)
    assert await _entries(console, round_id) == 0

    await sign_in(page, username)
    await open_area(page, "Hàng đợi tin nhắn lỗi")
    await expect(page.get_by_role("heading", name="Hàng đợi tin nhắn lỗi")).to_be_visible()
    row = page.locator(f"#queues tr[data-queue='{QUEUE}']")
    await expect(row.locator("[data-depth]")).to_have_text("1")
    await expect(page.locator("#queues tbody tr")).to_have_count(8)  # every service's queues
    await screenshot(page, "operations-queues")
    assert await serious_accessibility_violations(page) == []

    await row.get_by_role("link", name=DLQ).click()
    letter = page.locator(f"#letters tr[data-message='{event.event_id}']")
    await expect(letter.locator("[data-event-type]")).to_have_text("Đăng ký sản phẩm")
    await expect(letter.locator("[data-reason]")).to_contain_text(REFUSAL)
    await expect(letter.locator("[data-attempts]")).to_have_text(str(console.max_attempts))
    first = await letter.locator("[data-first]").inner_text()
    last = await letter.locator("[data-last]").inner_text()
    assert MOMENT.match(first), first
    assert MOMENT.match(last), last
    await screenshot(page, "operations-queue")
    assert await serious_accessibility_violations(page) == []

    await page.get_by_label("Loại sự kiện").select_option(label="Đăng ký sản phẩm")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page.get_by_text("1 tin nhắn khớp bộ lọc.")).to_be_visible()
    await expect(page.get_by_role("button", name="Gửi lại 1 tin nhắn đã lọc")).to_be_visible()

    await letter.get_by_role("button", name=re.compile("^Gửi lại")).click()
    await expect(page.get_by_role("heading", name="Gửi lại tin nhắn lỗi?")).to_be_visible()
    await expect(page.locator("#consequence")).to_contain_text(
        f"1 tin nhắn sẽ được gửi từ {DLQ} trở lại hàng đợi {QUEUE}"
    )
    await expect(page.locator(f"#affected tr[data-message='{event.event_id}']")).to_be_visible()
    await screenshot(page, "operations-confirm-replay")
    assert await serious_accessibility_violations(page) == []
    assert await queue_depth(console, DLQ) == 1  # nothing moves before the confirmation

    await page.get_by_role("button", name="Gửi lại 1 tin nhắn").click()
    await expect(page.locator("#result")).to_contain_text(
        f"Đã gửi lại 1 tin nhắn về hàng đợi {QUEUE} để xử lý lại."
    )
    await expect(page.locator("#depth")).to_have_text("Trong hàng đợi tin nhắn lỗi: 0 tin nhắn.")
    await expect(page.get_by_text("Hàng đợi này không có tin nhắn lỗi.")).to_be_visible()
    await screenshot(page, "operations-replayed")
    assert await serious_accessibility_violations(page) == []
    await eventually(lambda: _entry_applied(console, round_id), 30)  # the consumer took it
    assert await queue_depth(console, DLQ) == 0

    await page.get_by_role("link", name="Xem nhật ký thao tác").click()
    await expect(page.get_by_role("heading", name="Nhật ký thao tác")).to_be_visible()
    newest = page.locator("#audit tbody tr").first
    await expect(newest.locator("[data-actor]")).to_have_text(f"console:{username}")
    await expect(newest.locator("[data-action]")).to_have_text("Gửi lại tin nhắn lỗi")
    await expect(newest.locator("[data-target]")).to_have_text(DLQ)
    await expect(newest.locator("[data-filters]")).to_have_text(f"mã sự kiện: {event.event_id}")
    await expect(newest.locator("[data-count]")).to_have_text("1")
    await expect(newest.locator("[data-outcome]")).to_have_text("Hoàn tất")
    assert MOMENT.match(await newest.locator("[data-at]").inner_text())
    await screenshot(page, "operations-audit")
    assert await serious_accessibility_violations(page) == []


async def test_archiving_a_filtered_selection_is_confirmed_again_when_the_queue_changed(
    page: Page, console: Settings, console_db: AsyncEngine
) -> None:
    username = identities.username(f"vanhanh.{identities.code(length=6)}")
    await an_account(console_db, username, "operator", "VN", "Đỗ Minh Lưu")
    round_id = uuid.uuid4()
    events = [registered_event(round_id) for _ in range(3)]
    await _refuse_entries_of(console, round_id, on=True)
    try:
        await publish(console, *events[:2])
        await eventually(lambda: _depth_is(console, DLQ, 2), 60)

        await sign_in(page, username)
        await page.goto(f"/operations/queues/{QUEUE}")
        await page.get_by_label("Lý do có chứa").fill("kho hồ sơ")
        await page.get_by_role("button", name="Lọc").click()
        await expect(page.get_by_text("2 tin nhắn khớp bộ lọc.")).to_be_visible()
        await page.get_by_role("button", name="Lưu trữ 2 tin nhắn đã lọc").click()
        await expect(page.get_by_role("heading", name="Lưu trữ tin nhắn lỗi?")).to_be_visible()
        await expect(page.locator("#what")).to_contain_text("lý do có chứa “kho hồ sơ”")
        await expect(page.locator("#consequence")).to_contain_text(
            f"2 tin nhắn sẽ được chuyển từ {DLQ} vào kho lưu trữ vận hành"
        )
        await screenshot(page, "operations-confirm-archive")
        assert await serious_accessibility_violations(page) == []

        await publish(console, events[2])  # one more fails while the operator reads
        await eventually(lambda: _depth_is(console, DLQ, 3), 60)
        await page.get_by_role("button", name="Lưu trữ 2 tin nhắn").click()
        await expect(page.get_by_role("alert")).to_contain_text(
            "Các tin nhắn đã thay đổi kể từ khi ông/bà xem"
        )
        await expect(page.locator("#consequence")).to_contain_text("3 tin nhắn sẽ được chuyển")
        assert await queue_depth(console, DLQ) == 3  # nothing was archived on the stale count
        await screenshot(page, "operations-confirm-changed")
        assert await serious_accessibility_violations(page) == []

        await page.get_by_role("button", name="Lưu trữ 3 tin nhắn").click()
        await expect(page.locator("#result")).to_contain_text("Đã lưu trữ 3 tin nhắn")
        await expect(page.locator("#depth")).to_have_text(
            "Trong hàng đợi tin nhắn lỗi: 0 tin nhắn."
        )
    finally:
        await _refuse_entries_of(console, round_id, on=False)
    archived = await scalar(
        console,
        "operations",
        "SELECT count(*) FROM operations.archived_messages WHERE archived_by = :who "
        "AND reason LIKE :reason",
        who=f"console:{username}",
        reason=f"%{REFUSAL}%",
    )
    assert archived == 3
    assert await _entries(console, round_id) == 0  # archived letters are never applied

    await page.goto("/operations/audit")
    newest = page.locator("#audit tbody tr").first
    await expect(newest.locator("[data-action]")).to_have_text("Lưu trữ tin nhắn lỗi")
    await expect(newest.locator("[data-filters]")).to_have_text("lý do có chứa: kho hồ sơ")
    await expect(newest.locator("[data-count]")).to_have_text("3")


async def test_the_operations_pages_are_the_operators_only(
    page: Page, console_db: AsyncEngine
) -> None:
    bct_ops_denied = identities.username("bct.ops-denied")
    await an_account(console_db, bct_ops_denied, "ministry", "VN", "Phạm Thu Hà")
    await sign_in(page, bct_ops_denied)
    await expect(
        page.get_by_role("link", name="Hàng đợi tin nhắn lỗi", include_hidden=True)
    ).to_have_count(0)
    for path in ("/operations/queues", f"/operations/queues/{QUEUE}", "/operations/audit"):
        response = await page.goto(path)
        assert response is not None
        assert response.status == 403
        await expect(page.get_by_text("Vai trò của ông/bà không được phép")).to_be_visible()
