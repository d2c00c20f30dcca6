"""entries province_code holds every province slug

A slug such as ``ho-chi-minh`` or ``tuyen-quang`` (11 characters) did not fit in 10: those
provinces' ProductRegistered events failed and were dead-lettered.

Revision ID: 9865a0c7eb44
Revises: f0234f57cb1d
Create Date: 2026-11-22 01:15:59.079000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9865a0c7eb44'
down_revision: str | None = 'f0234f57cb1d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column(
        "entries",
        "province_code",
        type_=sa.String(length=40),
        existing_type=sa.String(length=10),
        existing_nullable=False,
        schema="evaluation",
    )


def downgrade() -> None:
    op.alter_column(
        "entries",
        "province_code",
        type_=sa.String(length=10),
        existing_type=sa.String(length=40),
        existing_nullable=False,
        schema="evaluation",
    )
