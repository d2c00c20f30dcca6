"""The broker topology every service declares at start-up (docs/contracts.md, "AMQP").

One durable topic exchange ``cnnt.events``. Each consumer has its own durable quorum queue named
``<consumer service>.<purpose>`` bound to exact routing keys (a pattern would also match events
the same handler publishes), a dead-letter queue ``<queue>.dlq`` behind the direct exchange
``cnnt.dead-letter``, and a broker-side delivery limit as a backstop. Every service declares the
whole table, so an event is routable as soon as any service has started; an event no queue wants
goes to ``cnnt.unrouted`` through the exchange's alternate exchange instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from faststream import AckPolicy
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange, RabbitQueue, RabbitRouter
from faststream.rabbit.schemas import QueueType

from cnnt_contracts import (
    DossierAccepted,
    DossierReceived,
    DossierReturned,
    EntryWithdrawn,
    Envelope,
    FacilityRecorded,
    JudgingClosed,
    JuryMemberAppointed,
    ProductRecognized,
    ProductRegistered,
    RecognitionRevoked,
    RoundClosed,
    RoundOpened,
    SampleRecorded,
    ScoreSubmitted,
    SheetSetAside,
)

EVENTS_EXCHANGE_NAME = "cnnt.events"
UNROUTED_EXCHANGE_NAME = "cnnt.unrouted"
DEAD_LETTER_EXCHANGE_NAME = "cnnt.dead-letter"
UNROUTED_QUEUE_NAME = "cnnt.unrouted"
# Broker-side backstop: above any attempt count a consumer is configured with, so consumers
# dead-letter with their error first; it still bounds a message that crashes its process.
# Queue arguments cannot change once a queue exists, so this is a constant, not a setting.
DELIVERY_LIMIT = 20

EVENTS_EXCHANGE = RabbitExchange(
    EVENTS_EXCHANGE_NAME,
    type=ExchangeType.TOPIC,
    durable=True,
    arguments={"alternate-exchange": UNROUTED_EXCHANGE_NAME},
)
UNROUTED_EXCHANGE = RabbitExchange(UNROUTED_EXCHANGE_NAME, type=ExchangeType.FANOUT, durable=True)
DEAD_LETTER_EXCHANGE = RabbitExchange(
    DEAD_LETTER_EXCHANGE_NAME, type=ExchangeType.DIRECT, durable=True
)
# cnnt.unrouted keeps the newest events no queue was bound to, for an operator to look at: no
# platform service consumes them (SupportGranted, published for outside systems, lands here
# until one binds a queue for it; docs/contracts.md), so the queue is capped and drops its
# oldest beyond the cap rather than growing without end. Every event it drops is still in its
# producer's outbox (cnnt replay history). The RUNBOOK says how to apply the cap to a broker
# whose cnnt.unrouted was declared before it (queue arguments cannot change in place).
UNROUTED_MAX_LENGTH = 10_000
UNROUTED_QUEUE = RabbitQueue(
    UNROUTED_QUEUE_NAME,
    queue_type=QueueType.QUORUM,
    durable=True,
    arguments={"x-max-length": UNROUTED_MAX_LENGTH, "x-overflow": "drop-head"},
)


@dataclass(frozen=True)
class ConsumerQueue:
    """A consumer's durable queue and the exact events it is bound to."""

    name: str
    events: tuple[type[Envelope], ...]

    @property
    def service(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def routing_keys(self) -> tuple[str, ...]:
        return tuple(key for event in self.events for key in event.routing_keys())

    @property
    def dead_letter_name(self) -> str:
        return f"{self.name}.dlq"

    def queue(self) -> RabbitQueue:
        return RabbitQueue(
            self.name,
            queue_type=QueueType.QUORUM,
            durable=True,
            routing_key=self.routing_keys[0],
            arguments={
                "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE_NAME,
                "x-dead-letter-routing-key": self.name,
                "x-delivery-limit": DELIVERY_LIMIT,
            },
        )

    def dead_letter_queue(self) -> RabbitQueue:
        return RabbitQueue(
            self.dead_letter_name,
            queue_type=QueueType.QUORUM,
            durable=True,
            routing_key=self.name,
        )


CONSUMER_QUEUES: dict[str, ConsumerQueue] = {
    q.name: q
    for q in (
        ConsumerQueue(
            "evaluation.registrations",
            (RoundOpened, ProductRegistered, EntryWithdrawn, RoundClosed),
        ),
        ConsumerQueue(
            "certification.registrations",
            (RoundOpened, ProductRegistered, EntryWithdrawn, RoundClosed),
        ),
        ConsumerQueue("certification.scores", (ScoreSubmitted, SheetSetAside, JudgingClosed)),
        ConsumerQueue("registration.recognitions", (ProductRecognized, RecognitionRevoked)),
        ConsumerQueue("support.recognitions", (ProductRecognized, RecognitionRevoked)),
        ConsumerQueue("support.facilities", (FacilityRecorded,)),
        # The desk's steps, for the judges' worklist; the juries, for the dossiers' readers.
        ConsumerQueue(
            "evaluation.dossiers",
            (DossierReceived, SampleRecorded, DossierReturned, DossierAccepted),
        ),
        ConsumerQueue("registration.juries", (JuryMemberAppointed,)),
    )
}


def consumer_queue(name: str) -> ConsumerQueue:
    return CONSUMER_QUEUES[name]


async def declare_topology(
    broker: RabbitBroker, queues: Iterable[ConsumerQueue] | None = None
) -> None:
    """Declare exchanges, every consumer queue, its dead-letter queue and all its bindings.

    Idempotent: declaring what exists with the same arguments changes nothing.
    """
    unrouted_exchange = await broker.declare_exchange(UNROUTED_EXCHANGE)
    unrouted = await broker.declare_queue(UNROUTED_QUEUE)
    await unrouted.bind(unrouted_exchange)
    events = await broker.declare_exchange(EVENTS_EXCHANGE)
    dead_letter = await broker.declare_exchange(DEAD_LETTER_EXCHANGE)
    for consumer in queues if queues is not None else CONSUMER_QUEUES.values():
        queue = await broker.declare_queue(consumer.queue())
        for key in consumer.routing_keys:
            await queue.bind(events, routing_key=key)
        dlq = await broker.declare_queue(consumer.dead_letter_queue())
        await dlq.bind(dead_letter, routing_key=consumer.name)


def subscribe(router: RabbitRouter, consumer: ConsumerQueue, description: str) -> Any:
    """Register a subscriber on ``consumer``'s queue the one way every service does it.

    NACK_ON_ERROR with the quorum queue's delivery count: a failure is retried, and the
    dead-letter middleware dead-letters it with its reason on the last attempt.
    """
    return router.subscriber(
        consumer.queue(),
        EVENTS_EXCHANGE,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title=f"{consumer.name}:consume",
        description=description,
    )


def event_type_of(event: type[Envelope]) -> str:
    return str(event.model_fields["event_type"].default)


def events_taken_by(queue: str) -> frozenset[str] | None:
    """The event types ``queue``'s consumer takes: its bindings for a consumer queue, none at
    all for a queue of the topology that has no consumer of events (a dead-letter queue,
    ``cnnt.unrouted``), ``None`` (not ours to say) for a queue outside the topology — an outside
    system's own subscriber queue."""
    consumer = CONSUMER_QUEUES.get(queue)
    if consumer is not None:
        return frozenset(event_type_of(event) for event in consumer.events)
    if queue == UNROUTED_QUEUE_NAME or any(
        queue == q.dead_letter_name for q in CONSUMER_QUEUES.values()
    ):
        return frozenset()
    return None
