"""Server-side sessions: the cookie holds a random token, the table its SHA-256 only.

``end_other_sessions`` is what every change of an account's credentials calls in its own
transaction (a password change keeps the session that made it; an administrator's reset or a
disabling keeps none), so a password someone else learnt stops working everywhere at once.
Expired sessions are never honoured (``session_account`` checks ``expires_at``) and are purged
at each sign-in, so the table holds live sessions only.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from sqlalchemy import delete, func
from sqlalchemy.ext.asyncio import AsyncConnection

from console.adapters.tables import sessions


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def end_other_sessions(
    conn: AsyncConnection, account_id: UUID, *, keep: str | None = None
) -> int:
    """End every session of ``account_id`` but the one whose cookie token is ``keep`` (none
    kept when ``None``), in the caller's transaction; how many were ended."""
    stmt = delete(sessions).where(sessions.c.account_id == account_id)
    if keep is not None:
        stmt = stmt.where(sessions.c.token_hash != token_hash(keep))
    result = await conn.execute(stmt)
    return int(result.rowcount or 0)


async def purge_expired_sessions(conn: AsyncConnection) -> int:
    """Delete every session past its expiry; how many."""
    result = await conn.execute(delete(sessions).where(sessions.c.expires_at <= func.now()))
    return int(result.rowcount or 0)
