"""Operator endpoints for dead letters and the audit log, the same in every service.

Each service answers for the dead-letter queues of the queues it consumes (``<service>.…``,
see ``messaging/topology.py``): their depth, their messages with the reason, attempts and
first/last failure, replay to the queue that failed them and archive into the ``operations``
schema. Replay and archive are ``cnnt dlq replay|archive`` (``ops/actions.py``) behind HTTP: a
message leaves its dead-letter queue only once its replacement is safe, and each run writes one
row of the one audit log, whose actor is the token's subject (the console's signed-in operator:
``console:<username>``). Any service reads that audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import structlog
from aio_pika.exceptions import ChannelClosed
from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime, BaseModel, Field

from cnnt_runtime.auth import CurrentPrincipal, Principal, Role
from cnnt_runtime.errors import Conflict, DomainError, NotFound
from cnnt_runtime.http.fields import Line
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES, ConsumerQueue
from cnnt_runtime.ops import actions, records
from cnnt_runtime.ops import dead_letters as dl
from cnnt_runtime.service import RuntimeDep

log = structlog.get_logger("cnnt.ops")
dead_letter_router = APIRouter()  # included in ops_router (/ops, operations)

QueuePath = Annotated[
    str,
    Path(
        max_length=255,
        pattern=r"^[A-Za-z0-9_.:\-]{1,255}$",
        description="A consumer queue this service consumes, or its dead-letter queue (.dlq)",
        examples=["evaluation.registrations"],
    ),
]


class DeadLetterQueue(BaseModel):
    queue: str = Field(description="The consumer queue", examples=["evaluation.registrations"])
    dead_letter_queue: str = Field(examples=["evaluation.registrations.dlq"])
    depth: int = Field(description="Messages in the dead-letter queue")
    backlog: int = Field(description="Messages waiting in the consumer queue itself")
    event_types: list[str] = Field(description="The events the consumer queue is bound to")


class DeadLetterQueues(BaseModel):
    service: str
    queues: list[DeadLetterQueue]


class DeadLetterOut(BaseModel):
    message_id: str = Field(description="The event id (AMQP message id)")
    event_type: str
    routing_key: str
    original_queue: str = Field(description="The queue whose consumer failed it")
    reason: str = Field(description="The consumer's error (or the broker's reason)")
    error_type: str | None
    attempts: int
    first_failed_at: datetime | None
    last_failed_at: datetime | None
    replays: int = Field(description="How often it was replayed before")
    body: Any | None = Field(default=None, description="The message body (with body=true)")


class DeadLetterPage(BaseModel):
    queue: str
    dead_letter_queue: str
    depth: int
    matching: int = Field(description="Messages matching the filter, in the whole queue")
    offset: int
    limit: int
    items: list[DeadLetterOut]


class DeadLetterFilter(BaseModel):
    message_id: Line | None = Field(default=None, max_length=200, description="One event id")
    event_type: Line | None = Field(default=None, max_length=80, examples=["ProductRegistered"])
    reason: Line | None = Field(
        default=None, max_length=200, description="The reason contains this text (any case)"
    )
    since: AwareDatetime | None = Field(default=None, description="Last failed at or after")
    until: AwareDatetime | None = Field(default=None, description="Last failed before")

    def selection(self) -> dl.Selection:
        # An empty text filter (a form's blank field) is no filter.
        return dl.Selection(
            self.message_id or None,
            self.event_type or None,
            self.since,
            self.until,
            self.reason or None,
        )


class DeadLetterAction(DeadLetterFilter):
    all: bool = Field(default=False, description="Every message of the queue (then give no filter)")
    expected: int | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        description="How many the operator confirmed: refused with 409 if as many no longer "
        "match, and never more than this many are moved",
    )


class DeadLetterResult(BaseModel):
    queue: str
    dead_letter_queue: str
    action: Literal["replay", "archive"]
    count: int = Field(description="Messages moved")
    depth: int = Field(description="Messages left in the dead-letter queue")


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str = Field(examples=["dlq_replay", "dlq_archive", "dlq_purge", "history_replay"])
    target: str = Field(description="The queue acted on")
    filters: dict[str, Any]
    count: int
    outcome: str = Field(examples=["completed", "failed", "started"])
    detail: str
    finished_at: datetime | None


class AuditPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[AuditEntry]


def _queue(service: str, name: str) -> ConsumerQueue:
    """The consumer queue behind a name (the queue or its .dlq) that this service answers for."""
    consumer = CONSUMER_QUEUES.get(name.removesuffix(".dlq"))
    if consumer is None:
        raise NotFound(
            "queue_not_found",
            f"không có hàng đợi tiêu thụ hoặc hàng đợi thư lỗi {name!r}",
            field="queue",
        )
    if consumer.service != service:
        raise NotFound(
            "queue_of_another_service",
            f"{consumer.name!r} do dịch vụ {consumer.service} tiêu thụ: hãy hỏi dịch vụ đó",
            field="queue",
        )
    return consumer


def _operator(who: Principal) -> Principal:
    return who.require(Role.OPERATOR)


def _out(letter: dl.DeadLetter, with_body: bool) -> DeadLetterOut:
    h = letter.headers
    return DeadLetterOut(
        message_id=letter.message_id,
        event_type=letter.event_type,
        routing_key=letter.routing_key,
        original_queue=letter.original_queue,
        reason=letter.reason,
        error_type=str(h["x-cnnt-error-type"]) if h.get("x-cnnt-error-type") else None,
        attempts=letter.attempts,
        first_failed_at=letter.first_failed_at,
        last_failed_at=letter.last_failed_at,
        replays=int(h.get("x-cnnt-replays") or 0),
        body=letter.payload() if with_body else None,
    )


def _missing_on_broker(consumer: ConsumerQueue, exc: ChannelClosed) -> DomainError:
    return NotFound(
        "queue_not_declared",
        f"không có hàng đợi {consumer.dead_letter_name!r} trên máy chủ tin nhắn: {exc}",
        field="queue",
    )


@dead_letter_router.get(
    "/dead-letters",
    summary="This service's dead-letter queues with their depth",
    response_model=DeadLetterQueues,
)
async def dead_letter_queues(runtime: RuntimeDep, who: CurrentPrincipal) -> DeadLetterQueues:
    _operator(who)
    service = runtime.spec.name
    queues = dl.queues_of(service)
    depths = await dl.depths(runtime.settings.amqp_url, queues)
    return DeadLetterQueues(
        service=service,
        queues=[
            DeadLetterQueue(
                queue=q.name,
                dead_letter_queue=name,
                depth=depth,
                backlog=backlog,
                event_types=[e.__name__ for e in q.events],
            )
            for q, (name, depth, backlog) in zip(queues, depths, strict=True)
        ],
    )


@dead_letter_router.get(
    "/dead-letters/{queue}",
    summary="A dead-letter queue's messages: reason, attempts, first and last failure",
    response_model=DeadLetterPage,
)
async def dead_letter_messages(
    runtime: RuntimeDep,
    who: CurrentPrincipal,
    queue: QueuePath,
    f: Annotated[DeadLetterFilter, Query()],
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    body: Annotated[bool, Query(description="Include each message's body")] = False,
) -> DeadLetterPage:
    """Nothing is removed: the queue is read through and its messages return to it."""
    _operator(who)
    consumer = _queue(runtime.spec.name, queue)
    try:
        found = await dl.scan(
            runtime.settings.amqp_url,
            consumer.dead_letter_name,
            f.selection(),
            offset=offset,
            limit=limit,
        )
    except ChannelClosed as exc:
        raise _missing_on_broker(consumer, exc) from exc
    return DeadLetterPage(
        queue=consumer.name,
        dead_letter_queue=consumer.dead_letter_name,
        depth=found.depth,
        matching=found.matching,
        offset=offset,
        limit=limit,
        items=[_out(x, body) for x in found.letters],
    )


async def _act(
    runtime: RuntimeDep,
    who: Principal,
    queue: str,
    request: DeadLetterAction,
    action: Literal["replay", "archive"],
) -> DeadLetterResult:
    _operator(who)
    consumer = _queue(runtime.spec.name, queue)
    name = consumer.dead_letter_name
    selection = request.selection()
    if request.all and selection.as_dict():
        raise DomainError(
            "selection_ambiguous", "chọn hoặc bộ lọc, hoặc all=true, không chọn cả hai", field="all"
        )
    if not request.all and not selection.as_dict():
        raise DomainError(
            "selection_missing",
            "cần bộ lọc (message_id, event_type, reason, since, until) hoặc all=true",
            field="all",
        )
    settings = runtime.settings
    try:
        if request.expected is not None:
            matching = (await dl.scan(settings.amqp_url, name, selection, limit=0)).matching
            if matching != request.expected:
                raise Conflict(
                    "dead_letters_changed",
                    f"hiện có {matching} thư khớp, không phải {request.expected} như đã xác nhận",
                    field="expected",
                    details={"expected": request.expected, "matching": matching},
                )
        run = actions.replay if action == "replay" else actions.archive
        count = await run(settings, name, selection, who.subject, limit=request.expected)
        depth = (await dl.depths(settings.amqp_url, [consumer]))[0][1]
    except ChannelClosed as exc:
        raise _missing_on_broker(consumer, exc) from exc
    log.info("dead_letters_moved", action=action, operator=who.subject, queue=name, count=count)
    return DeadLetterResult(
        queue=consumer.name, dead_letter_queue=name, action=action, count=count, depth=depth
    )


@dead_letter_router.post(
    "/dead-letters/{queue}/replay",
    summary="Send dead letters back to the queue that failed them: one, a filter or all",
    response_model=DeadLetterResult,
)
async def replay_dead_letters(
    runtime: RuntimeDep, who: CurrentPrincipal, queue: QueuePath, request: DeadLetterAction
) -> DeadLetterResult:
    """Only the failing queue receives them (default exchange), with their event id, so the
    consumer's inbox ignores one it already applied. Audited as ``dlq_replay``."""
    return await _act(runtime, who, queue, request, "replay")


