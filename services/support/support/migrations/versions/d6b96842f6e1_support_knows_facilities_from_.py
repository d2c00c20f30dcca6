"""support knows facilities from registration's FacilityRecorded

Revision ID: d6b96842f6e1
Revises: 691787940bcd
Create Date: 2026-11-27 13:31:04.364156
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'd6b96842f6e1'
down_revision: str | None = '691787940bcd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('facilities',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('kind', sa.Enum('sme', 'cooperative', 'cooperative_group', 'household_business', name='facilitykind_value', native_enum=False, create_constraint=True, length=40, schema='support'), nullable=False),
    sa.Column('province_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('current_province_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    schema='support'
    )


def downgrade() -> None:
    op.drop_table('facilities', schema='support')
