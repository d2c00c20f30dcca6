"""Losing a RabbitMQ node under load (issue #22): nothing lost, nothing doubled.

Three RabbitMQ nodes on this machine form a cluster behind HAProxy (tests/support/cluster.py);
evaluation and certification run as real processes connected through it, their queues quorum
queues with a member on every node. Score sheets stream in through evaluation's HTTP API while
one node is taken away and brought back:

* the leader of ``certification.scores`` is killed with ``kill -9``;
* a follower (a node leading nothing we watch, holding no service's connection when there is
  one) is stopped in order with ``rabbitmqctl stop``;
* the node evaluation's connection (its consumers and outbox relay) is attached to is killed
  with ``kill -9``: its publishes in flight lose their confirms and are sent again.

Each time: every sheet counted exactly once in certification's tally (which judging then closes
as complete), evaluation's outbox drained, every dead-letter queue empty, and every event the
outbox marks published is on the broker (a probe queue bound beside certification's holds it).
The stall (the longest time the tally did not move while sheets were waiting) is measured and
written to ``out/faults/<fault>.json``, never asserted: docs/scaling.md records it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest

from cnnt_contracts import ScoreSubmitted
from cnnt_runtime.auth import Role
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, EVENTS_EXCHANGE_NAME
from cnnt_runtime.settings import Settings
from tests.support.cluster import Node, RabbitCluster, missing_tools, rabbit_cluster
from tests.support.judging import JudgedRound, judged_round
from tests.support.processes import serving
from tests.support.stack import bearer, private_stack, queue_depth, rows, scalar

pytestmark = [pytest.mark.faults, pytest.mark.timeout(1800)]

OUT = Path("out/faults")
VHOST = "cnnt"
SCORES = "certification.scores"
ENTRIES = 80  # x 5 judges = 400 score sheets a fault
JUDGES = 5
SHEETS_PER_SECOND = 10.0  # offered load: the stream outlasts the fault and the node's return
CLIENTS = 6  # judges' requests in flight at once
FAULT_AT = 0.2  # share of the sheets counted before the node is taken away
WAIT = 300.0  # generous: a shared two-core machine; waits are by condition, never timed


@pytest.fixture(scope="module")
def cluster() -> Iterator[RabbitCluster]:
    problems = missing_tools()
    if problems:
        pytest.fail("the fault tests need " + " and ".join(problems), pytrace=False)
    with rabbit_cluster(3) as formed:
        first = formed.nodes[0]
        formed.ctl(first, "add_vhost", VHOST)
        formed.ctl(first, "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*")
        yield formed


@pytest.fixture(scope="module")
def clustered(cluster: RabbitCluster) -> Iterator[Settings]:
    """A private database; the broker is the cluster, through HAProxy's one address."""
    with private_stack(amqp_url=cluster.url(VHOST)) as settings:
        yield settings


@pytest.fixture(scope="module")
async def services(clustered: Settings) -> AsyncIterator[Settings]:
    async with serving("evaluation", "certification", logs=OUT / "logs") as settings:
        yield settings


@dataclass
class Sample:
    at: float  # seconds since the stream started
    accepted: int  # sheets evaluation answered 2xx for
    counted: int  # sheets in certification's tally of the round
    backlog: int  # evaluation's outbox rows not yet confirmed by the broker
    failing: int  # of those, rows whose last publish failed


@dataclass
class Run:
    fault: str
    sheets: int
    samples: list[Sample] = field(default_factory=list)
    accepted: int = 0
    retried: dict[str, int] = field(default_factory=dict)  # requests sent again, by why
    events: dict[str, float] = field(default_factory=dict)  # what happened when (s)
    facts: dict[str, Any] = field(default_factory=dict)

    def mark(self, what: str, started: float) -> None:
        self.events[what] = round(time.monotonic() - started, 2)

    def stalls(self) -> dict[str, float]:
        """The longest time the tally did not move while sheets waited for it, by phase: the
        pipeline's ordinary rhythm before the fault, while the node was away, and from its
        restart to the end (it rejoins and catches up). A gap belongs to the phase it ends
        in; a tally that has caught up with the accepted sheets is idle, not stalled."""
        phases = [
            ("before_fault", self.events["fault"]),
            ("node_away", self.events["node_restarting"]),
            ("node_returning", float("inf")),
        ]
        longest = dict.fromkeys((name for name, _ in phases), 0.0)
        last_move = self.samples[0].at
        for previous, sample in itertools.pairwise(self.samples):
            if sample.counted > previous.counted:
                phase = next(name for name, until in phases if sample.at <= until)
                longest[phase] = round(max(longest[phase], sample.at - last_move), 2)
                last_move = sample.at
            elif previous.counted >= previous.accepted:
                last_move = sample.at
        return longest

    def figures(self) -> dict[str, Any]:
        stalls = self.stalls()
        return {
            "fault": self.fault,
            "sheets": self.sheets,
            "stall_seconds": max(stalls["node_away"], stalls["node_returning"]),
            "longest_tally_gap_seconds": stalls,
            "timeline_seconds": self.events,
            "outbox_backlog_max": max(s.backlog for s in self.samples),
            "outbox_rows_failed_max": max(s.failing for s in self.samples),
            "http_requests_sent_again": self.retried,
            **self.facts,
        }


