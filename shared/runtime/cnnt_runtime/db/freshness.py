"""How fresh a report is: the time of the last event it includes.

A service's report rests on its own records, each change announced by an event in its outbox
(kept as its event log), and on facts other services announced, taken in from their events.
The report says when the latest of each happened, so a reader can tell a figure that is still
catching up (a recognition decided at 10:05 and a report as of 10:04) from a settled one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

AS_OF_HEADER = "CNNT-As-Of"
RECEIVED_AS_OF_HEADER = "CNNT-Received-As-Of"


@dataclass(frozen=True)
class Freshness:
    """``as_of``: the last event the report includes, its own or received (None: no event
    yet); ``received_as_of``: the last one taken in from another service."""

    as_of: datetime | None
    received_as_of: datetime | None

    def body(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "received_as_of": self.received_as_of}

    def headers(self) -> dict[str, str]:
        """RFC 3339 in our own headers (exact, for clients that wait on them) and the standard
        ``Last-Modified`` (whole seconds) for everyone else; absent while there is no event."""
        found: dict[str, str] = {}
        if self.as_of is not None:
            found[AS_OF_HEADER] = self.as_of.isoformat()
            found["Last-Modified"] = format_datetime(self.as_of, usegmt=True)
        if self.received_as_of is not None:
            found[RECEIVED_AS_OF_HEADER] = self.received_as_of.isoformat()
        return found


async def freshness(session: AsyncSession, outbox: Table, received: Sequence[Any]) -> Freshness:
    """``received`` are the time columns of facts taken in from other services' events (e.g.
    ``RecognitionRow.recognized_at``); the service's own last event is its outbox's newest."""
    own = await session.scalar(select(outbox.c.occurred_at).order_by(outbox.c.seq.desc()).limit(1))
    times = [await session.scalar(select(func.max(column))) for column in received]
    taken_in = max((t for t in times if t is not None), default=None)
    latest = max((t for t in (own, taken_in) if t is not None), default=None)
    return Freshness(latest, taken_in)
