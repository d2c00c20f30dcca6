"""outbox rows keep the trace context of the request or message that wrote them

W3C traceparent and tracestate, so the relay's publish span continues the trace that wrote the
event (OpenTelemetry; NULL while tracing is off). Nullable columns without a default: PostgreSQL
adds them without rewriting the table.

Revision ID: b98cfb462810
Revises: d6b96842f6e1
Create Date: 2026-11-27 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b98cfb462810'
down_revision: str | None = 'd6b96842f6e1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True), schema='support')
    op.add_column('outbox', sa.Column('tracestate', sa.String(length=512), nullable=True), schema='support')


def downgrade() -> None:
    op.drop_column('outbox', 'tracestate', schema='support')
    op.drop_column('outbox', 'traceparent', schema='support')
