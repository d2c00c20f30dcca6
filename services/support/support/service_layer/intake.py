"""What support learns from other services: the facilities registration records (only they may
apply) and the recognitions certification announces (they drive priority).

A revocation is kept in its own table, so one that arrives before its recognition (queues do
not promise order across producers' retries) still counts when the recognition arrives. A
revocation never touches grants already made: it only lowers priority for later decisions.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from cnnt_contracts import FacilityRecorded
from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from cnnt_runtime.db.unit_of_work import UnitOfWork, apply_once
from support.adapters.tables import FacilityRow, RecognitionRow, RevocationRow

RecognitionEvent = replicas.RecognitionEvent


recognitions = replicas.RecognitionReplica(table_of(RecognitionRow), table_of(RevocationRow))
apply_recognition_event = recognitions.apply


async def apply_facility_recorded(uow: UnitOfWork, consumer: str, event: FacilityRecorded) -> None:
    await apply_once(uow, consumer, event, lambda u: _upsert(u, event))


async def _upsert(uow: UnitOfWork, event: FacilityRecorded) -> None:
    data = event.data
    values = {
        "id": data.facility_id,
        "name": data.name,
        "kind": data.kind,
        "province_code": data.province_code,
        "current_province_code": data.current_province_code,
        "recorded_at": data.recorded_at,
    }
    stmt = insert(FacilityRow).values(**values)
    # Queues do not promise order across retries: an older version arriving late changes nothing.
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[FacilityRow.__table__.c.id],  # type: ignore[attr-defined]
            set_={k: stmt.excluded[k] for k in values if k != "id"},
            where=FacilityRow.__table__.c.recorded_at < stmt.excluded.recorded_at,  # type: ignore[attr-defined]
        )
    )
