"""The service's API pages: Swagger UI for the HTTP API and the AsyncAPI page for its events,
both served with assets vendored in ``static/`` (from the npm registry), so they open on a
machine without internet; and the AsyncAPI document as JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from faststream.specification.asyncapi import get_asyncapi_html
from faststream.specification.base import Specification

ASSETS = Path(__file__).resolve().parent / "static"
ASSETS_PATH = "/docs-assets"
docs_router = APIRouter(tags=["docs"])


def mount_assets(app: FastAPI) -> None:
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")


def asyncapi_html(schema: Specification) -> str:
    """FastStream's AsyncAPI page on the vendored assets (no try-it plugin, no remote icons)."""
    page = get_asyncapi_html(
        schema,
        asyncapi_js_url=f"{ASSETS_PATH}/asyncapi/asyncapi-standalone.js",
        asyncapi_css_url=f"{ASSETS_PATH}/asyncapi/default.min.css",
        try_it_out_path=None,
    )
    return re.sub(r'\s*<link rel="icon"[^>]*https://[^>]*>', "", page)


@docs_router.get("/docs", include_in_schema=False)
async def swagger_page(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} — API",
        swagger_js_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_PATH}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_PATH}/swagger-ui/favicon-32x32.png",
    )


@docs_router.get("/asyncapi.json", summary="AsyncAPI 3.0 document of this service's events")
async def asyncapi_json(request: Request) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(request.app.state.asyncapi.to_specification().to_json())
    return document


@docs_router.get("/asyncapi", response_class=HTMLResponse, include_in_schema=False)
async def asyncapi_page(request: Request) -> HTMLResponse:
    return HTMLResponse(asyncapi_html(request.app.state.asyncapi.to_specification()))
