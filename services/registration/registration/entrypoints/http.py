"""Registration's HTTP API: thin routes that authorise, call one handler and return."""

from __future__ import annotations

from fastapi import APIRouter

from registration.entrypoints import http_catalogue, http_reports, http_rounds


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    router.include_router(http_catalogue.build_router())
    router.include_router(http_rounds.build_router())
    router.include_router(http_reports.build_router())
    return router
