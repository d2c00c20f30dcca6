"""one head: jury members as persons and rounds' entry counts

Revision ID: 5cd0f2adf7db
Revises: 21d1cf204de8, afcf429686f4

Two branches merged into main each added a revision on the same parent; Alembic
refused to upgrade to "head" (migrate failed in the compose smoke run). Nothing to do
but join them.

Create Date: 2026-11-27 15:29:29.151536
"""

from collections.abc import Sequence

revision: str = '5cd0f2adf7db'
down_revision: str | Sequence[str] | None = ('21d1cf204de8', 'afcf429686f4')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
