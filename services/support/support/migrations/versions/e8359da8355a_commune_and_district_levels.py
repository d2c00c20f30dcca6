"""commune and district levels

Revision ID: e8359da8355a
Revises: b98cfb462810
Create Date: 2026-12-08 01:24:28.600212
"""

from collections.abc import Sequence

from alembic import op


revision: str = 'e8359da8355a'
down_revision: str | None = 'b98cfb462810'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_LEVELS = "('provincial', 'regional', 'national')"
NEW_LEVELS = "('commune', 'district', 'provincial', 'regional', 'national')"
LEVELLED = [('recognitions', 'level'), ('grants', 'priority_level')]


def _levels(allowed: str) -> None:
    # A level is a VARCHAR with a CHECK (cnnt_runtime.db.types.enum_type): widen the check.
    for table, column in LEVELLED:
        op.execute(f'ALTER TABLE support.{table} DROP CONSTRAINT IF EXISTS level_value')
        op.execute(
            f'ALTER TABLE support.{table} ADD CONSTRAINT level_value '
            f'CHECK ({column} IN {allowed})'
        )


def upgrade() -> None:
    _levels(NEW_LEVELS)


def downgrade() -> None:
    _levels(OLD_LEVELS)
