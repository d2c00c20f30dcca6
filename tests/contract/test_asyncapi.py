"""The AsyncAPI document ministry systems read: in the repository, in sync, complete."""

from __future__ import annotations

import json
import os

import pytest

from cnnt_contracts import PUBLIC_EVENTS
from cnnt_runtime.settings import Settings
from cnnt_tools.cli.asyncapi import platform_document, render
from cnnt_tools.cli.main import ASYNCAPI_PATH


def test_the_exported_asyncapi_file_is_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    # `make asyncapi` runs with the default settings; a test stack earlier in the session
    # exports its own CNNT_* (broker address, vhost) for the processes it starts.
    for name in [n for n in os.environ if n.startswith("CNNT_")]:
        monkeypatch.delenv(name)
    assert ASYNCAPI_PATH.read_text(encoding="utf-8") == render(platform_document(Settings())), (
        "deploy/asyncapi/cnnt-events.json is stale: run `make asyncapi`"
    )


def test_the_exported_file_lists_the_four_public_events_with_their_payload_schemas() -> None:
    document = json.loads(ASYNCAPI_PATH.read_text(encoding="utf-8"))
    channels = document["channels"]
    schemas = document["components"]["schemas"]
    for event in PUBLIC_EVENTS:
        key = event.routing_key()
        channel = channels[f"{key}:publish"]
        assert channel["address"] == key
        assert channel["bindings"]["amqp"]["exchange"]["name"] == "cnnt.events"
        name = event.model_fields["event_type"].default
        schema = schemas[name]
        assert {
            "event_id",
            "event_type",
            "event_version",
            "occurred_at",
            "producer",
            "correlation_id",
            "data",
        } <= set(schema["properties"])
        assert schema["required"]
        data_ref = schema["properties"]["data"]["$ref"].rsplit("/", 1)[-1]
        assert schemas[data_ref]["properties"], f"{name} data has no fields"
