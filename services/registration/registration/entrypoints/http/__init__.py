"""Registration's HTTP API: one module of thin routes per resource (each maps a body to a
command of the service layer, or calls one query, and shapes the answer)."""

from __future__ import annotations

from fastapi import APIRouter

from registration.entrypoints.http import (
    dossiers,
    entries,
    facilities,
    imports,
    products,
    provinces,
    reports,
    rounds,
)


def build_router() -> APIRouter:
    # Each resource router carries the /api/v1 prefix itself: FastAPI keeps an included
    # router's routes as declared, and the route a request matched (its metrics label) then
    # names the whole path.
    router = APIRouter()
    for module in (facilities, products, provinces, rounds, entries, dossiers, imports, reports):
        router.include_router(module.router)
    return router
