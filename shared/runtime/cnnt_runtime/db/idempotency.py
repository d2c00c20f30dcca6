"""Client request ids (an ``Idempotency-Key`` header or a ``request_id`` field): a retried
command is answered with what it did the first time, and a key reused for a different request
is refused. The one rule every service applies to them.

Two ways to keep what a key did, one rule:

- ``run_once`` keeps the command's answer in a table of keys (columns ``subject``, ``key``,
  ``command``, ``fingerprint``, ``response``, ``status_code``). The key is claimed with
  ``INSERT … ON CONFLICT DO NOTHING`` in the command's own transaction: a concurrent retry waits
  on the first one's row, then reads the stored answer once it commits; if the first one was
  refused (rolled back) the retry runs afresh. A key is bound to one subject.
- ``replayed`` answers from a record the command itself stored under the key (evaluation keeps
  the request id on the score-sheet revision it created), when the caller has found it.

Either way a key that comes back with another request is refused by ``key_reused``: 422
``idempotency_key_reused``, whose field names where the key came from (the ``Idempotency-Key``
header, a ``request_id`` in the body), as the IETF draft "The Idempotency-Key HTTP Header Field"
(draft-ietf-httpapi-idempotency-key-header, Error Scenarios) prescribes for a key reused with a
different payload. Every service answers it the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert

from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def fingerprint(command: str, payload: Any) -> str:
    """What makes two requests the same request: the command and its payload."""
    text = json.dumps([command, payload], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def key_reused(field: str) -> DomainError:
    """The refusal of a key that came back with another request; ``field`` names where the key
    came from (``Idempotency-Key``, ``request_id``). 422, not 409: the key is the client's
    mistake, not a state of the resource (draft-ietf-httpapi-idempotency-key-header)."""
    return DomainError(
        "idempotency_key_reused",
        f"{field} này đã được dùng cho một yêu cầu khác",
        field=field,
    )


def replayed(prior: T, same: bool, *, field: str) -> T:
    """The first answer to a retried request; a key that came with another request is refused
    with ``key_reused(field)``."""
    if not same:
        raise key_reused(field)
    return prior


async def _claim(
    uow: UnitOfWork, keys: Table, subject: str, key: str, command: str, digest: str
) -> dict[str, Any] | None:
    """Claim the key for this request: None if it is new, else the stored answer."""
    claimed = await uow.session.execute(
        insert(keys)
        .values(subject=subject, key=key, command=command, fingerprint=digest)
        .on_conflict_do_nothing()
        .returning(keys.c.key)
    )
    if claimed.first() is not None:
        return None
    stored = (
        await uow.session.execute(
            select(keys.c.command, keys.c.fingerprint, keys.c.response).where(
                keys.c.subject == subject, keys.c.key == key
            )
        )
    ).one()
    answer: dict[str, Any] = replayed(
        stored.response,
        stored.command == command and stored.fingerprint == digest,
        field="Idempotency-Key",  # run_once's keys come in that header
    )
    return answer


async def run_once(
    uow: UnitOfWork,
    keys: Table,
    *,
    subject: str,
    key: str | None,
    command: str,
    payload: Any,
    handler: Callable[[], Awaitable[M]],
    answer: type[M],
) -> M:
    """Run ``handler`` once per (subject, key) and commit; a retry gets the first run's answer,
    read back as ``answer``. Without a key the command simply runs and commits."""
    if key is not None:
        digest = fingerprint(command, payload)
        stored = await _claim(uow, keys, subject, key, command, digest)
        if stored is not None:
            return answer.model_validate(stored)
    result = await handler()
    if key is not None:
        await uow.session.execute(
            update(keys)
            .where(keys.c.subject == subject, keys.c.key == key)
            .values(response=result.model_dump(mode="json"), status_code=201)
        )
    await uow.commit()
    return result
