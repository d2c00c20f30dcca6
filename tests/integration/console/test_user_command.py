"""`cnnt user create`: the first account of a deployment, made on the command line."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import rows, start_cli


async def write(settings: Settings, sql: str) -> None:
    """A change committed as the console's own role (a test's way to a locked account)."""
    engine = create_async_engine(settings.service_dsn("console"))
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def test_user_create_reads_the_password_from_stdin_and_stores_only_its_argon2id_hash(
    stack: Settings,
) -> None:
    username = identities.username("bo.admin.cli")
    process = await start_cli(
        "user", "create", "--username", username, "--role", "ministry", "--scope", "VN"
    )
    _, err = await process.communicate(b"mat-khau-quan-tri-1\n")
    assert process.returncode == 0, err.decode()[-2000:]
    found = await rows(
        stack,
        "console",
        "SELECT role, scope, password_hash FROM console.accounts WHERE username = :u",
        u=username,
    )
    assert [(r.role, r.scope) for r in found] == [("ministry", "VN")]
    assert found[0].password_hash.startswith("$argon2id$")
    assert "mat-khau-quan-tri-1" not in found[0].password_hash


async def test_user_create_refuses_a_short_password_and_stores_nothing(stack: Settings) -> None:
    username = identities.username("sct.short")
    process = await start_cli(
        "user",
        "create",
        "--username",
        username,
        "--role",
        "province_officer",
        "--scope",
        "dak-lak",
    )
    _, err = await process.communicate(b"short\n")
    assert process.returncode == 2
    assert "password_too_short" in err.decode()
    found = await rows(
        stack, "console", "SELECT 1 FROM console.accounts WHERE username = :u", u=username
    )
    assert found == []


async def test_user_unlock_enables_a_locked_account_and_lifts_its_lockout(stack: Settings) -> None:
    created = await start_cli(
        "user", "create", "--username", "bo.locked.cli", "--role", "ministry", "--scope", "VN"
    )
    await created.communicate(b"mat-khau-quan-tri-2\n")
    assert created.returncode == 0
    await write(
        stack,
        "UPDATE console.accounts SET disabled = true, failed_attempts = 3, "
        "locked_until = now() + interval '1 hour' WHERE username = 'bo.locked.cli'",
    )
    process = await start_cli("user", "unlock", "--username", "bo.locked.cli")
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()[-2000:]
    assert "bo.locked.cli unlocked" in out.decode()
    found = await rows(
        stack,
        "console",
        "SELECT disabled, failed_attempts, locked_until FROM console.accounts "
        "WHERE username = 'bo.locked.cli'",
    )
    assert [(r.disabled, r.failed_attempts, r.locked_until) for r in found] == [(False, 0, None)]
    audit = await rows(
        stack,
        "console",
        "SELECT actor FROM console.audit_log WHERE username = 'bo.locked.cli' "
        "AND action = 'account_unlocked'",
    )
    assert [r.actor for r in audit] == ["cli"]


async def test_user_reset_password_sets_a_new_hash_and_ends_the_sessions(stack: Settings) -> None:
    created = await start_cli(
        "user", "create", "--username", "bo.reset.cli", "--role", "ministry", "--scope", "VN"
    )
    await created.communicate(b"mat-khau-quan-tri-3\n")
    assert created.returncode == 0
    await write(
        stack,
        "INSERT INTO console.sessions (token_hash, account_id, expires_at) "
        "SELECT 'reset-cli-session', id, now() + interval '1 hour' FROM console.accounts "
        "WHERE username = 'bo.reset.cli'",
    )
    before = await rows(
        stack,
        "console",
        "SELECT password_hash FROM console.accounts WHERE username = 'bo.reset.cli'",
    )
    process = await start_cli("user", "reset-password", "--username", "bo.reset.cli")
    _, err = await process.communicate(b"mat-khau-moi-cua-bo-4\n")
    assert process.returncode == 0, err.decode()[-2000:]
    after = await rows(
        stack,
        "console",
        "SELECT password_hash FROM console.accounts WHERE username = 'bo.reset.cli'",
    )
    assert after[0].password_hash.startswith("$argon2id$")
    assert after[0].password_hash != before[0].password_hash
    sessions = await rows(
        stack,
        "console",
        "SELECT 1 FROM console.sessions WHERE token_hash = 'reset-cli-session'",
    )
    assert sessions == []


async def test_user_unlock_of_an_unknown_account_says_so(stack: Settings) -> None:
    process = await start_cli("user", "unlock", "--username", "nobody.here")
    _, err = await process.communicate()
    assert process.returncode == 2
    assert "account_not_found" in err.decode()
