"""Pooled database connections: checked before use only after they have been idle."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cnnt_runtime.db.engine import service_engine
from cnnt_runtime.settings import Settings

BACKEND = text("SELECT pg_backend_pid()")


async def _kill(settings: Settings, pid: int) -> None:
    admin = await asyncpg.connect(settings.admin_dsn())
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


async def test_a_connection_killed_while_idle_is_replaced_before_it_is_used(
    stack: Settings,
) -> None:
    engine = service_engine(stack.model_copy(update={"db_ping_after_idle": 0.2}), "evaluation")
    try:
        async with engine.connect() as conn:
            killed = await conn.scalar(BACKEND)
        await _kill(stack, killed)
        await asyncio.sleep(0.4)
        async with engine.connect() as conn:
            assert await conn.scalar(BACKEND) != killed
    finally:
        await engine.dispose()


async def test_a_connection_used_a_moment_ago_is_handed_out_without_a_ping(
    stack: Settings,
) -> None:
    """The same pooled connection, unchecked: killed meanwhile, its next use fails (the check
    the first test relies on really is skipped for a connection that is not idle)."""
    engine = service_engine(stack.model_copy(update={"db_ping_after_idle": 60}), "evaluation")
    try:
        async with engine.connect() as conn:
            killed = await conn.scalar(BACKEND)
        await _kill(stack, killed)
        await asyncio.sleep(0.4)
        with pytest.raises(DBAPIError):
            async with engine.connect() as conn:
                await conn.scalar(BACKEND)
        async with engine.connect() as conn:  # the pool then replaced it
            assert await conn.scalar(BACKEND) != killed
    finally:
        await engine.dispose()
