"""one head: decisions' issuer and signatory after entries' registration sequence

Revision ID: 624da0533074
Revises: 6d2f0b8e4c1a, b71c3e0a9d42

Two branches merged into main each added a revision on the same parent; Alembic
refused to upgrade to "head" (migrate failed in the compose smoke run). Nothing to do
but join them.

Create Date: 2026-11-27 15:29:29.131526
"""

from collections.abc import Sequence

revision: str = '624da0533074'
down_revision: str | Sequence[str] | None = ('6d2f0b8e4c1a', 'b71c3e0a9d42')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
