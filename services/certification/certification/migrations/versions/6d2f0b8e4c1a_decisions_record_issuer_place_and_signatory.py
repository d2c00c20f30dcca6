"""decisions record the issuer, place and signatory printed on certificates

A certificate reads like an official paper only with the issuing authority, where it was
signed and by whom. Existing decisions keep blanks; the certificate prints the round's
authority and place for them.

Revision ID: 6d2f0b8e4c1a
Revises: b71c3e0a9d42
Create Date: 2026-11-27 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6d2f0b8e4c1a'
down_revision: str | None = 'b71c3e0a9d42'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("issuer", 300), ("place", 100), ("signatory_title", 200), ("signatory_name", 200))


def upgrade() -> None:
    for name, length in COLUMNS:
        op.add_column(
            "decisions",
            sa.Column(name, sa.String(length=length), nullable=False, server_default=""),
            schema="certification",
        )


def downgrade() -> None:
    for name, _ in COLUMNS:
        op.drop_column("decisions", name, schema="certification")
