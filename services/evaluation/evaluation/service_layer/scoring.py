"""Use cases of the score sheet: submitting (or revising) one, and reading its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError

from cnnt_contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.idempotency import key_reused, replayed
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from evaluation.adapters import statements
from evaluation.adapters.tables import SheetRevisionRow, revisions
from evaluation.domain.jury import EntryToScore, Scorer, check_may_score, not_a_member
from evaluation.domain.score_sheet import Scores, next_revision
from evaluation.service_layer.access import judge_id
from evaluation.service_layer.commands import SubmitSheet


def same_submission(prior: SheetRevisionRow, cmd: SubmitSheet, scores: Scores) -> bool:
    """Whether the revision stored under a request id was this very submission."""
    return (
        prior.entry_id == cmd.entry_id
        and prior.comment == cmd.comment
        and all(getattr(prior, c) == v for c, v in scores.as_dict().items())
    )


class _Context(NamedTuple):
    """What one query tells about a submission: the member's round and whether judging is closed,
    the entry (None if unknown), what bars the member from it, and a revision already stored
    under the request id (a retry)."""

    round_id: UUID
    judging_closed: bool
    entry: EntryToScore | None
    conflicted: bool
    recused: bool
    prior: tuple[UUID, int] | None


async def _context(
    uow: UnitOfWork, member_id: UUID, entry_id: UUID, request_id: str | None
) -> _Context:
    found = (
        await uow.session.execute(
            statements.SUBMISSION_CONTEXT,
            {"member_id": member_id, "entry_id": entry_id, "request_id": request_id},
        )
    ).one_or_none()
    if found is None:
        raise not_a_member()
    round_id, closed, e_id, e_round, facility, withdrawn, conflicted, recused, p_sheet, p_rev = (
        found
    )
    entry = None if e_id is None else EntryToScore(e_id, e_round, facility, withdrawn)
    prior = None if p_sheet is None else (p_sheet, p_rev)
    return _Context(round_id, closed, entry, conflicted, recused, prior)


async def _locked_sheet(
    uow: UnitOfWork, round_id: UUID, member_id: UUID, entry_id: UUID
) -> tuple[UUID, int]:
    """The member's sheet for the entry (id, latest revision), created if new and locked until
    commit: concurrent submissions of one sheet take turns, so revisions never collide."""
    result = await uow.session.execute(
        statements.LOCK_SHEET,
        {"id": uuid4(), "round_id": round_id, "entry_id": entry_id, "member_id": member_id},
    )
    sheet_id, revision = result.one()
    return sheet_id, revision


async def _replay(
    uow: UnitOfWork, key: tuple[UUID, int], cmd: SubmitSheet, scores: Scores
) -> SheetRevisionRow:
    """The revision stored under this request id, if it was the same submission."""
    prior = await uow.session.get(SheetRevisionRow, key)
    assert prior is not None  # the key was just read in this transaction
    return replayed(prior, same_submission(prior, cmd, scores), field="request_id")


async def submit_sheet(
    uow: UnitOfWork, who: Principal, cmd: SubmitSheet
) -> tuple[SheetRevisionRow, bool]:
    """Record a new revision of the member's sheet for the entry and announce it. Returns the
    revision and whether it is new (False: a retried request, answered with what it stored)."""
    scores = Scores.of(cmd.scores)
    request_id = cmd.request_id
    member_id = judge_id(who)
    found = await _context(uow, member_id, cmd.entry_id, request_id)
    if found.prior is not None:  # a retry of a stored submission is answered even after closing
        return await _replay(uow, found.prior, cmd, scores), False
    if found.entry is None:
        raise NotFound(
            "entry_not_found",
            f"chưa có hồ sơ {cmd.entry_id} trong phần chấm điểm",
            field="entry_id",
        )
    entry = found.entry
    scorer = Scorer(
        member_id,
        found.round_id,
        frozenset({entry.facility_id}) if found.conflicted else frozenset(),
        frozenset({entry.id}) if found.recused else frozenset(),
    )
    check_may_score(scorer, entry, judging_is_closed=found.judging_closed)
    sheet_id, latest = await _locked_sheet(uow, found.round_id, member_id, entry.id)
    if request_id is not None and latest > 0:  # a concurrent twin may have committed meanwhile
        again = await _context(uow, member_id, entry.id, request_id)
        if again.prior is not None:
            return await _replay(uow, again.prior, cmd, scores), False
    revision = SheetRevisionRow(
        sheet_id=sheet_id,
        revision=next_revision(latest),
        round_id=found.round_id,
        entry_id=entry.id,
        member_id=member_id,
        **scores.as_dict(),
        total=scores.total,
        comment=cmd.comment,
        request_id=request_id,
        event_id=uuid4(),
        submitted_at=datetime.now(UTC),
    )
    values = {f"r_{c.name}": getattr(revision, c.name) for c in revisions.c}
    try:
        await uow.session.execute(statements.RECORD_REVISION, values)
    except IntegrityError as exc:  # the same request id, concurrently, for another entry
        raise key_reused("request_id") from exc
    uow.emit(
        ScoreSubmitted.new(
            ScoreSubmittedData(
                sheet_id=sheet_id,
                revision=revision.revision,
                entry_id=entry.id,
                round_id=found.round_id,
                judge_id=member_id,
                scores=CriterionScores(**scores.as_dict()),
                total=scores.total,
                submitted_at=revision.submitted_at,
            ),
            event_id=revision.event_id,
        )
    )
    await uow.commit()
    return revision, True
