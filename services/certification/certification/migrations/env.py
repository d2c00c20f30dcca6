"""Alembic environment of the certification service (version table in its own schema)."""

from cnnt_shared.db.migrations import run_env
from certification.adapters.tables import SCHEMA, metadata

run_env(metadata, SCHEMA)
