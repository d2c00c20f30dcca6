"""One trace follows one entry: registration's HTTP request → its outbox → the relay's publish →
evaluation's and certification's consumers; the score sheet on it → evaluation's outbox and
publish → certification's consumer. Each service has a tracer provider of its own (as each
process has), all exporting to one in-memory exporter; the client carries the trace across its
two requests in the W3C ``traceparent`` header, as any traced caller does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import aio_pika
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from cnnt_runtime.auth import Role
from cnnt_runtime.messaging.topology import EVENTS_EXCHANGE_NAME
from cnnt_runtime.messaging.tracing import PROPAGATOR
from cnnt_runtime.settings import Settings
from cnnt_runtime.telemetry import tracer_provider
from tests.support.judging import GOOD
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import amqp, bearer, eventually, rows, running_service

PROVINCE = "dak-lak"  # Đắk Lắk
SERVICES = ("registration", "evaluation", "certification")
REGISTERED = "cnnt.events.registration.product_registered.v1"
SCORED = "cnnt.events.evaluation.score_submitted.v1"


def _service(span: ReadableSpan) -> str:
    return str(span.resource.attributes["service.name"])


def _one(spans: Sequence[ReadableSpan], name: str, service: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name and _service(s) == service]
    assert len(found) == 1, f"{service} {name!r}: {[(s.name, _service(s)) for s in spans]}"
    return found[0]


def _attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def _child_of(span: ReadableSpan, parent: ReadableSpan) -> None:
    assert span.parent is not None, f"{span.name} has no parent"
    assert span.context is not None
    assert parent.context is not None
    assert span.context.trace_id == parent.context.trace_id
    assert span.parent.span_id == parent.context.span_id, (
        f"{_service(span)} {span.name!r} is not a child of {_service(parent)} {parent.name!r}"
    )


async def test_one_trace_follows_an_entry_from_registration_through_evaluation_to_certification(
    stack: Settings,
) -> None:
    exporter = InMemorySpanExporter()
    providers = {name: tracer_provider(name) for name in (*SERVICES, "province-client")}
    for provider in providers.values():
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    client_tracer = providers["province-client"].get_tracer("tests")

    async with (
        running_service("registration", stack, tracer_provider=providers["registration"]) as reg,
        running_service("evaluation", stack, tracer_provider=providers["evaluation"]) as ev,
        running_service("certification", stack, tracer_provider=providers["certification"]),
    ):
        round_ = await open_provincial_round(reg, stack, PROVINCE)
        _, product = await facility_with_product(reg, stack, PROVINCE)

        # The client's span is never current here (the services run in this task): only the
        # traceparent header sent with two of the requests links them to it.
        journey = client_tracer.start_span("enter and score one product")
        carrier: dict[str, str] = {}
        PROPAGATOR.inject(carrier, context=trace.set_span_in_context(journey))
        reg.headers.update(carrier)
        entry = ok(await register(reg, stack, PROVINCE, round_["id"], product["id"]))
        del reg.headers["traceparent"]

        officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
        ok(await reg.post(f"/api/v1/rounds/{round_['id']}/close", headers=officer), 200)
        await eventually(lambda: _entries_complete(ev, round_["id"], officer))
        jury = ok(
            await ev.post(
                f"/api/v1/rounds/{round_['id']}/jury",
                json={"members": [{"name": "Nguyễn Văn Đức", "is_chair": True}]},
                headers=officer,
            )
        )
        judge = bearer(stack, Role.JUDGE, jury["members"][0]["id"], subject="judge:duc")
        sheet = ok(
            await ev.post(
                "/api/v1/score-sheets",
                json={"entry_id": entry["id"], "scores": GOOD, "comment": ""},
                headers={**judge, **carrier},
            )
        )
        journey.end()
        trace_id = journey.get_span_context().trace_id

        def ours() -> list[ReadableSpan]:
            return [
                s
                for s in exporter.get_finished_spans()
                if s.context is not None and s.context.trace_id == trace_id
            ]

        async def certification_took_the_sheet() -> bool:
            return any(s.name == f"{SCORED} process" for s in ours())

        await eventually(certification_took_the_sheet)
        stored = await rows(
            stack,
            "registration",
            "SELECT traceparent FROM registration.outbox WHERE event_type = 'ProductRegistered'"
            " AND payload->'data'->>'entry_id' = :entry",
            entry=entry["id"],
        )

    spans = ours()
    root = _one(spans, "enter and score one product", "province-client")
    entered = _one(spans, "POST /api/v1/rounds/{round_id}/entries", "registration")
    _child_of(entered, root)
    assert entered.kind is SpanKind.SERVER
    queries = [s for s in spans if s.parent and s.parent.span_id == entered.context.span_id]
    assert any(s.kind is SpanKind.CLIENT and (s.attributes or {}).get("db.system") for s in queries)

    # The outbox row keeps the request's context; the relay's publish span is its child.
    (traceparent,) = stored[0]
    assert traceparent.split("-")[1:3] == _ids(entered)
    published = _one(spans, f"{REGISTERED} publish", "registration")
    _child_of(published, entered)
    assert published.kind is SpanKind.PRODUCER
    assert _attributes(published)["messaging.rabbitmq.destination.routing_key"] == (
        "registration.product_registered.v1"
    )

    # Both consumers of ProductRegistered continue from the message's headers.
    for service, queue in (
        ("evaluation", "evaluation.registrations"),
        ("certification", "certification.registrations"),
    ):
        consumed = _one(spans, f"{REGISTERED} process", service)
        _child_of(consumed, published)
        assert consumed.kind is SpanKind.CONSUMER
        assert _attributes(consumed)["cnnt.queue"] == queue
        assert consumed.status.is_ok

    scored = _one(spans, "POST /api/v1/score-sheets", "evaluation")
    _child_of(scored, root)
    announced = _one(spans, f"{SCORED} publish", "evaluation")
    _child_of(announced, scored)
    assert _attributes(announced)["cnnt.event_type"] == "ScoreSubmitted"
    tallied = _one(spans, f"{SCORED} process", "certification")
    _child_of(tallied, announced)
    assert _attributes(tallied)["cnnt.queue"] == "certification.scores"
    # The tally's group commit: its transaction is a span under the delivery, with its queries.
    applied = _one(spans, "certification.scores apply", "certification")
    _child_of(applied, tallied)
    assert any(s.parent and s.parent.span_id == applied.context.span_id for s in spans)
    assert sheet["entry_id"] == entry["id"]


async def _entries_complete(client: Any, round_id: str, headers: dict[str, str]) -> bool:
    response = await client.get(f"/api/v1/rounds/{round_id}/progress", headers=headers)
    return response.status_code == 200 and bool(response.json()["entries_complete"])


def _ids(span: ReadableSpan) -> list[str]:
    """Trace id and span id as a ``traceparent`` header writes them."""
    assert span.context is not None
    return [
        trace.format_trace_id(span.context.trace_id),
        trace.format_span_id(span.context.span_id),
    ]


async def test_a_delivery_that_is_dead_lettered_shows_each_attempt_and_where_it_went(
    stack: Settings,
) -> None:
    """What the RUNBOOK tells an operator to look for when a trace stops at a consumer."""
    exporter = InMemorySpanExporter()
    provider = tracer_provider("evaluation")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    sender = tracer_provider("ministry-tool")
    sender.add_span_processor(SimpleSpanProcessor(exporter))
    poison_id = str(uuid.uuid4())
    origin = sender.get_tracer("tests").start_span("send a malformed registration")
    headers: dict[str, str] = {"event_type": "ProductRegistered"}
    PROPAGATOR.inject(headers, context=trace.set_span_in_context(origin))
    origin.end()
    trace_id = origin.get_span_context().trace_id

    def ours() -> list[ReadableSpan]:
        return [s for s in exporter.get_finished_spans() if s.context.trace_id == trace_id]

    async def dead_lettered() -> bool:
        return any(e.name == "cnnt.dead_lettered" for s in ours() for e in s.events)

    async with running_service("evaluation", stack, tracer_provider=provider):
        async with amqp(stack) as channel:
            exchange = await channel.get_exchange(EVENTS_EXCHANGE_NAME)
            await exchange.publish(
                aio_pika.Message(
                    b'{"event_type": "ProductRegistered", "data": {}}',
                    message_id=poison_id,
                    content_type="application/json",
                    headers=dict(headers),
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key="registration.product_registered.v1",
            )
        await eventually(dead_lettered)
    await _take_from_dead_letters(stack, "evaluation.registrations.dlq", poison_id)

    spans = ours()
    root = _one(spans, "send a malformed registration", "ministry-tool")
    attempts = [s for s in spans if s.name == f"{REGISTERED} process"]
    assert len(attempts) == stack.max_attempts
    for attempt in attempts:
        _child_of(attempt, root)
        assert attempt.status.status_code is StatusCode.ERROR
        assert any(e.name == "exception" for e in attempt.events)
    last = max(attempts, key=lambda s: s.start_time or 0)
    (event,) = [e for e in last.events if e.name == "cnnt.dead_lettered"]
    assert dict(event.attributes or {})["cnnt.dead_letter_queue"] == "evaluation.registrations.dlq"
    # FastStream's publish of the dead letter: a "create" span under the failed delivery, the
    # publish under that.
    created = _one(spans, "cnnt.dead-letter.evaluation.registrations create", "evaluation")
    _child_of(created, last)
    moved = _one(spans, "cnnt.dead-letter.evaluation.registrations publish", "evaluation")
    _child_of(moved, created)


async def _take_from_dead_letters(settings: Settings, queue: str, message_id: str) -> None:
    """Remove this test's message from the shared dead-letter queue, leaving any other."""
    async with amqp(settings) as channel:
        dlq = await channel.declare_queue(queue, passive=True)
        for _ in range(int(dlq.declaration_result.message_count or 0)):
            message = await dlq.get(fail=False)
            if message is None:
                return
            if message.message_id == message_id:
                await message.ack()
                return
            await message.nack(requeue=True)
