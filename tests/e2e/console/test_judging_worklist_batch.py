"""A judge scores their whole worklist on one page and saves it in one request (evaluation's
``POST /score-sheets/batch``), in a real Chromium with a Vietnamese locale: each line's outcome
shows without a page reload — saved with its total and time, or the service's refusal in
Vietnamese next to the criterion — and a submission sent twice stores each sheet once."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.e2e.console.conftest import sign_in
from tests.e2e.console.test_judging_and_certification import (
    PROVINCE,
    Round,
    accessible,
    judged_round,
    number_on_page,
)
from tests.support.stack import bearer

pytestmark = pytest.mark.browser
__all__ = ["judged_round"]  # the round, its entries and its jury, as the other judging test
expect.set_options(timeout=60_000)
CRITERIA = ("market", "technical", "culture", "other")


async def revisions(settings: Settings, round_: Round, index: int, member: str) -> list[Any]:
    """The member's revisions of their sheet for an entry, as evaluation stores them."""
    entry = round_.entries[index]["id"]
    async with httpx.AsyncClient(base_url=settings.base_url("evaluation")) as evaluation:
        sheets = (
            await evaluation.get(
                f"/api/v1/rounds/{round_.id}/entries/{entry}/sheets",
                headers=bearer(settings, Role.PROVINCE_OFFICER, PROVINCE),
            )
        ).json()
    return [r for s in sheets if s["member_id"] == member for r in s["revisions"]]


async def fill(page: Page, round_: Round, index: int, values: tuple[str, ...]) -> None:
    entry = round_.entries[index]["id"]
    for criterion, value in zip(CRITERIA, values, strict=True):
        await page.locator(f"#s-{criterion}-{entry}").fill(value)


def line(page: Page, round_: Round, index: int) -> Any:
    return page.locator(f"#batch-sheets tr[data-entry='{round_.entries[index]['id']}']")


async def member_id(settings: Settings, round_: Round, key: str) -> str:
    async with httpx.AsyncClient(base_url=settings.base_url("evaluation")) as evaluation:
        jury = (
            await evaluation.get(
                f"/api/v1/rounds/{round_.id}/jury",
                headers=bearer(settings, Role.PROVINCE_OFFICER, PROVINCE),
            )
        ).json()
    account = str(round_.judges[key].id)
    return str(next(m["id"] for m in jury["members"] if m["account_id"] == account))


async def test_a_judge_saves_the_whole_worklist_at_once_each_line_with_its_own_outcome(
    page: Page, console: Settings, judged_round: Round
) -> None:
    round_ = judged_round
    member = await member_id(console, round_, "a")
    await sign_in(page, round_.judges["a"].username)
    await page.goto(f"/judging/{round_.id}")
    await page.get_by_role("button", name="Chấm cả danh sách trên một trang").click()
    await expect(page.get_by_role("heading", name="Chấm cả danh sách")).to_be_visible()
    await page.wait_for_function("window.htmx !== undefined")
    await page.evaluate("window.__sameDocument = true")
    await expect(page.locator("#batch-sheets tbody tr")).to_have_count(3)
    await accessible(page, "judge-batch-empty")

    # One line right (written with commas, as Vietnamese judges do), one against the half-point
    # rule, one left blank: saved in one request.
    await fill(page, round_, 0, ("35", "30,5", "8", "7,5"))
    await expect(line(page, round_, 0).locator("output")).to_have_text("81")
    await fill(page, round_, 1, ("20.3", "20", "5", "5"))
    await page.locator(f"#s-comment-{round_.entries[1]['id']}").fill("Mẫu mã cần cải tiến")
    await page.get_by_role("button", name="Lưu tất cả các phiếu đã điền").click()

    await expect(line(page, round_, 0).locator("[data-outcome]")).to_contain_text("Đã lưu")
    saved = await line(page, round_, 0).locator("[data-outcome]").inner_text()
    stored = await revisions(console, round_, 0, member)
    assert [Decimal(str(r["total"])) for r in stored] == [Decimal(81)]
    assert [Decimal(str(stored[0][c])) for c in CRITERIA] == [
        35,
        Decimal("30.5"),
        8,
        Decimal("7.5"),
    ]
    assert "81 điểm lúc" in saved  # its total and the time evaluation stored it
    await expect(page.locator(f"#e-market-{round_.entries[1]['id']}")).to_have_text(
        "Điểm chấm theo bước 0,5 điểm (ví dụ 7 hoặc 7,5)."
    )
    # The refused line keeps what the judge typed, to correct it; the blank one is untouched.
    await expect(page.locator(f"#s-comment-{round_.entries[1]['id']}")).to_have_value(
        "Mẫu mã cần cải tiến"
    )
    await expect(line(page, round_, 2).locator("[data-outcome]")).to_have_text("Cần chấm")
    await expect(page.locator("#batch-summary")).to_contain_text("Đã lưu: 1 phiếu")
    # A refusal reads as a warning, not as the success a save without refusal is (issue 28).
    await expect(page.locator("#batch-summary")).to_have_class("warning")
    assert await revisions(console, round_, 1, member) == []
    assert await page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    await accessible(page, "judge-batch-one-refused")

    # The judge corrects the refused line and fills the last one: the line saved before is
    # not sent again (no new revision), the other two are saved.
    await fill(page, round_, 1, ("20.5", "20", "5", "5"))
    await fill(page, round_, 2, ("36", "36", "9", "9.5"))
    await page.get_by_role("button", name="Lưu tất cả các phiếu đã điền").click()
    await expect(page.locator("#batch-summary")).to_contain_text("Đã lưu: 2 phiếu")
    await expect(page.locator("#batch-summary")).to_have_class("notice")
    for index in (1, 2):
        await expect(line(page, round_, index).locator("[data-outcome]")).to_contain_text("Đã lưu")
    assert len(await revisions(console, round_, 0, member)) == 1
    assert [r["comment"] for r in await revisions(console, round_, 1, member)] == [
        "Mẫu mã cần cải tiến"
    ]
    assert await page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    await accessible(page, "judge-batch-saved")

    # The worklist hides nothing: all three scored, with the totals of the saved sheets.
    await page.goto(f"/judging/{round_.id}")
    totals = await page.locator("#scored [data-total]").all_inner_texts()
    assert sorted(number_on_page(t) for t in totals) == [Decimal("50.5"), 81, Decimal("90.5")]


