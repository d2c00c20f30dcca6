"""Score sheets submitted through evaluation's HTTP API by concurrent clients.

Two phases, both with ``clients`` concurrent judges' clients:

* **saturation** (the scoring pipeline): every sheet of the cycle, each client sending its next
  request as soon as the previous one is answered, timed until certification's tally has counted
  every one of them. Two modes: **per sheet** (``POST /score-sheets``, one sheet a request) and
  **batch** (``POST /score-sheets/batch``, a judge's worklist in requests of ``batch`` sheets).
  Its latencies are those of a queue kept full: by Little's law their mean is clients ÷
  throughput, whatever the code does.
* **paced** (submission latency): revisions of sheets already submitted, arriving at a fixed
  offered rate (Poisson arrivals spread over the clients), each timed from the moment it was due,
  not from when it was sent, so a slow answer that delays the next request is counted against
  the system (no coordinated omission).

The load generator is aiohttp, not httpx: with 100 connections httpx spent about as much CPU
per request as the service answering it, on the same two cores.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from rich.progress import Progress, TaskID

from cnnt_runtime.settings import Settings
from tests.bench import cpu
from tests.bench.api import Probe, dead_letter_count
from tests.bench.national import Round
from tests.support.stack import queue_depth

PATH = "/api/v1/score-sheets"
BATCH_PATH = "/api/v1/score-sheets/batch"

Job = tuple[dict[str, str], list[dict[str, Any]]]  # a judge's headers, the request's sheets


@dataclass(frozen=True)
class Latency:
    requests: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        ms = sorted(x * 1000 for x in seconds)
        return cls(len(ms), statistics.median(ms), percentile(ms, 0.99), ms[-1])


@dataclass(frozen=True)
class Scoring:
    mode: str  # "per sheet" or "batch of N"
    sheets: int
    requests: int
    clients: int
    seconds: float  # first submission → last sheet counted in certification's tally
    submit_seconds: float  # first submission → last HTTP answer
    rate: float  # sheets counted per second
    saturated: Latency  # every client sending back to back
    retried: int  # requests sent again after a dropped connection or a 503 (same Idempotency-Key)
    cpu_ms_per_sheet: dict[str, float]  # by part: each service, PostgreSQL, RabbitMQ, the client
    behind_at_last_answer: dict[str, int]  # where the sheets not yet counted were at that moment

    @property
    def submit_rate(self) -> float:
        return self.sheets / self.submit_seconds

    @property
    def cpu_ms(self) -> float:
        """The system's CPU per sheet: the services and this run's PostgreSQL backends (not the
        load generator, nor the broker and database server processes shared with other work)."""
        return sum(
            ms
            for part, ms in self.cpu_ms_per_sheet.items()
            if part != "load generator" and "(shared)" not in part
        )


@dataclass(frozen=True)
class Paced:
    sheets_per_request: int
    sheets: int
    clients: int
    offered_rate: float  # requests per second, all clients together
    achieved_rate: float
    seconds: float
    latency: Latency


def scores(index: int, bump: int = 0) -> dict[str, Any]:
    """Every member scores an entry alike (no spread flag); entries range over 62–91 points."""
    return {
        "market": 24 + index % 15,
        "technical": 24 + index % 12 + bump,
        "culture": 8,
        "other": 6,
    }


# A busy service answers 503 with Retry-After; a client waits and sends the same request again.
RETRIES = 10


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def session(settings: Settings, clients: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        base_url=settings.base_url("evaluation"),
        connector=aiohttp.TCPConnector(limit=clients + 10),
        timeout=aiohttp.ClientTimeout(total=300),
    )


async def post_sheets(
    http: aiohttp.ClientSession, judge: dict[str, str], sheets: list[dict[str, Any]], batch: bool
) -> int:
    """Send one request (one sheet, or a batch); a dropped connection, or a 503 (the service's
    database pool busy, answered with ``Retry-After``), is sent again with the same key after
    the wait it asks for, as a client would. Returns how many times it was sent again."""
    key = {**judge, "Idempotency-Key": str(uuid.uuid4())}
    path, body = (BATCH_PATH, {"sheets": sheets}) if batch else (PATH, sheets[0])
    for attempt in range(RETRIES):
        try:
            async with http.post(path, json=body, headers=key) as response:
                text = await response.text()
                if response.status == 503 and attempt < RETRIES - 1:
                    await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                if response.status not in (200, 201):
                    raise RuntimeError(f"POST {path}: {response.status} {text[:500]}")
                if batch and '"refused":0,' not in text:
                    raise RuntimeError(f"POST {path}: sheets refused: {text[:500]}")
                return attempt
        except aiohttp.ClientConnectionError:
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def jobs_of(rounds: list[Round], bump: int = 0, batch: int = 0) -> list[Job]:
    """Every member's sheet of every entry, one per request, or (``batch``) each member's
    worklist in requests of ``batch`` sheets."""
    if not batch:
        jobs = [
            (judge, [{"entry_id": entry, "scores": scores(i, bump)}])
            for r in rounds
            for i, entry in enumerate(r.entries)
            for judge in r.judges
        ]
    else:
        jobs = [
            (judge, [{"entry_id": e, "scores": scores(i + at, bump)} for i, e in enumerate(part)])
            for r in rounds
            for judge in r.judges
            for at in range(0, len(r.entries), batch)
            if (part := r.entries[at : at + batch])
        ]
    random.Random(9 + bump).shuffle(jobs)  # judges of every province at work at once
    return jobs


async def submit_all(
    settings: Settings,
    rounds: list[Round],
    clients: int,
    progress: Progress,
    services: tuple[str, ...],
    *,
    batch: int = 0,
    bump: int = 0,
) -> Scoring:
    """Every sheet (revision ``bump + 1`` of each) back to back, per sheet or in batches."""
    jobs = jobs_of(rounds, bump, batch)
    total = sum(len(sheets) for _, sheets in jobs)
    mode = f"batch of {batch}" if batch else "per sheet"
    latencies: list[float] = []
    submitted = progress.add_task(f"score sheets submitted ({mode}, back to back)", total=total)
    counted = progress.add_task(f"score sheets counted by certification ({mode})", total=total)
    queue: Iterator[Job] = iter(jobs)
    retried = 0

    async def judge_client(http: aiohttp.ClientSession) -> None:
        nonlocal retried
        for judge, sheets in queue:  # one shared iterator: each job is taken once
            began = time.perf_counter()
            retried += await post_sheets(http, judge, sheets, batch > 0)
            latencies.append(time.perf_counter() - began)
            progress.advance(submitted, len(sheets))

    async with (
        session(settings, clients) as http,
        Probe(settings, "certification", dead_letter_count(settings)) as probe,
        Probe(settings, "evaluation") as outbox,
    ):
        cpu_before = cpu.snapshot(settings, services)
        started = time.monotonic()
        workers = asyncio.gather(*(judge_client(http) for _ in range(clients)))
        tally = asyncio.create_task(
            probe.until(
                "SELECT count(*) FROM certification.sheets WHERE revision > $1",
                total,
                bump,
                on_value=lambda v: progress.update(counted, completed=v),
            )
        )
        try:
            await workers
        except BaseException:
            tally.cancel()
            raise
        submit_done = time.monotonic()
        behind = await where_behind(settings, outbox, total - counted_now(progress, counted))
        finished = await tally
        used = cpu.spent(cpu_before, cpu.snapshot(settings, services))
    seconds = finished - started
    return Scoring(
        mode=mode,
        sheets=total,
        requests=len(jobs),
        clients=clients,
        seconds=seconds,
        submit_seconds=submit_done - started,
        rate=total / seconds,
        saturated=Latency.of(latencies),
        retried=retried,
        cpu_ms_per_sheet={part: 1000 * s / total for part, s in sorted(used.items())},
        behind_at_last_answer=behind,
    )


def counted_now(progress: Progress, task: TaskID) -> int:
    return int(next(t.completed for t in progress.tasks if t.id == task))


async def where_behind(settings: Settings, outbox: Probe, uncounted: int) -> dict[str, int]:
    """Sheets answered but not yet counted: still in evaluation's outbox, or queued for (or in
    the hands of) certification's consumer."""
    unpublished = int(
        await outbox.value("SELECT count(*) FROM evaluation.outbox WHERE published_at IS NULL")
    )
    return {
        "uncounted": uncounted,
        "in_evaluations_outbox": unpublished,
        "queued_for_certification": await queue_depth(settings, "certification.scores"),
    }


