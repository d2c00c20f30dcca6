"""merge the rounds' jury seats and the four levels

Revision ID: 8e21c4d7f0b3
Revises: 9707376aa6b1, 5d0b7e3c2a91
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence


revision: str = '8e21c4d7f0b3'
down_revision: str | Sequence[str] | None = ('9707376aa6b1', '5d0b7e3c2a91')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
