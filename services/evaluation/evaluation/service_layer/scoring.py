"""Use cases of the score sheet: submitting (or revising) one, and reading its history."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_shared.auth import Principal
from cnnt_shared.contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict, NotFound
from evaluation.adapters.tables import (
    ConflictRow,
    EntryRow,
    JuryMemberRow,
    RecusalRow,
    ScoreSheetRow,
    SheetRevisionRow,
)
from evaluation.domain.jury import EntryToScore, Scorer, check_may_score
from evaluation.domain.score_sheet import Scores, next_revision
from evaluation.entrypoints.schemas import SheetSubmit
from evaluation.service_layer.common import acting_member, get_round


def _key_reused() -> Conflict:
    return Conflict(
        "idempotency_key_reused",
        "this request id was already used for a different sheet submission",
        field="request_id",
    )


async def _scorer(uow: UnitOfWork, member: JuryMemberRow, entry: EntryRow) -> Scorer:
    """The member with what bars them from this entry (one query: conflict? recusal?)."""
    conflicted = (
        select(col(ConflictRow.facility_id))
        .where(
            col(ConflictRow.member_id) == member.id,
            col(ConflictRow.facility_id) == entry.facility_id,
        )
        .exists()
    )
    recused = (
        select(col(RecusalRow.entry_id))
        .where(col(RecusalRow.member_id) == member.id, col(RecusalRow.entry_id) == entry.id)
        .exists()
    )
    is_conflicted, is_recused = (await uow.session.execute(select(conflicted, recused))).one()
    return Scorer(
        member.id,
        member.round_id,
        frozenset({entry.facility_id}) if is_conflicted else frozenset(),
        frozenset({entry.id}) if is_recused else frozenset(),
    )


async def _locked_sheet(uow: UnitOfWork, member: JuryMemberRow, entry_id: UUID) -> tuple[UUID, int]:
    """The member's sheet for the entry (id, latest revision), created if new and locked until
    commit: concurrent submissions of one sheet take turns, so revisions never collide."""
    stmt = insert(ScoreSheetRow).values(
        id=uuid4(), round_id=member.round_id, entry_id=entry_id, member_id=member.id
    )
    # DO UPDATE (unlike DO NOTHING) locks the existing row and returns it in one round trip.
    result = await uow.session.execute(
        stmt.on_conflict_do_update(
            constraint="uq_score_sheets_entry_member",
            set_={"revision": col(ScoreSheetRow.revision)},
        ).returning(col(ScoreSheetRow.id), col(ScoreSheetRow.revision))
    )
    sheet_id, revision = result.one()
    return sheet_id, revision


async def _replay(
    uow: UnitOfWork, member: JuryMemberRow, request_id: str, cmd: SheetSubmit, scores: Scores
) -> SheetRevisionRow | None:
    prior = (
        await uow.session.execute(
            select(SheetRevisionRow).where(
                col(SheetRevisionRow.member_id) == member.id,
                col(SheetRevisionRow.request_id) == request_id,
            )
        )
    ).scalar_one_or_none()
    if prior is None:
        return None
    same = (
        prior.entry_id == cmd.entry_id
        and prior.comment == cmd.comment
        and all(getattr(prior, c) == v for c, v in scores.as_dict().items())
    )
    if not same:
        raise _key_reused()
    return prior


async def submit_sheet(
    uow: UnitOfWork, who: Principal, cmd: SheetSubmit, request_id: str | None
) -> tuple[SheetRevisionRow, bool]:
    """Record a new revision of the member's sheet for the entry and announce it. Returns the
    revision and whether it is new (False: a retried request, answered with what it stored)."""
    scores = Scores.of(cmd.scores.model_dump())
    member = await acting_member(uow, who)
    if request_id is not None:  # a retry of a stored submission is answered even after closing
        prior = await _replay(uow, member, request_id, cmd, scores)
        if prior is not None:
            return prior, False
    round_ = await get_round(uow, member.round_id, lock="share")  # closing waits for us
    entry = await uow.session.get(EntryRow, cmd.entry_id)
    if entry is None:
        raise NotFound(
            "entry_not_found", f"evaluation knows no entry {cmd.entry_id}", field="entry_id"
        )
    check_may_score(
        await _scorer(uow, member, entry),
        EntryToScore(entry.id, entry.round_id, entry.facility_id, entry.withdrawn),
        judging_is_closed=round_.judging_closed_at is not None,
    )
    sheet_id, latest = await _locked_sheet(uow, member, entry.id)
    if request_id is not None and latest > 0:  # a concurrent twin may have committed meanwhile
        prior = await _replay(uow, member, request_id, cmd, scores)
        if prior is not None:
            return prior, False
    now = datetime.now(UTC)
    revision = SheetRevisionRow(
        sheet_id=sheet_id,
        revision=next_revision(latest),
        round_id=round_.id,
        entry_id=entry.id,
        member_id=member.id,
        **scores.as_dict(),
        total=scores.total,
        comment=cmd.comment,
        request_id=request_id,
        event_id=uuid4(),
        submitted_at=now,
    )
    uow.session.add(revision)
    await uow.session.execute(
        update(ScoreSheetRow)
        .where(col(ScoreSheetRow.id) == sheet_id)
        .values(
            revision=revision.revision,
            **scores.as_dict(),
            total=scores.total,
            comment=cmd.comment,
            submitted_at=now,
        )
    )
    uow.emit(
        ScoreSubmitted.new(
            ScoreSubmittedData(
                sheet_id=sheet_id,
                revision=revision.revision,
                entry_id=entry.id,
                round_id=round_.id,
                judge_id=member.id,
                scores=CriterionScores(**scores.as_dict()),
                total=scores.total,
                submitted_at=now,
            ),
            event_id=revision.event_id,
        )
    )
    try:
        await uow.commit()
    except IntegrityError as exc:  # the same request id, concurrently, for another entry
        raise _key_reused() from exc
    return revision, True
