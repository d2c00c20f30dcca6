"""judging keeps the counts a whole tally must match

JudgingClosed carries the standing entries, the sheets that count, the sum of their revisions
and the sheets set aside; certification keeps them to say whether its tally is complete and to
refuse a decision until it is. Null for a JudgingClosed published before the counts existed.

Revision ID: 61ee4e6e8150
Revises: 274c04bc717b
Create Date: 2026-11-27 13:31:21.361091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '61ee4e6e8150'
down_revision: str | None = '274c04bc717b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("entries", "sheets", "sheet_revisions", "sheets_set_aside")


def upgrade() -> None:
    for name in COUNTS:
        op.add_column(
            "judging", sa.Column(name, sa.Integer(), nullable=True), schema="certification"
        )


def downgrade() -> None:
    for name in reversed(COUNTS):
        op.drop_column("judging", name, schema="certification")
