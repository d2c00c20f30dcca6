"""Helpers for registration's integration tests: tokens, rounds of any level, recognitions
published on the broker, and reads of registration's schema as its own role."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from cnnt_contracts import (
    Envelope,
    FacilityRef,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
)
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Role
from cnnt_runtime.clock import vietnam_date
from cnnt_runtime.scope import is_current
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.scenario import ok
from tests.support.stack import bearer, eventually, rows, running_service

TODAY = datetime.now(UTC).date()


def ministry(settings: Settings) -> dict[str, str]:
    return bearer(settings, Role.MINISTRY)


def officer(settings: Settings, province: str) -> dict[str, str]:
    return bearer(settings, Role.PROVINCE_OFFICER, province)


async def a_round(
    client: httpx.AsyncClient,
    settings: Settings,
    level: str,
    scope: str,
    *,
    year: int | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
    open_it: bool = True,
) -> dict[str, Any]:
    """A round, opened unless told otherwise; its year the allocator's unless given (rounds
    are unique per level, scope and year: tests/support/identities.py)."""
    # A round of a province dissolved in 2025 is history: the ministry records it.
    own = level == "provincial" and is_current(scope)
    headers = officer(settings, scope) if own else ministry(settings)
    body = {
        "name": f"Bình chọn {level} {scope}",
        "level": level,
        "scope_code": scope,
        "year": year or identities.round_year(level, scope),
        "opens_on": str(opens_on or TODAY - timedelta(days=1)),
        "closes_on": str(closes_on or TODAY + timedelta(days=30)),
    }
    created = ok(await client.post("/api/v1/rounds", json=body, headers=headers))
    if not open_it:
        return created
    return ok(await client.post(f"/api/v1/rounds/{created['id']}/open", headers=headers), 200)


def recognized(
    product: dict[str, Any],
    facility: dict[str, Any],
    level: Level,
    scope: str,
    *,
    year: int | None = None,
    valid_until: date | None = None,
) -> ProductRecognized:
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=identities.code(scope.upper(), 6),
            level=level,
            scope_code=scope,
            year=year or TODAY.year - 1,
            round_id=uuid.uuid4(),
            entry_id=uuid.uuid4(),
            product=ProductRef(
                id=product["id"], name=product["name"], group=product["group"], is_set=False
            ),
            facility=FacilityRef(
                id=facility["id"],
                name=facility["name"],
                kind=facility["kind"],
                province_code=facility["province_code"],
                current_province_code=facility["current_province_code"],
            ),
            mean_score=82,
            rank=1,
            valid_until=valid_until or date(TODAY.year + 1, 12, 31),
            decision_number="123/QĐ-UBND",
            recognized_at=datetime.now(UTC),
        )
    )


async def fetch(settings: Settings, sql: str, **params: object) -> list[Any]:
    """Rows read as registration's own role (the only role that sees its schema)."""
    return await rows(settings, "registration", sql, **params)


async def recorded(settings: Settings, event: Envelope) -> None:
    """Wait until registration's consumer has applied ``event``."""

    async def applied() -> bool:
        rows = await fetch(
            settings, "SELECT 1 FROM registration.inbox WHERE event_id = :id", id=event.event_id
        )
        return bool(rows)

    await eventually(applied)


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    return body


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Registration in this process; on the way out, wait until its relay has published every
    event the test caused, so none is left for a later test's probe to pick up."""
    async with running_service("registration", settings) as client:
        yield client

        async def drained() -> bool:
            pending = await fetch(
                settings, "SELECT count(*) FROM registration.outbox WHERE published_at IS NULL"
            )
            return bool(pending[0][0] == 0)

        await eventually(drained)


def on_vietnam_date(stamp: str) -> date:
    """The day in Vietnam of an API timestamp (ISO 8601, UTC): what an officer calls its date."""
    return vietnam_date(datetime.fromisoformat(stamp))
