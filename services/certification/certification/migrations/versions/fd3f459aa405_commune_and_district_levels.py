"""commune and district levels

Revision ID: fd3f459aa405
Revises: db2d91a18772
Create Date: 2026-12-08 01:24:08.898092
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'fd3f459aa405'
down_revision: str | None = 'db2d91a18772'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_LEVELS = "('provincial', 'regional', 'national')"
NEW_LEVELS = "('commune', 'district', 'provincial', 'regional', 'national')"
LEVELLED = [('rounds', 'level')]


def _levels(allowed: str) -> None:
    # A level is a VARCHAR with a CHECK (cnnt_runtime.db.types.enum_type): widen the check.
    for table, column in LEVELLED:
        op.execute(f'ALTER TABLE certification.{table} DROP CONSTRAINT IF EXISTS level_value')
        op.execute(
            f'ALTER TABLE certification.{table} ADD CONSTRAINT level_value '
            f'CHECK ({column} IN {allowed})'
        )


def upgrade() -> None:
    _levels(NEW_LEVELS)


def downgrade() -> None:
    _levels(OLD_LEVELS)
