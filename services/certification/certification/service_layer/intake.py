"""What certification learns from other services: rounds and entries (registration) and the
tally of score sheets (evaluation). Every effect is idempotent on its own as well as behind
the inbox, so a replay with fresh event ids changes nothing either."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from certification.adapters.tables import EntryRow, JudgingRow, RoundRow, SheetRow
from certification.domain.results import check_total
from cnnt_contracts import (
    JudgingClosed,
    ResultSettings,
    ScoreSubmitted,
    SheetSetAside,
)
from cnnt_contracts.score_sheet import CRITERIA
from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from cnnt_runtime.db.unit_of_work import UnitOfWork

JUDGING_FIGURES = (
    "jury_size",
    "closed_at",
    "entries",
    "sheets",
    "sheet_revisions",
    "sheets_set_aside",
)
RegistrationEvent = replicas.RegistrationEvent
ScoreEvent = ScoreSubmitted | SheetSetAside | JudgingClosed


registrations = replicas.RoundReplica(
    table_of(RoundRow),
    table_of(EntryRow),
    defaults={"name": "", "settings": ResultSettings().model_dump(mode="json")},
    # The round's name and result settings travel with its opening only.
    opened=lambda data: {"name": data.name, "settings": data.settings.model_dump(mode="json")},
    closed=lambda data: {"registration_closed": True},
)
apply_registration_event = registrations.apply


_sheets = table_of(SheetRow)
_new_sheet = insert(_sheets)
# The latest revision counts: an older one arriving late never overwrites it. Built once, run
# with parameters.
_TALLY_SHEET = _new_sheet.on_conflict_do_update(
    index_elements=[_sheets.c.entry_id, _sheets.c.judge_id],
    set_={c: _new_sheet.excluded[c] for c in ("sheet_id", "revision", *CRITERIA, "submitted_at")},
    where=_sheets.c.revision < _new_sheet.excluded.revision,
)


def _tally_row(event: ScoreSubmitted) -> dict[str, object]:
    data = event.data
    _check_total(event)
    return {
        "entry_id": data.entry_id,
        "judge_id": data.judge_id,
        "round_id": data.round_id,
        "sheet_id": data.sheet_id,
        "revision": data.revision,
        **{c: getattr(data.scores, c) for c in CRITERIA},
        "submitted_at": data.submitted_at,
    }


def _check_total(event: ScoreSubmitted) -> None:
    data = event.data
    scores = {c: getattr(data.scores, c) for c in CRITERIA}
    check_total(scores, data.total, sheet=f"{data.sheet_id} revision {data.revision}")


async def apply_score_events(uow: UnitOfWork, events: Sequence[ScoreEvent]) -> None:
    """Many score events (already claimed) in one unit of work: the sheets in one statement
    executed for each, in (entry, judge) order so concurrent consumers never deadlock; only a
    sheet's latest revision in the batch is written, as the tally keeps only the latest anyway.
    Every effect here commutes, so the order of the deliveries does not matter."""
    latest: dict[tuple[UUID, UUID], ScoreSubmitted] = {}
    for event in events:
        if isinstance(event, ScoreSubmitted):
            # Every sheet checked, also one a later revision in the batch supersedes: a wrong
            # total fails the batch, which splits until that event fails (dead-lettered) alone.
            _check_total(event)
            key = (event.data.entry_id, event.data.judge_id)
            if key not in latest or latest[key].data.revision < event.data.revision:
                latest[key] = event
    if latest:
        await uow.session.execute(_TALLY_SHEET, [_tally_row(latest[k]) for k in sorted(latest)])
    # The rest after the sheets, in arrival order: what reads the tally sees the batch's sheets.
    for event in events:
        if not isinstance(event, ScoreSubmitted):
            await _apply_score(uow, event)


async def _apply_score(uow: UnitOfWork, event: ScoreEvent) -> None:
    match event:
        case ScoreSubmitted():
            await uow.session.execute(_TALLY_SHEET, _tally_row(event))
        case SheetSetAside(data=data):
            # Marked, never deleted: a late ScoreSubmitted of the same sheet (redelivered, or
            # overtaken by this event) updates the scores but leaves the mark.
            stmt = insert(SheetRow).values(
                entry_id=data.entry_id,
                judge_id=data.judge_id,
                round_id=data.round_id,
                sheet_id=data.sheet_id,
                revision=0,
                **dict.fromkeys(CRITERIA, 0),
                submitted_at=data.set_aside_at,
                set_aside_at=data.set_aside_at,
                set_aside_reason=data.reason,
            )
            await uow.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[col(SheetRow.entry_id), col(SheetRow.judge_id)],
                    set_={
                        "set_aside_at": stmt.excluded.set_aside_at,
                        "set_aside_reason": stmt.excluded.set_aside_reason,
                    },
                    where=col(SheetRow.set_aside_at).is_(None),
                )
            )
        case JudgingClosed(data=data):
            # Kept apart from the round, so it holds even if it overtakes the round's opening.
            stmt = insert(JudgingRow).values(
                round_id=data.round_id,
                jury_size=data.jury_size,
                closed_at=data.closed_at,
                entries=data.entries,
                sheets=data.sheets,
                sheet_revisions=data.sheet_revisions,
                sheets_set_aside=data.sheets_set_aside,
            )
            await uow.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[col(JudgingRow.round_id)],
                    set_={c: stmt.excluded[c] for c in JUDGING_FIGURES},
                )
            )
