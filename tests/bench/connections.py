"""Each process's connections to PostgreSQL at their peak, sampled from ``pg_stat_activity``
(the services name their pools ``cnnt-<service>`` and their relays ``cnnt-<service>-relay``)."""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType

import asyncpg

from cnnt_runtime.settings import Settings

INTERVAL = 0.1
SQL = (
    "SELECT split_part(application_name, '-', 2), count(*) FROM pg_stat_activity"
    " WHERE datname = $1 AND application_name LIKE 'cnnt-%' GROUP BY 1"
)


class ConnectionPeaks:
    """Samples while open; ``peaks`` holds the highest count seen per service process."""

    def __init__(self, settings: Settings, services: tuple[str, ...]) -> None:
        self._settings = settings
        self.peaks = dict.fromkeys(services, 0)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ConnectionPeaks:
        conn = await asyncpg.connect(self._settings.admin_dsn())
        self._task = asyncio.create_task(self._sample(conn))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _sample(self, conn: asyncpg.Connection) -> None:
        try:
            while True:
                for service, count in await conn.fetch(SQL, self._settings.db_name):
                    if service in self.peaks:
                        self.peaks[service] = max(self.peaks[service], int(count))
                await asyncio.sleep(INTERVAL)
        finally:
            await conn.close()
