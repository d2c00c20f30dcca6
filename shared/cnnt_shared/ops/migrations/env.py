"""Alembic environment of the operations component (version table in its own schema)."""

from cnnt_shared.db.migrations import run_env
from cnnt_shared.ops.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