class Sampler:
    """Reads certification's tally and evaluation's outbox every 0.2 s, as their own roles
    (instrumentation: the system itself never reads another service's tables)."""

    def __init__(self, settings: Settings, run: Run, round_id: uuid.UUID, started: float) -> None:
        self.settings, self.run, self.round_id, self.started = settings, run, round_id, started
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Sampler:
        self.task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    def _dsn(self, service: str) -> str:
        return self.settings.service_dsn(service).replace("postgresql+asyncpg", "postgresql")

    async def _sample(self) -> None:
        certification = await asyncpg.connect(self._dsn("certification"))
        evaluation = await asyncpg.connect(self._dsn("evaluation"))
        try:
            while True:
                counted = await certification.fetchval(
                    "SELECT count(*) FROM certification.sheets WHERE round_id = $1", self.round_id
                )
                backlog, failing = await evaluation.fetchrow(
                    "SELECT count(*), count(last_error) FROM evaluation.outbox "
                    "WHERE published_at IS NULL"
                )
                self.run.samples.append(
                    Sample(
                        round(time.monotonic() - self.started, 2),
                        self.run.accepted,
                        int(counted),
                        int(backlog),
                        int(failing),
                    )
                )
                await asyncio.sleep(0.2)
        finally:
            await certification.close()
            await evaluation.close()

    def counted(self) -> int:
        return self.run.samples[-1].counted if self.run.samples else 0


async def stream(judged: JudgedRound, run: Run, started: float) -> None:
    """Every entry scored by every judge, offered at SHEETS_PER_SECOND; a request that fails
    in transit or with a 5xx is sent again with the same Idempotency-Key (stored once)."""
    gate = asyncio.Semaphore(CLIENTS)
    loop = asyncio.get_running_loop()
    begun = loop.time()

    async def one(member: dict[str, Any], entry_id: str) -> None:
        key = str(uuid.uuid4())
        deadline = loop.time() + WAIT
        async with gate:
            while True:
                try:
                    response = await judged.submit(member, entry_id, key=key)
                    if response.status_code in (200, 201):
                        run.accepted += 1
                        return
                    assert response.status_code >= 500, response.text
                    why = f"{response.status_code} {response.text[:200]}"
                except httpx.TransportError as exc:
                    why = type(exc).__name__
                run.retried[why] = run.retried.get(why, 0) + 1
                assert loop.time() < deadline, f"sheet {entry_id} not accepted in {WAIT}s"
                await asyncio.sleep(0.5)

    tasks = []
    sheets = [(m, e) for e in judged.entry_ids for m in judged.members]
    for n, (member, entry_id) in enumerate(sheets):
        await asyncio.sleep(max(0.0, begun + n / SHEETS_PER_SECOND - loop.time()))
        tasks.append(asyncio.create_task(one(member, entry_id)))
    await asyncio.gather(*tasks)
    run.mark("last_sheet_accepted", started)