async def test_one_submission_sent_twice_stores_each_sheet_once(
    page: Page, console: Settings, judged_round: Round
) -> None:
    """A double click or a retry re-sends the form with the same Idempotency-Key: evaluation
    answers the second from what the first stored."""
    round_ = judged_round
    member = await member_id(console, round_, "b")
    await sign_in(page, round_.judges["b"].username)
    await page.goto(f"/judging/{round_.id}/batch")
    form: dict[str, str | float | bool] = {}
    for hidden in await page.locator("#batch form input[type=hidden]").all():
        form[str(await hidden.get_attribute("name"))] = str(await hidden.get_attribute("value"))
    first_key = form["idempotency_key"]
    for index, entry in enumerate(round_.entries):
        for criterion, value in zip(CRITERIA, ("30", "30", "7", "7.5"), strict=True):
            form[f"{criterion}-{entry['id']}"] = value if index < 2 else ""
        form[f"comment-{entry['id']}"] = ""
    answers = await asyncio.gather(
        *(page.request.post(f"/judging/{round_.id}/batch", form=form) for _ in range(2))
    )
    assert [a.status for a in answers] == [200, 200]
    for index in (0, 1):
        assert [
            Decimal(str(r["total"])) for r in await revisions(console, round_, index, member)
        ] == [Decimal("74.5")]
    assert await revisions(console, round_, 2, member) == []
    # Each rendering of the form is a new submission with a key of its own.
    await page.goto(f"/judging/{round_.id}/batch")
    key = await page.locator("#batch input[name=idempotency_key]").get_attribute("value")
    assert key
    assert key != first_key


