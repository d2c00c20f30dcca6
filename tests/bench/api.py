"""HTTP access to the running services as the programme's actors would use it, and the few
measurement probes that read a service's tables as that service's own role (instrumentation
only: the system never reads another service's tables)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx

from cnnt_runtime.auth import Role, issue_token
from cnnt_runtime.ops.dead_letters import depths
from cnnt_runtime.settings import Settings


def headers(settings: Settings, role: Role, scope: str = "VN", subject: str = "") -> dict[str, str]:
    token = issue_token(settings, subject=subject or f"bench:{role.value}", role=role, scope=scope)
    return {"Authorization": f"Bearer {token}"}


def client(settings: Settings, service: str, connections: int = 20) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(
        base_url=settings.base_url(service), limits=limits, timeout=httpx.Timeout(300)
    )


def body(response: httpx.Response, *expected: int) -> Any:
    if response.status_code not in (expected or (200, 201)):
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json()


class Probe:
    """One service's tables, read as that service's role, for the benchmark's clock."""

    def __init__(
        self,
        settings: Settings,
        service: str,
        letters: Callable[[], Awaitable[int]] | None = None,
    ) -> None:
        self._dsn = settings.service_dsn(service).replace("postgresql+asyncpg", "postgresql")
        self._conn: asyncpg.Connection | None = None
        self._letters = letters

    async def __aenter__(self) -> Probe:
        self._conn = await asyncpg.connect(self._dsn)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._conn is not None:
            await self._conn.close()

    async def value(self, sql: str, *args: object) -> Any:
        assert self._conn is not None
        return await self._conn.fetchval(sql, *args)

    async def dead_letters(self) -> int:
        """Messages this service dead-lettered (its inbox never saw them): a stalled run."""
        return 0 if self._letters is None else await self._letters()

    async def until(
        self,
        sql: str,
        target: int,
        *args: object,
        timeout: float = 600,
        on_value: Callable[[int], None] = lambda _: None,
    ) -> float:
        """Poll ``sql`` (a count) until it reaches ``target``; returns the monotonic time seen."""
        deadline = time.monotonic() + timeout
        for polls in itertools.count(1):
            value = int(await self.value(sql, *args) or 0)
            on_value(value)
            if value >= target:
                return time.monotonic()
            stalled = polls % 50 == 0 and await self.dead_letters() > 0  # every 5 s or so
            if time.monotonic() > deadline or stalled:
                raise TimeoutError(
                    f"{sql!r} reached {value} of {target} (timeout {timeout}s; dead letters: "
                    f"{await self.dead_letters()})"
                )
            await asyncio.sleep(0.1)
        raise AssertionError("unreachable")


async def bounded(limit: int, jobs: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    gate = asyncio.Semaphore(limit)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(run(j) for j in jobs)))


def dead_letter_count(settings: Settings) -> Callable[[], Awaitable[int]]:
    """Messages in every ``*.dlq`` of the run's vhost (what ``cnnt dlq list`` reads)."""

    async def count() -> int:
        return sum(letters for _, letters, _ in await depths(settings.amqp_url))

    return count
