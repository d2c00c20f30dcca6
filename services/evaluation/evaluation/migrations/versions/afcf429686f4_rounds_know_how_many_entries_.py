"""rounds know how many entries registration closed with

RoundClosed carries the number of standing entries; evaluation keeps it so that it forms a jury
and closes judging only once it holds every one of them.

Revision ID: afcf429686f4
Revises: 9865a0c7eb44
Create Date: 2026-11-27 13:31:10.733142
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'afcf429686f4'
down_revision: str | None = '9865a0c7eb44'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rounds",
        sa.Column("expected_entries", sa.Integer(), nullable=True),
        schema="evaluation",
    )
    # Rounds already closed took their RoundClosed in before its count was kept: what they
    # hold is the best knowledge there is, and judging on them went ahead on it anyway.
    op.execute(
        "UPDATE evaluation.rounds r SET expected_entries = ("
        " SELECT count(*) FROM evaluation.entries e WHERE e.round_id = r.id AND NOT e.withdrawn)"
        " WHERE r.registration_closed"
    )


def downgrade() -> None:
    op.drop_column("rounds", "expected_entries", schema="evaluation")
