"""The service's AsyncAPI document (events it consumes and publishes), as JSON and as a page."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from faststream.specification.asyncapi import get_asyncapi_html

docs_router = APIRouter(tags=["docs"])


@docs_router.get("/asyncapi.json", summary="AsyncAPI 3.0 document of this service's events")
async def asyncapi_json(request: Request) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(request.app.state.asyncapi.to_specification().to_json())
    return document


@docs_router.get("/asyncapi", response_class=HTMLResponse, include_in_schema=False)
async def asyncapi_page(request: Request) -> HTMLResponse:
    return HTMLResponse(get_asyncapi_html(request.app.state.asyncapi.to_specification()))
