"""commune and district levels

Revision ID: 8bbeaff09dd1
Revises: 06a7f6cb7f96
Create Date: 2026-12-08 01:23:47.689522
"""

from collections.abc import Sequence

from alembic import op


revision: str = '8bbeaff09dd1'
down_revision: str | None = '06a7f6cb7f96'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_LEVELS = "('provincial', 'regional', 'national')"
NEW_LEVELS = "('commune', 'district', 'provincial', 'regional', 'national')"
LEVELLED = [('rounds', 'level')]


def _levels(allowed: str) -> None:
    # A level is a VARCHAR with a CHECK (cnnt_runtime.db.types.enum_type): widen the check.
    for table, column in LEVELLED:
        op.execute(f'ALTER TABLE evaluation.{table} DROP CONSTRAINT IF EXISTS level_value')
        op.execute(
            f'ALTER TABLE evaluation.{table} ADD CONSTRAINT level_value '
            f'CHECK ({column} IN {allowed})'
        )


def upgrade() -> None:
    _levels(NEW_LEVELS)


def downgrade() -> None:
    _levels(OLD_LEVELS)
