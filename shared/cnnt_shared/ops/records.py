"""The audit log and the archive of dead letters, in the operations schema."""

from __future__ import annotations

import getpass
import json
import os
import socket
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from cnnt_shared.ops.dead_letters import DeadLetter
from cnnt_shared.ops.tables import archived_messages, audit_log
from cnnt_shared.settings import Settings


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
                )
            )
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
