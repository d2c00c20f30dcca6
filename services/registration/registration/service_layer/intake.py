"""The local record of recognitions, built from certification's events, against which regional
and national entries are checked (no call to another service)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from cnnt_shared.contracts import ProductRecognized, RecognitionRevoked
from cnnt_shared.db.unit_of_work import UnitOfWork, apply_once
from registration.adapters.tables import RecognitionRow, RevocationRow

RecognitionEvent = ProductRecognized | RecognitionRevoked


async def apply_recognition_event(uow: UnitOfWork, consumer: str, event: RecognitionEvent) -> None:
    await apply_once(uow, consumer, event, lambda u: _apply(u, event))


async def _apply(uow: UnitOfWork, event: RecognitionEvent) -> None:
    # Keyed by entry: a replayed or re-sent recognition of the same entry changes nothing, and
    # a revocation that overtakes its recognition is kept and still applies when it arrives.
    match event:
        case ProductRecognized(data=data):
            await uow.session.execute(
                insert(RecognitionRow)
                .values(
                    entry_id=data.entry_id,
                    certificate_number=data.certificate_number,
                    round_id=data.round_id,
                    level=data.level,
                    scope_code=data.scope_code,
                    year=data.year,
                    product_id=data.product.id,
                    facility_id=data.facility.id,
                    valid_until=data.valid_until,
                    recognized_at=data.recognized_at,
                )
                .on_conflict_do_nothing()
            )
        case RecognitionRevoked(data=data):
            await uow.session.execute(
                insert(RevocationRow)
                .values(
                    entry_id=data.entry_id,
                    certificate_number=data.certificate_number,
                    product_id=data.product_id,
                    decision_number=data.decision_number,
                    reason=data.reason,
                    revoked_at=data.revoked_at,
                )
                .on_conflict_do_nothing()
            )
