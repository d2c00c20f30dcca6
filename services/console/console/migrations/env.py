"""Alembic environment of the console (version table in its own schema)."""

from cnnt_runtime.db.migrations import run_env
from console.adapters.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
