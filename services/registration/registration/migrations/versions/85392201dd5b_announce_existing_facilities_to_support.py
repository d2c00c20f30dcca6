"""announce existing facilities as FacilityRecorded events

Support accepts applications only for facilities it learnt from registration's events. The
facilities registered before FacilityRecorded existed are announced once, through the outbox,
so that the relay publishes them like any other event.

Revision ID: 85392201dd5b
Revises: 3b1f6c2a9d40
Create Date: 2026-11-27 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from cnnt_contracts import FacilityRecorded, FacilityRecordedData
from cnnt_runtime.db.tables import outbox_table
from cnnt_runtime.db.unit_of_work import outbox_row
from cnnt_runtime.reference import current_unit

revision: str = '85392201dd5b'
down_revision: str | None = '3b1f6c2a9d40'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    facilities = bind.execute(
        sa.text("SELECT id, name, kind, province_code, created_at FROM registration.facilities")
    ).all()
    if not facilities:
        return
    outbox = outbox_table(sa.MetaData(schema='registration'))
    events = [
        FacilityRecorded.new(
            FacilityRecordedData(
                facility_id=f.id,
                name=f.name,
                kind=f.kind,
                province_code=f.province_code,
                current_province_code=current_unit(f.province_code).code,
                recorded_at=f.created_at,
            )
        )
        for f in facilities
    ]
    op.bulk_insert(outbox, [outbox_row(e) for e in events])


def downgrade() -> None:
    # The announcements may already be published; the event log keeps them.
    pass
