"""The broker topology as RabbitMQ definitions (``cnnt topology export``).

RabbitMQ's definitions file (exchanges, queues with their arguments, bindings, policies) lets an
operator pre-provision a cluster before any service starts: through the management API
(``POST /api/definitions/<vhost>``, what the Kubernetes migrate Job does), ``rabbitmqctl
import_definitions`` or the management UI. It is built from the same objects
``declare_topology`` declares, so importing it and then starting the services changes nothing
(tests/integration/test_rabbitmq_definitions.py proves it on a real broker); the shipped copy is
``deploy/rabbitmq/definitions.json`` (a test fails when it is stale).

No users or passwords: the services' user is made by the migrate step with its own secret.
"""

from __future__ import annotations

import json
from typing import Any

from faststream.rabbit import RabbitExchange, RabbitQueue

from cnnt_runtime.messaging.topology import (
    CONSUMER_QUEUES,
    DEAD_LETTER_EXCHANGE,
    EVENTS_EXCHANGE,
    UNROUTED_EXCHANGE,
    UNROUTED_QUEUE,
)

DEFAULT_VHOST = "/"
# Queues the platform declares: consumer queues are named <service>.<purpose>, their dead-letter
# queues <queue>.dlq, and the unrouted queue cnnt.unrouted.
QUEUE_PATTERN = r"^(registration|evaluation|certification|support|cnnt)\."
# What AMQP cannot declare: policies, an operator's concern. On a three-node cluster each quorum
# queue's leader goes to the node with the fewest leaders, not to the node the declaring service
# happened to connect to (all six would otherwise crowd one node after a rolling restart).
POLICIES: tuple[dict[str, Any], ...] = (
    {
        "name": "cnnt-quorum-leaders-balanced",
        "pattern": QUEUE_PATTERN,
        "apply-to": "queues",
        "priority": 0,
        "definition": {"queue-leader-locator": "balanced"},
    },
)


def _exchange(exchange: RabbitExchange, vhost: str) -> dict[str, Any]:
    return {
        "name": exchange.name,
        "vhost": vhost,
        "type": exchange.type.value,
        "durable": exchange.durable,
        "auto_delete": exchange.auto_delete,
        "internal": False,
        "arguments": dict(exchange.arguments or {}),
    }


def _queue(queue: RabbitQueue, vhost: str) -> dict[str, Any]:
    return {
        "name": queue.name,
        "vhost": vhost,
        "durable": queue.durable,
        "auto_delete": queue.auto_delete,
        "arguments": dict(queue.arguments or {}),
    }


def _binding(source: str, queue: str, routing_key: str, vhost: str) -> dict[str, Any]:
    return {
        "source": source,
        "vhost": vhost,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": routing_key,
        "arguments": {},
    }


def definitions(vhost: str = DEFAULT_VHOST) -> dict[str, Any]:
    """The definitions of everything ``declare_topology`` declares, in ``vhost``."""
    exchanges = [UNROUTED_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE]
    queues = [_queue(UNROUTED_QUEUE, vhost)]
    # A fanout exchange ignores the key; a binding declared without one takes the queue's name.
    bindings = [_binding(UNROUTED_EXCHANGE.name, UNROUTED_QUEUE.name, UNROUTED_QUEUE.name, vhost)]
    for consumer in CONSUMER_QUEUES.values():
        queues.append(_queue(consumer.queue(), vhost))
        queues.append(_queue(consumer.dead_letter_queue(), vhost))
        bindings.extend(
            _binding(EVENTS_EXCHANGE.name, consumer.name, key, vhost)
            for key in consumer.routing_keys
        )
        bindings.append(
            _binding(DEAD_LETTER_EXCHANGE.name, consumer.dead_letter_name, consumer.name, vhost)
        )
    return {
        "vhosts": [{"name": vhost}],
        "policies": [{"vhost": vhost, **policy} for policy in POLICIES],
        "exchanges": [_exchange(exchange, vhost) for exchange in exchanges],
        "queues": queues,
        "bindings": bindings,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
