"""Alembic for every service: the version table lives in the service's own schema, and
migrations run as the service's own role (so the tables it creates belong to it).

A service's ``migrations/env.py`` is one call to ``run_env``; ``upgrade`` runs them
programmatically on an asyncpg connection (Alembic's "connection sharing" recipe).
"""

from __future__ import annotations

from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cnnt_runtime.settings import Settings


def _configure(connection: Connection, metadata: MetaData, schema: str) -> None:
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        return name == schema if type_ == "schema" else True

    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=True,
        include_name=include_name,
        compare_type=True,
    )


def run_env(metadata: MetaData, schema: str) -> None:
    """Body of a service's ``env.py``: run on the connection ``upgrade`` hands over."""
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations with `cnnt db migrate`, which provides the connection")
    _configure(connection, metadata, schema)
    with context.begin_transaction():
        context.run_migrations()


# Components whose migrations are not in ``<name>.migrations``.
MIGRATION_PACKAGES = {"operations": "cnnt_runtime.ops:migrations"}


def alembic_config(component: str) -> Config:
    config = Config()
    location = MIGRATION_PACKAGES.get(component, f"{component}:migrations")
    config.set_main_option("script_location", location)
    return config


async def upgrade(settings: Settings, service: str, revision: str = "head") -> None:
    engine = create_async_engine(settings.service_dsn(service), poolclass=NullPool)
    config = alembic_config(service)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def autogenerate(settings: Settings, service: str, message: str) -> None:
    """Write a new revision from the difference between the tables and the database."""
    engine = create_async_engine(settings.service_dsn(service), poolclass=NullPool)
    config = alembic_config(service)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()


async def schema_state(settings: Settings, component: str) -> str:
    """Where a component's schema stands against this code's migrations, read as the
    component's own role: ``current`` (at this code's head), ``behind`` (not migrated yet, or not
    as far) or ``newer`` (a later release's migrations applied: its migrations keep the previous
    release working, so this code may run)."""
    script = ScriptDirectory.from_config(alembic_config(component))
    known = {revision.revision for revision in script.walk_revisions()}
    engine = create_async_engine(settings.service_dsn(component), poolclass=NullPool)

    def read(connection: Connection) -> set[str]:
        migration = MigrationContext.configure(connection, opts={"version_table_schema": component})
        return set(migration.get_current_heads())

    try:
        async with engine.connect() as conn:
            applied = await conn.run_sync(read)
    finally:
        await engine.dispose()
    if applied == set(script.get_heads()):
        return "current"
    if applied and not applied <= known:
        return "newer"
    return "behind"
