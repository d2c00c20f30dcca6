"""Sign-in (đăng nhập): password check, throttling, server-side sessions.

Every attempt, successful or not, is written to the audit log in the same transaction as its
effect, and the throttles (console.domain.throttle) count failures from that log by the
username typed and the client's address: an unknown username is slowed down and answered
exactly as a known one, and no number of failures locks an account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from console.adapters.passwords import verify_password
from console.adapters.tables import accounts, audit, sessions
from console.domain.accounts import Account
from console.domain.throttle import SignInThrottles, Throttle
from console.service_layer.accounts import account_of, record
from console.service_layer.sessions import purge_expired_sessions, token_hash

# How far back failures count: past this, a counter starts from nothing again.
WINDOW = timedelta(hours=1)


class SignInRefused(Exception):
    """``credentials_invalid``, ``account_disabled`` or ``throttled`` (then ``retry_after``)."""

    def __init__(self, code: str, retry_after: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewSession:
    token: str
    account: Account
    expires_at: datetime


async def _failures(
    conn: AsyncConnection, now: datetime, *where: ColumnElement[bool]
) -> tuple[int, datetime | None]:
    """Failures in a row (since the last success matching ``where``) within the window, and
    when the last one was."""
    since = now - WINDOW
    last_success = await conn.scalar(
        select(func.max(audit.c.at)).where(audit.c.action == "sign_in", *where)
    )
    if last_success is not None and last_success > since:
        since = last_success
    row = (
        await conn.execute(
            select(func.count(), func.max(audit.c.at)).where(
                audit.c.action == "sign_in_failed", audit.c.at > since, *where
            )
        )
    ).one()
    return int(row[0] or 0), row[1]


async def _retry_at(
    conn: AsyncConnection, now: datetime, username: str, client: str, throttles: SignInThrottles
) -> datetime | None:
    """The latest of the three counters' next allowed attempt, if any is in the future."""
    counters: list[tuple[Throttle, tuple[ColumnElement[bool], ...]]] = [
        (throttles.per_pair, (audit.c.username == username, audit.c.client == client)),
        (throttles.per_account, (audit.c.username == username,)),
        (throttles.per_address, (audit.c.client == client,)),
    ]
    waits = []
    for throttle, where in counters:
        failures, last = await _failures(conn, now, *where)
        at = throttle.retry_at(failures, last)
        if at is not None and at > now:
            waits.append(at)
    return max(waits, default=None)


async def sign_in(
    engine: AsyncEngine,
    username: str,
    password: str,
    *,
    client: str,
    throttles: SignInThrottles,
    session_length: timedelta,
) -> NewSession:
    now = datetime.now(UTC)
    username = username.strip().lower()[:80]
    async with engine.begin() as conn:
        # Attempts on one username take turns, so concurrent guesses cannot all pass one wait.
        await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(username))))
        retry_at = await _retry_at(conn, now, username, client, throttles)
        if retry_at is not None:
            await record(conn, "sign_in_throttled", username, client=client)
            seconds = max(1, int((retry_at - now).total_seconds() + 0.999))
            refusal = SignInRefused("throttled", retry_after=seconds)
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
            elif not verify_password(row["password_hash"], password):
                await conn.execute(
                    update(accounts)
                    .where(accounts.c.id == row["id"])
                    .values(failed_attempts=accounts.c.failed_attempts + 1)
                )
                await record(conn, "sign_in_failed", username, account_id=row["id"], client=client)
                refusal = SignInRefused("credentials_invalid")
            elif row["disabled"]:
                await record(
                    conn, "sign_in_disabled", username, account_id=row["id"], client=client
                )
                refusal = SignInRefused("account_disabled")
            else:
                token = secrets.token_urlsafe(32)
                expires = now + session_length
                await purge_expired_sessions(conn)
                await conn.execute(
                    update(accounts)
                    .where(accounts.c.id == row["id"])
                    .values(failed_attempts=0, locked_until=None)
                )
                await conn.execute(
                    insert(sessions).values(
                        token_hash=token_hash(token), account_id=row["id"], expires_at=expires
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
                        sessions.c.token_hash == token_hash(token),
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
        await conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))
        await record(conn, "sign_out", account.username, account_id=account.id, client=client)
