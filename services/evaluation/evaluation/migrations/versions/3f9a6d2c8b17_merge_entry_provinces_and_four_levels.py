"""merge where each entry's province is and the four levels

Revision ID: 3f9a6d2c8b17
Revises: 0eadf283da5d, 8bbeaff09dd1
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence


revision: str = '3f9a6d2c8b17'
down_revision: str | Sequence[str] | None = ('0eadf283da5d', '8bbeaff09dd1')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
