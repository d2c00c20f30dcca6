"""Operator endpoints every service has: its event log (the outbox, kept after publishing) and
history replay of that log to ONE named queue (a subscriber catching up, or a new one).

Replay publishes through the default exchange straight to the queue, so no other subscriber
sees the events again; each replayed message keeps its ``event_id`` so the receiver's inbox
de-duplicates what it already had.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import aio_pika
import structlog
from aio_pika.exceptions import ChannelClosed
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select

from cnnt_runtime.auth import CurrentPrincipal, Role
from cnnt_runtime.errors import DomainError, NotFound
from cnnt_runtime.http.dead_letters import dead_letter_router
from cnnt_runtime.http.fields import Line
from cnnt_runtime.messaging.publishing import publish_in_order
from cnnt_runtime.messaging.topology import events_taken_by
from cnnt_runtime.ops import records
from cnnt_runtime.service import RuntimeDep

log = structlog.get_logger("cnnt.ops")
ops_router = APIRouter(prefix="/ops", tags=["operations"])
HISTORY_REPLAY = "history_replay"


# Queue names as RabbitMQ allows them (at most 255 bytes) and as we name queues: a longer or
# stranger name is refused with 422 before the broker is asked.
QUEUE_NAME = r"^[A-Za-z0-9_.:\-]{1,255}$"


class EventFilter(BaseModel):
    event_type: Line | None = Field(default=None, max_length=80, examples=["ProductRecognized"])
    since: datetime | None = None
    until: datetime | None = None
    province: Line | None = Field(
        default=None, max_length=40, description="As recorded or its 2025 successor"
    )
    level: Line | None = Field(default=None, max_length=20)
    round_id: Line | None = Field(default=None, max_length=40)


class ReplayRequest(EventFilter):
    queue: str = Field(
        max_length=255,
        pattern=QUEUE_NAME,
        description="The one queue to deliver to; it must exist",
        examples=["support.recognitions"],
    )
    after_seq: int = Field(
        default=0, ge=0, le=2**63 - 1, description="Resume after this event-log position"
    )
    limit: int = Field(default=500, ge=1, le=5000)
    audit_id: int | None = Field(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="A started history-replay audit row of the caller's to this queue (the "
        "command line's run, sent in batches); without it, this call gets a row of its own",
    )


class ReplayResult(BaseModel):
    queue: str
    published: int
    last_seq: int
    remaining: int


class EventLogSummary(BaseModel):
    matching: int
    by_type: dict[str, int]
    first_at: datetime | None
    last_at: datetime | None


def _conditions(t: Table, f: EventFilter) -> list[ColumnElement[bool]]:
    data = t.c.payload["data"]
    conditions: list[ColumnElement[bool]] = []
    if f.event_type:
        conditions.append(t.c.event_type == f.event_type)
    if f.since:
        conditions.append(t.c.occurred_at >= f.since)
    if f.until:
        conditions.append(t.c.occurred_at < f.until)
    if f.province:
        conditions.append(
            or_(
                data["facility"]["province_code"].astext == f.province,
                data["facility"]["current_province_code"].astext == f.province,
                data["scheme"]["scope_code"].astext == f.province,
                data["round"]["scope_code"].astext == f.province,
                data["scope_code"].astext == f.province,
            )
        )
    if f.level:
        conditions.append(
            func.coalesce(data["level"].astext, data["round"]["level"].astext) == f.level
        )
    if f.round_id:
        conditions.append(
            func.coalesce(data["round_id"].astext, data["round"]["id"].astext) == f.round_id
        )
    return conditions


def _matching(t: Table, f: EventFilter) -> Select[Any]:
    return select(t).where(and_(t.c.published_at.is_not(None), *_conditions(t, f)))


@ops_router.get("/events", summary="Count this service's past events matching a filter")
async def event_log(
    runtime: RuntimeDep, who: CurrentPrincipal, f: Annotated[EventFilter, Query()]
) -> EventLogSummary:
    who.require(Role.OPERATOR)
    t = runtime.spec.table("outbox")
    rows = _matching(t, f).subquery()
    stmt = select(
        rows.c.event_type,
        func.count(),
        func.min(rows.c.occurred_at),
        func.max(rows.c.occurred_at),
    ).group_by(rows.c.event_type)
    async with runtime.engine.connect() as conn:
        result = (await conn.execute(stmt)).all()
    return EventLogSummary(
        matching=sum(r[1] for r in result),
        by_type={r[0]: r[1] for r in result},
        first_at=min((r[2] for r in result), default=None),
        last_at=max((r[3] for r in result), default=None),
    )


@ops_router.post("/replay", summary="Re-send past events to ONE named queue, in log order")
async def replay(runtime: RuntimeDep, who: CurrentPrincipal, body: ReplayRequest) -> ReplayResult:
    """The one history replay (``cnnt replay history`` sends its batches here). Before
    anything is sent: the queue must exist; a consumer queue of the topology gets only the
    event types its consumer is bound to (a type named that it does not take, or a queue that
    takes none — a dead-letter queue, ``cnnt.unrouted`` — is refused, and the refusal audited);
    an outside system's own queue gets what it asks for; and the audit log holds the replay's
    row — who, which queue, the filter — which is then completed with the count the broker
    confirmed and the event-log position reached."""
    who.require(Role.OPERATOR)
    settings = runtime.settings
    await ensure_queue(settings.amqp_url, body.queue)
    t = runtime.spec.table("outbox")
    base = _matching(t, body)
    filters = {
        "producer": runtime.spec.name,
        **body.model_dump(mode="json", exclude_none=True, exclude={"queue", "audit_id"}),
    }
    taken = events_taken_by(body.queue)
    if taken is not None and not body.event_type:
        # A consumer queue gets the events its consumer takes, and only those.
        base = base.where(t.c.event_type.in_(sorted(taken)))
        filters["event_types"] = sorted(taken)
    if taken is not None and (not taken or (body.event_type and body.event_type not in taken)):
        refused = [body.event_type] if body.event_type else ["*"]
        await records.start(
            settings,
            actor=who.subject,
            action=HISTORY_REPLAY,
            target=body.queue,
            filters=filters,
            detail=f"refused: the queue's consumer does not take {', '.join(refused)}",
            outcome="refused",
        )
        raise DomainError(
            "queue_does_not_take_events",
            f"Hàng đợi {body.queue} không nhận các sự kiện: {', '.join(refused)}",
            field="event_type" if body.event_type else "queue",
            details={"refused": refused, "taken": sorted(taken)},
        )
    if body.audit_id is not None:
        row_id = body.audit_id
        before = await records.running_replay(
            settings, row_id, actor=who.subject, target=body.queue
        )
        if before is None:
            raise NotFound(
                "replay_audit_not_found",
                "Không có lần phát lại đang chạy nào của người này tới hàng đợi này.",
                field="audit_id",
            )
    else:
        row_id = await records.start(
            settings, actor=who.subject, action=HISTORY_REPLAY, target=body.queue, filters=filters
        )
        before = 0
    published, last_seq = 0, body.after_seq
    try:
        async with runtime.engine.connect() as conn:
            rows = (
                await conn.execute(
                    base.where(t.c.seq > body.after_seq).order_by(t.c.seq).limit(body.limit)
                )
            ).all()
            published, failure = await publish_in_order(runtime.broker, rows, queue=body.queue)
            if failure is not None:
                raise failure
            last_seq = rows[-1].seq if rows else body.after_seq
            remaining = int(
                await conn.scalar(
                    select(func.count()).select_from(base.where(t.c.seq > last_seq).subquery())
                )
                or 0
            )
    except BaseException as exc:
        await records.record_replay(
            settings,
            row_id,
            count=before + published,
            position=last_seq,
            outcome="failed",
            detail=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    await records.record_replay(
        settings,
        row_id,
        count=before + published,
        position=last_seq,
        outcome="completed" if remaining == 0 or body.audit_id is None else None,
    )
    log.info(
        "history_replayed",
        operator=who.subject,
        queue=body.queue,
        published=published,
        audit_id=row_id,
    )
    return ReplayResult(
        queue=body.queue, published=published, last_seq=last_seq, remaining=remaining
    )


async def ensure_queue(amqp_url: str, name: str) -> None:
    """Refuse a replay to a queue that does not exist, before publishing anything. A passive
    declare that fails closes its channel, so it runs on a connection of its own."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        await channel.declare_queue(name, passive=True)
    except ChannelClosed as exc:
        raise NotFound("queue_not_found", f"không có hàng đợi {name!r}", field="queue") from exc
    finally:
        await connection.close()


# Dead letters and the audit log (http/dead_letters.py) are operator endpoints of the same kind.
ops_router.include_router(dead_letter_router)
