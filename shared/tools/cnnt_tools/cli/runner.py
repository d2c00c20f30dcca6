"""Run several services, each in its own process (``cnnt run``, ``make run`` and the demo): each
process runs ``cnnt-service serve <name>``, the command a container runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from rich.console import Console

from cnnt_runtime.settings import Settings

console = Console(stderr=True)


def spawn(
    services: Sequence[str], env: dict[str, str] | None = None, log_dir: Path | None = None
) -> list[subprocess.Popen[bytes]]:
    """Start ``cnnt-service serve <service>`` for each service as a separate process, its output on
    this terminal or, with ``log_dir``, in ``<log_dir>/<service>.log``."""
    processes = []
    for name in services:
        output = None
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            output = (log_dir / f"{name}.log").open("ab")
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "cnnt_runtime.launcher", "serve", name],
                env={**os.environ, **(env or {})},
                stdout=output,
                stderr=output,
            )
        )
    return processes


def wait_ready(
    services: Sequence[str],
    settings: Settings,
    processes: Sequence[subprocess.Popen[bytes]] = (),
    timeout: float = 120.0,
) -> None:
    deadline = time.monotonic() + timeout
    pending = list(services)
    with console.status("waiting for services to be ready") as status:
        while pending:
            for proc in processes:
                if proc.poll() is not None:
                    raise SystemExit(f"a service exited with code {proc.returncode} at start-up")
            name = pending[0]
            status.update(f"waiting for {name} ({settings.base_url(name)}/readyz)")
            try:
                if httpx.get(f"{settings.base_url(name)}/readyz", timeout=2).status_code == 200:
                    console.print(f"[green]✓[/] {name} ready at {settings.base_url(name)}")
                    pending.pop(0)
                    continue
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} was not ready within {timeout:.0f}s")
            time.sleep(0.3)


def stop(processes: Sequence[subprocess.Popen[bytes]], timeout: float = 15.0) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
