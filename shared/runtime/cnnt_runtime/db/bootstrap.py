"""Create the database, one login role and one schema per service (admin connection).

Each role owns its schema and has no right on the others: the isolation the architecture
promises is enforced by PostgreSQL, not by convention. Idempotent.

It also hands back to each role whatever in its schema someone else owns: a ``pg_restore
--no-owner`` (or a restore by an administrator, or one schema restored alone) leaves the tables,
sequences and Alembic's version table to the restoring user, and the service could neither
read them nor migrate them. Ownership, not only grants: migrations ALTER their tables, which
only the owner may do.
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
            await _reclaim(db, service, settings.role(service))
    finally:
        await db.close()


# Relations first: a table's ALTER … OWNER takes its owned (serial, identity) sequences and its
# row type with it; only standalone sequences, types and routines are left for later passes.
_FOREIGN_RELATIONS = """
SELECT c.relkind::text, format('%I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
ORDER BY c.relkind = 'S', c.oid
"""
_FOREIGN_TYPES = """
SELECT format('%I.%I', n.nspname, t.typname)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)
  AND t.typtype IN ('e', 'd', 'r', 'm')
"""
_FOREIGN_ROUTINES = """
SELECT p.oid::regprocedure::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $2)
"""
_ALTER = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW"}


async def _reclaim(db: asyncpg.Connection, schema: str, role: str) -> None:
    """Give ``role`` back every object of its schema another role owns.

    Ownership carries every privilege, so no GRANT is written: an explicit grant (or default
    privilege) naming the role would be an ACL entry in every dump, and restoring that dump
    where the roles do not exist yet (a fresh server, or after ``cnnt db drop``) would fail on
    it. What an administrator creates in the schema later is handed over on the next prepare."""
    quoted = _ident(role)
    for kind, name in await db.fetch(_FOREIGN_RELATIONS, schema, role):
        await db.execute(f"ALTER {_ALTER.get(kind, 'SEQUENCE')} {name} OWNER TO {quoted}")
    for (name,) in await db.fetch(_FOREIGN_TYPES, schema, role):
        await db.execute(f"ALTER TYPE {name} OWNER TO {quoted}")
    for (name,) in await db.fetch(_FOREIGN_ROUTINES, schema, role):
        await db.execute(f"ALTER ROUTINE {name} OWNER TO {quoted}")


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
