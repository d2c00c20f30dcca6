"""Liveness and readiness. Ready means: database answers, broker answers, relay running."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from cnnt_runtime.http.errors import RETRY_AFTER_SECONDS, error_body
from cnnt_runtime.service import Runtime, RuntimeDep

health_router = APIRouter(tags=["health"])


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
    checks = await readiness(runtime)
    ready = all(v == "ok" for v in checks.values())
    if ready:
        return JSONResponse({"status": "ready", "checks": checks})
    failing = ", ".join(name for name, v in checks.items() if v != "ok")
    # Not ready is a 503 like any other: the one error shape (beside the checks) and Retry-After.
    body = error_body("not_ready", f"Dịch vụ chưa sẵn sàng: {failing}")
    return JSONResponse(
        {"status": "not_ready", "checks": checks, **body},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
