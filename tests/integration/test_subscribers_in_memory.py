"""Every service's subscribers driven through FastStream's in-memory ``TestRabbitBroker``: the
broker each service builds (middlewares, parsing, the runtime from its context) hands an event
to the consumer, whose effect lands in the real PostgreSQL. The real-broker tests
(test_delivery_guarantees.py, the per-service suites) cover routing, acknowledgement and
dead-lettering on RabbitMQ itself.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

from faststream.rabbit import RabbitBroker, TestRabbitBroker

from cnnt_contracts import (
    CriterionScores,
    Envelope,
    FacilityRecorded,
    FacilityRecordedData,
    FacilityRef,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    ResultSettings,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
    ScoreSubmitted,
    ScoreSubmittedData,
)
from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_runtime.components import load_spec
from cnnt_runtime.db.engine import service_engine, session_factory
from cnnt_runtime.messaging.relay import OutboxRelay
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, EVENTS_EXCHANGE
from cnnt_runtime.metrics import Metrics
from cnnt_runtime.service import Runtime, build_broker
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import rows

NOW = datetime(2025, 9, 3, 2, 30, tzinfo=UTC)
FACILITY = FacilityRef(
    id=uuid.uuid4(),
    name="HTX Dệt thổ cẩm Buôn Đôn",
    kind=FacilityKind.COOPERATIVE,
    province_code="dak-lak",
    current_province_code="dak-lak",
)


class InMemory:
    """A service's broker under ``TestRabbitBroker``, with the runtime its handlers read."""

    def __init__(self, service: str, broker: RabbitBroker) -> None:
        self.service = service
        self.broker = broker

    async def deliver(self, event: Envelope) -> None:
        """Hand ``event`` to the queue that consumes it, as the relay's publish would. The
        in-memory broker routes a queue by its first binding only, so the event travels with
        that key; the handler still reads its type from the envelope."""
        [queue] = [
            q
            for q in CONSUMER_QUEUES.values()
            if q.service == self.service and type(event) in q.events
        ]
        await self.broker.publish(
            event.model_dump(mode="json"),
            exchange=EVENTS_EXCHANGE,
            routing_key=queue.routing_keys[0],
            message_id=str(event.event_id),
            correlation_id=str(event.correlation_id),
            headers={"event_type": event.event_type},
        )


@asynccontextmanager
async def in_memory(service: str, settings: Settings) -> AsyncIterator[InMemory]:
    spec = load_spec(service)
    metrics = Metrics(service)
    broker = build_broker(spec, settings, metrics)
    engine = service_engine(settings, service, connections=2)
    relay = OutboxRelay(engine, spec.table("outbox"), broker, metrics=metrics)
    runtime = Runtime(spec, settings, engine, session_factory(engine), broker, relay, metrics)
    broker.context.set_global("runtime", runtime)
    try:
        async with TestRabbitBroker(broker) as test_broker:
            yield InMemory(service, test_broker)
    finally:
        await engine.dispose()


def round_ref(level: Level = Level.PROVINCIAL, scope: str = "dak-lak") -> RoundRef:
    return RoundRef(id=uuid.uuid4(), level=level, scope_code=scope, year=2025)


def registered(round_: RoundRef) -> ProductRegistered:
    product = ProductRef(
        id=uuid.uuid4(), name="Cà phê bột Buôn Ma Thuột", group=ProductGroup.AGRO_FOOD, is_set=False
    )
    return ProductRegistered.new(
        ProductRegisteredData(
            entry_id=uuid.uuid4(),
            round=round_,
            product=product,
            facility=FACILITY,
            registered_at=NOW,
            registration_sequence=1,
        )
    )


def recognised(certificate: str) -> ProductRecognized:
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=certificate,
            level=Level.PROVINCIAL,
            scope_code="dak-lak",
            year=2025,
            round_id=uuid.uuid4(),
            entry_id=uuid.uuid4(),
            product=ProductRef(
                id=uuid.uuid4(), name="Thổ cẩm Ê Đê", group=ProductGroup.HANDICRAFT, is_set=False
            ),
            facility=FACILITY,
            mean_score=Decimal("86.5"),
            rank=1,
            valid_until=date(2027, 12, 31),
            decision_number="1234/QĐ-UBND",
            recognized_at=NOW,
        )
    )


