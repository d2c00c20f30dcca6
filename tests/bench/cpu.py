"""CPU time spent by each part of the run, read from /proc: the services (found by their
``serve <name> --port <port>`` command line), PostgreSQL (this run's database's backends; the
server's own processes apart), RabbitMQ (the whole broker: shared with any other vhost's work)
and the load generator itself.

CPU seconds per sheet are steadier than rates on a shared machine: they say where the work goes
whatever else runs beside the benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path

from cnnt_runtime.settings import Settings

TICKS = os.sysconf("SC_CLK_TCK")


def _part(cmdline: str, services: dict[str, str], database: str) -> str | None:
    for name, marker in services.items():
        if marker in cmdline:
            return name
    if cmdline.startswith("postgres") or "/postgres" in cmdline.split(" ", 1)[0]:
        # A backend's title is "postgres: <cluster>: <role> <database> <client> <state>": on a
        # shared server only this run's database is ours; other databases' backends are other
        # work. Server processes (WAL writer, checkpointer, …) serve everyone: shown apart.
        title = cmdline.split(": ")[-1].split()
        if f" {database} " in f" {cmdline} ":
            return "postgresql"
        return "postgresql server (shared)" if len(title) <= 2 else None
    if "beam.smp" in cmdline and "rabbit" in cmdline:
        return "rabbitmq (shared)"
    return None


def snapshot(settings: Settings, services: tuple[str, ...]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each part, this process as ``load generator``."""
    markers = {name: f"serve {name} --port {settings.port(name)}" for name in services}
    seconds: dict[str, float] = {}
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        part = (
            "load generator" if int(entry.name) == me else _part(cmdline, markers, settings.db_name)
        )
        if part is None:
            continue
        # User + system time of the process itself. Not the postmaster's reaped children: on a
        # shared server they are everyone's ended backends (ours that ended are missed).
        ticks = int(fields[11]) + int(fields[12])
        seconds[part] = seconds.get(part, 0.0) + ticks / TICKS
    return seconds


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between two snapshots."""
    return {part: max(0.0, after[part] - before.get(part, 0.0)) for part in after}
