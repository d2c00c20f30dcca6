"""Creating, listing and disabling accounts; changing one's password. Each use case is one
transaction, with its audit entry in it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from cnnt_runtime.tokens import Role
from console.adapters.passwords import hash_password, verify_password
from console.adapters.tables import accounts, audit
from console.domain.accounts import Account, AccountRefused, check_new_account, check_password
from console.service_layer.sessions import end_other_sessions


def account_of(row: RowMapping) -> Account:
    return Account(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        scope=row["scope"],
        disabled=row["disabled"],
    )


async def record(
    conn: AsyncConnection,
    action: str,
    username: str,
    *,
    account_id: UUID | None = None,
    actor: str | None = None,
    client: str = "",
    detail: str = "",
) -> None:
    await conn.execute(
        insert(audit).values(
            action=action,
            username=username,
            account_id=account_id,
            actor=actor,
            client=client,
            detail=detail,
        )
    )


async def create_account(
    engine: AsyncEngine,
    *,
    username: str,
    password: str,
    role: str,
    scope: str,
    display_name: str = "",
    actor: str = "cli",
    account_id: UUID | None = None,
) -> Account:
    known = check_new_account(username, role, scope, password)
    account_id = account_id or uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(accounts).values(
                    id=account_id,
                    username=username,
                    display_name=display_name or username,
                    password_hash=hash_password(password),
                    role=known.value,
                    scope=scope.strip(),
                )
            )
            await record(conn, "account_created", username, account_id=account_id, actor=actor)
    except IntegrityError as exc:  # the unique username: the database decides, not a read
        raise AccountRefused("username_taken", "username") from exc
    return Account(account_id, username, display_name or username, known, scope.strip(), False)


async def list_accounts(engine: AsyncEngine) -> list[Account]:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(accounts).order_by(accounts.c.username))).mappings()
        return [account_of(row) for row in rows]


async def count_accounts(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(accounts)) or 0)


async def set_disabled(engine: AsyncEngine, account_id: UUID, disabled: bool, actor: str) -> None:
    async with engine.begin() as conn:
        username = await conn.scalar(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(disabled=disabled)
            .returning(accounts.c.username)
        )
        if username is None:
            raise AccountRefused("account_not_found", "account_id")
        if disabled:
            await end_other_sessions(conn, account_id)
        action = "account_disabled" if disabled else "account_enabled"
        await record(conn, action, username, account_id=account_id, actor=actor)


async def change_password(
    engine: AsyncEngine,
    account: Account,
    current: str,
    new: str,
    confirm: str,
    *,
    keep_session: str | None = None,
) -> None:
    """Change one's own password; every other session of the account ends (the one whose
    cookie token is ``keep_session``, the one making the change, stays signed in)."""
    check_password(new, "new_password")
    if new != confirm:
        raise AccountRefused("password_mismatch", "confirm_password")
    async with engine.begin() as conn:
        stored = await conn.scalar(
            select(accounts.c.password_hash).where(accounts.c.id == account.id).with_for_update()
        )
        if not verify_password(stored, current):
            raise AccountRefused("password_wrong", "current_password")
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account.id)
            .values(password_hash=hash_password(new), password_changed_at=datetime.now(UTC))
        )
        ended = await end_other_sessions(conn, account.id, keep=keep_session)
        await record(
            conn,
            "password_changed",
            account.username,
            account_id=account.id,
            detail=f"other sessions ended: {ended}",
        )
