"""Use cases of judging as a whole: the per-round settings and the closing of judging."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from cnnt_contracts import JudgingClosed, JudgingClosedData
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError
from evaluation.adapters.tables import RoundRow
from evaluation.domain.completeness import EntriesHeld, check_entries_complete, judged_sheets
from evaluation.domain.jury import Closing, check_judging_open, check_may_close
from evaluation.domain.score_sheet import check_spread_threshold
from evaluation.service_layer.access import authorise_closing, organiser_or_chair
from evaluation.service_layer.commands import CloseJudging, Configure
from evaluation.service_layer.queries import (
    assignments_of,
    get_round,
    latest_revisions,
    round_progress,
)


async def configure(uow: UnitOfWork, who: Principal, round_id: UUID, cmd: Configure) -> RoundRow:
    round_ = await get_round(uow, round_id, lock="update")
    await organiser_or_chair(uow, who, round_)
    check_judging_open(round_.judging_closed_at is not None)
    round_.spread_threshold = check_spread_threshold(cmd.spread_threshold)
    await uow.commit()
    return round_


async def close_judging(
    uow: UnitOfWork, who: Principal, round_id: UUID, cmd: CloseJudging
) -> RoundRow:
    round_ = await get_round(uow, round_id, lock="update")
    by_chair = await authorise_closing(uow, who, round_)
    snapshot, entries, members = await round_progress(uow, round_)
    overridden = check_may_close(
        Closing(by_chair=by_chair, override=cmd.override, reason=cmd.reason),
        open_flags=snapshot.open_flags,
        already_closed=round_.judging_closed_at is not None,
    )
    if not members:
        raise DomainError(
            "jury_missing",
            "đợt bình chọn chưa có hội đồng thì không kết thúc chấm điểm được",
            field="round_id",
        )
    # Registration must have closed and every standing entry be here: an entry arriving after
    # the close could never be scored.
    check_entries_complete(EntriesHeld(round_.expected_entries, len(entries)))
    sheets = judged_sheets(
        [(e.id, e.facility_id) for e in entries],
        await assignments_of(uow, members),
        await latest_revisions(uow, round_.id),
    )
    now = datetime.now(UTC)
    round_.judging_closed_at = now
    round_.judging_closed_by = who.subject
    round_.overridden_flags = overridden
    if overridden:
        round_.override_by = who.subject
        round_.override_reason = cmd.reason.strip()
    uow.emit(
        JudgingClosed.new(
            JudgingClosedData(
                round_id=round_.id,
                jury_size=len(members),
                overridden_flags=overridden,
                closed_at=now,
                entries=len(entries),
                sheets=sheets.counting,
                sheet_revisions=sheets.revisions,
                sheets_set_aside=sheets.set_aside,
            )
        )
    )
    await uow.commit()
    return round_
