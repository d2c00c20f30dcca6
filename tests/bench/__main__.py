"""``python -m tests.bench`` (``make bench``): a private stack, the four services as separate
processes (``cnnt-service serve <name>``), the raw floor and the national cycle measured in one
run."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aio_pika
import asyncpg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cnnt_runtime.settings import Settings
from tests.bench import decisions, national, report, scoring
from tests.bench.api import client
from tests.bench.connections import ConnectionPeaks
from tests.bench.floor import measure_floor
from tests.support.processes import serving
from tests.support.stack import private_stack

SERVICES = ("registration", "evaluation", "certification", "support")
QUICK = {
    "provinces": 3,
    "entries": 10,
    "jury": 3,
    "clients": 20,
    "paced": 90,
    "batch": 10,
    "batch_paced": 6,
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--provinces", type=int, default=34, help="provincial rounds (≤ 34)")
    parser.add_argument("--entries", type=int, default=50, help="entries per round")
    parser.add_argument("--jury", type=int, default=7, help="members per jury")
    parser.add_argument("--clients", type=int, default=100, help="concurrent judges' clients")
    parser.add_argument(
        "--pace",
        type=float,
        default=50.0,
        help="offered rate of the latency phase, revisions per second from all clients together",
    )
    parser.add_argument("--paced", type=int, default=1500, help="revisions in the latency phase")
    parser.add_argument(
        "--batch", type=int, default=50, help="sheets per request in batch mode (a worklist)"
    )
    parser.add_argument(
        "--batch-pace", type=float, default=2.0, help="offered batches per second (latency)"
    )
    parser.add_argument("--batch-paced", type=int, default=30, help="batches in that phase")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK}")
    parser.add_argument("--out", type=Path, default=Path("out/bench/latest.json"))
    args = parser.parse_args()
    if args.quick:
        vars(args).update(QUICK)
    return args


async def versions(settings: Settings) -> tuple[str, str]:
    conn = await asyncpg.connect(settings.admin_dsn())
    try:
        postgres = str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        properties = connection.transport.connection.server_properties  # type: ignore[union-attr]
        rabbitmq = properties.get("version", "?")
    return postgres, str(rabbitmq.decode() if isinstance(rabbitmq, bytes) else rabbitmq)


async def run(args: argparse.Namespace, settings: Settings, progress: Progress) -> report.Result:
    load_at_start = os.getloadavg()[0]
    sheets = args.provinces * args.entries * args.jury
    floor_task = progress.add_task("raw floor: publish → consume → INSERT → ack", total=sheets)
    floor = await measure_floor(settings, sheets, lambda n: progress.advance(floor_task, n))
    starting = progress.add_task("starting the four services (cnnt-service serve)", total=None)
    async with serving(*SERVICES, logs=args.out.parent / "logs") as live:
        progress.update(starting, total=1, completed=1)
        async with (
            ConnectionPeaks(live, SERVICES) as connections,
            client(live, "registration") as registration,
            client(live, "evaluation") as evaluation,
            client(live, "certification") as certification,
        ):
            began = time.monotonic()
            rounds = await national.set_up(
                live,
                registration,
                evaluation,
                progress,
                provinces_=args.provinces,
                entries=args.entries,
                jury=args.jury,
            )
            # The cycle is scored in batch mode (a judge's worklist a request).
            scored = await scoring.submit_all(
                live, rounds, args.clients, progress, SERVICES, batch=args.batch
            )
            # The per-sheet pipeline and the latency phases run inside the cycle (judging must
            # be open) but are no part of it: each sheet's next revisions.
            paused = time.monotonic()
            per_sheet = await scoring.submit_all(
                live, rounds, args.clients, progress, SERVICES, bump=1
            )
            paced = await scoring.paced(
                live,
                rounds,
                args.clients,
                args.pace,
                min(args.paced, scored.sheets),
                progress,
                bump=2,
            )
            paced_batch = await scoring.paced(
                live,
                rounds,
                args.clients,
                args.batch_pace,
                min(args.batch_paced, scored.requests),
                progress,
                bump=3,
                batch=args.batch,
            )
            events = scored.sheets + per_sheet.sheets + paced.sheets + paced_batch.sheets
            await decisions.revisions_counted(live, events, progress)
            paused = time.monotonic() - paused
            await decisions.close_judging(live, evaluation, rounds, progress)
            decided = await decisions.decide_all(live, certification, rounds, progress)
            cycle = decided.finished_at - began - paused
            replayed = await decisions.replay_history(live, evaluation, progress)
    names = ("provinces", "entries", "jury", "clients", "paced", "pace", "batch", "batch_pace")
    sizes = {k: getattr(args, k) for k in (*names, "batch_paced")}
    result = report.Result(
        sizes,
        floor,
        scored,
        per_sheet,
        paced,
        paced_batch,
        decided,
        replayed,
        cycle,
        connections.peaks,
    )
    result.machine = report.machine(*await versions(settings), load_at_start)
    return result


def main() -> None:
    args = arguments()
    # A terminated run still drops its private database and vhost and stops its services.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    console = Console(width=max(Console().width, 150))
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with private_stack(log_format="json") as settings, Progress(*columns, console=console) as p:
        result = asyncio.run(run(args, settings, p))
    report.show(result, console)
    report.write(result, args.out)
    console.print(f"written to {args.out}")


if __name__ == "__main__":
    main()
