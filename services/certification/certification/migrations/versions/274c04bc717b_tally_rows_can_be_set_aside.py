"""tally rows can be set aside

A member who declares a conflict of interest, or is recused, after scoring an entry: evaluation
announces SheetSetAside and the sheet stops counting in the tally (kept, marked).

Revision ID: 274c04bc717b
Revises: ccbd85795872
Create Date: 2026-11-22 03:35:59.848435
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '274c04bc717b'
down_revision: str | None = 'ccbd85795872'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "sheets",
        sa.Column("set_aside_at", sa.DateTime(timezone=True), nullable=True),
        schema="certification",
    )
    op.add_column(
        "sheets",
        sa.Column("set_aside_reason", sa.String(length=40), nullable=True),
        schema="certification",
    )


def downgrade() -> None:
    op.drop_column("sheets", "set_aside_reason", schema="certification")
    op.drop_column("sheets", "set_aside_at", schema="certification")
