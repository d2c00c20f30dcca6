"""signed documents are kept as issued

Certificates and decisions are signed PDFs (PAdES): each edition is kept byte for byte under
its SHA-256, so a file a person holds can be checked against what was issued, and a revoked
certificate's first edition stays intact beside its stamped one.

Revision ID: e4a1c9d27b35
Revises: db2d91a18772
Create Date: 2026-12-08 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e4a1c9d27b35'
down_revision: str | None = 'db2d91a18772'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("signer", sa.String(length=500), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
        sa.UniqueConstraint("kind", "subject", "version"),
        schema="certification",
    )


def downgrade() -> None:
    op.drop_table("documents", schema="certification")