async def paced(
    settings: Settings,
    rounds: list[Round],
    clients: int,
    rate: float,
    requests: int,
    progress: Progress,
    *,
    bump: int,
    batch: int = 0,
) -> Paced:
    """``requests`` requests of revisions at ``rate`` per second in all (exponential gaps:
    Poisson arrivals), handed to whichever of the ``clients`` is free; latency from each one's
    due time. One sheet a request, or ``batch`` sheets."""
    chosen = jobs_of(rounds, bump, batch)[:requests]
    jobs = iter(chosen)
    what = f"batches of {batch}" if batch else "revisions"
    task = progress.add_task(f"{what} at {rate:g}/s (latency, {clients} clients)", total=requests)
    gaps = random.Random(5)
    due: asyncio.Queue[tuple[float, Job] | None] = asyncio.Queue()
    latencies: list[float] = []

    async def judge_client(http: aiohttp.ClientSession) -> None:
        while (item := await due.get()) is not None:
            at, (judge, sheets) = item
            await post_sheets(http, judge, sheets, batch > 0)
            latencies.append(time.perf_counter() - at)
            progress.advance(task)

    async with session(settings, clients) as http:
        workers = [asyncio.create_task(judge_client(http)) for _ in range(clients)]
        started = next_at = time.perf_counter()
        for job in jobs:
            next_at += gaps.expovariate(rate)
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            due.put_nowait((next_at, job))
        for _ in workers:
            due.put_nowait(None)
        await asyncio.gather(*workers)
        seconds = time.perf_counter() - started
    return Paced(
        batch or 1,
        sum(len(sheets) for _, sheets in chosen),
        clients,
        rate,
        len(latencies) / seconds,
        seconds,
        Latency.of(latencies),
    )
