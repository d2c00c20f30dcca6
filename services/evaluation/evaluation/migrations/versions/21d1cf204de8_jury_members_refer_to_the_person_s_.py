"""jury members refer to the person's console account

Revision ID: 21d1cf204de8
Revises: afcf429686f4
Create Date: 2026-11-27 14:10:30.885870
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '21d1cf204de8'
down_revision: str | None = 'afcf429686f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'jury_members',
        sa.Column('account_id', sa.String(length=80), nullable=True),
        schema='evaluation',
    )
    op.create_index(
        op.f('ix_evaluation_jury_members_account_id'),
        'jury_members',
        ['account_id'],
        unique=False,
        schema='evaluation',
    )
    op.create_index(
        'ux_jury_members_one_seat_per_account',
        'jury_members',
        ['round_id', 'account_id'],
        unique=True,
        schema='evaluation',
        postgresql_where=sa.text('account_id IS NOT NULL'),
    )


def downgrade() -> None:
    op.drop_index('ux_jury_members_one_seat_per_account', table_name='jury_members', schema='evaluation')
    op.drop_index(op.f('ix_evaluation_jury_members_account_id'), table_name='jury_members', schema='evaluation')
    op.drop_column('jury_members', 'account_id', schema='evaluation')
