"""Alembic environment of the certification service (version table in its own schema)."""

from certification.adapters.tables import SCHEMA, metadata
from cnnt_runtime.db.migrations import run_env

run_env(metadata, SCHEMA)
