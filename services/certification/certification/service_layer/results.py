"""A round's results computed from the tally, as the decision will publish them: the round,
its rules (settings and jury size) and every entry's result."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from certification.adapters.tables import (
    EntryRow,
    JudgingRow,
    RoundRow,
    SheetRow,
)
from certification.domain.results import (
    Candidate,
    Result,
    Rules,
    Sheet,
    compute_results,
    judging_not_closed,
)
from cnnt_contracts import ResultSettings
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound


async def load_round(uow: UnitOfWork, round_id: UUID, *, lock: bool = False) -> RoundRow:
    stmt = select(RoundRow).where(col(RoundRow.id) == round_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = (await uow.session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise NotFound("round_not_found", f"không có đợt bình chọn {round_id}", field="round_id")
    return found


async def rules_of(uow: UnitOfWork, round_: RoundRow) -> tuple[ResultSettings, Rules]:
    judging = await uow.session.get(JudgingRow, round_.id)
    if judging is None:
        raise judging_not_closed()
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
