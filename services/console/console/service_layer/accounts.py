"""Creating, listing, disabling and unlocking accounts; resetting a password (the
administrator) and changing one's own. Each use case is one
transaction, with its audit entry in it."""

from __future__ import annotations

import uuid
from dataclasses import replace
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


async def get_account(engine: AsyncEngine, account_id: UUID) -> Account:
    async with engine.connect() as conn:
        row = (
            (await conn.execute(select(accounts).where(accounts.c.id == account_id)))
            .mappings()
            .first()
        )
    if row is None:
        raise AccountRefused("account_not_found", "account_id")
    return account_of(row)


async def locked_out(engine: AsyncEngine) -> set[UUID]:
    """The accounts locked now by failed sign-ins (until their lock runs out, or an unlock)."""
    async with engine.connect() as conn:
        found = await conn.scalars(
            select(accounts.c.id).where(accounts.c.locked_until > datetime.now(UTC))
        )
        return {UUID(str(i)) for i in found}


async def _locked_target(conn: AsyncConnection, account_id: UUID) -> RowMapping:
    row = (
        (await conn.execute(select(accounts).where(accounts.c.id == account_id).with_for_update()))
        .mappings()
        .first()
    )
    if row is None:
        raise AccountRefused("account_not_found", "account_id")
    return row


async def set_disabled(
    engine: AsyncEngine,
    account_id: UUID,
    disabled: bool,
    actor: str,
    actor_id: UUID | None = None,
    administrators: frozenset[Role] = frozenset(),
) -> None:
    """Disable (khóa) or enable an account. Never the actor's own, and never the last active
    account of the ``administrators`` roles (the ministry's, access.MAY_ADMINISTER_ACCOUNTS):
    they administer accounts, so locking that one out would leave nobody able to undo it."""
    admin_roles = [r.value for r in administrators]
    async with engine.begin() as conn:
        if disabled:
            # Every ministry account locked in one order: two administrators disabling each
            # other at once cannot both pass the "another ministry account stays" check.
            await conn.execute(
                select(accounts.c.id)
                .where(accounts.c.role.in_(admin_roles))
                .order_by(accounts.c.id)
                .with_for_update()
            )
        row = await _locked_target(conn, account_id)
        if disabled and account_id == actor_id:
            raise AccountRefused("account_is_yours", "account_id")
        if disabled and row["role"] in admin_roles and not row["disabled"]:
            others = await conn.scalar(
                select(func.count())
                .select_from(accounts)
                .where(
                    accounts.c.role.in_(admin_roles),
                    accounts.c.disabled.is_(False),
                    accounts.c.id != account_id,
                )
            )
            if not others:
                raise AccountRefused("last_ministry_account", "account_id")
        await conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(disabled=disabled)
        )
        if disabled:  # enabling again must not bring back the sessions open before the lock
            await end_other_sessions(conn, account_id)
        action = "account_disabled" if disabled else "account_enabled"
        await record(conn, action, row["username"], account_id=account_id, actor=actor)


async def unlock(engine: AsyncEngine, account_id: UUID, actor: str) -> Account:
    """Mở khóa: the account enabled again and its sign-in lockout (failed attempts) lifted."""
    async with engine.begin() as conn:
        row = await _locked_target(conn, account_id)
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(disabled=False, failed_attempts=0, locked_until=None)
        )
        await record(conn, "account_unlocked", row["username"], account_id=account_id, actor=actor)
    return replace(account_of(row), disabled=False)


async def reset_password(
    engine: AsyncEngine,
    account_id: UUID,
    new: str,
    actor: str,
    *,
    keep_session: str | None = None,
) -> Account:
    """A new password set by the administrator (or an operator, from ``cnnt user``): the
    lockout is lifted and every session of the account ends, but ``keep_session`` (the
    administrator's own, when they reset their own password)."""
    check_password(new)
    async with engine.begin() as conn:
        row = await _locked_target(conn, account_id)
        await conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(
                password_hash=hash_password(new),
                password_changed_at=datetime.now(UTC),
                failed_attempts=0,
                locked_until=None,
            )
        )
        ended = await end_other_sessions(conn, account_id, keep=keep_session)
        await record(
            conn,
            "password_reset",
            row["username"],
            account_id=account_id,
            actor=actor,
            detail=f"sessions ended: {ended}",
        )
    return account_of(row)


async def account_id_of(engine: AsyncEngine, username: str) -> UUID:
    async with engine.connect() as conn:
        found = await conn.scalar(
            select(accounts.c.id).where(accounts.c.username == username.strip().lower())
        )
    if found is None:
        raise AccountRefused("account_not_found", "username")
    return UUID(str(found))


async def accounts_with_roles(engine: AsyncEngine, roles: frozenset[Role]) -> list[Account]:
    """Active accounts of the roles, by name: the judges a jury's seats are picked from."""
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(accounts)
                .where(
                    accounts.c.role.in_([r.value for r in roles]),
                    accounts.c.disabled.is_(False),
                )
                .order_by(accounts.c.display_name, accounts.c.username)
            )
        ).mappings()
        return [account_of(row) for row in rows]


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
