"""Evaluation's HTTP API: one module of thin routes per resource (each maps a body to a command
of the service layer, or calls one query, and shapes the answer)."""

from __future__ import annotations

from fastapi import APIRouter

from evaluation.entrypoints.http import entries, judging, jury, score_sheets


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    for module in (jury, entries, score_sheets, judging):
        router.include_router(module.router)
    return router
