"""Support's HTTP API: one module of thin routes per resource (each maps a body to a command of
the service layer, or calls one query, and shapes the answer).

Commands take an ``Idempotency-Key`` header (a client request id): a retry with the same key
returns the original result. It is required where money moves (grants, allocation runs).
"""

from __future__ import annotations

from fastapi import APIRouter

from support.entrypoints.http import allocation, applications, grants, reports, schemes


def build_router() -> APIRouter:
    # Each resource router carries the /api/v1 prefix itself: FastAPI keeps an included
    # router's routes as declared, and the route a request matched (its metrics label) then
    # names the whole path.
    router = APIRouter()
    for module in (schemes, applications, grants, allocation, reports):
        router.include_router(module.router)
    return router
