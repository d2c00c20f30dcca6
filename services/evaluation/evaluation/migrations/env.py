"""Alembic environment of the evaluation service (version table in its own schema)."""

from cnnt_runtime.db.migrations import run_env
from evaluation.adapters.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
