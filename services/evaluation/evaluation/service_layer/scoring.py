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
    RoundRow,
    ScoreSheetRow,
    SheetRevisionRow,
)
from evaluation.domain.jury import EntryToScore, Scorer, check_may_score
from evaluation.domain.score_sheet import Scores, next_revision
from evaluation.entrypoints.schemas import SheetSubmit
from evaluation.service_layer.common import acting_member, round_not_found


def _key_reused() -> Conflict:
    return Conflict(
        "idempotency_key_reused",
        "this request id was already used for a different sheet submission",
        field="request_id",
    )


async def _round_and_entry(
    uow: UnitOfWork, member: JuryMemberRow, entry_id: UUID
) -> tuple[RoundRow, EntryRow, Scorer]:
    """The member's round, share-locked (closing waits for us), the entry and what bars the
    member from it (a conflict? a recusal?): one query, one round trip to the database."""
    conflicted = (
        select(col(ConflictRow.facility_id))
        .where(
            col(ConflictRow.member_id) == member.id,
            col(ConflictRow.facility_id) == col(EntryRow.facility_id),
        )
        .exists()
    )
    recused = (
        select(col(RecusalRow.entry_id))
        .where(col(RecusalRow.member_id) == member.id, col(RecusalRow.entry_id) == col(EntryRow.id))
        .exists()
    )
    found = (
        await uow.session.execute(
            select(RoundRow, EntryRow, conflicted, recused)
            .outerjoin(EntryRow, col(EntryRow.id) == entry_id)
            .where(col(RoundRow.id) == member.round_id)
            .with_for_update(read=True, of=RoundRow)
        )
    ).one_or_none()
    if found is None:
        raise round_not_found(member.round_id)
    round_, entry, is_conflicted, is_recused = found
    if entry is None:
        raise NotFound("entry_not_found", f"evaluation knows no entry {entry_id}", field="entry_id")
    scorer = Scorer(
        member.id,
        member.round_id,
        frozenset({entry.facility_id}) if is_conflicted else frozenset(),
        frozenset({entry.id}) if is_recused else frozenset(),
    )
    return round_, entry, scorer


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
    round_, entry, scorer = await _round_and_entry(uow, member, cmd.entry_id)
    check_may_score(
        scorer,
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
