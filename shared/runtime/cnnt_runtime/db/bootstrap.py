"""Create the database, one login role and one schema per service (admin connection).

Each role owns its schema and has no right on the others: the isolation the architecture
promises is enforced by PostgreSQL, not by convention. Idempotent.
"""

from __future__ import annotations

import asyncpg

from cnnt_runtime.settings import SERVICE_NAMES, Settings


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unsafe identifier {name!r}")
    return f'"{name}"'


async def bootstrap(settings: Settings, services: tuple[str, ...] = SERVICE_NAMES) -> None:
    server = await asyncpg.connect(settings.admin_dsn("postgres"))
    try:
        exists = await server.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", settings.db_name
        )
        if not exists:
            await server.execute(f"CREATE DATABASE {_ident(settings.db_name)} ENCODING 'UTF8'")
        password = settings.db_service_password.get_secret_value()
        for service in services:
            role = settings.role(service)
            if not await server.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
                await server.execute(f"CREATE ROLE {_ident(role)} LOGIN")
            # Passwords cannot be bound as parameters in DDL; quote_literal does the escaping.
            literal = await server.fetchval("SELECT quote_literal($1::text)", password)
            await server.execute(f"ALTER ROLE {_ident(role)} WITH LOGIN PASSWORD {literal}")
        await server.execute(f"REVOKE ALL ON DATABASE {_ident(settings.db_name)} FROM PUBLIC")
        for service in services:
            await server.execute(
                f"GRANT CONNECT, TEMPORARY ON DATABASE {_ident(settings.db_name)} "
                f"TO {_ident(settings.role(service))}"
            )
    finally:
        await server.close()

    db = await asyncpg.connect(settings.admin_dsn())
    try:
        await db.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        for service in services:
            role = _ident(settings.role(service))
            await db.execute(f"CREATE SCHEMA IF NOT EXISTS {_ident(service)} AUTHORIZATION {role}")
            await db.execute(f"ALTER SCHEMA {_ident(service)} OWNER TO {role}")
            await db.execute(f"ALTER ROLE {role} SET search_path = {_ident(service)}")
    finally:
        await db.close()


async def drop(
    settings: Settings, services: tuple[str, ...] = SERVICE_NAMES, *, roles: bool = True
) -> None:
    """Drop the database and, unless told not to, the service roles (tests, local resets)."""
    server = await asyncpg.connect(settings.admin_dsn("postgres"))
    try:
        await server.execute(f"DROP DATABASE IF EXISTS {_ident(settings.db_name)} WITH (FORCE)")
        for service in services if roles else ():
            await server.execute(f"DROP ROLE IF EXISTS {_ident(settings.role(service))}")
    finally:
        await server.close()
