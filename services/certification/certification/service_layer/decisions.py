"""Confirming a round's results (Quyết định công nhận): one transaction that locks the round
and its certificate series, publishes the results and issues the certificates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from uuid import UUID

from sqlalchemy import insert as plain_insert
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from certification.adapters.tables import (
    CertificateSeriesRow,
    DecisionRow,
    RecognitionRow,
    ResultRow,
    RoundRow,
)
from certification.domain import decisions as rules
from certification.domain.decisions import DecisionKind, RoundIdentity
from certification.domain.results import CRITERIA, Outcome, Reason
from certification.service_layer.access import require_authority
from certification.service_layer.announcements import recognized
from certification.service_layer.decision_log import record_decision
from certification.service_layer.results import compute, entries_of, load_round, rules_of
from cnnt_shared.auth import Principal
from cnnt_shared.db.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Decide:
    """Confirm a round's results (Quyết định công nhận), declining some passed entries."""

    number: str
    decided_on: date
    exclusions: dict[UUID, str] = field(default_factory=dict)


async def _lock_series(uow: UnitOfWork, series: str) -> CertificateSeriesRow:
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


async def confirm_results(
    uow: UnitOfWork, who: Principal, round_id: UUID, command: Decide
) -> tuple[DecisionRow, list[str]]:
    round_ = await load_round(uow, round_id, lock=True)
    require_authority(who, round_)
    rules.check_not_decided(round_.decision_id is not None)
    settings, result_rules = await rules_of(uow, round_)
    results = await compute(uow, round_id, result_rules)
    identity = RoundIdentity(round_.level, round_.scope_code, round_.year)
    series = await _lock_series(uow, rules.certificate_series(identity))
    issues = rules.issue_certificates(
        identity,
        results,
        command.exclusions,
        issued_before=series.issued,
        validity_years=settings.validity_years,
    )
    decision = await record_decision(
        uow, who, round_id, DecisionKind.CONFIRMATION, command.number, command.decided_on
    )
    snapshot = []
    for position, r in enumerate(results):
        declined = r.entry_id in command.exclusions
        snapshot.append(
            {
                "round_id": round_id,
                "entry_id": r.entry_id,
                "decision_id": decision.id,
                "position": position,
                "rank": r.rank,
                "judges": r.judges,
                "mean": r.published_mean,
                **{c: r.published_criterion(c) for c in CRITERIA},
                "outcome": Outcome.NOT_RECOGNISED if declined else r.outcome,
                "reason": Reason.DECLINED if declined else r.reason,
                "note": command.exclusions.get(r.entry_id, ""),
            }
        )
    if snapshot:
        await uow.session.execute(plain_insert(ResultRow), snapshot)
    entries = await entries_of(uow, round_id)
    now = datetime.now(UTC)
    for i, issue in enumerate(issues, series.issued + 1):
        recognition = RecognitionRow(
            certificate_number=issue.certificate_number,
            round_id=round_id,
            series=series.series,
            sequence=i,
            entry_id=issue.result.entry_id,
            decision_id=decision.id,
            rank=issue.rank,
            mean=issue.mean,
            valid_until=issue.valid_until,
            recognized_at=now,
        )
        uow.session.add(recognition)
        uow.emit(recognized(round_, entries[recognition.entry_id], recognition, decision))
    series.issued += len(issues)
    await uow.session.execute(
        update(RoundRow)
        .where(col(RoundRow.id) == round_id)
        .values(
            decision_id=decision.id, certificates_issued=round_.certificates_issued + len(issues)
        )
    )
    await uow.commit()
    return decision, [issue.certificate_number for issue in issues]
