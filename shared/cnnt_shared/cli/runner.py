"""Run services: one in this process (``serve``, what a container runs), or each of several
in its own process (``run``, what ``make run`` and the demo use) — the same command either way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console

from cnnt_shared.cli.services import installed_web_apps, load_spec, load_web_app
from cnnt_shared.http.app import create_app
from cnnt_shared.settings import Settings

console = Console(stderr=True)


def serve(service: str, settings: Settings, port: int | None = None) -> None:
    if service in installed_web_apps():
        app = load_web_app(service)(settings)
    else:
        app = create_app(load_spec(service), settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=port or settings.port(service),
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        loop=settings.event_loop,
    )
    server = uvicorn.Server(config)
    server.run()  # on the configured loop (asyncio.run would always take asyncio's own)
    if not server.started:
        raise SystemExit(3)


def spawn(
    services: Sequence[str], env: dict[str, str] | None = None, log_dir: Path | None = None
) -> list[subprocess.Popen[bytes]]:
    """Start ``cnnt serve <service>`` for each service as a separate process, its output on
    this terminal or, with ``log_dir``, in ``<log_dir>/<service>.log``."""
    processes = []
    for name in services:
        output = None
        if log_dir is not None:
            log_dir.mkdir(parents=True, exist_ok=True)
            output = (log_dir / f"{name}.log").open("ab")
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "cnnt_shared.cli.main", "serve", name],
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
