"""Services as separate processes (``cnnt-service serve <name>``), the way compose and ``make run``
start them, on free ports of this machine and in this test run's private stack."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

import httpx

from cnnt_runtime.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def serving(
    *names: str, extra_env: dict[str, str] | None = None, logs: Path | None = None
) -> AsyncIterator[Settings]:
    """Start the services; yield settings whose ports reach them (also exported to the
    environment, so a ``cnnt`` command run meanwhile finds them). A name given twice starts a
    second instance of that service (competing consumers) on a port of its own."""
    instances = [(name, free_port()) for name in names]
    ports: dict[str, str] = {}
    for name, port in instances:
        ports.setdefault(f"CNNT_{name.upper()}_PORT", str(port))
    saved = {k: os.environ.get(k) for k in ports}
    os.environ.update(ports)
    settings = Settings()
    processes = [
        subprocess.Popen(  # noqa: ASYNC220 - started once, then polled without blocking
            [sys.executable, "-m", "cnnt_runtime.launcher", "serve", name, "--port", str(port)],
            env={**os.environ, **(extra_env or {})},
            stdout=_output(logs, f"{name}-{port}.log"),
            stderr=subprocess.STDOUT,
        )
        for name, port in instances
    ]
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            for _, port in instances:
                await _ready(client, f"http://{settings.host}:{port}/readyz", processes)
        yield settings
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _output(logs: Path | None, name: str) -> IO[Any] | int:
    """Where a service writes its log: nowhere, or ``logs/<name>`` (the child process owns it)."""
    if logs is None:
        return subprocess.DEVNULL
    logs.mkdir(parents=True, exist_ok=True)
    return (logs / name).open("wb")


async def _ready(
    client: httpx.AsyncClient, url: str, processes: list[subprocess.Popen[bytes]]
) -> None:
    # 180 s: on a shared two-core machine (load average ~15) importing a service took ~90 s.
    for _ in range(900):
        if any(p.poll() is not None for p in processes):
            raise RuntimeError(f"a service exited before it was ready ({url})")
        try:
            if (await client.get(url)).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{url} not ready after 180s")
