"""The session store's operations other use cases share: ending an account's sessions."""

from __future__ import annotations

import hashlib
from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from console.adapters.tables import sessions


def token_hash(token: str) -> str:
    """What the store keeps of a session cookie: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def end_sessions(conn: AsyncConnection, account_id: UUID, *, keep: str | None = None) -> int:
    """Ends every session of the account (a password reset, a lock), in the caller's
    transaction; ``keep`` is a session token left alone (the actor's own). How many ended."""
    statement = delete(sessions).where(sessions.c.account_id == account_id)
    if keep is not None:
        statement = statement.where(sessions.c.token_hash != token_hash(keep))
    result = await conn.execute(statement)
    return int(result.rowcount or 0)
