"""commune and district levels, a facility's commune, a round's need of a local recognition

Revision ID: 4b354ef1a24e
Revises: aff0c6652289
Create Date: 2026-12-08 01:23:15.968409
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '4b354ef1a24e'
down_revision: str | None = 'aff0c6652289'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_LEVELS = "('provincial', 'regional', 'national')"
NEW_LEVELS = "('commune', 'district', 'provincial', 'regional', 'national')"
LEVELLED = ('rounds', 'recognitions')


def _levels(allowed: str) -> None:
    # The level is a VARCHAR with a CHECK (cnnt_runtime.db.types.enum_type): widen the check.
    for table in LEVELLED:
        op.execute(f'ALTER TABLE registration.{table} DROP CONSTRAINT IF EXISTS level_value')
        op.execute(
            f'ALTER TABLE registration.{table} ADD CONSTRAINT level_value CHECK (level IN {allowed})'
        )


def upgrade() -> None:
    _levels(NEW_LEVELS)
    op.add_column('facilities', sa.Column('commune_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True), schema='registration')
    op.create_index(op.f('ix_registration_facilities_commune_code'), 'facilities', ['commune_code'], unique=False, schema='registration')
    op.add_column('rounds', sa.Column('requires_local_recognition', sa.Boolean(), nullable=False, server_default=sa.false()), schema='registration')


def downgrade() -> None:
    _levels(OLD_LEVELS)
    op.drop_column('rounds', 'requires_local_recognition', schema='registration')
    op.drop_index(op.f('ix_registration_facilities_commune_code'), table_name='facilities', schema='registration')
    op.drop_column('facilities', 'commune_code', schema='registration')
