"""Client request ids (Idempotency-Key): a retried command returns its original result.

The key is claimed with ``INSERT … ON CONFLICT DO NOTHING`` in the command's own transaction: a
concurrent retry waits on the first one's row, then reads the stored result once it commits; if
the first one was refused (rolled back) the retry runs afresh. A key is bound to one principal
and one request: reusing it for a different request is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from cnnt_shared.auth import Principal
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import DomainError
from support.adapters.tables import IdempotencyRow


def fingerprint(command: str, payload: Any) -> str:
    text = json.dumps([command, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


async def _claim(uow: UnitOfWork, subject: str, key: str, command: str, digest: str) -> Any:
    claimed = await uow.session.execute(
        insert(IdempotencyRow)
        .values(subject=subject, key=key, command=command, fingerprint=digest)
        .on_conflict_do_nothing()
        .returning(col(IdempotencyRow.key))
    )
    if claimed.first() is not None:
        return None
    stored = (
        await uow.session.execute(
            select(IdempotencyRow).where(
                col(IdempotencyRow.subject) == subject, col(IdempotencyRow.key) == key
            )
        )
    ).scalar_one()
    if stored.command != command or stored.fingerprint != digest:
        raise DomainError(
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different request",
            field="Idempotency-Key",
        )
    return stored.response


async def run_command(
    uow: UnitOfWork,
    principal: Principal,
    key: str | None,
    command: str,
    payload: Any,
    handler: Callable[[], Awaitable[BaseModel]],
) -> Any:
    """Run ``handler`` once per key and commit; a retry gets the first run's JSON result."""
    if key is not None:
        stored = await _claim(uow, principal.subject, key, command, fingerprint(command, payload))
        if stored is not None:
            return stored
    body = (await handler()).model_dump(mode="json")
    if key is not None:
        await uow.session.execute(
            update(IdempotencyRow)
            .where(col(IdempotencyRow.subject) == principal.subject, col(IdempotencyRow.key) == key)
            .values(response=body, status_code=201)
        )
    await uow.commit()
    return body