async def test_registration_records_a_recognition_once_however_often_it_is_delivered(
    stack: Settings,
) -> None:
    event = recognised(identities.code("DL-2025", 6))
    async with in_memory("registration", stack) as memory:
        await memory.deliver(event)
        await memory.deliver(event)  # a redelivery: the inbox claims it once
    found = await rows(
        stack,
        "registration",
        "SELECT certificate_number, level, valid_until FROM recognitions WHERE entry_id = :e",
        e=event.data.entry_id,
    )
    assert [tuple(r) for r in found] == [
        (event.data.certificate_number, "provincial", date(2027, 12, 31))
    ]


async def test_evaluation_learns_a_round_and_its_entry_from_registration(stack: Settings) -> None:
    round_ = round_ref()
    opened = RoundOpened.new(
        RoundOpenedData(
            round=round_,
            name="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk 2025",
            opens_on=date(2025, 9, 1),
            closes_on=date(2025, 9, 30),
            settings=ResultSettings(),
            opened_at=NOW,
        )
    )
    entry = registered(round_)
    async with in_memory("evaluation", stack) as memory:
        await memory.deliver(entry)  # before its round's opening: kept all the same
        await memory.deliver(opened)
    found = await rows(
        stack, "evaluation", "SELECT name, level FROM rounds WHERE id = :r", r=round_.id
    )
    assert [tuple(r) for r in found] == [(opened.data.name, "provincial")]
    entries = await rows(
        stack,
        "evaluation",
        "SELECT product_name, facility_name FROM entries WHERE round_id = :r",
        r=round_.id,
    )
    assert [tuple(e) for e in entries] == [("Cà phê bột Buôn Ma Thuột", FACILITY.name)]


async def test_certification_tallies_only_a_sheets_latest_revision(stack: Settings) -> None:
    round_ = round_ref()
    entry_id, judge_id, sheet_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def sheet(revision: int, market: str) -> ScoreSubmitted:
        scores = CriterionScores(
            market=Decimal(market), technical=Decimal(30), culture=Decimal(8), other=Decimal(7)
        )
        return ScoreSubmitted.new(
            ScoreSubmittedData(
                sheet_id=sheet_id,
                revision=revision,
                entry_id=entry_id,
                round_id=round_.id,
                judge_id=judge_id,
                scores=scores,
                total=scores.market + 45,
                submitted_at=NOW,
            )
        )

    async with in_memory("certification", stack) as memory:
        await memory.deliver(sheet(2, "35.5"))
        await memory.deliver(sheet(1, "20"))  # an older revision arriving late changes nothing
    found = await rows(
        stack,
        "certification",
        "SELECT revision, market, technical, culture, other FROM sheets WHERE entry_id = :e",
        e=entry_id,
    )
    assert [tuple(r) for r in found] == [(2, Decimal("35.5"), Decimal(30), Decimal(8), Decimal(7))]


async def test_support_keeps_the_latest_record_of_a_facility(stack: Settings) -> None:
    facility_id = uuid.uuid4()

    def recorded(name: str, at: datetime) -> FacilityRecorded:
        return FacilityRecorded.new(
            FacilityRecordedData(
                facility_id=facility_id,
                name=name,
                kind=FacilityKind.COOPERATIVE,
                province_code="bac-kan",
                current_province_code="thai-nguyen",
                recorded_at=at,
            )
        )

    renamed = recorded("HTX Miến dong Na Rì", NOW)
    async with in_memory("support", stack) as memory:
        await memory.deliver(renamed)
        await memory.deliver(recorded("HTX Miến dong", datetime(2024, 1, 5, tzinfo=UTC)))
    found = await rows(
        stack,
        "support",
        "SELECT name, province_code, current_province_code FROM facilities WHERE id = :f",
        f=facility_id,
    )
    assert [tuple(r) for r in found] == [("HTX Miến dong Na Rì", "bac-kan", "thai-nguyen")]
