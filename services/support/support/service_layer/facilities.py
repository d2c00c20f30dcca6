"""Facilities known from registration's events: support grants money only to facilities the
programme's register holds (cơ sở CNNT), never to an id a client made up."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.dialects.postgresql import insert

from cnnt_shared.contracts import FacilityRecorded
from cnnt_shared.db.unit_of_work import UnitOfWork, apply_once
from cnnt_shared.errors import DomainError, NotFound
from support.adapters.tables import FacilityRow


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


async def known_facility(uow: UnitOfWork, facility_id: UUID, *, field: str) -> FacilityRow:
    """The facility as registration last announced it; 422 ``facility_unknown`` otherwise."""
    row = await uow.session.get(FacilityRow, facility_id)
    if row is None:
        raise DomainError(
            "facility_unknown",
            f"no facility with id {facility_id} is known from registration "
            "(a facility registered moments ago may still be on its way)",
            field=field,
        )
    return row


async def get_facility(uow: UnitOfWork, facility_id: UUID) -> FacilityRow:
    row = await uow.session.get(FacilityRow, facility_id)
    if row is None:
        raise NotFound(
            "facility_unknown", f"no facility with id {facility_id} is known", field="facility_id"
        )
    return row
