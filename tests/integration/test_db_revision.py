"""`cnnt db revision`: with the migrations applied, the comparison it writes a revision from finds
nothing for any component (it once re-created every table: as the component's role, whose
search_path is its schema, Alembic reflected that schema as the unnamed default one and the
schema filter left it out), and it does find a real change to the tables."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Column, MetaData, Text

from cnnt_runtime.components import components
from cnnt_runtime.db import bootstrap
from cnnt_runtime.db.migrations import pending_changes, upgrade
from cnnt_runtime.settings import Settings
from evaluation.adapters.tables import SCHEMA as EVALUATION
from evaluation.adapters.tables import metadata as evaluation_tables


@pytest.fixture(scope="module")
async def migrated(stack: Settings) -> AsyncIterator[Settings]:
    """A database and roles of this module's own, every component migrated to head as
    `cnnt db revision` does before it compares (bootstrap, then upgrade as the component).
    Named after the run's (which no other run on the machine shares: tests/support/stack.py)."""
    settings = stack.model_copy(
        update={
            "db_name": f"{stack.db_name}_revision",
            "db_role_prefix": f"{stack.db_role_prefix}r_",
        }
    )
    try:
        await bootstrap.bootstrap(settings, components())
        for name in components():
            await upgrade(settings, name)
        yield settings
    finally:
        await bootstrap.drop(settings, components())


@pytest.mark.parametrize("component", components())
async def test_migrations_and_tables_agree(migrated: Settings, component: str) -> None:
    assert await pending_changes(migrated, component) == []


async def test_a_column_the_migrations_lack_is_the_one_change_found(migrated: Settings) -> None:
    changed = MetaData()
    for table in evaluation_tables.tables.values():
        table.to_metadata(changed)
    rounds = changed.tables[f"{EVALUATION}.rounds"]
    rounds.append_column(Column("jury_note", Text, nullable=True))

    diffs = await pending_changes(migrated, "evaluation", changed)

    assert len(diffs) == 1, diffs
    kind, schema, table, column = diffs[0]
    assert (kind, schema, table, column.name) == ("add_column", EVALUATION, "rounds", "jury_note")
