"""`cnnt-service wait` (also `cnnt db wait`): what a Kubernetes pod runs before its service
starts (deploy/k8s). It lets the service start once its schema is at this code's head (or a later
release's), and keeps it waiting while the migrations are not applied yet."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import asyncpg
import pytest

from cnnt_runtime.db.migrations import schema_state
from cnnt_runtime.settings import Settings
from tests.support import identities


def wait(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cnnt_runtime.launcher", "wait", *args],
        env={**os.environ, "CNNT_LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
async def empty_database(stack: Settings) -> AsyncIterator[Settings]:
    """A database the stack's roles may connect to, with nothing migrated in it."""
    name = f"{stack.db_name}_empty_{identities.code(length=6)}"
    server = await asyncpg.connect(stack.admin_dsn("postgres"))
    try:
        await server.execute(f'CREATE DATABASE "{name}"')
        yield stack.model_copy(update={"db_name": name})
    finally:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await server.close()


async def test_a_migrated_schema_is_current_and_the_wait_returns_at_once(stack: Settings) -> None:
    assert await schema_state(stack, "evaluation") == "current"
    result = wait("evaluation", "console", "--timeout", "60")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count('"schema_ready"') == 2


async def test_an_unmigrated_schema_is_behind_and_the_wait_gives_up_with_an_error(
    empty_database: Settings,
) -> None:
    assert await schema_state(empty_database, "evaluation") == "behind"
    os.environ["CNNT_DB_NAME"] = empty_database.db_name
    try:
        result = wait("evaluation", "--timeout", "2", "--interval", "0.5")
    finally:
        os.environ["CNNT_DB_NAME"] = empty_database.db_name.split("_empty_")[0]
    assert result.returncode == 1
    assert '"schema_waiting"' in result.stderr
    assert '"schema_not_ready"' in result.stderr


async def test_a_later_releases_revision_lets_this_code_run(empty_database: Settings) -> None:
    role = empty_database.role("evaluation")
    db = await asyncpg.connect(empty_database.admin_dsn())
    try:
        await db.execute(f'CREATE SCHEMA evaluation AUTHORIZATION "{role}"')
        await db.execute("CREATE TABLE evaluation.alembic_version (version_num varchar(32))")
        await db.execute("INSERT INTO evaluation.alembic_version VALUES ('ffffffffffff')")
        await db.execute(f'GRANT SELECT ON evaluation.alembic_version TO "{role}"')
    finally:
        await db.close()
    assert await schema_state(empty_database, "evaluation") == "newer"