async def test_a_judge_writes_scores_with_a_decimal_comma_on_the_sheet_and_the_worklist(
    page: Page, console: Settings, judged_round: Round
) -> None:
    """Chromium's number input shows and takes only ``30.5`` whatever the page's language: the
    score inputs are text, read ``30,5`` (and a pasted ``30.5``), refuse anything else in
    Vietnamese next to the criterion, and show a saved sheet back as ``30,5``."""
    round_ = judged_round
    member = await member_id(console, round_, "c")
    entry = round_.entries[0]["id"]
    await sign_in(page, round_.judges["c"].username)
    await page.goto(f"/judging/{round_.id}/entries/{entry}")
    await page.wait_for_function("window.htmx !== undefined")
    await page.evaluate("window.__sameDocument = true")
    await expect(page.locator("#score-hint")).to_have_text("Ví dụ: 30,5")
    market = page.locator("#f-market")
    await expect(market).to_have_attribute("inputmode", "decimal")
    await expect(market).to_have_attribute("aria-describedby", "score-hint")

    # Not a number, and above the maximum: refused next to the criterion, nothing stored.
    for criterion, value in zip(CRITERIA, ("abc", "41", "8", "7,5"), strict=True):
        await page.locator(f"#f-{criterion}").fill(value)
    # Issue 28: the live total leaves out what the sheet refuses ("abc", and 41 over 40).
    await expect(page.locator("#live-total")).to_have_text("15,5")
    for criterion, value in zip(CRITERIA, ("45", "-1", "10,3", "abc"), strict=True):
        await page.locator(f"#f-{criterion}").fill(value)
    await expect(page.locator("#live-total")).to_have_text("0")  # none of the four counts
    for criterion, value in zip(CRITERIA, ("abc", "41", "8", "7,5"), strict=True):
        await page.locator(f"#f-{criterion}").fill(value)
    await page.locator("#sheet button[type=submit]").click()
    await expect(page.locator("#e-market")).to_have_text("Hãy nhập một số.")
    await expect(page.locator("#e-technical")).to_have_text(
        "Điểm này vượt quá điểm tối đa của tiêu chí."
    )
    await expect(page.locator("#f-technical")).to_have_attribute(
        "aria-describedby", "score-hint e-technical"
    )
    await expect(market).to_have_value("abc")  # kept, to correct it
    assert await revisions(console, round_, 0, member) == []
    await accessible(page, "judge-sheet-decimal-refused")

    # Commas, and one value pasted with a dot: the live total and the saved sheet agree.
    await page.goto(f"/judging/{round_.id}/entries/{entry}")
    await page.wait_for_function("window.htmx !== undefined")
    await page.evaluate("window.__sameDocument = true")
    for criterion, value in zip(CRITERIA, ("30,5", "31", "8.5", "7,5"), strict=True):
        await page.locator(f"#f-{criterion}").fill(value)
    await expect(page.locator("#live-total")).to_have_text("77,5")
    await accessible(page, "judge-sheet-decimal-comma")
    await page.locator("#sheet button[type=submit]").click()
    await expect(page.locator("#sheet [role=status]")).to_contain_text("77,5 điểm")
    stored = await revisions(console, round_, 0, member)
    assert [[Decimal(str(r[c])) for c in CRITERIA] for r in stored] == [
        [Decimal("30.5"), 31, Decimal("8.5"), Decimal("7.5")]
    ]
    assert Decimal(str(stored[0]["total"])) == Decimal("77.5")
    await expect(page.locator("#f-culture")).to_have_value("8,5")  # as the page writes it
    assert await page.evaluate("window.__sameDocument === true"), "the page was reloaded"

    # The judge's latest sheet fills the form the Vietnamese way, here and on the worklist.
    await page.goto(f"/judging/{round_.id}/entries/{entry}")
    for criterion, value in zip(CRITERIA, ("30,5", "31", "8,5", "7,5"), strict=True):
        await expect(page.locator(f"#f-{criterion}")).to_have_value(value)
    await expect(page.locator("#live-total")).to_have_text("77,5")
    await page.goto(f"/judging/{round_.id}/batch")
    for criterion, value in zip(CRITERIA, ("30,5", "31", "8,5", "7,5"), strict=True):
        await expect(page.locator(f"#s-{criterion}-{entry}")).to_have_value(value)
    await expect(page.locator("#score-hint")).to_have_text("Ví dụ: 30,5")
    await fill(page, round_, 1, ("20,5", "abc", "41", "5"))
    await fill(page, round_, 2, ("36,5", "35", "9,5", "9"))
    await expect(line(page, round_, 2).locator("output")).to_have_text("90")
    await accessible(page, "judge-batch-decimal-comma")
    await page.get_by_role("button", name="Lưu tất cả các phiếu đã điền").click()
    second = round_.entries[1]["id"]
    await expect(page.locator(f"#e-technical-{second}")).to_have_text("Hãy nhập một số.")
    await expect(page.locator(f"#e-culture-{second}")).to_have_text(
        "Điểm này vượt quá điểm tối đa của tiêu chí."
    )
    await expect(line(page, round_, 2).locator("[data-outcome]")).to_contain_text("Đã lưu")
    assert [
        [Decimal(str(r[c])) for c in CRITERIA] for r in await revisions(console, round_, 2, member)
    ] == [[Decimal("36.5"), 35, Decimal("9.5"), 9]]
    assert len(await revisions(console, round_, 0, member)) == 1  # shown as "30,5", unchanged
    assert await revisions(console, round_, 1, member) == []
    await expect(page.locator(f"#s-market-{round_.entries[2]['id']}")).to_have_value("36,5")
    await accessible(page, "judge-batch-decimal-refused")
