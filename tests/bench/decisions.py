"""The end of the cycle: judging closed and every round decided through the APIs, timed until
certification's outbox has published the last ProductRecognized; then history replay of
evaluation's event log into one queue through ``POST /ops/replay``."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import partial

import aio_pika
import httpx
from rich.progress import Progress

from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.ops.dead_letters import depths
from cnnt_runtime.settings import Settings
from tests.bench.api import Probe, body, bounded, dead_letter_count, headers
from tests.bench.floor import measure_publish
from tests.bench.national import Round

PUBLISHED = (
    "SELECT count(*) FROM certification.outbox "
    "WHERE event_type = 'ProductRecognized' AND published_at IS NOT NULL"
)
REPLAY_QUEUE = "bench.replay"


@dataclass(frozen=True)
class Decisions:
    rounds: int
    recognised: int
    seconds: float  # first decision request → last ProductRecognized published
    finished_at: float  # monotonic clock


@dataclass(frozen=True)
class Replay:
    events: int
    seconds: float
    rate: float
    raw_before: float  # bare confirmed publishes of as many messages, just before
    raw_after: float  # … and just after

    @property
    def raw_publish_rate(self) -> float:
        return (self.raw_before + self.raw_after) / 2


async def revisions_counted(settings: Settings, revisions: int, progress: Progress) -> None:
    """Wait until certification has applied ``revisions`` score events in all (its inbox claims
    commit with the tally's effect), i.e. the latency phases' revisions too."""
    task = progress.add_task("revisions counted by certification", total=revisions)
    async with Probe(settings, "certification", dead_letter_count(settings)) as probe:
        await probe.until(
            "SELECT count(*) FROM certification.inbox WHERE consumer = 'certification.scores'",
            revisions,
            on_value=lambda v: progress.update(task, completed=v),
        )


async def close_judging(
    settings: Settings, evaluation: httpx.AsyncClient, rounds: list[Round], progress: Progress
) -> None:
    task = progress.add_task("judging closed (known to certification)", total=len(rounds))
    ministry = headers(settings, Role.MINISTRY)

    async def close(r: Round) -> None:
        url = f"/api/v1/rounds/{r.id}/close-judging"
        body(await evaluation.post(url, json={}, headers=ministry))

    await bounded(8, [partial(close, r) for r in rounds])
    async with Probe(settings, "certification", dead_letter_count(settings)) as probe:
        await probe.until(
            "SELECT count(*) FROM certification.judging",
            len(rounds),
            on_value=lambda v: progress.update(task, completed=v),
        )


async def decide_all(
    settings: Settings, certification: httpx.AsyncClient, rounds: list[Round], progress: Progress
) -> Decisions:
    task = progress.add_task("rounds decided", total=len(rounds))
    today = str(Clock().today())  # Vietnam's: judging closed today there

    async def decide(n: int, r: Round) -> int:
        certifier = headers(settings, Role.CERTIFIER, r.province)
        issued = body(
            await certification.post(
                f"/api/v1/rounds/{r.id}/decision",
                json={"number": f"{n + 1}/QĐ-UBND", "decided_on": today},
                headers=certifier,
            ),
            201,
        )
        progress.advance(task)
        return len(issued["certificates"])

    async with Probe(settings, "certification", dead_letter_count(settings)) as probe:
        started_db = await probe.value("SELECT clock_timestamp()")
        started = time.monotonic()
        issued = await bounded(
            8,
            [partial(decide, n, r) for n, r in enumerate(rounds)],
        )
        recognised = sum(issued)
        published = progress.add_task("ProductRecognized published", total=recognised)
        finished = await probe.until(
            PUBLISHED, recognised, on_value=lambda v: progress.update(published, completed=v)
        )
        last = await probe.value(
            "SELECT max(published_at) FROM certification.outbox "
            "WHERE event_type = 'ProductRecognized'"
        )
    seconds = (last - started_db).total_seconds() if recognised else finished - started
    return Decisions(len(rounds), recognised, seconds, finished)


async def replay_history(
    settings: Settings, evaluation: httpx.AsyncClient, progress: Progress
) -> Replay:
    """Evaluation's whole event log (mostly ScoreSubmitted) replayed into one fresh queue, once
    every consumer has finished what the cycle gave it. Its reference is the raw confirmed
    publish rate of as many messages on the same broker, measured just before and just after
    (the mean): the broker at the end of a run is not the broker at its start."""
    await consumers_idle(settings)
    operator = headers(settings, Role.OPERATOR)
    log_size = body(await evaluation.get("/ops/events", headers=operator))["matching"]
    raw_before = await measure_publish(settings, log_size)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(
            REPLAY_QUEUE, durable=True, arguments={"x-queue-type": "quorum"}
        )
        after, published, remaining = 0, 0, None
        task = progress.add_task("history replayed into one queue", total=None)
        started = time.monotonic()
        while remaining != 0:
            result = body(
                await evaluation.post(
                    "/ops/replay",
                    json={"queue": REPLAY_QUEUE, "after_seq": after, "limit": 5000},
                    headers=operator,
                )
            )
            after, remaining = result["last_seq"], result["remaining"]
            published += result["published"]
            progress.update(task, completed=published, total=published + remaining)
        seconds = time.monotonic() - started
        depth = (await channel.declare_queue(REPLAY_QUEUE, passive=True)).declaration_result
        if depth.message_count != published:
            raise RuntimeError(f"replay: {published} published, {depth.message_count} queued")
        await queue.delete(if_unused=False, if_empty=False)
    raw_after = await measure_publish(settings, log_size)
    return Replay(published, seconds, published / seconds, raw_before, raw_after)


async def consumers_idle(settings: Settings, timeout: float = 120) -> None:
    """Wait until no consumer queue of the services holds a message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(queued for _, _, queued in await depths(settings.amqp_url)):
            return
        await asyncio.sleep(0.2)
    raise TimeoutError("the services' consumer queues did not empty")
