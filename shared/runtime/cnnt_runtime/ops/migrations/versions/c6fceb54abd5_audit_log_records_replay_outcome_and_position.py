"""audit log rows record a replay's outcome, confirmed position and end

Revision ID: c6fceb54abd5
Revises: d4927446b800
Create Date: 2026-11-27 13:37:55.990071
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c6fceb54abd5'
down_revision: str | None = 'd4927446b800'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before this revision were written once a command had finished.
    op.add_column('audit_log', sa.Column('outcome', sa.String(length=20), server_default='completed', nullable=False), schema='operations')
    op.add_column('audit_log', sa.Column('position', sa.BigInteger(), nullable=True), schema='operations')
    op.add_column('audit_log', sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True), schema='operations')


def downgrade() -> None:
    op.drop_column('audit_log', 'finished_at', schema='operations')
    op.drop_column('audit_log', 'position', schema='operations')
    op.drop_column('audit_log', 'outcome', schema='operations')
