"""Correcting published results (Quyết định điều chỉnh): a new recorded decision, with its
reason, that recognises entries the confirmation left out although they passed. The published
lines it changes name the decision; each new recognition is announced (ProductRecognized)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select, update
from sqlmodel import col

from certification.adapters.tables import DecisionRow, RecognitionRow, ResultRow
from certification.domain.certificates import RoundIdentity, certificate_series
from certification.domain.decisions import (
    DecisionKind,
    PublishedResult,
    check_decided,
    correction_issues,
)
from certification.domain.results import Outcome
from certification.service_layer.access import require_authority
from certification.service_layer.commands import Correct
from certification.service_layer.decision_log import (
    issue_recognitions,
    lock_series,
    record_decision,
)
from certification.service_layer.results import load_round
from cnnt_contracts import ResultSettings
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork


async def correct_results(
    uow: UnitOfWork, who: Principal, round_id: UUID, command: Correct
) -> tuple[DecisionRow, list[str]]:
    round_ = await load_round(uow, round_id, lock=True)
    require_authority(who, round_)
    check_decided(round_.decision_id is not None)
    lines = await uow.session.execute(select(ResultRow).where(col(ResultRow.round_id) == round_id))
    published = {
        r.entry_id: PublishedResult(r.entry_id, r.rank, r.mean, r.outcome, r.reason)
        for r in lines.scalars()
    }
    identity = RoundIdentity(round_.level, round_.scope_code, round_.year)
    # A round confirmed before today's number form keeps numbering in the series it began.
    begun = await uow.session.execute(
        select(col(RecognitionRow.series)).where(col(RecognitionRow.round_id) == round_id).limit(1)
    )
    series = await lock_series(uow, begun.scalar_one_or_none() or certificate_series(identity))
    issues = correction_issues(
        identity,
        published,
        command.recognise,
        command.reason,
        issued_before=series.issued,
        validity_years=ResultSettings.model_validate(round_.settings).validity_years,
        series=series.series,
    )
    decision = await record_decision(
        uow,
        who,
        round_,
        DecisionKind.CORRECTION,
        command.number,
        command.decided_on,
        command.reason,
    )
    await issue_recognitions(uow, round_, series, issues, decision)
    await uow.session.execute(
        update(ResultRow)
        .where(
            col(ResultRow.round_id) == round_id,
            col(ResultRow.entry_id).in_([i.entry_id for i in issues]),
        )
        .values(
            outcome=Outcome.RECOGNISED,
            reason=None,
            note=f"Quyết định {decision.number}: {command.reason}",
        )
    )
    await uow.commit()
    return decision, [i.certificate_number for i in issues]
