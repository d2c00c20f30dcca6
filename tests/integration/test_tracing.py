"""One trace follows one entry: registration's HTTP request → its outbox → the relay's publish →
evaluation's and certification's consumers; the score sheet on it → evaluation's outbox and
publish → certification's consumer. Each service has a tracer provider of its own (as each
process has), all exporting to one in-memory exporter; the client carries the trace across its
two requests in the W3C ``traceparent`` header, as any traced caller does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from cnnt_shared.auth import Role
from cnnt_shared.messaging.tracing import PROPAGATOR
from cnnt_shared.settings import Settings
from cnnt_shared.telemetry import tracer_provider
from tests.support.judging import GOOD
from tests.support.scenario import facility_with_product, ok, open_provincial_round, register
from tests.support.stack import bearer, eventually, rows, running_service

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
