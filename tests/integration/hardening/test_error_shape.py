"""Defects 4 and 9 of the hardening issue: every answer that is not 2xx has the one error
shape, and a database that is away or out of connections gives 503 with Retry-After (retry the
same request), never a plain-text 500."""

from __future__ import annotations

import re
import uuid
from typing import Any

import asyncpg
import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.hardening.conftest import count, refusal
from tests.support import identities
from tests.support.processes import free_port
from tests.support.stack import bearer, running_service

PROVINCE = "lam-dong"


def a_facility() -> dict[str, str]:
    return {
        "name": "Cơ sở mây tre đan Phú Vinh",
        "kind": "household_business",
        "business_code": identities.tax_code(),
        "province_code": PROVINCE,
    }


async def test_malformed_json_unknown_paths_and_methods_answer_in_the_error_shape(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    malformed = await registration.post(
        "/api/v1/facilities",
        content=b'{"name": "HTX',
        headers={**officer, "content-type": "application/json"},
    )
    assert refusal(malformed)[:2] == (400, "malformed_json")
    assert refusal(await registration.get("/api/v1/no-such-thing"))[:2] == (404, "not_found")
    wrong_method = await registration.delete("/api/v1/facilities", headers=officer)
    assert refusal(wrong_method)[:2] == (405, "method_not_allowed")
    unknown = await registration.get(f"/api/v1/facilities/{uuid.uuid4()}", headers=officer)
    assert refusal(unknown)[0] == 404
    anonymous = await registration.get("/api/v1/facilities")
    assert refusal(anonymous)[0] == 401


async def test_a_database_that_cannot_be_reached_gives_503_with_retry_after(
    stack: Settings,
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    async with running_service("registration", stack, db_port=free_port()) as away:
        listed = await away.get("/api/v1/facilities", headers=officer)
        assert refusal(listed)[:2] == (503, "database_unavailable")
        assert int(listed.headers["retry-after"]) > 0
        created = await away.post("/api/v1/facilities", json=a_facility(), headers=officer)
        assert refusal(created)[0] == 503
        readiness = await away.get("/readyz")
        assert refusal(readiness)[:2] == (503, "not_ready")
        # Issue 29: the answer is a status word; which check failed is on /metrics only.
        assert "checks" not in readiness.json()
        metrics = (await away.get("/metrics")).text
        assert re.search(r'cnnt_readiness\{[^}]*check="database"[^}]*\} 0\.0', metrics)


async def test_no_free_pooled_connection_within_the_timeout_gives_503_and_stores_nothing(
    stack: Settings,
) -> None:
    """The stack's connection budget is exhausted: the one pooled connection is held."""
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    budget: dict[str, Any] = {"db_connection_budget": 8, "db_pool_timeout": 0.3}  # one per service
    before = await count(stack, "registration", "facilities")
    async with running_service("registration", stack, **budget) as busy:
        engine = busy.app.state.runtime.engine  # type: ignore[attr-defined]
        assert engine.pool.size() == 1
        async with engine.connect():
            created = await busy.post("/api/v1/facilities", json=a_facility(), headers=officer)
            assert refusal(created)[:2] == (503, "database_busy")
            assert "retry-after" in created.headers
        # The connection is back: the same request now succeeds.
        retried = await busy.post("/api/v1/facilities", json=a_facility(), headers=officer)
        assert retried.status_code == 201, retried.text
    assert await count(stack, "registration", "facilities") == before + 1


async def test_a_server_out_of_connection_slots_gives_503_not_500(stack: Settings) -> None:
    """PostgreSQL refusing a new connection (SQLSTATE 53300, as when max_connections is
    reached) is shown with the role's own connection limit."""
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    admin = await asyncpg.connect(stack.admin_dsn())
    role = stack.role("registration")
    try:
        async with running_service("registration", stack) as service:
            await admin.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 0')
            listed = await service.get("/api/v1/facilities", headers=officer)
            assert refusal(listed)[:2] == (503, "database_unavailable")
            assert "retry-after" in listed.headers
    finally:
        await admin.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT -1')
        await admin.close()
