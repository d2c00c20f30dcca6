"""The list of certificates (giấy chứng nhận) with their standing, for officers and the console.

A certificate's status is read the way /verify reads it: revoked if a decision revoked it,
expired once its validity ended, valid otherwise. The province filter takes a current unit or an
earlier province: a current unit also finds the certificates of the provinces merged into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVarTuple

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow, RoundRow
from certification.domain.certificates import CertificateStatus, certificate_status
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.http.pages import PageParams

Revocation = aliased(DecisionRow)
Ts = TypeVarTuple("Ts")


@dataclass(frozen=True)
class CertificateFilters:
    province: str | None = None
    level: Level | None = None
    year: int | None = None
    status: CertificateStatus | None = None


@dataclass(frozen=True)
class ListedCertificate:
    recognition: RecognitionRow
    round: RoundRow
    entry: EntryRow
    decision: DecisionRow
    revocation: DecisionRow | None

    def status(self, today: date) -> CertificateStatus:
        return certificate_status(
            known=True,
            revoked=self.revocation is not None,
            valid_until=self.recognition.valid_until,
            today=today,
        )


def _filtered(stmt: Select[*Ts], filters: CertificateFilters, today: date) -> Select[*Ts]:
    if filters.province:
        stmt = stmt.where(
            or_(
                col(EntryRow.province_code) == filters.province,
                col(EntryRow.current_province_code) == filters.province,
            )
        )
    if filters.level:
        stmt = stmt.where(col(RoundRow.level) == filters.level)
    if filters.year:
        stmt = stmt.where(col(RoundRow.year) == filters.year)
    revoked = col(RecognitionRow.revoked_by).is_not(None)
    match filters.status:
        case CertificateStatus.REVOKED:
            stmt = stmt.where(revoked)
        case CertificateStatus.EXPIRED:
            stmt = stmt.where(~revoked, col(RecognitionRow.valid_until) < today)
        case CertificateStatus.VALID:
            stmt = stmt.where(~revoked, col(RecognitionRow.valid_until) >= today)
        case CertificateStatus.UNKNOWN:  # a listed certificate is known by definition
            stmt = stmt.where(false())
    return stmt


async def list_certificates(
    uow: UnitOfWork, filters: CertificateFilters, page: PageParams, today: date
) -> tuple[list[ListedCertificate], int]:
    """Certificates are public facts (anyone may verify a number, and ProductRecognized
    publishes mean and rank): any authenticated reader may list them."""
    stmt = (
        select(RecognitionRow, RoundRow, EntryRow, DecisionRow, Revocation)
        .join(RoundRow, col(RoundRow.id) == col(RecognitionRow.round_id))
        .join(EntryRow, col(EntryRow.id) == col(RecognitionRow.entry_id))
        .join(DecisionRow, col(DecisionRow.id) == col(RecognitionRow.decision_id))
        .outerjoin(Revocation, col(Revocation.id) == col(RecognitionRow.revoked_by))
        .order_by(
            col(RoundRow.year).desc(),
            col(RecognitionRow.series),
            col(RecognitionRow.sequence),
        )
    )
    stmt = _filtered(stmt, filters, today)
    total = await uow.session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    rows = await uow.session.execute(stmt.offset(page.offset).limit(page.size))
    return [ListedCertificate(*row) for row in rows.all()], int(total or 0)
