from __future__ import annotations

from cnnt_contracts import ALL_EVENTS
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, DELIVERY_LIMIT
from cnnt_runtime.settings import Settings


def test_each_consumer_queue_is_a_quorum_queue_with_a_dead_letter_queue_and_a_limit() -> None:
    for consumer in CONSUMER_QUEUES.values():
        queue = consumer.queue()
        assert queue.arguments["x-queue-type"] == "quorum"
        assert queue.arguments["x-dead-letter-exchange"] == "cnnt.dead-letter"
        assert queue.arguments["x-dead-letter-routing-key"] == consumer.name
        assert queue.arguments["x-delivery-limit"] == DELIVERY_LIMIT
        assert consumer.dead_letter_name == f"{consumer.name}.dlq"


def test_queues_are_named_by_consumer_service_and_bound_to_exact_keys() -> None:
    for name, consumer in CONSUMER_QUEUES.items():
        assert consumer.service in {"registration", "evaluation", "certification", "support"}
        assert name.startswith(f"{consumer.service}.")
        assert all("*" not in key and "#" not in key for key in consumer.routing_keys)
        # A consumer never binds to its own service's events: no handler can feed itself.
        assert all(not key.startswith(f"{consumer.service}.") for key in consumer.routing_keys)


def test_every_event_but_the_outward_one_has_an_internal_consumer() -> None:
    consumed = {
        e.model_fields["event_type"].default for q in CONSUMER_QUEUES.values() for e in q.events
    }
    assert set(ALL_EVENTS) - consumed == {"SupportGranted"}


def test_the_app_level_attempts_stay_below_the_broker_backstop() -> None:
    assert Settings().max_attempts < DELIVERY_LIMIT
