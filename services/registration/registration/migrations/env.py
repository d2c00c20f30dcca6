"""Alembic environment of the registration service (version table in its own schema)."""

from cnnt_runtime.db.migrations import run_env
from registration.adapters.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
