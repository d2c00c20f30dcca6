"""Certification's reads: a round's results (computed live from the tally before the decision,
the preview an officer inspects; read back from the published snapshot after it, with later
revocations shown), its tally and decisions, and the list of certificates (giấy chứng nhận)
with their standing.

A certificate's status is read the way /verify reads it: revoked if a decision revoked it,
expired once its validity ended, valid otherwise. The province filter takes a current unit or an
earlier province: a current unit also finds the certificates of the provinces merged into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple
from uuid import UUID

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow, ResultRow, RoundRow
from certification.domain.certificates import CertificateStatus, certificate_status
from certification.domain.results import Outcome, Reason, Result, Rules
from certification.domain.tally import Tally
from certification.service_layer.access import require_reader
from certification.service_layer.results import compute, entries_of, load_round, rules_of
from certification.service_layer.tally import tally_of
from cnnt_contracts import ResultSettings
from cnnt_contracts.score_sheet import CRITERIA
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.http.pages import PageParams

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
            decided_on=self.decision.decided_on,
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
            stmt = stmt.where(
                ~revoked,
                col(RecognitionRow.valid_until) >= today,
                col(DecisionRow.decided_on) <= today,
            )
        case CertificateStatus.NOT_YET_VALID:
            stmt = stmt.where(~revoked, col(DecisionRow.decided_on) > today)
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


@dataclass(frozen=True)
class RoundResults:
    round: RoundRow
    settings: ResultSettings
    rules: Rules
    decision: DecisionRow | None
    rows: list[dict[str, Any]]
    tally: Tally


async def round_tally(uow: UnitOfWork, who: Principal, round_id: UUID) -> Tally:
    """What a client waits on before deciding: the tally, readable before judging closes."""
    require_reader(who, await load_round(uow, round_id))
    return await tally_of(uow, round_id)


async def decisions_of(uow: UnitOfWork, who: Principal, round_id: UUID) -> list[DecisionRow]:
    require_reader(who, await load_round(uow, round_id))
    rows = await uow.session.execute(
        select(DecisionRow)
        .where(col(DecisionRow.round_id) == round_id)
        .order_by(col(DecisionRow.recorded_at))
    )
    return list(rows.scalars())


def _row(entry: EntryRow, **figures: Any) -> dict[str, Any]:
    return {
        "entry_id": entry.id,
        "product_name": entry.product_name,
        "facility_name": entry.facility_name,
        "province_code": entry.province_code,
        "group": entry.product_group,
        **figures,
    }


def _live_row(entry: EntryRow, r: Result) -> dict[str, Any]:
    means = {c: r.published_criterion(c) for c in CRITERIA}
    figures = {"rank": r.rank, "judges": r.judges, "mean": r.published_mean, **means}
    return _row(
        entry, **figures, outcome=r.outcome, reason=r.reason, note="", certificate_number=None
    )


async def _published_rows(uow: UnitOfWork, round_id: UUID) -> list[dict[str, Any]]:
    entries = await entries_of(uow, round_id)
    results = await uow.session.execute(
        select(ResultRow)
        .where(col(ResultRow.round_id) == round_id)
        .order_by(col(ResultRow.position))
    )
    recognitions = await uow.session.execute(
        select(RecognitionRow).where(col(RecognitionRow.round_id) == round_id)
    )
    by_entry = {r.entry_id: r for r in recognitions.scalars()}
    rows = []
    for r in results.scalars():
        recognition = by_entry.get(r.entry_id)
        outcome, reason = r.outcome, r.reason
        if recognition is not None and recognition.revoked_by is not None:
            outcome, reason = Outcome.NOT_RECOGNISED, Reason.REVOKED
        figures = {c: getattr(r, c) for c in ("rank", "judges", "mean", *CRITERIA)}
        rows.append(
            _row(
                entries[r.entry_id],
                **figures,
                outcome=outcome,
                reason=reason,
                note=r.note,
                certificate_number=recognition.certificate_number if recognition else None,
            )
        )
    return rows


async def round_results(uow: UnitOfWork, who: Principal, round_id: UUID) -> RoundResults:
    round_ = await load_round(uow, round_id)
    require_reader(who, round_)
    settings, rules = await rules_of(uow, round_)
    tally = await tally_of(uow, round_id)
    if round_.decision_id is not None:
        decision = await uow.session.get(DecisionRow, round_.decision_id)
        rows = await _published_rows(uow, round_id)
        return RoundResults(round_, settings, rules, decision, rows, tally)
    entries = await entries_of(uow, round_id)
    live = [_live_row(entries[r.entry_id], r) for r in await compute(uow, round_id, rules)]
    return RoundResults(round_, settings, rules, None, live, tally)
