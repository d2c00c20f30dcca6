"""CPU time spent by each part of the run, read from /proc: the services (found by their
``serve <name> --port <port>`` command line), PostgreSQL, RabbitMQ and the load generator itself.

CPU seconds per sheet are steadier than rates on a shared machine: they say where the work goes
whatever else runs beside the benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path

from cnnt_shared.settings import Settings

TICKS = os.sysconf("SC_CLK_TCK")


def _part(cmdline: str, services: dict[str, str]) -> str | None:
    for name, marker in services.items():
        if marker in cmdline:
            return name
    if cmdline.startswith("postgres") or "/postgres" in cmdline.split(" ", 1)[0]:
        return "postgresql"
    if "beam.smp" in cmdline and "rabbit" in cmdline:
        return "rabbitmq"
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
        part = "load generator" if int(entry.name) == me else _part(cmdline, markers)
        if part is None:
            continue
        ticks = int(fields[11]) + int(fields[12])
        if part == "postgresql" and "/bin/postgres" in cmdline:
            ticks += int(fields[13]) + int(fields[14])  # backends that have ended, reaped by it
        seconds[part] = seconds.get(part, 0.0) + ticks / TICKS
    return seconds


def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """CPU seconds each part used between two snapshots."""
    return {part: max(0.0, after[part] - before.get(part, 0.0)) for part in after}
