"""A round judged and certified in the console, in a real headless Chromium: three judges in
their own browser contexts score (one declares a conflict, one revises), the chair follows the
progress and closes judging, the certifier previews, decides, downloads a certificate and
revokes one, and the public verification page shows valid and revoked. Every page is scanned
for accessibility, and the numbers on the pages are compared with what the services answer."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader
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
from tests.support import identities
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import bearer, eventually, scalar

pytestmark = pytest.mark.browser
# Three judges save at once on a small shared machine: give the services time to answer
# (a bound on waiting, not a measure of speed).
expect.set_options(timeout=60_000)
PROVINCE = "dak-lak"
PRODUCTS = ("Cà phê bột Buôn Ma Thuột", "Thổ cẩm Ê Đê", "Tiêu đen Chư Sê")

# Per judge, per entry (index into PRODUCTS): the four criteria. Judge B declares a conflict
# with the third entry's facility; judge C first under-scores the first entry, then revises.
Sheet = tuple[float, float, float, float]
SCORES: dict[str, list[Sheet | None]] = {
    "a": [(35, 30.5, 8, 7.5), (30, 30, 8, 7), (36, 36, 9, 9)],
    "b": [(36, 32, 8, 8), (20, 20, 5, 5), None],
    "c": [(30, 30, 8, 8), (28, 28, 7, 7), (35, 35, 9, 9)],
}
REVISED_C0: Sheet = (34, 31, 8, 8)


@dataclass
class Round:
    id: str
    entries: list[dict[str, Any]]  # in PRODUCTS order
    judges: dict[str, Any]  # a (chair), b, c: console accounts
    certifier: Any


def number_on_page(text: str) -> Decimal:
    """A number as the page writes it for Vietnamese readers (``1.234,5``)."""
    return Decimal(text.strip().replace(".", "").replace(",", "."))


async def accessible(page: Page, name: str) -> None:
    await screenshot(page, name)
    assert await serious_accessibility_violations(page) == [], name


@pytest.fixture
async def judged_round(console: Settings, console_db: AsyncEngine) -> Round:
    """A provincial round of Đắk Lắk with three entries through registration's API, closed,
    and its jury formed in evaluation with three members who are console accounts."""
    run = identities.code(length=6)
    judges = {
        key: await an_account(
            console_db, identities.username(f"gk-{key}-{run}"), "judge", PROVINCE, name
        )
        for key, name in (
            ("a", "Nguyễn Văn Hùng"),
            ("b", "Trần Thị Lan"),
            ("c", "Lê Văn Đức"),
        )
    }
    certifier = await an_account(
        console_db, identities.username(f"cq-{run}"), "certifier", PROVINCE, "Phạm Văn Minh"
    )
    officer = bearer(console, Role.PROVINCE_OFFICER, PROVINCE)
    async with httpx.AsyncClient(base_url=console.base_url("registration")) as registration:
        # Its certificates must still be valid today: the certifier revokes one.
        round_ = await open_provincial_round(registration, console, PROVINCE)
        for product_name in PRODUCTS:
            _, product = await facility_with_product(
                registration, console, PROVINCE, f"Cơ sở {product_name} {run}", product_name
            )
            ok(await register(registration, console, PROVINCE, round_["id"], product["id"]))
        ok(await registration.post(f"/api/v1/rounds/{round_['id']}/close", headers=officer), 200)
    async with httpx.AsyncClient(base_url=console.base_url("evaluation")) as evaluation:

        async def arrived() -> list[dict[str, Any]]:
            found = await evaluation.get(f"/api/v1/rounds/{round_['id']}/entries", headers=officer)
            return list(found.json()) if len(found.json()) == len(PRODUCTS) else []

        entries = await eventually(arrived)
        members = [
            {"name": judges[k].display_name, "is_chair": k == "a", "account_id": str(judges[k].id)}
            for k in ("a", "b", "c")
        ]

        async def jury_formed() -> httpx.Response | None:
            # The entries can arrive before the round's closing does: evaluation then refuses
            # a jury (entries_still_arriving) until it knows the list is final.
            answer = await evaluation.post(
                f"/api/v1/rounds/{round_['id']}/jury", json={"members": members}, headers=officer
            )
            still_arriving = (
                answer.is_error and answer.json()["error"]["code"] == "entries_still_arriving"
            )
            return None if still_arriving else answer

        ok(await eventually(jury_formed))
    by_name = {e["product_name"]: e for e in entries}
    return Round(round_["id"], [by_name[p] for p in PRODUCTS], judges, certifier)


@pytest.fixture
async def contexts(browser: Browser, console: Settings) -> AsyncIterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []

    async def new() -> BrowserContext:
        context = await vietnamese_context(
            browser, console.base_url("console"), accept_downloads=True
        )
        opened.append(context)
        return context

    yield [await new() for _ in range(5)]  # three judges, the certifier, a visitor
    for context in opened:
        await context.close()


async def score(page: Page, round_: Round, index: int, values: tuple[float, ...]) -> None:
    """Fill one sheet as a Vietnamese judge writes it (``30,5``) and save it without a page
    reload (htmx swaps the sheet in place)."""
    entry = round_.entries[index]
    await page.goto(f"/judging/{round_.id}/entries/{entry['id']}")
    await page.wait_for_function("window.htmx !== undefined")  # else the form posts plainly
    await page.evaluate("window.__sameDocument = true")
    for criterion, value in zip(("market", "technical", "culture", "other"), values, strict=True):
        await page.locator(f"#f-{criterion}").fill(str(value).replace(".", ","))
    total = Decimal(str(sum(values))).normalize()
    await expect(page.locator("#live-total")).to_have_text(f"{total:f}".replace(".", ","))
    await page.locator("#sheet button[type=submit]").click()
    await expect(page.locator("#sheet [role=status]")).to_contain_text("Đã lưu")
    assert await page.evaluate("window.__sameDocument === true"), "the page was reloaded"


async def signed_in(context: BrowserContext, username: str) -> Page:
    page = await context.new_page()
    await sign_in(page, username)
    return page


async def judge_scores(page: Page, round_: Round, key: str) -> Page:
    await page.goto("/juries")
    await expect(page.locator(f"a[href='/judging/{round_.id}']").first).to_be_visible()
    await accessible(page, f"judge-{key}-juries")
    await page.locator(f"a[href='/judging/{round_.id}']").first.click()
    await expect(page.get_by_role("heading", name="Danh sách sản phẩm cần chấm")).to_be_visible()
    await accessible(page, f"judge-{key}-worklist-before")
    for index, values in enumerate(SCORES[key]):
        if values is not None:
            await score(page, round_, index, values)
    return page


async def test_a_round_is_judged_closed_decided_certified_and_verified_in_the_console(
    contexts: list[BrowserContext], console: Settings, judged_round: Round
) -> None:
    round_ = judged_round
    a_ctx, b_ctx, c_ctx, certifier_ctx, visitor_ctx = contexts

    # Judge B declares a conflict with the third entry's facility, then scores the other two.
    b = await signed_in(b_ctx, round_.judges["b"].username)
    await b.goto(f"/judging/{round_.id}/entries/{round_.entries[2]['id']}")
    await b.get_by_text("Khai báo xung đột lợi ích với cơ sở này").click()
    await b.get_by_role("button", name="Khai báo xung đột lợi ích").click()
    await expect(b.locator("#barred")).to_contain_text("đã khai báo xung đột lợi ích")

    # A refusal of the service is shown next to its field, in Vietnamese; nothing is stored.
    await b.goto(f"/judging/{round_.id}/entries/{round_.entries[0]['id']}")
    await b.locator("#f-market").fill("20.3")
    for criterion in ("technical", "culture", "other"):
        await b.locator(f"#f-{criterion}").fill("5")
    await b.locator("#sheet button[type=submit]").click()
    await expect(b.locator("#e-market")).to_have_text(
        "Điểm chấm theo bước 0,5 điểm (ví dụ 7 hoặc 7,5)."
    )
    await accessible(b, "judge-b-sheet-refused")
    await expect(b.locator("#revisions")).to_have_count(0)

    # The three judges score side by side, each in their own browser context.
    a = await signed_in(a_ctx, round_.judges["a"].username)
    c = await signed_in(c_ctx, round_.judges["c"].username)
    await asyncio.gather(
        judge_scores(a, round_, "a"), judge_scores(b, round_, "b"), judge_scores(c, round_, "c")
    )

    # Judge C revises the first sheet and sees both revisions, the latest counting.
    await score(c, round_, 0, REVISED_C0)
    await expect(c.locator("#revisions tbody tr")).to_have_count(2)
    await expect(c.locator("#revisions tbody tr").first).to_contain_text("81")
    await accessible(c, "judge-c-sheet-revised")

    # Each worklist shows what the judge scored, with their latest total, never hiding it.
    await c.goto(f"/judging/{round_.id}")
    await expect(c.locator("#scored tbody tr")).to_have_count(3)
    await expect(c.locator("#to-score")).to_have_count(0)
    await accessible(c, "judge-c-worklist-after")
    c_totals = await c.locator("#scored [data-total]").all_inner_texts()
    assert sorted(number_on_page(t) for t in c_totals) == sorted(
        Decimal(str(sum(v))) for v in (REVISED_C0, (28, 28, 7, 7), (35, 35, 9, 9))
    )

    # The chair recuses judge C from the second entry, with the reason.
    await a.goto(f"/jury-progress/{round_.id}")
    await a.locator("#f-member_id").select_option(label=round_.judges["c"].display_name)
    await a.locator("#f-entry_id").select_option(label=PRODUCTS[1])
    await a.locator("#f-recusal-reason").fill("Thành viên có người thân làm việc tại cơ sở")
    await a.get_by_role("button", name="Ghi nhận không tham gia chấm").click()
    await expect(a.locator("#bars")).to_contain_text(f"không tham gia chấm {PRODUCTS[1]}")
    # Judge B's conflict line names the product of that facility (issue 28).
    await expect(a.locator("#bars")).to_contain_text(
        f"đã khai báo xung đột lợi ích với {PRODUCTS[2]}"
    )

    # The chair sees the progress per member as evaluation counts it, and the spread alert.
    async with httpx.AsyncClient(base_url=console.base_url("evaluation")) as evaluation:
        progress = (
            await evaluation.get(
                f"/api/v1/rounds/{round_.id}/progress",
                headers=bearer(console, Role.PROVINCE_OFFICER, PROVINCE),
            )
        ).json()
    await a.goto(f"/jury-progress/{round_.id}")
    for member in progress["members"]:
        row = a.locator(f"#member-progress tr[data-member='{member['member_id']}']")
        for column in ("assigned", "scored", "remaining"):
            shown = (await row.locator(f"[data-{column}]").inner_text()).split()[0]
            assert int(shown) == member[column], (member, column)
    assert [m["assigned"] for m in progress["members"]] == [3, 2, 2]
    flagged = [e for e in progress["entries"] if e["flagged"]]
    assert [e["entry_id"] for e in flagged] == [round_.entries[1]["id"]]
    side_by_side = await a.locator(
        f"article.spread[data-entry='{round_.entries[1]['id']}'] [data-total]"
    ).all_inner_texts()
    assert sorted(number_on_page(t) for t in side_by_side) == [50, 75]
    await accessible(a, "chair-progress")

    # Closing is refused, with the reason, while a spread alert is open; the chair overrides.
    # Each irreversible step asks first (issue 28): the confirmation says what it does.
    await a.locator("#close-judging button[type=submit]").click()
    await expect(a.locator("#irreversible")).to_contain_text("không thể mở lại")
    await a.locator("#confirmation button[type=submit]").click()
    await expect(a.locator("#close-judging [role=alert]")).to_contain_text("chênh lệch")
    await accessible(a, "chair-close-refused")
    await a.locator("#close-judging input[name=override]").check()
    await a.locator("#f-close-reason").fill("Hội đồng đã trao đổi, giữ nguyên điểm")
    await a.locator("#close-judging button[type=submit]").click()
    await a.locator("#confirmation button[type=submit]").click()
    await expect(a.locator("#judging-state")).to_have_text("Đã kết thúc chấm điểm")

    # The certifier previews once certification holds everything judging closed with.
    async def certification_has_it() -> bool:
        closed = await scalar(
            console,
            "certification",
            "SELECT count(*) FROM certification.judging WHERE round_id = :r",
            r=uuid.UUID(round_.id),
        )
        sheets = await scalar(
            console,
            "certification",
            "SELECT count(*) FROM certification.sheets"
            " WHERE round_id = :r AND set_aside_at IS NULL",
            r=uuid.UUID(round_.id),
        )
        return bool(closed) and sheets == 7  # eight sheets, one set aside by the recusal

    await eventually(certification_has_it)
    certifier = await certifier_ctx.new_page()
    await sign_in(certifier, round_.certifier.username)
    await certifier.goto("/certification")
    await accessible(certifier, "certifier-rounds")
    await certifier.goto(f"/certification/{round_.id}")
    certifier_token = bearer(console, Role.CERTIFIER, PROVINCE)
    async with httpx.AsyncClient(base_url=console.base_url("certification")) as certification:
        preview = (
            await certification.get(f"/api/v1/rounds/{round_.id}/preview", headers=certifier_token)
        ).json()
    lines = preview["results"]
    assert await certifier.locator("#completeness [data-received]").inner_text() == str(
        sum(r["judges"] for r in lines)
    )
    for line in lines:
        row = certifier.locator(f"#results tr[data-entry='{line['entry_id']}']")
        assert int(await row.locator("[data-judges]").inner_text()) == line["judges"]
        assert number_on_page(await row.locator("[data-mean]").inner_text()) == Decimal(
            line["mean"]
        )
        assert (await row.locator("[data-rank]").inner_text()) == str(line["rank"])
    by_entry = {r["entry_id"]: r for r in lines}
    assert [by_entry[e["id"]]["outcome"] for e in round_.entries] == [
        "recognised",
        "not_recognised",
        "recognised",
    ]
    await expect(
        certifier.locator(f"#results tr[data-entry='{round_.entries[1]['id']}'] [data-status]")
    ).to_have_text("dưới ngưỡng điểm")
    await accessible(certifier, "certifier-preview")

    # Decide: decision number and date, the issuing authority and the signatory.
    decision = identities.decision()
    await certifier.get_by_label("Số quyết định").fill(decision)
    # Not before judging closed (today, in Vietnam): typed dd/mm/yyyy as every date field takes.
    await certifier.get_by_label("Ngày quyết định").fill(Clock().today().strftime("%d/%m/%Y"))
    await certifier.get_by_label("Cơ quan ban hành").fill("Ủy ban nhân dân tỉnh Đắk Lắk")
    await certifier.get_by_label("Nơi ký").fill("Đắk Lắk")
    await certifier.get_by_label("Chức vụ người ký").fill("KT. Chủ tịch – Phó Chủ tịch")
    await certifier.get_by_label("Họ và tên người ký").fill("Võ Văn Cảnh")
    await certifier.get_by_role("button", name="Ghi nhận quyết định").click()
    await expect(certifier.locator("#consequences")).to_contain_text(decision)
    await certifier.locator("#confirmation button[type=submit]").click()
    await expect(certifier.locator("#decision")).to_contain_text(decision)
    numbers = [
        n
        for n in await certifier.locator("tr[data-certificate]").evaluate_all(
            "rows => rows.map(r => r.dataset.certificate)"
        )
    ]
    async with httpx.AsyncClient(base_url=console.base_url("certification")) as certification:
        decided = (
            await certification.get(f"/api/v1/rounds/{round_.id}/preview", headers=certifier_token)
        ).json()
    issued = [r["certificate_number"] for r in decided["results"] if r["certificate_number"]]
    assert sorted(numbers) == sorted(issued)
    assert len(issued) == 2
    await accessible(certifier, "certifier-decided")

    # Download a certificate: a PDF carrying its number.
    valid, revoked = issued
    async with certifier.expect_download() as download_info:
        await certifier.locator(f"a[href='/certification/certificates/{valid}.pdf']").click()
    download = await download_info.value
    content = await asyncio.to_thread((await download.path()).read_bytes)
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert valid in text
    assert decision in text
    assert "Võ Văn Cảnh" in text

    # Revoke the other one by a new decision.
    row = certifier.locator(f"tr[data-certificate='{revoked}']")
    await row.locator("summary").click()
    await row.get_by_label("Số quyết định thu hồi").fill(identities.decision())
    await row.get_by_label("Lý do").fill("Cơ sở ngừng sản xuất sản phẩm")
    await row.get_by_role("button", name="Thu hồi giấy chứng nhận").click()
    await expect(certifier.locator("#consequences")).to_contain_text(revoked)
    await certifier.locator("#confirmation button[type=submit]").click()
    await expect(
        certifier.locator(f"tr[data-certificate='{revoked}'] [data-status]")
    ).to_contain_text("Đã thu hồi")
    await accessible(certifier, "certifier-revoked")

    # Anyone, signed out, verifies both on the public page the QR code opens.
    visitor = await visitor_ctx.new_page()
    await visitor.goto(f"/verify/{valid}")
    await expect(visitor.locator("#verdict")).to_contain_text("còn hiệu lực")
    await accessible(visitor, "verify-valid")
    await visitor.goto(f"/verify/{revoked}")
    await expect(visitor.locator("#verdict")).to_contain_text("đã bị thu hồi")
    await accessible(visitor, "verify-revoked")
