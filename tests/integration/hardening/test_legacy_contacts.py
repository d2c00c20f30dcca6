"""Facilities stored before contacts had a schema: the migration keeps the four typed fields
(strings, cut to their limits) and drops the rest, so such rows read again."""

from __future__ import annotations

import json
import uuid

import httpx
from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_runtime.auth import Role
from cnnt_runtime.db.migrations import alembic_config, upgrade
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import bearer

BEFORE_CONTACTS_HAD_A_SCHEMA = "e5187eb42dc1"
CONTACTS_HAVE_A_SCHEMA = "3b1f6c2a9d40"


async def _legacy_facility(settings: Settings, contacts: object) -> uuid.UUID:
    facility = uuid.uuid4()
    engine = create_async_engine(settings.service_dsn("registration"))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO registration.facilities (id, name, name_folded, kind, "
                    "business_code, province_code, address, contacts) VALUES (:i, 'Cơ sở cũ', "
                    "'co so cu', 'sme', :c, 'dak-lak', '', CAST(:j AS jsonb))"
                ),
                {"i": facility, "c": identities.code("OLD"), "j": json.dumps(contacts)},
            )
    finally:
        await engine.dispose()
    return facility


async def _rerun_the_migration(settings: Settings) -> None:
    engine = create_async_engine(settings.service_dsn("registration"))
    config = alembic_config("registration")

    async def stamp(revision: str) -> None:
        def run(connection: Connection) -> None:
            config.attributes["connection"] = connection
            command.stamp(config, revision)

        async with engine.begin() as conn:
            await conn.run_sync(run)

    # Only that migration runs again; the later ones stay applied (stamped back to head).
    try:
        await stamp(BEFORE_CONTACTS_HAD_A_SCHEMA)
        await upgrade(settings, "registration", CONTACTS_HAVE_A_SCHEMA)
        await stamp("head")
    finally:
        await engine.dispose()


async def test_stored_contacts_outside_the_schema_are_reduced_to_the_typed_fields(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    deep: dict[str, object] = {}
    for _ in range(400):
        deep = {"a": deep}
    nested = await _legacy_facility(stack, deep)
    mixed = await _legacy_facility(
        stack, {"phone": "0262 3852 123", "email": {"x": 1}, "fax": "1", "person": "p" * 300}
    )
    await _rerun_the_migration(stack)
    headers = bearer(stack, Role.MINISTRY)
    read = await registration.get(f"/api/v1/facilities/{nested}", headers=headers)
    assert read.status_code == 200, read.text
    assert read.json()["contacts"] == {}
    read = await registration.get(f"/api/v1/facilities/{mixed}", headers=headers)
    assert read.json()["contacts"] == {"phone": "0262 3852 123", "person": "p" * 200}
