"""Alembic environment of the support service (version table in its own schema)."""

from cnnt_runtime.db.migrations import run_env
from support.adapters.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
