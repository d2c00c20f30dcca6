"""entries carry their registration sequence

ProductRegistered now carries registration's sequence, which breaks ranking ties between
entries registered at the same time (the rows of one import). Entries known from earlier events
have none.

Revision ID: b71c3e0a9d42
Revises: 61ee4e6e8150
Create Date: 2026-11-27 13:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b71c3e0a9d42'
down_revision: str | None = '61ee4e6e8150'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'entries',
        sa.Column('registration_sequence', sa.BigInteger(), nullable=True),
        schema='certification',
    )


def downgrade() -> None:
    op.drop_column('entries', 'registration_sequence', schema='certification')
