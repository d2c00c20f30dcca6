"""Evaluation's HTTP API: one module of thin routes per resource (each maps a body to a command
of the service layer, or calls one query, and shapes the answer)."""

from __future__ import annotations

from fastapi import APIRouter

from evaluation.entrypoints.http import entries, judging, jury, score_sheets


def build_router() -> APIRouter:
    # Each resource router carries the /api/v1 prefix itself: FastAPI keeps an included
    # router's routes as declared, and the route a request matched (its metrics label) then
    # names the whole path.
    router = APIRouter()
    for module in (jury, entries, score_sheets, judging):
        router.include_router(module.router)
    return router
