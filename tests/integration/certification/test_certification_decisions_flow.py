"""Certification against the real broker and database: tally, decision, replay, concurrency."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import aio_pika
import httpx

from cnnt_contracts import (
    ProductRecognized,
    ResultSettings,
    ScoreSubmitted,
    SheetSetAside,
    SheetSetAsideData,
)
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import (
    PROVINCE,
    decide,
    handled,
    judged_round,
    judging_closed,
    preview,
    publish_round,
    settled,
    sheet_event,
)
from tests.support import identities
from tests.support.stack import amqp, bearer, eventually, publish

SCORES = [(36, 35, 9, 8), (30, 30, 7, 6), (34, 33, 8, 8), (28, 28, 7, 7), (20, 20, 5, 5)]


async def _results(client: httpx.AsyncClient, settings: Settings, round_id: uuid.UUID) -> list:
    response = await client.get(
        f"/api/v1/rounds/{round_id}/results", headers=bearer(settings, Role.MINISTRY)
    )
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_the_preview_ranks_entries_and_gives_each_refusal_its_reason(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES, settings=ResultSettings(quota=2))
    seen = await publish_round(certification, stack, judged)
    rows = seen["results"]
    names = judged.entry_names()
    assert [names[r["entry_id"]][0] for r in rows[:2]] == [
        "Cà phê bột nguyên chất Buôn Ma Thuột",
        "Rượu cần Buôn Đôn",
    ]
    assert [(r["rank"], r["mean"], r["outcome"], r["reason"]) for r in rows] == [
        (1, "88.00", "recognised", None),
        (2, "83.00", "recognised", None),
        (3, "73.00", "not_recognised", "outside_quota"),
        (4, "70.00", "not_recognised", "outside_quota"),
        (5, "50.00", "not_recognised", "below_threshold"),
    ]
    assert seen["decision"] is None
    assert (seen["jury_size"], seen["members_needed"]) == (3, 2)


async def test_the_latest_revision_counts_even_when_an_older_one_arrives_later(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round([(30, 30, 7, 7)])
    await publish_round(certification, stack, judged)
    entry_id, judge = judged.entries[0].data.entry_id, judged.judges[0]
    revised = sheet_event(judged.id, entry_id, judge, (39, 39, 10, 10), revision=2)
    stale = sheet_event(judged.id, entry_id, judge, (10, 10, 2, 2), revision=1)
    await publish(stack, revised, stale)  # the stale copy has a fresh event id: only the
    await handled(stack, revised, stale)  # revision number can stop it
    rows = (await preview(certification, stack, judged.id))["results"]
    assert rows[0]["mean"] == "82.00"  # (98 + 74 + 74) / 3, not (24 + 74 + 74) / 3


def _set_aside(sheet: ScoreSubmitted, reason: str = "conflict_of_interest") -> SheetSetAside:
    d = sheet.data
    return SheetSetAside.new(
        SheetSetAsideData(
            sheet_id=d.sheet_id,
            round_id=d.round_id,
            entry_id=d.entry_id,
            judge_id=d.judge_id,
            reason=reason,
            set_aside_at=d.submitted_at + timedelta(hours=1),
        )
    )


async def test_a_sheet_set_aside_stops_counting_whichever_event_arrives_first(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    # Entry 0: every member 90 points, but the third declares a conflict after scoring 30.
    judged = judged_round([(36, 36, 9, 9), (30, 30, 7, 7)])
    entry, conflicted = judged.entries[0].data.entry_id, judged.judges[2]
    late = sheet_event(judged.id, entry, conflicted, (6, 6, 9, 9))
    judged.sheets = [
        late if (s.data.entry_id, s.data.judge_id) == (entry, conflicted) else s
        for s in judged.sheets
    ]
    await publish_round(certification, stack, judged, extra=[_set_aside(late)])
    rows = {r["entry_id"]: r for r in (await preview(certification, stack, judged.id))["results"]}
    assert (rows[str(entry)]["mean"], rows[str(entry)]["judges"]) == ("90.00", 2)

    # The news overtakes the sheet: set aside first, the sheet (and a revision) after.
    other = judged.entries[1].data.entry_id
    judge = judged.judges[0]
    revised = sheet_event(judged.id, other, judge, (10, 10, 2, 2), revision=2)
    await publish(stack, _set_aside(revised, "recusal"))
    await publish(stack, revised)
    await handled(stack, revised)
    rows = {r["entry_id"]: r for r in (await preview(certification, stack, judged.id))["results"]}
    assert (rows[str(other)]["mean"], rows[str(other)]["judges"]) == ("74.00", 2)


async def test_replaying_every_score_twice_changes_no_result_and_issues_no_certificate(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    first_entry, judge = judged.entries[0].data.entry_id, judged.judges[0]
    judged.sheets.append(sheet_event(judged.id, first_entry, judge, (37, 36, 9, 9), revision=2))
    judged.closing = judging_closed(judged.id, 3, judged.entries, judged.sheets)
    live = (await publish_round(certification, stack, judged))["results"]
    assert live[0]["mean"] == "89.00"  # (91 + 88 + 88) / 3: the revision counts

    async def replay_twice() -> None:
        # The same events twice (the inbox stops them), then again with new event ids, the
        # revisions in reverse order (only the tally's revision numbers can stop those).
        fresh = [s.model_copy(update={"event_id": uuid.uuid4()}) for s in reversed(judged.sheets)]
        await publish(stack, *judged.sheets, *judged.sheets, *fresh)
        await handled(stack, *fresh)
        await settled(stack, "certification.scores")

    await replay_twice()
    assert (await preview(certification, stack, judged.id))["results"] == live
    async with amqp(stack) as channel:
        announced = await channel.declare_queue(exclusive=True)
        await announced.bind("cnnt.events", routing_key=ProductRecognized.routing_key())
        response = await decide(certification, stack, judged.id, identities.decision())
        assert response.status_code == 201, response.text
        issued = response.json()["certificates"]
        assert issued == judged.numbers(1, 2, 3, 4)
        before = await _results(certification, stack, judged.id)

        await replay_twice()
        assert await _results(certification, stack, judged.id) == before
        again = await decide(certification, stack, judged.id, "9999/QĐ-UBND")
        assert again.json()["error"]["code"] == "round_already_decided"
        messages: list[ProductRecognized] = []
        while len(messages) < 10 and (message := await _next(announced)):
            messages.append(ProductRecognized.model_validate_json(message.body))
    assert sorted(m.data.certificate_number for m in messages) == issued
    first = min(messages, key=lambda m: m.data.rank)
    assert (first.data.product.name, first.data.mean_score) == (
        "Cà phê bột nguyên chất Buôn Ma Thuột",
        Decimal("89.00"),
    )
    assert first.data.valid_until.isoformat() == f"{judged.year + 2}-12-31"


async def _next(queue: aio_pika.abc.AbstractQueue) -> aio_pika.abc.AbstractIncomingMessage | None:
    try:
        return await eventually(lambda: queue.get(fail=False, no_ack=True), timeout=1.5)
    except AssertionError:
        return None


async def test_two_concurrent_decisions_one_wins_and_the_numbers_stay_gap_free(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    await publish_round(certification, stack, judged)
    responses = await asyncio.gather(
        decide(certification, stack, judged.id, "101/QĐ-UBND"),
        decide(certification, stack, judged.id, "102/QĐ-UBND"),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.json()["error"]["code"] == "round_already_decided"
    rows = await _results(certification, stack, judged.id)
    numbers = sorted(r["certificate_number"] for r in rows if r["certificate_number"])
    assert numbers == judged.numbers(1, 2, 3, 4)
    decisions = await certification.get(
        f"/api/v1/rounds/{judged.id}/decisions", headers=bearer(stack, Role.MINISTRY)
    )
    assert [d["kind"] for d in decisions.json()] == ["confirmation"]


async def test_the_council_may_decline_a_passed_entry_with_a_recorded_reason(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    rows = (await publish_round(certification, stack, judged))["results"]
    second = rows[1]["entry_id"]
    below = rows[4]["entry_id"]
    refused = await decide(
        certification, stack, judged.id, "55/QĐ-UBND", [{"entry_id": below, "reason": "x"}]
    )
    assert refused.json()["error"]["code"] == "exclusion_not_recognised"
    reason = "Sản phẩm chưa có nhãn mác đầy đủ"
    response = await decide(
        certification, stack, judged.id, "55/QĐ-UBND", [{"entry_id": second, "reason": reason}]
    )
    assert response.status_code == 201, response.text
    assert response.json()["certificates"] == judged.numbers(1, 2, 3)
    published = {r["entry_id"]: r for r in await _results(certification, stack, judged.id)}
    assert (published[second]["reason"], published[second]["note"]) == ("declined", reason)
    assert published[second]["certificate_number"] is None


async def test_deciding_needs_the_certifying_authority(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES[:1])
    await publish_round(certification, stack, judged)
    body = {"number": "1/QĐ", "decided_on": "2021-08-15"}
    officer = await certification.post(
        f"/api/v1/rounds/{judged.id}/decision",
        json=body,
        headers=bearer(stack, Role.PROVINCE_OFFICER, PROVINCE),
    )
    assert officer.json()["error"]["code"] == "role_not_allowed"
    elsewhere = await certification.post(
        f"/api/v1/rounds/{judged.id}/decision",
        json=body,
        headers=bearer(stack, Role.CERTIFIER, "dong-thap"),
    )
    assert elsewhere.json()["error"]["code"] == "authority_out_of_scope"
    assert (await preview(certification, stack, judged.id))["decision"] is None


async def test_a_second_round_of_the_same_scope_and_year_continues_the_numbering(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    first = judged_round(SCORES[:2])
    second = judged_round(SCORES[2:4], year=first.year)
    await publish_round(certification, stack, first)
    await publish_round(certification, stack, second)
    number = identities.decision("QĐ")
    one = await decide(certification, stack, first.id, number)
    taken = await decide(certification, stack, second.id, number)  # same authority and year
    assert taken.json()["error"]["code"] == "decision_number_taken"
    two = await decide(certification, stack, second.id, identities.decision("QĐ"))
    assert one.json()["certificates"] == first.numbers(1, 2)
    assert two.json()["certificates"] == first.numbers(3, 4)


async def test_a_correction_is_a_new_decision_that_recognises_entries_left_out(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES, settings=ResultSettings(quota=3))
    rows = (await publish_round(certification, stack, judged))["results"]
    declined, outside = rows[1]["entry_id"], rows[3]["entry_id"]
    assert rows[3]["reason"] == "outside_quota"
    exclusion = [{"entry_id": declined, "reason": "Hồ sơ thiếu giấy chứng nhận an toàn thực phẩm"}]
    confirmed = await decide(certification, stack, judged.id, "300/QĐ-UBND", exclusion)
    assert confirmed.json()["certificates"] == judged.numbers(1, 2)
    reason = "Cơ sở đã bổ sung hồ sơ; Hội đồng đề nghị công nhận bổ sung"
    body = {
        "number": "301/QĐ-UBND",
        "decided_on": "2021-09-20",
        "reason": reason,
        "recognise": [outside, declined],
    }
    url = f"/api/v1/rounds/{judged.id}/corrections"
    headers = bearer(stack, Role.CERTIFIER, PROVINCE)
    corrected = await certification.post(url, json=body, headers=headers)
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["certificates"] == judged.numbers(3, 4)
    published = {r["entry_id"]: r for r in await _results(certification, stack, judged.id)}
    assert published[declined]["outcome"] == "recognised"
    assert published[declined]["certificate_number"] == judged.numbers(3)[0]
    assert published[outside]["note"] == f"Quyết định 301/QĐ-UBND: {reason}"
    again = await certification.post(url, json={**body, "number": "302/QĐ-UBND"}, headers=headers)
    assert again.json()["error"]["code"] == "correction_not_allowed"
    decisions = await certification.get(
        f"/api/v1/rounds/{judged.id}/decisions", headers=bearer(stack, Role.MINISTRY)
    )
    assert [(d["kind"], d["number"]) for d in decisions.json()] == [
        ("confirmation", "300/QĐ-UBND"),
        ("correction", "301/QĐ-UBND"),
    ]


async def test_there_are_no_results_to_preview_or_decide_before_judging_closes(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES[:2])
    await publish(stack, judged.opening, *judged.entries, *judged.sheets)
    await handled(stack, judged.opening, *judged.entries, *judged.sheets)
    response = await certification.get(
        f"/api/v1/rounds/{judged.id}/preview", headers=bearer(stack, Role.MINISTRY)
    )
    assert (response.status_code, response.json()["error"]["code"]) == (409, "judging_not_closed")
    refused = await decide(certification, stack, judged.id, identities.decision("QĐ"))
    assert refused.json()["error"]["code"] == "judging_not_closed"