@dead_letter_router.post(
    "/dead-letters/{queue}/archive",
    summary="Move dead letters into the archive (operations schema): one, a filter or all",
    response_model=DeadLetterResult,
)
async def archive_dead_letters(
    runtime: RuntimeDep, who: CurrentPrincipal, queue: QueuePath, request: DeadLetterAction
) -> DeadLetterResult:
    """Kept with who archived them and when, and never processed. Audited as ``dlq_archive``."""
    return await _act(runtime, who, queue, request, "archive")


@dead_letter_router.get(
    "/audit", summary="The operations audit log, newest first", response_model=AuditPage
)
async def audit_log(
    runtime: RuntimeDep,
    who: CurrentPrincipal,
    action: Annotated[Line | None, Query(max_length=60, examples=["dlq_replay"])] = None,
    actor: Annotated[Line | None, Query(max_length=200)] = None,
    target: Annotated[Line | None, Query(max_length=200, description="A queue")] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    """Every replay, archive and purge, from the command line and the console alike."""
    _operator(who)
    page = await records.history(
        runtime.settings, offset=offset, limit=limit, action=action, actor=actor, target=target
    )
    return AuditPage(
        total=page.total,
        offset=offset,
        limit=limit,
        items=[AuditEntry.model_validate(row) for row in page.rows],
    )
