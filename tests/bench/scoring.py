"""Score sheets submitted through evaluation's HTTP API by concurrent clients, timed until
certification's tally has counted every one of them."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from rich.progress import Progress

from cnnt_shared.settings import Settings
from tests.bench.api import Probe, body, dead_letter_count
from tests.bench.national import Round


@dataclass(frozen=True)
class Scoring:
    sheets: int
    clients: int
    seconds: float  # first submission → last sheet counted in certification's tally
    submit_seconds: float  # first submission → last HTTP answer
    rate: float  # sheets counted per second
    p50_ms: float
    p99_ms: float
    max_ms: float
    retried: int  # requests sent again after a dropped connection (same Idempotency-Key)


def scores(index: int) -> dict[str, Any]:
    """Every member scores an entry alike (no spread flag); entries range over 62–91 points."""
    return {"market": 24 + index % 15, "technical": 24 + index % 12, "culture": 8, "other": 6}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def submit_all(
    settings: Settings,
    evaluation: httpx.AsyncClient,
    rounds: list[Round],
    clients: int,
    progress: Progress,
) -> Scoring:
    jobs = [
        (judge, {"entry_id": entry, "scores": scores(i)})
        for r in rounds
        for i, entry in enumerate(r.entries)
        for judge in r.judges
    ]
    random.Random(9).shuffle(jobs)  # judges of every province at work at once
    total = len(jobs)
    latencies: list[float] = []
    submitted = progress.add_task("score sheets submitted (HTTP)", total=total)
    counted = progress.add_task("score sheets counted by certification", total=total)
    queue = iter(jobs)

    retried = 0

    async def judge_client() -> None:
        nonlocal retried
        for judge, sheet in queue:  # one shared iterator: each job is taken once
            began = time.perf_counter()
            key = {**judge, "Idempotency-Key": str(uuid.uuid4())}
            for attempt in range(3):  # a dropped connection is retried, as a client would
                try:
                    response = await evaluation.post(
                        "/api/v1/score-sheets", json=sheet, headers=key
                    )
                    break
                except httpx.TransportError:
                    retried += 1
                    if attempt == 2:
                        raise
            latencies.append(time.perf_counter() - began)
            body(response, 200, 201)
            progress.advance(submitted)

    async with Probe(settings, "certification", dead_letter_count(settings)) as probe:
        started = time.monotonic()
        workers = asyncio.gather(*(judge_client() for _ in range(clients)))
        tally = asyncio.create_task(
            probe.until(
                "SELECT count(*) FROM certification.sheets",
                total,
                on_value=lambda v: progress.update(counted, completed=v),
            )
        )
        try:
            await workers
        except BaseException:
            tally.cancel()
            raise
        submit_done = time.monotonic()
        finished = await tally
    seconds = finished - started
    ms = [x * 1000 for x in latencies]
    return Scoring(
        sheets=total,
        clients=clients,
        seconds=seconds,
        submit_seconds=submit_done - started,
        rate=total / seconds,
        p50_ms=statistics.median(ms),
        p99_ms=percentile(ms, 0.99),
        max_ms=max(ms),
        retried=retried,
    )
