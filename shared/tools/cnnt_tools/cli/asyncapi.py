"""The AsyncAPI document of the whole platform: every service's consumers and publishers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from faststream.specification import AsyncAPI

from cnnt_runtime.components import installed_services, load_spec
from cnnt_runtime.http.docs import asyncapi_html, mount_assets
from cnnt_runtime.service import build_broker
from cnnt_runtime.settings import Settings

DEFAULT_PATH = Path("deploy/asyncapi/cnnt-events.json")
DESCRIPTION = (
    "Events of the CNNT recognition platform on the durable topic exchange `cnnt.events`. "
    "Routing key `<producer>.<event_name>.v<version>`; persistent JSON messages whose AMQP "
    "`message_id` is the envelope's `event_id` (de-duplicate on it) and whose `correlation_id` "
    "is the flow's. Within a version, changes are additive only. Contract 1.1 adds the commune "
    "and district levels: events naming one travel on the minor version's key "
    "`<producer>.<event_name>.v1.1`, so a v1.0 subscriber bound to the `.v1` key never meets a "
    "level it does not know; bind both keys (or `….v1.#`) to receive every level."
)


def platform_spec(settings: Settings) -> AsyncAPI:
    brokers = [build_broker(load_spec(name), settings) for name in installed_services()]
    return AsyncAPI(
        *brokers, title="CNNT platform events", version="1.1.0", description=DESCRIPTION
    )


def platform_document(settings: Settings) -> dict[str, Any]:
    spec = platform_spec(settings)
    document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    # The broker URL of whoever generated the file is not part of the contract.
    for server in document.get("servers", {}).values():
        server["host"] = "rabbitmq:5672"
        server["pathname"] = "/"
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def docs_app(settings: Settings) -> FastAPI:
    document = platform_document(settings)
    page = asyncapi_html(platform_spec(settings).to_specification())
    app = FastAPI(title="CNNT platform events", docs_url=None, redoc_url=None)
    mount_assets(app)

    @app.get("/asyncapi.json")
    async def as_json() -> dict[str, Any]:
        return document

    @app.get("/", response_class=HTMLResponse)
    async def as_page() -> HTMLResponse:
        return HTMLResponse(page)

    return app
