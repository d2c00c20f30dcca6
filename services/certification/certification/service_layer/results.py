"""A round's results: computed live from the tally before the decision (the preview an officer
inspects), read back from the published snapshot after it, with later revocations shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from certification.adapters.tables import (
    DecisionRow,
    EntryRow,
    JudgingRow,
    RecognitionRow,
    ResultRow,
    RoundRow,
    SheetRow,
)
from certification.domain.results import (
    CRITERIA,
    Candidate,
    Outcome,
    Reason,
    Result,
    Rules,
    Sheet,
    compute_results,
)
from certification.domain.tally import Tally
from certification.service_layer.access import require_reader
from certification.service_layer.tally import tally_of
from cnnt_shared.auth import Principal
from cnnt_shared.contracts import ResultSettings
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict, NotFound


@dataclass(frozen=True)
class RoundResults:
    round: RoundRow
    settings: ResultSettings
    rules: Rules
    decision: DecisionRow | None
    rows: list[dict[str, Any]]
    tally: Tally


async def load_round(uow: UnitOfWork, round_id: UUID, *, lock: bool = False) -> RoundRow:
    stmt = select(RoundRow).where(col(RoundRow.id) == round_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = (await uow.session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise NotFound("round_not_found", f"no round {round_id} is known", field="round_id")
    return found


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


async def rules_of(uow: UnitOfWork, round_: RoundRow) -> tuple[ResultSettings, Rules]:
    judging = await uow.session.get(JudgingRow, round_.id)
    if judging is None:
        raise Conflict("judging_not_closed", "results exist only once judging has closed")
    s = ResultSettings.model_validate(round_.settings)
    return s, Rules(judging.jury_size, s.threshold, s.quorum, s.quota, dict(s.group_quotas))


async def entries_of(uow: UnitOfWork, round_id: UUID) -> dict[UUID, EntryRow]:
    rows = await uow.session.execute(select(EntryRow).where(col(EntryRow.round_id) == round_id))
    return {e.id: e for e in rows.scalars()}


async def compute(uow: UnitOfWork, round_id: UUID, rules: Rules) -> list[Result]:
    entries = await entries_of(uow, round_id)
    sheets: dict[UUID, list[Sheet]] = {}
    tally = await uow.session.execute(
        select(SheetRow).where(
            col(SheetRow.round_id) == round_id, col(SheetRow.set_aside_at).is_(None)
        )
    )
    for s in tally.scalars():
        sheets.setdefault(s.entry_id, []).append(
            Sheet(s.judge_id, s.market, s.technical, s.culture, s.other)
        )
    candidates = [
        Candidate(
            e.id,
            e.product_group,
            e.registered_at,
            sheets.get(e.id, ()),
            e.withdrawn,
            e.registration_sequence,
        )
        for e in entries.values()
    ]
    return compute_results(candidates, rules)


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
