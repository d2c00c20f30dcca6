"""Liveness and readiness. Ready means: database answers, broker answers, relay running."""

from __future__ import annotations

import asyncio

import structlog
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from cnnt_runtime.http.errors import RETRY_AFTER_SECONDS, error_body
from cnnt_runtime.service import Runtime, RuntimeDep

health_router = APIRouter(tags=["health"])
log = structlog.get_logger("cnnt.health")


async def readiness(runtime: Runtime) -> dict[str, str]:
    """Each check's outcome, ``ok`` or ``error: …`` (also exported as ``cnnt_readiness``)."""
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(2):
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure, never raises
        checks["database"] = f"error: {type(exc).__name__}"
    checks["broker"] = "ok" if await runtime.broker.ping(timeout=1) else "error: unreachable"
    checks["outbox_relay"] = (
        "ok"
        if runtime.relay.running and runtime.relay.last_error is None
        else f"error: {runtime.relay.last_error or 'stopped'}"
    )
    return checks


@health_router.get("/healthz", summary="Liveness: the process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@health_router.get("/readyz", summary="Readiness: database, broker and outbox relay")
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    """A status word only. Which check failed and why (SQL, exception text) is for operators:
    it goes to the log and to ``cnnt_readiness`` on /metrics, never to whoever asks here."""
    checks = await readiness(runtime)
    failing = {name: outcome for name, outcome in checks.items() if outcome != "ok"}
    if not failing:
        return JSONResponse({"status": "ready"})
    log.warning("not_ready", **failing)
    # Not ready is a 503 like any other: the one error shape and Retry-After.
    body = error_body("not_ready", "Dịch vụ chưa sẵn sàng.")
    return JSONResponse(
        {"status": "not_ready", **body},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
