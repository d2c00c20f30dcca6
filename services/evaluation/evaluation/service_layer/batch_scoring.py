"""Score sheets submitted many at a time (a judge's worklist): each accepted or refused on its
own with the single-sheet codes, the accepted ones stored, and one ScoreSubmitted each, in one
unit of work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy.exc import IntegrityError

from cnnt_contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_contracts.score_sheet import CRITERIA
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.idempotency import key_reused, replayed
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError, NotFound
from evaluation.adapters import batch_statements as q
from evaluation.adapters import statements
from evaluation.adapters.tables import SheetRevisionRow, revisions
from evaluation.domain.batch import check_batch_size, entry_repeated, repeated, sheet_request_id
from evaluation.domain.jury import EntryToScore, Scorer, check_may_score, not_a_member
from evaluation.domain.score_sheet import Scores, next_revision
from evaluation.service_layer.access import judge_id
from evaluation.service_layer.commands import SubmitSheet
from evaluation.service_layer.scoring import same_submission

# A concurrent request storing the same request id makes the whole transaction fail; once it
# has committed, the next attempt finds its revision and answers from it.
ATTEMPTS = 2


@dataclass
class SheetOutcome:
    """One sheet's answer: its stored revision (``replayed`` if an earlier request stored it),
    or the refusal, as the single-sheet endpoint would have given it."""

    index: int
    entry_id: UUID
    revision: SheetRevisionRow | None = None
    replayed: bool = False
    error: DomainError | None = None


@dataclass
class _Pending:
    outcome: SheetOutcome
    sheet: SubmitSheet
    scores: Scores
    request_id: str | None


async def _priors(
    uow: UnitOfWork, member_id: UUID, pending: Sequence[_Pending]
) -> dict[str, SheetRevisionRow]:
    ids = [p.request_id for p in pending if p.request_id is not None]
    if not ids:
        return {}
    rows = await uow.session.scalars(q.PRIORS, {"member_id": member_id, "request_ids": ids})
    return {r.request_id: r for r in rows if r.request_id is not None}


def _answer_retries(pending: list[_Pending], priors: dict[str, SheetRevisionRow]) -> list[_Pending]:
    """Answer the sheets an earlier request stored (even once judging has closed, as for one
    sheet); the rest are still to be stored."""
    rest = []
    for p in pending:
        prior = priors.get(p.request_id) if p.request_id is not None else None
        if prior is None:
            rest.append(p)
            continue
        try:
            p.outcome.revision = replayed(
                prior, same_submission(prior, p.sheet, p.scores), field="request_id"
            )
            p.outcome.replayed = True
        except DomainError as exc:
            p.outcome.error = exc
    return rest


async def _checked(
    uow: UnitOfWork, member_id: UUID, round_id: UUID, closed: bool, pending: list[_Pending]
) -> list[_Pending]:
    """The sheets the member may score, the others refused with the single-sheet codes."""
    ids = list({p.sheet.entry_id for p in pending})
    found = await uow.session.execute(q.ENTRIES, {"member_id": member_id, "entry_ids": ids})
    entries = {row[0]: row for row in found}
    allowed = []
    for p in pending:
        row = entries.get(p.sheet.entry_id)
        if row is None:
            p.outcome.error = NotFound(
                "entry_not_found",
                f"chưa có hồ sơ {p.sheet.entry_id} trong phần chấm điểm",
                field="entry_id",
            )
            continue
        e_id, e_round, facility, withdrawn, conflicted, recused = row
        entry = EntryToScore(e_id, e_round, facility, withdrawn)
        scorer = Scorer(
            member_id,
            round_id,
            frozenset({facility}) if conflicted else frozenset(),
            frozenset({e_id}) if recused else frozenset(),
        )
        try:
            check_may_score(scorer, entry, judging_is_closed=closed)
        except DomainError as exc:
            p.outcome.error = exc
            continue
        allowed.append(p)
    return allowed


async def _store(uow: UnitOfWork, member_id: UUID, round_id: UUID, todo: list[_Pending]) -> None:
    """Lock (or create) the sheets in entry order, so concurrent requests never deadlock, and
    store a new revision of each with its ScoreSubmitted."""
    if not todo:
        return
    todo.sort(key=lambda p: p.sheet.entry_id)
    locked = await uow.session.execute(
        q.LOCK_SHEETS,
        [
            {
                "id": uuid4(),
                "round_id": round_id,
                "entry_id": p.sheet.entry_id,
                "member_id": member_id,
            }
            for p in todo
        ],
    )
    sheets = {entry_id: (sheet_id, latest) for entry_id, sheet_id, latest in locked}
    if any(latest > 0 for _, latest in sheets.values()):  # a concurrent twin may have committed
        todo = _answer_retries(todo, await _priors(uow, member_id, todo))
    now = datetime.now(UTC)
    values = []
    for p in todo:
        sheet_id, latest = sheets[p.sheet.entry_id]
        revision = SheetRevisionRow(
            sheet_id=sheet_id,
            revision=next_revision(latest),
            round_id=round_id,
            entry_id=p.sheet.entry_id,
            member_id=member_id,
            **p.scores.as_dict(),
            total=p.scores.total,
            comment=p.sheet.comment,
            request_id=p.request_id,
            event_id=uuid4(),
            submitted_at=now,
        )
        values.append({f"r_{c.name}": getattr(revision, c.name) for c in revisions.c})
        p.outcome.revision = revision
        uow.emit(_announced(revision))
    if values:
        await uow.session.execute(statements.RECORD_REVISION, values)


def _announced(revision: SheetRevisionRow) -> ScoreSubmitted:
    scores = {c: getattr(revision, c) for c in CRITERIA}
    return ScoreSubmitted.new(
        ScoreSubmittedData(
            sheet_id=revision.sheet_id,
            revision=revision.revision,
            entry_id=revision.entry_id,
            round_id=revision.round_id,
            judge_id=revision.member_id,
            scores=CriterionScores(**scores),
            total=revision.total,
            submitted_at=revision.submitted_at,
        ),
        event_id=revision.event_id,
    )


async def _attempt(
    uow: UnitOfWork, who: Principal, sheets: Sequence[SubmitSheet], request_id: str | None
) -> list[SheetOutcome]:
    member_id = judge_id(who)
    again = repeated(s.entry_id for s in sheets)
    outcomes = [SheetOutcome(i, s.entry_id) for i, s in enumerate(sheets)]
    pending = []
    for outcome, sheet in zip(outcomes, sheets, strict=True):
        try:
            if outcome.index in again:
                raise entry_repeated()
            scores = Scores.of(sheet.scores)
        except DomainError as exc:
            outcome.error = exc
            continue
        own_id = sheet_request_id(sheet.request_id, request_id, sheet.entry_id)
        pending.append(_Pending(outcome, sheet, scores, own_id))
    # The sheets are checked before the first query: the connection is held only for the rest.
    member = (await uow.session.execute(q.MEMBER_ROUND, {"member_id": member_id})).one_or_none()
    if member is None:
        raise not_a_member()
    round_id, closed = member
    pending = _answer_retries(pending, await _priors(uow, member_id, pending))
    await _store(
        uow, member_id, round_id, await _checked(uow, member_id, round_id, closed, pending)
    )
    await uow.commit()
    return outcomes


async def submit_sheets(
    new_uow: Callable[[], UnitOfWork],
    who: Principal,
    sheets: Sequence[SubmitSheet],
    request_id: str | None,
) -> list[SheetOutcome]:
    """Store every sheet the member may submit, in one transaction; answer each sheet."""
    check_batch_size(len(sheets))
    for attempt in range(1, ATTEMPTS + 1):
        try:
            async with new_uow() as uow:
                return await _attempt(uow, who, sheets, request_id)
        except IntegrityError as exc:  # a request id stored concurrently by another request
            if attempt == ATTEMPTS:
                raise key_reused("request_id") from exc
    raise AssertionError("unreachable")
