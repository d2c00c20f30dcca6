"""Alembic for every service: the version table lives in the service's own schema, and
migrations run as the service's own role (so the tables it creates belong to it).

A service's ``migrations/env.py`` is one call to ``run_env``; ``upgrade`` runs them
programmatically on an asyncpg connection (Alembic's "connection sharing" recipe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command, context
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cnnt_runtime.settings import Settings


def _configure(connection: Connection, metadata: MetaData, schema: str) -> None:
    # Autogenerate compares with an empty search_path (_COMPARE_SEARCH_PATH): the component's
    # schema then comes by its name, and the unnamed default schema (None) is left out.
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


# The search_path autogenerate compares with. As the component's role, whose search_path is its
# schema, that schema would be the connection's default one: Alembic reflects the default schema
# under the name None, so the tables declared with schema="<component>" would match nothing and
# include_name would leave it out (every table "added"). With no schema on the path (SQLAlchemy's
# advice on PostgreSQL reflection and search_path), the schema is reflected by its name, foreign
# keys keep theirs, and the version table in it is the one Alembic leaves out.
_COMPARE_SEARCH_PATH = ""


async def _as_role(
    settings: Settings,
    component: str,
    work: Callable[[Connection], None],
    *,
    search_path: str | None = None,
) -> None:
    """Run ``work`` in one transaction on a connection as the component's own role: Alembic's
    "connection sharing" recipe hands it to env.py. The role's search_path (its schema) applies
    unless ``search_path`` is given."""
    connect_args = {} if search_path is None else {"server_settings": {"search_path": search_path}}
    engine = create_async_engine(
        settings.service_dsn(component), poolclass=NullPool, connect_args=connect_args
    )
    try:
        async with engine.begin() as conn:
            await conn.run_sync(work)
    finally:
        await engine.dispose()


async def upgrade(settings: Settings, service: str, revision: str = "head") -> None:
    config = alembic_config(service)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    await _as_role(settings, service, run)


async def autogenerate(settings: Settings, service: str, message: str) -> None:
    """Write a new revision from the difference between the tables and the database."""
    config = alembic_config(service)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)

    await _as_role(settings, service, run, search_path=_COMPARE_SEARCH_PATH)


async def pending_changes(
    settings: Settings, component: str, metadata: MetaData | None = None
) -> list[Any]:
    """The comparison ``autogenerate`` writes a revision from, without writing one: Alembic's
    diff between the component's tables (or ``metadata`` instead) and its schema, made through
    the component's env.py on a connection as its own role. Empty when the migrations and the
    tables agree."""
    config = alembic_config(component)
    script = ScriptDirectory.from_config(config)
    diffs: list[Any] = []

    def compare(_heads: Any, migration: MigrationContext) -> list[Any]:
        target = metadata if metadata is not None else migration.opts["target_metadata"]
        diffs.extend(compare_metadata(migration, target))
        return []  # no migration to run

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        with EnvironmentContext(config, script, fn=compare):
            script.run_env()

    await _as_role(settings, component, run, search_path=_COMPARE_SEARCH_PATH)
    return diffs


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
