"""The register of decisions and what they issue: every decision is recorded once, under its
own number; certificates take the next numbers of their series under the series' row lock."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from certification.adapters.tables import (
    CertificateSeriesRow,
    DecisionRow,
    RecognitionRow,
    RoundRow,
)
from certification.domain.certificates import RoundIdentity
from certification.domain.decisions import DecisionKind, Issue, Signature, issuing_authority
from certification.service_layer.announcements import recognized
from certification.service_layer.results import entries_of
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict


async def record_decision(
    uow: UnitOfWork,
    who: Principal,
    round_: RoundRow,
    kind: DecisionKind,
    number: str,
    decided_on: date,
    reason: str = "",
    signature: Signature | None = None,
) -> DecisionRow:
    signed = signature or Signature()
    decision = DecisionRow(
        id=uuid.uuid4(),
        round_id=round_.id,
        kind=kind,
        authority=issuing_authority(RoundIdentity(round_.level, round_.scope_code, round_.year)),
        year=decided_on.year,
        number=number.strip(),
        decided_on=decided_on,
        reason=reason,
        decided_by=who.subject,
        recorded_at=datetime.now(UTC),
        issuer=signed.issuer.strip(),
        place=signed.place.strip(),
        signatory_title=signed.title.strip(),
        signatory_name=signed.name.strip(),
    )
    claimed = await uow.session.execute(
        insert(DecisionRow)
        .values(**decision.model_dump())
        .on_conflict_do_nothing()
        .returning(col(DecisionRow.id))
    )
    if claimed.first() is None:
        raise Conflict(
            "decision_number_taken",
            f"quyết định số {number!r} năm {decided_on.year} đã được ghi nhận",
            field="number",
        )
    return decision


async def lock_series(uow: UnitOfWork, series: str) -> CertificateSeriesRow:
    """The series' counter, locked until the decision commits (numbers without gaps)."""
    await uow.session.execute(
        insert(CertificateSeriesRow).values(series=series, issued=0).on_conflict_do_nothing()
    )
    locked = await uow.session.execute(
        select(CertificateSeriesRow)
        .where(col(CertificateSeriesRow.series) == series)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return locked.scalar_one()


async def issue_recognitions(
    uow: UnitOfWork,
    round_: RoundRow,
    series: CertificateSeriesRow,
    issues: Sequence[Issue],
    decision: DecisionRow,
) -> None:
    """Create the recognitions, announce each (ProductRecognized) and advance the counters."""
    entries = await entries_of(uow, round_.id)
    now = datetime.now(UTC)
    for i, issue in enumerate(issues, series.issued + 1):
        recognition = RecognitionRow(
            certificate_number=issue.certificate_number,
            round_id=round_.id,
            series=series.series,
            sequence=i,
            entry_id=issue.entry_id,
            decision_id=decision.id,
            rank=issue.rank,
            mean=issue.mean,
            valid_until=issue.valid_until,
            recognized_at=now,
        )
        uow.session.add(recognition)
        uow.emit(recognized(round_, entries[issue.entry_id], recognition, decision))
    series.issued += len(issues)
    await uow.session.execute(
        update(RoundRow)
        .where(col(RoundRow.id) == round_.id)
        .values(certificates_issued=col(RoundRow.certificates_issued) + len(issues))
    )
