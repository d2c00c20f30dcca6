"""merge the signed documents and the four levels

Revision ID: 7c4e2b9a1f60
Revises: e4a1c9d27b35, fd3f459aa405
Create Date: 2026-12-08 01:45:00
"""

from collections.abc import Sequence


revision: str = '7c4e2b9a1f60'
down_revision: str | Sequence[str] | None = ('e4a1c9d27b35', 'fd3f459aa405')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
