"""outbox rows keep the trace context of the request or message that wrote them

W3C traceparent and tracestate, so the relay's publish span continues the trace that wrote the
event (OpenTelemetry; NULL while tracing is off). Nullable columns without a default: PostgreSQL
adds them without rewriting the table.

Revision ID: aff0c6652289
Revises: 48bec9385e71
Create Date: 2026-11-27 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'aff0c6652289'
down_revision: str | None = '48bec9385e71'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True), schema='registration')
    op.add_column('outbox', sa.Column('tracestate', sa.String(length=512), nullable=True), schema='registration')


def downgrade() -> None:
    op.drop_column('outbox', 'tracestate', schema='registration')
    op.drop_column('outbox', 'traceparent', schema='registration')
