"""Confirming a round's results (Quyết định công nhận): one transaction that locks the round
and its certificate series, publishes the results and issues the certificates."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import insert as plain_insert
from sqlalchemy import update
from sqlmodel import col

from certification.adapters.tables import (
    DecisionRow,
    JudgingRow,
    ResultRow,
    RoundRow,
)
from certification.domain import decisions as rules
from certification.domain.certificates import RoundIdentity, certificate_series
from certification.domain.decisions import DecisionKind
from certification.domain.tally import check_tally_complete
from certification.service_layer.access import records_history, require_authority
from certification.service_layer.commands import Decide
from certification.service_layer.decision_log import (
    issue_recognitions,
    lock_series,
    record_decision,
)
from certification.service_layer.results import compute, load_round, rules_of
from certification.service_layer.tally import tally_of
from cnnt_contracts.score_sheet import CRITERIA
from cnnt_runtime.auth import Principal
from cnnt_runtime.clock import vietnam_date
from cnnt_runtime.db.unit_of_work import UnitOfWork


async def confirm_results(
    uow: UnitOfWork, who: Principal, round_id: UUID, command: Decide
) -> tuple[DecisionRow, list[str]]:
    round_ = await load_round(uow, round_id, lock=True)
    require_authority(who, round_)
    rules.check_not_decided(round_.decision_id is not None)
    settings, result_rules = await rules_of(uow, round_)
    check_tally_complete(await tally_of(uow, round_id))
    judging = await uow.session.get(JudgingRow, round_id)
    if judging is not None and not records_history(who):  # complete: judging closed
        rules.check_decision_date(command.decided_on, vietnam_date(judging.closed_at))
    results = await compute(uow, round_id, result_rules)
    identity = RoundIdentity(round_.level, round_.scope_code, round_.year)
    series = await lock_series(uow, certificate_series(identity))
    issues = rules.issue_certificates(
        identity,
        results,
        command.exclusions,
        issued_before=series.issued,
        validity_years=settings.validity_years,
    )
    decision = await record_decision(
        uow,
        who,
        round_,
        DecisionKind.CONFIRMATION,
        command.number,
        command.decided_on,
        signature=command.signature,
    )
    snapshot = []
    for position, r in enumerate(results):
        outcome, reason, note = rules.confirmed_line(r, command.exclusions)
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
                "outcome": outcome,
                "reason": reason,
                "note": note,
            }
        )
    if snapshot:
        await uow.session.execute(plain_insert(ResultRow), snapshot)
    await issue_recognitions(uow, round_, series, issues, decision)
    await uow.session.execute(
        update(RoundRow).where(col(RoundRow.id) == round_id).values(decision_id=decision.id)
    )
    await uow.commit()
    return decision, [issue.certificate_number for issue in issues]
