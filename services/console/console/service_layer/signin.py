"""Sign-in (đăng nhập): password check, throttling and lockout, server-side sessions.

Every attempt, successful or not, is written to the audit log in the same transaction as its
effect on the account, so the count of failures and the log never disagree.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from console.adapters.passwords import verify_password
from console.adapters.tables import accounts, audit, sessions
from console.domain.accounts import Account
from console.domain.lockout import LockoutPolicy
from console.service_layer.accounts import account_of, record

# Failures from one client address within the window beyond which it is refused outright,
# whatever the username: guessing across many accounts is throttled too.
CLIENT_FAILURES = 20
CLIENT_WINDOW = timedelta(minutes=10)


class SignInRefused(Exception):
    """``credentials_invalid``, ``account_locked``, ``account_disabled`` or ``throttled``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewSession:
    token: str
    account: Account
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def sign_in(
    engine: AsyncEngine,
    username: str,
    password: str,
    *,
    client: str,
    policy: LockoutPolicy,
    session_length: timedelta,
) -> NewSession:
    now = datetime.now(UTC)
    username = username.strip().lower()
    async with engine.begin() as conn:
        recent_failures = await conn.scalar(
            select(func.count())
            .select_from(audit)
            .where(
                audit.c.client == client,
                audit.c.action == "sign_in_failed",
                audit.c.at > now - CLIENT_WINDOW,
            )
        )
        if int(recent_failures or 0) >= CLIENT_FAILURES:
            await record(conn, "sign_in_throttled", username, client=client)
            refusal = SignInRefused("throttled")
        else:
            row = (
                (
                    await conn.execute(
                        select(accounts).where(accounts.c.username == username).with_for_update()
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                verify_password(None, password)  # same time as a known name
                await record(conn, "sign_in_failed", username, client=client, detail="unknown")
                refusal = SignInRefused("credentials_invalid")
            elif policy.locked(row["locked_until"], now):
                await record(conn, "sign_in_locked", username, account_id=row["id"], client=client)
                refusal = SignInRefused("account_locked")
            elif not verify_password(row["password_hash"], password):
                count, until = policy.after_failure(row["failed_attempts"], now)
                await conn.execute(
                    update(accounts)
                    .where(accounts.c.id == row["id"])
                    .values(failed_attempts=count, locked_until=until)
                )
                await record(conn, "sign_in_failed", username, account_id=row["id"], client=client)
                if until is not None:
                    await record(conn, "account_locked", username, account_id=row["id"])
                refusal = SignInRefused("account_locked" if until else "credentials_invalid")
            elif row["disabled"]:
                await record(
                    conn, "sign_in_disabled", username, account_id=row["id"], client=client
                )
                refusal = SignInRefused("account_disabled")
            else:
                token = secrets.token_urlsafe(32)
                expires = now + session_length
                await conn.execute(
                    update(accounts)
                    .where(accounts.c.id == row["id"])
                    .values(failed_attempts=0, locked_until=None)
                )
                await conn.execute(
                    insert(sessions).values(
                        token_hash=_hash(token), account_id=row["id"], expires_at=expires
                    )
                )
                await record(conn, "sign_in", username, account_id=row["id"], client=client)
                return NewSession(token, account_of(row), expires)
    # Raised after the commit: the failure and its audit entry are kept.
    raise refusal


async def session_account(engine: AsyncEngine, token: str) -> Account | None:
    """The account a live session cookie belongs to; ``None`` if expired, unknown or disabled."""
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    select(accounts)
                    .join(sessions, sessions.c.account_id == accounts.c.id)
                    .where(
                        sessions.c.token_hash == _hash(token),
                        sessions.c.expires_at > func.now(),
                        accounts.c.disabled.is_(False),
                    )
                )
            )
            .mappings()
            .first()
        )
    return account_of(row) if row is not None else None


async def sign_out(engine: AsyncEngine, token: str, account: Account, client: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(sessions).where(sessions.c.token_hash == _hash(token)))
        await record(conn, "sign_out", account.username, account_id=account.id, client=client)
