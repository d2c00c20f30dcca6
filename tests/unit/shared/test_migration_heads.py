"""Every component's migrations end in one head: `cnnt db prepare` upgrades to "head", which
Alembic refuses when two merged branches each added a revision on the same parent."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from cnnt_runtime.db.migrations import alembic_config

COMPONENTS = ("registration", "evaluation", "certification", "support", "console", "operations")


@pytest.mark.parametrize("component", COMPONENTS)
def test_each_components_migrations_have_exactly_one_head(component: str) -> None:
    heads = ScriptDirectory.from_config(alembic_config(component)).get_heads()
    assert len(heads) == 1, f"{component} has heads {heads}: add an Alembic merge revision"
