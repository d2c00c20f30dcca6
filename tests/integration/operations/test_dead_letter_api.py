"""The operator's dead-letter endpoints, against the real broker and database: evaluation's
consumer dead-letters a class of messages (a fault switched on), then, with the fault off, an
operator lists, reads, replays and archives them over HTTP and reads the audit log the command
line writes too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.scenario import registered_event
from tests.support.stack import (
    bearer,
    cli,
    eventually,
    own_vhost,
    publish,
    queue_depth,
    running_service,
    scalar,
)

QUEUE = "evaluation.registrations"
DLQ = f"{QUEUE}.dlq"
FAULT = f"{QUEUE}:ProductRegistered"
BASE = f"/ops/dead-letters/{QUEUE}"


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    return error


@pytest.fixture
def stack(stack: Settings) -> Iterator[Settings]:
    """The operator sees whole queues (depths, "all", counts confirmed), so each test here has
    a vhost of its own: on the run's, evaluation's queue holds the events earlier tests sent
    while evaluation was not running, and a start with the fault on dead-letters them too."""
    with own_vhost(stack) as settings:
        yield settings


async def _dead_letter(settings: Settings, count: int) -> tuple[uuid.UUID, list[str]]:
    """``count`` entries of one new round, every one failed by evaluation; the dead-letter
    queue (this test's own) holds only them."""
    round_id = uuid.uuid4()
    events = [registered_event(round_id) for _ in range(count)]
    async with running_service("evaluation", settings, consumer_faults=FAULT):
        for event in events:
            await publish(settings, event)
        await eventually(lambda: _depth_is(settings, DLQ, count), 60)
    return round_id, [str(e.event_id) for e in events]


async def _depth_is(settings: Settings, queue: str, depth: int) -> bool:
    return bool(await queue_depth(settings, queue) == depth)


async def _entries(settings: Settings, round_id: uuid.UUID) -> int:
    sql = "SELECT count(*) FROM evaluation.entries WHERE round_id = :r"
    return int(await scalar(settings, "evaluation", sql, r=round_id))


async def _entries_are(settings: Settings, round_id: uuid.UUID, count: int) -> bool:
    return await _entries(settings, round_id) == count


async def test_an_operator_reads_replays_and_archives_dead_letters_and_each_run_is_audited(
    stack: Settings,
) -> None:
    round_id, ids = await _dead_letter(stack, 3)
    operator = bearer(stack, Role.OPERATOR, subject="console:vanhanh.test")
    async with running_service("evaluation", stack) as evaluation:
        queues = _ok(await evaluation.get("/ops/dead-letters", headers=operator))
        assert queues["service"] == "evaluation"
        # Every consumer queue of the service is listed; only this one holds dead letters.
        by_queue = {q["queue"]: q for q in queues["queues"]}
        assert (by_queue[QUEUE]["dead_letter_queue"], by_queue[QUEUE]["depth"]) == (DLQ, 3)
        assert all(q["depth"] == 0 for name, q in by_queue.items() if name != QUEUE)
        assert "ProductRegistered" in by_queue[QUEUE]["event_types"]

        page = _ok(await evaluation.get(BASE, params={"body": "true"}, headers=operator))
        assert (page["depth"], page["matching"], len(page["items"])) == (3, 3, 3)
        letter = next(x for x in page["items"] if x["message_id"] == ids[0])
        assert letter["event_type"] == "ProductRegistered"
        assert letter["reason"].startswith("ConsumerFault: fault switched on")
        assert letter["error_type"] == "ConsumerFault"
        assert letter["attempts"] == stack.max_attempts
        assert letter["original_queue"] == QUEUE
        assert letter["routing_key"] == "registration.product_registered.v1"
        assert letter["first_failed_at"] <= letter["last_failed_at"]
        assert letter["replays"] == 0
        assert letter["body"]["data"]["product"]["name"] == "Rượu cần Buôn Đôn"
        assert await queue_depth(stack, DLQ) == 3  # reading removed nothing

        second = _ok(await evaluation.get(BASE, params={"offset": 1, "limit": 1}, headers=operator))
        assert (second["matching"], len(second["items"]), second["items"][0]["body"]) == (
            3,
            1,
            None,
        )
        one = _ok(await evaluation.get(BASE, params={"message_id": ids[1]}, headers=operator))
        assert [x["message_id"] for x in one["items"]] == [ids[1]]
        none = _ok(await evaluation.get(BASE, params={"reason": "no such"}, headers=operator))
        assert (none["matching"], none["items"]) == (0, [])

        # The operator confirmed 2 where 1 matches: refused, nothing moves.
        stale = await evaluation.post(
            f"{BASE}/replay", json={"message_id": ids[0], "expected": 2}, headers=operator
        )
        error = _refused(stale, 409, "dead_letters_changed")
        assert error["details"] == {"expected": 2, "matching": 1}
        assert await queue_depth(stack, DLQ) == 3

        replayed = _ok(
            await evaluation.post(
                f"{BASE}/replay", json={"message_id": ids[0], "expected": 1}, headers=operator
            )
        )
        assert (replayed["action"], replayed["count"], replayed["depth"]) == ("replay", 1, 2)
        await eventually(lambda: _entries_are(stack, round_id, 1), 30)

        archived = _ok(
            await evaluation.post(
                f"/ops/dead-letters/{DLQ}/archive",
                json={"event_type": "ProductRegistered", "expected": 2},
                headers=operator,
            )
        )
        assert (archived["count"], archived["depth"]) == (2, 0)
        audit = _ok(await evaluation.get("/ops/audit", headers=operator))

    assert await queue_depth(stack, DLQ) == 0
    assert await _entries(stack, round_id) == 1  # archived letters are never applied
    kept = await scalar(
        stack,
        "operations",
        "SELECT count(*) FROM operations.archived_messages WHERE queue = :q "
        "AND archived_by = 'console:vanhanh.test' AND message_id = ANY(:ids)",
        q=DLQ,
        ids=ids[1:],
    )
    assert kept == 2
    newest, before = audit["items"][:2]
    assert (newest["action"], newest["actor"], newest["target"], newest["count"]) == (
        "dlq_archive",
        "console:vanhanh.test",
        DLQ,
        2,
    )
    assert newest["filters"] == {"event_type": "ProductRegistered"}
    assert (before["action"], before["count"], before["filters"]) == (
        "dlq_replay",
        1,
        {"message_id": ids[0]},
    )
    assert before["outcome"] == "completed"
    assert newest["at"] >= before["at"]


async def test_replay_all_returns_every_letter_and_the_command_line_writes_the_same_log(
    stack: Settings,
) -> None:
    round_id, _ = await _dead_letter(stack, 2)
    operator = bearer(stack, Role.OPERATOR, subject="console:vanhanh.all")
    async with running_service("evaluation", stack) as evaluation:
        result = _ok(await evaluation.post(f"{BASE}/replay", json={"all": True}, headers=operator))
        assert (result["count"], result["depth"]) == (2, 0)
        await eventually(lambda: _entries_are(stack, round_id, 2), 30)
        await cli("dlq", "purge", QUEUE, "--yes", "--actor", "cli-operator")
        log = _ok(await evaluation.get("/ops/audit", params={"limit": 2}, headers=operator))
        mine = _ok(
            await evaluation.get(
                "/ops/audit",
                params={"actor": "console:vanhanh.all", "action": "dlq_replay"},
                headers=operator,
            )
        )
    assert [(x["actor"], x["action"]) for x in log["items"]] == [
        ("cli-operator", "dlq_purge"),
        ("console:vanhanh.all", "dlq_replay"),
    ]
    assert log["total"] >= 2
    assert log["limit"] == 2
    assert [(x["count"], x["filters"]) for x in mine["items"]] == [(2, {})]


async def test_only_operators_may_and_unknown_or_foreign_queues_are_refused(
    stack: Settings,
) -> None:
    operator = bearer(stack, Role.OPERATOR)
    async with running_service("registration", stack) as registration:
        for role in (Role.MINISTRY, Role.SUPPORT_OFFICER):
            other = bearer(stack, role)
            for method, path, body in (
                ("GET", "/ops/dead-letters", None),
                ("GET", "/ops/dead-letters/registration.recognitions", None),
                ("POST", "/ops/dead-letters/registration.recognitions/replay", {"all": True}),
                ("POST", "/ops/dead-letters/registration.recognitions/archive", {"all": True}),
                ("GET", "/ops/audit", None),
            ):
                refused = await registration.request(method, path, json=body, headers=other)
                _refused(refused, 403, "role_not_allowed")
        _refused(await registration.get("/ops/dead-letters"), 401, "token_missing")

        unknown = await registration.get("/ops/dead-letters/nobody.here", headers=operator)
        assert _refused(unknown, 404, "queue_not_found")["field"] == "queue"
        foreign = await registration.post(f"{BASE}/replay", json={"all": True}, headers=operator)
        assert "evaluation" in _refused(foreign, 404, "queue_of_another_service")["message"]
        own = "/ops/dead-letters/registration.recognitions.dlq"
        _ok(await registration.get(own, headers=operator))  # the .dlq name is accepted too
        missing = await registration.post(f"{own}/archive", json={}, headers=operator)
        assert _refused(missing, 422, "selection_missing")["field"] == "all"
        both = await registration.post(
            f"{own}/replay", json={"all": True, "event_type": "X"}, headers=operator
        )
        _refused(both, 422, "selection_ambiguous")
        naive = await registration.get(own, params={"since": "2026-01-01T00:00"}, headers=operator)
        _refused(naive, 422, "validation_failed")
        queues = _ok(await registration.get("/ops/dead-letters", headers=operator))
    assert {q["queue"] for q in queues["queues"]} == {
        "registration.recognitions",
        "registration.juries",
    }
