"""The audit log and the archive of dead letters, in the operations schema."""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from cnnt_runtime.ops.dead_letters import DeadLetter
from cnnt_runtime.ops.tables import archived_messages, audit_log
from cnnt_runtime.settings import Settings


def default_actor() -> str:
    """Who is acting: ``CNNT_OPERATOR`` when set, else the login name on this host."""
    return os.environ.get("CNNT_OPERATOR") or f"{getpass.getuser()}@{socket.gethostname()}"


def engine(settings: Settings) -> AsyncEngine:
    return create_async_engine(settings.service_dsn("operations"), poolclass=NullPool)


async def audit(
    settings: Settings,
    *,
    actor: str,
    action: str,
    target: str,
    filters: dict[str, Any],
    count: int,
    detail: str = "",
    outcome: str = "completed",
) -> None:
    db = engine(settings)
    try:
        async with db.begin() as conn:
            await conn.execute(
                audit_log.insert().values(
                    actor=actor,
                    action=action,
                    target=target,
                    filters=filters,
                    count=count,
                    detail=detail,
                    outcome=outcome,
                    finished_at=func.now(),
                )
            )
    finally:
        await db.dispose()


async def start(
    settings: Settings,
    *,
    actor: str,
    action: str,
    target: str,
    filters: dict[str, Any],
    detail: str = "",
    outcome: str = "started",
) -> int:
    """Write an operator action's audit row before it does anything (``started``; or, for a
    refusal, the refusal itself); its id, for ``record_replay`` to complete."""
    db = engine(settings)
    try:
        async with db.begin() as conn:
            row_id = await conn.scalar(
                audit_log.insert()
                .values(
                    actor=actor,
                    action=action,
                    target=target,
                    filters=filters,
                    count=0,
                    detail=detail,
                    outcome=outcome,
                    position=0,
                    finished_at=None if outcome == "started" else func.now(),
                )
                .returning(audit_log.c.id)
            )
        return int(row_id or 0)
    finally:
        await db.dispose()


async def running_replay(settings: Settings, row_id: int, *, actor: str, target: str) -> int | None:
    """The count so far of the history replay ``row_id`` if it is a started run of ``actor``
    to ``target`` (what a caller sending in batches names), else ``None``."""
    db = engine(settings)
    try:
        async with db.connect() as conn:
            found = await conn.scalar(
                select(audit_log.c.count).where(
                    audit_log.c.id == row_id,
                    audit_log.c.action == "history_replay",
                    audit_log.c.actor == actor,
                    audit_log.c.target == target,
                    audit_log.c.outcome == "started",
                )
            )
        return None if found is None else int(found)
    finally:
        await db.dispose()


async def start_replay(
    settings: Settings, *, actor: str, target: str, filters: dict[str, Any], resume: bool
) -> tuple[int, int]:
    """Write a history replay's audit row before anything is sent; returns its id and the
    event-log position to start after: where the last run of the same replay (same target and
    filters) stopped if it did not complete and ``resume`` is set, else 0."""
    db = engine(settings)
    try:
        async with db.begin() as conn:
            last = (
                await conn.execute(
                    select(audit_log.c.id, audit_log.c.outcome, audit_log.c.position)
                    .where(
                        audit_log.c.action == "history_replay",
                        audit_log.c.target == target,
                        audit_log.c.filters == filters,
                    )
                    .order_by(audit_log.c.id.desc())
                    .limit(1)
                )
            ).first()
            after = 0
            if resume and last is not None and last.outcome != "completed":
                after = int(last.position or 0)
            detail = f"resumes audit #{last.id} after position {after}" if last and after else ""
            row_id = await conn.scalar(
                audit_log.insert()
                .values(
                    actor=actor,
                    action="history_replay",
                    target=target,
                    filters=filters,
                    count=0,
                    detail=detail,
                    outcome="started",
                    position=after,
                )
                .returning(audit_log.c.id)
            )
        return int(row_id or 0), after
    finally:
        await db.dispose()


async def record_replay(
    settings: Settings,
    row_id: int,
    *,
    count: int,
    position: int,
    outcome: str | None = None,
    detail: str | None = None,
) -> None:
    """Progress of a history replay (what the broker confirmed so far), or its end (with
    ``outcome``: completed or failed)."""
    values: dict[str, Any] = {"count": count, "position": position}
    if outcome is not None:
        values.update(outcome=outcome, finished_at=func.now())
    if detail is not None:
        values["detail"] = detail
    db = engine(settings)
    try:
        async with db.begin() as conn:
            await conn.execute(audit_log.update().where(audit_log.c.id == row_id).values(values))
    finally:
        await db.dispose()


async def archive(db: AsyncEngine, queue: str, letter: DeadLetter, actor: str) -> None:
    """Keep a dead letter in the database; idempotent per (queue, message id)."""
    async with db.begin() as conn:
        await conn.execute(
            insert(archived_messages)
            .values(
                queue=queue,
                message_id=letter.message_id,
                event_type=letter.event_type,
                reason=letter.reason,
                headers=json.loads(json.dumps(letter.headers, default=str)),
                body=letter.body,
                archived_by=actor,
            )
            .on_conflict_do_nothing()
        )


@dataclass(frozen=True)
class AuditPage:
    total: int
    rows: list[dict[str, Any]]


async def history(
    settings: Settings,
    *,
    offset: int = 0,
    limit: int = 50,
    action: str | None = None,
    actor: str | None = None,
    target: str | None = None,
) -> AuditPage:
    """The audit log, newest first: who did what, when, to which queue, with which filters."""
    conditions = [
        column == value
        for column, value in (
            (audit_log.c.action, action),
            (audit_log.c.actor, actor),
            (audit_log.c.target, target),
        )
        if value is not None
    ]
    db = engine(settings)
    try:
        async with db.connect() as conn:
            total = await conn.scalar(
                select(func.count()).select_from(audit_log).where(*conditions)
            )
            found = await conn.execute(
                select(audit_log)
                .where(*conditions)
                .order_by(audit_log.c.id.desc())
                .offset(offset)
                .limit(limit)
            )
            return AuditPage(int(total or 0), [dict(row._mapping) for row in found])
    finally:
        await db.dispose()
