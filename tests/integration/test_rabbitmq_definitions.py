"""The exported RabbitMQ definitions are what the services declare, on a real broker.

Two fresh vhosts: into one the export is imported with RabbitMQ's own importer (``rabbitmqctl
import_definitions``: the same code the management API's import runs, and it needs no plugin);
in the other the services' own ``declare_topology`` runs. Their exchanges, queues (type,
arguments) and bindings must be the same; then the services' declaration on the imported vhost
must be accepted as it stands (a different argument would be a PRECONDITION_FAILED), which is
what happens when services start on a pre-provisioned cluster.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from faststream.rabbit import RabbitBroker

from cnnt_runtime.messaging.definitions import POLICIES, definitions, render
from cnnt_runtime.messaging.topology import declare_topology
from cnnt_runtime.settings import Settings
from tests.support.stack import rabbitmqctl


def _listing(kind: str, vhost: str, *columns: str) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["rabbitmqctl", "-q", kind, "-p", vhost, *columns, "--formatter", "json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _arguments(row: dict[str, Any]) -> dict[str, Any]:
    # rabbitmqctl lists an AMQP table as [name, type, value] triples.
    return {name: value for name, _type, value in row["arguments"]}


def _topology(vhost: str) -> dict[str, Any]:
    """What a vhost holds, less what every vhost has (the amq.* and default exchanges, and the
    default exchange's implicit binding of every queue)."""
    exchanges = {
        row["name"]: (row["type"], row["durable"], row["auto_delete"], _arguments(row))
        for row in _listing(
            "list_exchanges", vhost, "name", "type", "durable", "auto_delete", "arguments"
        )
        if row["name"] and not row["name"].startswith("amq.")
    }
    queues = {
        row["name"]: (row["type"], row["durable"], row["auto_delete"], _arguments(row))
        for row in _listing(
            "list_queues", vhost, "name", "type", "durable", "auto_delete", "arguments"
        )
    }
    bindings = sorted(
        (row["source_name"], row["destination_name"], row["destination_kind"], row["routing_key"])
        for row in _listing(
            "list_bindings",
            vhost,
            "source_name",
            "destination_name",
            "destination_kind",
            "routing_key",
        )
        if row["source_name"]
    )
    return {"exchanges": exchanges, "queues": queues, "bindings": bindings}


@pytest.fixture
def vhosts(stack: Settings) -> Iterator[tuple[str, str]]:
    # Named after the run's database, which no other run on the machine shares.
    names = (f"{stack.db_name}_defs_imported", f"{stack.db_name}_defs_declared")
    for name in names:
        rabbitmqctl("add_vhost", name)
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    try:
        yield names
    finally:
        for name in names:
            rabbitmqctl("delete_vhost", name)


async def _declare(vhost: str) -> None:
    broker = RabbitBroker(f"amqp://guest:guest@127.0.0.1:5672/{vhost}")
    await broker.connect()
    try:
        await declare_topology(broker)
    finally:
        await broker.stop()


def _import(document: dict[str, Any]) -> None:
    subprocess.run(
        ["rabbitmqctl", "-q", "import_definitions", "--format", "json"],
        input=render(document),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _wait_for_import(vhost: str, document: dict[str, Any]) -> None:
    """The import finishes asynchronously (queues first, then bindings): bounded polling until
    as many queues and bindings are there as the document has."""
    for _ in range(120):
        held = _topology(vhost)
        if len(held["queues"]) >= len(document["queues"]) and len(held["bindings"]) >= len(
            document["bindings"]
        ):
            return
        time.sleep(0.5)
    raise AssertionError(f"the import into {vhost} did not finish")


async def test_imported_definitions_equal_what_the_services_declare(
    vhosts: tuple[str, str],
) -> None:
    imported, declared = vhosts
    document = definitions(imported)
    _import(document)
    _wait_for_import(imported, document)
    await _declare(declared)

    on_import = _topology(imported)
    by_code = _topology(declared)
    assert on_import["exchanges"] == by_code["exchanges"]
    assert on_import["queues"] == by_code["queues"]
    assert on_import["bindings"] == by_code["bindings"]
    assert set(on_import["queues"]) == {queue["name"] for queue in document["queues"]}
    assert all(kind == "quorum" for kind, *_ in on_import["queues"].values())
    assert len(on_import["bindings"]) == len(document["bindings"])

    # Services starting on the pre-provisioned vhost declare the same again: accepted.
    await _declare(imported)
    assert _topology(imported) == on_import


def test_the_policies_are_accepted_and_apply_to_every_platform_queue(
    vhosts: tuple[str, str],
) -> None:
    imported, _ = vhosts
    document = definitions(imported)
    _import(document)
    _wait_for_import(imported, document)
    policies = {row["name"] for row in _listing("list_policies", imported)}
    assert policies == {policy["name"] for policy in POLICIES}
    applied = {
        row["name"]: row["policy"] for row in _listing("list_queues", imported, "name", "policy")
    }
    assert applied == {name: POLICIES[0]["name"] for name in applied}