class Probe:
    """A quorum queue bound beside certification's to ScoreSubmitted: what the cluster took.
    Every event evaluation's outbox marks published must be in it (at least once: a publish
    whose confirm was lost with its node is sent again, and both copies arrive)."""

    def __init__(self, settings: Settings, name: str) -> None:
        self.settings, self.name = settings, name

    async def bind(self) -> None:
        connection = await aio_pika.connect(self.settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(
                self.name, durable=True, arguments={"x-queue-type": "quorum"}
            )
            await queue.bind(EVENTS_EXCHANGE_NAME, routing_key=ScoreSubmitted.routing_key())

    async def drain(self) -> list[str]:
        """The message ids it holds, each copy; the queue is deleted after."""
        connection = await aio_pika.connect(self.settings.amqp_url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(self.name, passive=True)
            ids = []
            while (message := await queue.get(no_ack=True, fail=False)) is not None:
                ids.append(str(message.message_id))
            await queue.delete(if_unused=False, if_empty=False)
            return ids


SERVICES = ("evaluation", "certification")


def pick(cluster: RabbitCluster, fault: str) -> tuple[Node, dict[str, list[str]]]:
    """The node to take away, and what it does: the queues it leads, the services whose
    connection it holds. Read before the stream starts (nothing moves them until a fault)."""
    queues = cluster.queues(VHOST)
    attached = {
        service: node
        for name, node in cluster.connection_nodes(VHOST).items()
        for service in SERVICES
        if name.startswith(f"{service} ")
    }
    assert set(attached) == set(SERVICES), attached
    leader = cluster.node(str(queues[SCORES]["leader"]))
    if fault == "leader-killed":
        target = leader
    elif fault == "relay-node-killed":
        target = attached["evaluation"]
    else:
        # A follower: no leader of the tally's queue, and holding no service's connection
        # when some node holds none (then losing it shows the replication alone).
        followers = [n for n in cluster.nodes if n is not leader]
        busy = set(attached.values())
        target = next((n for n in followers if n not in busy), followers[0])
    return target, {
        "leads": sorted(q for q, found in queues.items() if found["leader"] == target.name),
        "connections_of": sorted(s for s, node in attached.items() if node is target),
    }


def assert_replicated(cluster: RabbitCluster) -> None:
    """The services' queues are quorum queues with a member on each of the three nodes."""
    queues = cluster.queues(VHOST)
    for consumer in CONSUMER_QUEUES.values():
        for name in (consumer.name, consumer.dead_letter_name):
            found = queues[name]
            assert found["type"] == "quorum", found
            assert set(found["members"]) == {n.name for n in cluster.nodes}, found


async def until(what: str, check: Any, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f}s"
        await asyncio.sleep(0.2)


async def tally(client: httpx.AsyncClient, settings: Settings, round_id: uuid.UUID) -> Any:
    response = await client.get(
        f"/api/v1/rounds/{round_id}/tally", headers=bearer(settings, Role.MINISTRY)
    )
    return response.json() if response.status_code == 200 else None


async def lose_a_node(cluster: RabbitCluster, settings: Settings, fault: str) -> Run:
    await asyncio.to_thread(assert_replicated, cluster)
    run = Run(fault, ENTRIES * JUDGES)
    async with (
        httpx.AsyncClient(base_url=settings.base_url("evaluation"), timeout=60) as evaluation,
        httpx.AsyncClient(base_url=settings.base_url("certification"), timeout=60) as certifier,
    ):
        judged = await judged_round(evaluation, settings, ENTRIES)
        await judged.form_jury(JUDGES)
        probe = Probe(settings, f"faults.probe.{fault}")
        await probe.bind()
        target, role = await asyncio.to_thread(pick, cluster, fault)
        run.facts.update(node=target.name, node_role=role)
        started = time.monotonic()
        async with Sampler(settings, run, judged.id, started) as sampler:
            sending = asyncio.create_task(stream(judged, run, started))

            async def flowing() -> bool:
                assert not sending.done() or sending.exception() is None
                return sampler.counted() >= FAULT_AT * run.sheets

            await until("the tally under way", flowing)
            take_away = cluster.stop if fault == "follower-stopped" else cluster.kill
            run.mark("fault", started)
            await asyncio.to_thread(take_away, target)
            run.mark("node_gone", started)
            at_fault = sampler.counted()

            async def moving_again() -> bool:
                return sampler.counted() >= min(at_fault + 2 * CLIENTS, run.sheets)

            await until("the tally moving again without the node", moving_again)
            run.mark("node_restarting", started)  # once the tally moves again without it
            await asyncio.to_thread(cluster.start, target)
            run.mark("node_running_again", started)
            await until(
                "the node back in every queue",
                lambda: asyncio.to_thread(cluster.fully_replicated, VHOST),
            )
            run.mark("node_back_in_every_queue", started)
            await sending

            closing = await evaluation.post(
                f"/api/v1/rounds/{judged.id}/close-judging",
                json={},
                headers=judged.judge(judged.chair),
            )
            assert closing.status_code == 200, closing.text

            async def complete() -> bool:
                found = await tally(certifier, settings, judged.id)
                return bool(found and found["complete"])

            await until("certification's tally complete", complete)
            run.mark("tally_complete", started)

            async def drained() -> bool:
                return bool(
                    await scalar(
                        settings,
                        "evaluation",
                        "SELECT count(*) = 0 FROM evaluation.outbox WHERE published_at IS NULL",
                    )
                    and await queue_depth(settings, SCORES) == 0
                )

            await until("evaluation's outbox and certification's queue drained", drained)
            run.mark("drained", started)
        final = await tally(certifier, settings, judged.id)

    counted = await scalar(
        settings,
        "certification",
        "SELECT count(*) FROM certification.sheets WHERE round_id = :r",
        r=judged.id,
    )
    events = await rows(
        settings,
        "evaluation",
        "SELECT event_id, published_at FROM evaluation.outbox "
        "WHERE event_type = 'ScoreSubmitted' AND payload->'data'->>'round_id' = :r",
        r=str(judged.id),
    )
    applied = {
        str(r.event_id)
        for r in await rows(
            settings,
            "certification",
            "SELECT event_id FROM certification.inbox WHERE event_type = 'ScoreSubmitted'",
        )
    }
    published = {str(e.event_id) for e in events if e.published_at is not None}
    copies = await probe.drain()
    letters = {
        q.dead_letter_name: await queue_depth(settings, q.dead_letter_name)
        for q in CONSUMER_QUEUES.values()
    }
    letters["cnnt.unrouted"] = await queue_depth(settings, "cnnt.unrouted")
    run.facts.update(
        {
            "lost": run.sheets - counted,
            "doubled": final["sheet_revisions_received"] - run.sheets,
            "tally": final,
            "events_in_outbox": len(events),
            "events_published": len(published),
            "events_applied_by_certification": len(published & applied),
            "published_not_on_broker": sorted(published - set(copies)),
            "copies_on_broker": len(copies),
            "sent_again_after_lost_confirm": len(copies) - len(set(copies)),
            "dead_letters": letters,
            "leader_after": (await asyncio.to_thread(cluster.leader_of, VHOST, SCORES)).name,
            "connections_after": {
                name.split(" ", 1)[0]: node.name
                for name, node in (await asyncio.to_thread(cluster.connection_nodes, VHOST)).items()
            },
        }
    )
    return run


def record(run: Run) -> dict[str, Any]:
    """Write the run's figures (and its samples) to out/faults/<fault>.json."""
    figures = run.figures()
    OUT.mkdir(parents=True, exist_ok=True)
    kept = {
        **figures,
        "samples_columns": ["at", "accepted", "counted", "outbox_backlog", "outbox_failing"],
        "samples": [[s.at, s.accepted, s.counted, s.backlog, s.failing] for s in run.samples],
    }
    (OUT / f"{run.fault}.json").write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n")
    return figures


FAULTS = ["leader-killed", "follower-stopped", "relay-node-killed"]


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_node_lost_under_a_stream_of_score_sheets_loses_and_doubles_nothing(
    cluster: RabbitCluster, services: Settings, fault: str, faults_report: list[dict[str, Any]]
) -> None:
    run = await lose_a_node(cluster, services, fault)
    figures = await asyncio.to_thread(record, run)
    faults_report.append(figures)
    tally = figures["tally"]
    # Every sheet accepted, stored once by evaluation and announced by one event.
    assert run.accepted == run.sheets
    assert figures["events_in_outbox"] == run.sheets
    # Every sheet counted exactly once in certification's tally, which judging closed whole.
    assert tally["complete"], tally
    assert tally["sheets_received"] == run.sheets, tally
    assert tally["sheet_revisions_received"] == run.sheets, tally  # no sheet counted twice
    assert figures["lost"] == 0
    assert figures["events_applied_by_certification"] == run.sheets
    # The outbox drained; nothing marked published that the cluster did not take.
    assert figures["events_published"] == run.sheets
    assert figures["published_not_on_broker"] == []
    # Nothing dead-lettered, nothing unrouted.
    assert set(figures["dead_letters"].values()) == {0}, figures["dead_letters"]
