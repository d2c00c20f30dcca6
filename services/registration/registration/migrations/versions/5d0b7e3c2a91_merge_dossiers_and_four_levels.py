"""merge the dossiers' files and the four levels

Revision ID: 5d0b7e3c2a91
Revises: 467daa57bbf6, 4b354ef1a24e
Create Date: 2026-12-08 01:45:00
"""

from collections.abc import Sequence


revision: str = '5d0b7e3c2a91'
down_revision: str | Sequence[str] | None = ('467daa57bbf6', '4b354ef1a24e')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
