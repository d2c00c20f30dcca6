"""Use cases of the score sheet: submitting (or revising) one, and reading its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple
from uuid import UUID, uuid4

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from cnnt_shared.auth import Principal
from cnnt_shared.contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_shared.db.types import table_of
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
from evaluation.domain.jury import EntryToScore, Scorer, check_may_score, not_a_member
from evaluation.domain.score_sheet import Scores, next_revision
from evaluation.entrypoints.schemas import SheetSubmit
from evaluation.service_layer.common import judge_id


def _key_reused() -> Conflict:
    return Conflict(
        "idempotency_key_reused",
        "this request id was already used for a different sheet submission",
        field="request_id",
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


_members, _rounds, _entries = table_of(JuryMemberRow), table_of(RoundRow), table_of(EntryRow)
_sheets, _revisions = table_of(ScoreSheetRow), table_of(SheetRevisionRow)
_conflicts, _recusals = table_of(ConflictRow), table_of(RecusalRow)

# Statements built once, executed with parameters: SQLAlchemy then finds the compiled SQL in its
# cache by an already known key instead of walking a new statement per request.
_CONTEXT = (
    select(
        _members.c.round_id,
        _rounds.c.judging_closed_at.is_not(None),
        _entries.c.id,
        _entries.c.round_id,
        _entries.c.facility_id,
        _entries.c.withdrawn,
        select(_conflicts.c.facility_id)
        .where(
            _conflicts.c.member_id == _members.c.id,
            _conflicts.c.facility_id == _entries.c.facility_id,
        )
        .exists(),
        select(_recusals.c.entry_id)
        .where(_recusals.c.member_id == _members.c.id, _recusals.c.entry_id == _entries.c.id)
        .exists(),
        _revisions.c.sheet_id,
        _revisions.c.revision,
    )
    .select_from(_members)
    .join(_rounds, _rounds.c.id == _members.c.round_id)
    .outerjoin(_entries, _entries.c.id == bindparam("entry_id"))
    .outerjoin(
        _revisions,
        (_revisions.c.member_id == _members.c.id)
        & (_revisions.c.request_id == bindparam("request_id")),
    )
    .where(_members.c.id == bindparam("member_id"))
    # The round share-locked: closing judging waits for this submission, and vice versa.
    .with_for_update(read=True, of=_rounds)
)

_insert_sheet = insert(_sheets)
# DO UPDATE (unlike DO NOTHING) locks the existing row and returns it in one round trip.
_LOCK_SHEET = _insert_sheet.on_conflict_do_update(
    constraint="uq_score_sheets_entry_member", set_={"revision": _sheets.c.revision}
).returning(_sheets.c.id, _sheets.c.revision)

_LATEST = (
    "revision",
    "market",
    "technical",
    "culture",
    "other",
    "total",
    "comment",
    "submitted_at",
)
# The revision is stored and made the sheet's latest in one statement (parameters ``r_<column>``:
# a bound parameter may not take a column's own name in an INSERT or UPDATE).
_RECORD_REVISION = (
    update(_sheets)
    .where(_sheets.c.id == bindparam("r_sheet_id"))
    .values({c: bindparam(f"r_{c}") for c in _LATEST})
    .add_cte(
        insert(_revisions)
        .values({c.name: bindparam(f"r_{c.name}") for c in _revisions.c})
        .cte("stored_revision")
    )
)


async def _context(
    uow: UnitOfWork, member_id: UUID, entry_id: UUID, request_id: str | None
) -> _Context:
    found = (
        await uow.session.execute(
            _CONTEXT, {"member_id": member_id, "entry_id": entry_id, "request_id": request_id}
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
        _LOCK_SHEET,
        {"id": uuid4(), "round_id": round_id, "entry_id": entry_id, "member_id": member_id},
    )
    sheet_id, revision = result.one()
    return sheet_id, revision


async def _replay(
    uow: UnitOfWork, key: tuple[UUID, int], cmd: SheetSubmit, scores: Scores
) -> SheetRevisionRow:
    """The revision stored under this request id, if it was the same submission."""
    prior = await uow.session.get(SheetRevisionRow, key)
    assert prior is not None  # the key was just read in this transaction
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
    member_id = judge_id(who)
    found = await _context(uow, member_id, cmd.entry_id, request_id)
    if found.prior is not None:  # a retry of a stored submission is answered even after closing
        return await _replay(uow, found.prior, cmd, scores), False
    if found.entry is None:
        raise NotFound(
            "entry_not_found", f"evaluation knows no entry {cmd.entry_id}", field="entry_id"
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
    values = {f"r_{c.name}": getattr(revision, c.name) for c in _revisions.c}
    try:
        await uow.session.execute(_RECORD_REVISION, values)
    except IntegrityError as exc:  # the same request id, concurrently, for another entry
        raise _key_reused() from exc
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
