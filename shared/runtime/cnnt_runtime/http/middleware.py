"""Per-request flow: correlation id from ``X-Correlation-ID`` (or a new one), bound to the logs
and to every event the request causes, echoed in the response, and one access-log line."""

from __future__ import annotations

import time
from uuid import UUID, uuid4

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cnnt_runtime.context import bind_flow, clear_flow
from cnnt_runtime.metrics import Metrics

log = structlog.get_logger("cnnt.http")

HEADER = b"x-correlation-id"


class FlowMiddleware:
    def __init__(self, app: ASGIApp, service: str, metrics: Metrics) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = _correlation_id(scope)
        bind_flow(correlation_id, service=self.service)
        started = time.perf_counter()
        status = 500

        async def send_with_header(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((HEADER, str(correlation_id).encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_header)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.http_latency.labels(
                self.service, scope["method"], route, str(status)
            ).observe(elapsed)
            if scope["path"] not in ("/healthz", "/readyz", "/metrics"):
                log.info(
                    "http_request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                )
            clear_flow()


def _correlation_id(scope: Scope) -> UUID:
    for name, value in scope.get("headers", []):
        if name == HEADER:
            try:
                return UUID(value.decode())
            except ValueError:
                break
    return uuid4()
