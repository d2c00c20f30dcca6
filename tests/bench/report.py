"""The benchmark's table and its JSON record, with the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tests.bench.decisions import Decisions, Replay
from tests.bench.floor import Floor
from tests.bench.scoring import Paced, Scoring


@dataclass
class Result:
    sizes: dict[str, float]
    floor: Floor
    scoring: Scoring  # batch mode: the cycle's own scoring
    per_sheet: Scoring  # the same sheets' next revisions, one a request
    paced: Paced
    paced_batch: Paced
    decisions: Decisions
    replay: Replay
    cycle_seconds: float
    connections: dict[str, int]  # each service process's peak connections to PostgreSQL
    machine: dict[str, Any] = field(default_factory=dict)
    date: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def targets(self) -> dict[str, dict[str, Any]]:
        pipeline = self.scoring.rate / self.floor.pipeline_rate
        per_sheet = self.per_sheet.rate / self.floor.pipeline_rate
        replay = self.replay.rate / self.replay.raw_publish_rate
        cores = os.cpu_count() or 0
        return {
            "scoring_pipeline_vs_floor": {
                "value": pipeline,
                "target": ">= 0.5 (batch mode)",
                "met": pipeline >= 0.5,
            },
            "per_sheet_pipeline_vs_floor": {
                "value": per_sheet,
                "target": "> 0.17 (before batching)",
                "met": per_sheet > 0.17,
            },
            "cpu_ms_per_sheet_batch_mode": {
                "value": self.scoring.cpu_ms,
                "target": "<= 3",
                "met": self.scoring.cpu_ms <= 3,
            },
            "replay_vs_raw_publish": {"value": replay, "target": ">= 0.8", "met": replay >= 0.8},
            "national_cycle_seconds": {
                "value": self.cycle_seconds,
                "target": f"< 60 on 2 cores, batch mode (this machine: {cores})",
                "met": self.cycle_seconds < 60,
            },
            "score_submission_p99_ms": {
                "value": self.paced.latency.p99_ms,
                "target": f"< 100 at 100 clients (this run: {self.paced.clients})",
                "met": self.paced.latency.p99_ms < 100,
            },
        }

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "targets": self.targets()}


def machine(postgres: str, rabbitmq: str, load_at_start: float) -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": int(nproc or 0),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "postgresql": postgres,
        "rabbitmq": rabbitmq,
        "python": platform.python_version(),
        # The machine may be shared: other work competes with the run (compare ratios).
        "load_average_1min_at_start": round(load_at_start, 2),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
    }


def _pipeline_rows(table: Table, result: Result, s: Scoring, verdict: str) -> None:
    f = result.floor
    table.add_row(
        f"scoring pipeline, {s.mode}, sheets/s ({s.sheets} sheets in {s.requests} requests, "
        f"{s.retried} sent again after a 503 or a dropped connection; HTTP → tally)",
        f"{s.rate:,.0f}",
        f"{f.pipeline_rate:,.0f}",
        f"{s.rate / f.pipeline_rate:.2f}",
        verdict,
    )
    q = s.saturated
    table.add_row(
        f"… {s.mode}: request latency at saturation ({s.clients} clients back to back) "
        "p50 / p99 / max, ms",
        f"{q.p50_ms:.0f} / {q.p99_ms:.0f} / {q.max_ms:.0f}",
        "",
        "",
        f"Little's law: mean ≈ {s.clients} ÷ {s.requests / s.submit_seconds:.0f} requests/s",
    )
    b = s.behind_at_last_answer
    table.add_row(
        f"… {s.mode}: all answered over HTTP, s ({s.submit_rate:,.0f} sheets/s); not yet "
        "counted then: in evaluation's outbox / queued for certification / all",
        f"{s.submit_seconds:.1f}; {b['in_evaluations_outbox']:,} / "
        f"{b['queued_for_certification']:,} / {b['uncounted']:,}",
        "",
        "",
        "",
    )


def show(result: Result, console: Console) -> None:
    f, s, d, r = result.floor, result.scoring, result.decisions, result.replay
    p, pb = result.paced, result.paced_batch
    table = Table(title=f"CNNT benchmark — {result.date}")
    table.add_column("measure")
    table.add_column("system", justify="right")
    table.add_column("raw floor", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("target")
    t = result.targets()

    def verdict(key: str) -> str:
        return f"{t[key]['target']} {'✔' if t[key]['met'] else '✘'}"

    _pipeline_rows(table, result, s, verdict("scoring_pipeline_vs_floor"))
    _pipeline_rows(table, result, result.per_sheet, verdict("per_sheet_pipeline_vs_floor"))
    table.add_row(
        f"history replay, events/s ({r.events} events → 1 queue; raw: confirmed publishes of "
        f"as many just before / after: {r.raw_before:,.0f} / {r.raw_after:,.0f}/s, their mean; "
        f"at the run's start {f.publish_rate:,.0f}/s)",
        f"{r.rate:,.0f}",
        f"{r.raw_publish_rate:,.0f}",
        f"{r.rate / r.raw_publish_rate:.2f}",
        verdict("replay_vs_raw_publish"),
    )
    table.add_row(
        f"score submission latency p50 / p99 / max, ms ({p.clients} clients, "
        f"{p.latency.requests} revisions offered at {p.offered_rate:g}/s, answered at "
        f"{p.achieved_rate:.1f}/s)",
        f"{p.latency.p50_ms:.0f} / {p.latency.p99_ms:.0f} / {p.latency.max_ms:.0f}",
        "",
        "",
        verdict("score_submission_p99_ms"),
    )
    table.add_row(
        f"batch latency p50 / p99 / max, ms ({pb.clients} clients, {pb.latency.requests} "
        f"batches of {pb.sheets_per_request} offered at {pb.offered_rate:g}/s, answered at "
        f"{pb.achieved_rate:.1f}/s)",
        f"{pb.latency.p50_ms:.0f} / {pb.latency.p99_ms:.0f} / {pb.latency.max_ms:.0f}",
        "",
        "",
        "reported",
    )
    table.add_row(
        f"decision → last ProductRecognized published, s ({d.rounds} rounds, {d.recognised})",
        f"{d.seconds:.2f}",
        "",
        "",
        "",
    )
    table.add_row(
        "national cycle, s (first round opened → last recognition published; "
        "latency phase excluded)",
        f"{result.cycle_seconds:.1f}",
        "",
        "",
        verdict("national_cycle_seconds"),
    )
    console.print(table)
    for run in (s, result.per_sheet):
        console.print(
            f"CPU per score sheet during the pipeline run ({run.mode}), ms: "
            + ", ".join(f"{part} {ms:.1f}" for part, ms in run.cpu_ms_per_sheet.items())
            + f" (services and this run's PostgreSQL backends: {run.cpu_ms:.1f})"
        )
    console.print(f"CPU per sheet in batch mode: {verdict('cpu_ms_per_sheet_batch_mode')}")
    console.print(
        "PostgreSQL connections at peak, per process: "
        + ", ".join(f"{name} {n}" for name, n in result.connections.items())
    )
    m = result.machine
    console.print(
        f"machine: {m['nproc']} cores, {m['memory_gib']} GiB, {m['cpu']}; PostgreSQL "
        f"{m['postgresql']}, RabbitMQ {m['rabbitmq']}, Python {m['python']}; load average "
        f"{m['load_average_1min_at_start']} at start, {m['load_average_1min_at_end']} at end"
    )


def write(result: Result, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False, default=str))
