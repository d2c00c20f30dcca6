"""The ``Idempotency-Key`` header of support's commands, and their answers kept under it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header
from pydantic import BaseModel

from cnnt_runtime.auth import Principal
from cnnt_runtime.db.idempotency import run_once
from cnnt_runtime.db.unit_of_work import UnitOfWork
from support.adapters.tables import idempotency_keys

M = TypeVar("M", bound=BaseModel)

KEY_DOC = "Client request id: a retry with the same key returns the original result"
OptionalKey = Annotated[
    str | None, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)
]
RequiredKey = Annotated[str, Header(alias="Idempotency-Key", max_length=200, description=KEY_DOC)]


async def once(
    uow: UnitOfWork,
    who: Principal,
    key: str | None,
    command: str,
    payload: Any,
    answer: type[M],
    handler: Callable[[], Awaitable[M]],
) -> M:
    """Run the command once per key of this principal and commit; a retry gets its answer."""
    return await run_once(
        uow,
        idempotency_keys,
        subject=who.subject,
        key=key,
        command=command,
        payload=payload,
        handler=handler,
        answer=answer,
    )
