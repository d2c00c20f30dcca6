"""deploy/rabbitmq/definitions.json: up to date with the code, and what an operator needs in it.

That it equals what the services declare on a real broker is
tests/integration/test_rabbitmq_definitions.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cnnt_runtime.messaging.definitions import definitions, render
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, DELIVERY_LIMIT
from cnnt_tools.cli.main import DEFINITIONS_PATH, app

runner = CliRunner()


def test_the_shipped_definitions_are_up_to_date() -> None:
    assert DEFINITIONS_PATH.read_text(encoding="utf-8") == render(definitions()), (
        "deploy/rabbitmq/definitions.json is stale: run `uv run cnnt topology export`"
    )


def test_every_consumer_queue_is_quorum_with_its_dead_letter_settings_and_limit() -> None:
    document = json.loads(DEFINITIONS_PATH.read_text(encoding="utf-8"))
    queues = {queue["name"]: queue for queue in document["queues"]}
    assert set(queues) == {
        "cnnt.unrouted",
        *CONSUMER_QUEUES,
        *(f"{name}.dlq" for name in CONSUMER_QUEUES),
    }
    for name, consumer in CONSUMER_QUEUES.items():
        arguments = queues[name]["arguments"]
        assert arguments == {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": "cnnt.dead-letter",
            "x-dead-letter-routing-key": name,
            "x-delivery-limit": DELIVERY_LIMIT,
        }
        assert queues[f"{name}.dlq"]["arguments"] == {"x-queue-type": "quorum"}
        bound = {
            b["routing_key"]
            for b in document["bindings"]
            if b["destination"] == name and b["source"] == "cnnt.events"
        }
        assert bound == set(consumer.routing_keys)
    assert all(queue["durable"] and not queue["auto_delete"] for queue in queues.values())
    exchanges = {exchange["name"]: exchange for exchange in document["exchanges"]}
    assert exchanges["cnnt.events"]["arguments"] == {"alternate-exchange": "cnnt.unrouted"}
    assert set(document) == {"vhosts", "policies", "exchanges", "queues", "bindings"}  # no users


def test_the_export_command_writes_the_file_and_its_check_fails_on_a_stale_one(
    tmp_path: Path,
) -> None:
    out = tmp_path / "definitions.json"
    result = runner.invoke(app, ["topology", "export", "--out", str(out), "--vhost", "cnnt"])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["vhosts"] == [{"name": "cnnt"}]
    assert {queue["vhost"] for queue in document["queues"]} == {"cnnt"}

    check = ["topology", "export", "--out", str(out), "--vhost", "cnnt", "--check"]
    assert runner.invoke(app, check).exit_code == 0
    out.write_text(out.read_text(encoding="utf-8").replace('"x-delivery-limit": 20', '"x": 1'))
    stale = runner.invoke(app, check)
    assert stale.exit_code == 1
    assert "out of date" in stale.output
