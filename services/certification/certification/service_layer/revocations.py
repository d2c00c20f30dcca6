"""Revoking a certificate (Quyết định thu hồi): a new recorded decision with its reason,
announced by RecognitionRevoked, and a new signed edition of the certificate stamped "ĐÃ THU
HỒI" (the first edition stays as it was signed). The recognition row is locked, so it is
revoked once; without the authority's key nothing is recorded (503)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow
from certification.domain import decisions as rules
from certification.domain.decisions import DecisionKind
from certification.service_layer.access import require_authority
from certification.service_layer.certificates import find_certificate
from certification.service_layer.commands import Revoke
from certification.service_layer.decision_log import record_decision
from certification.service_layer.documents import issue_revoked_edition
from certification.service_layer.results import load_round
from cnnt_contracts import RecognitionRevoked, RecognitionRevokedData
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from cnnt_runtime.settings import Settings


async def revoke_certificate(
    uow: UnitOfWork, settings: Settings, who: Principal, certificate_number: str, command: Revoke
) -> DecisionRow:
    recognition = (
        await uow.session.execute(
            select(RecognitionRow)
            .where(col(RecognitionRow.certificate_number) == certificate_number)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if recognition is None:
        raise NotFound("certificate_unknown", f"không có giấy chứng nhận số {certificate_number!r}")
    round_ = await load_round(uow, recognition.round_id)
    require_authority(who, round_)
    rules.check_revocable(recognition.revoked_by is not None, command.reason)
    granting = await uow.session.get(DecisionRow, recognition.decision_id)
    assert granting is not None  # a recognition is written with the decision that grants it
    rules.check_revocation_date(command.decided_on, granting.decided_on)
    decision = await record_decision(
        uow,
        who,
        round_,
        DecisionKind.REVOCATION,
        command.number,
        command.decided_on,
        command.reason,
    )
    recognition.revoked_by = decision.id
    entry = await uow.session.get(EntryRow, recognition.entry_id)
    assert entry is not None
    uow.emit(
        RecognitionRevoked.new(
            RecognitionRevokedData(
                certificate_number=certificate_number,
                round_id=round_.id,
                entry_id=entry.id,
                product_id=entry.product_id,
                facility_id=entry.facility_id,
                decision_number=decision.number,
                reason=command.reason,
                revoked_at=decision.recorded_at,
            )
        )
    )
    revoked = await find_certificate(uow, certificate_number)
    assert revoked is not None
    await issue_revoked_edition(uow, settings, revoked)
    await uow.commit()
    return decision
