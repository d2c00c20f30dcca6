"""Alembic environment of the operations component (version table in its own schema)."""

from cnnt_runtime.db.migrations import run_env
from cnnt_runtime.ops.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
