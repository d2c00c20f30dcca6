"""The statements of a batch submission: set-based, so a request of n sheets costs a handful of
round trips instead of n × 6 (built once, run with parameters, like ``statements``)."""

from __future__ import annotations

from sqlalchemy import ARRAY, Uuid, any_, bindparam, select
from sqlalchemy import String as SqlString
from sqlalchemy.dialects.postgresql import insert

from cnnt_runtime.db.types import table_of
from evaluation.adapters.statements import revisions
from evaluation.adapters.tables import (
    ConflictRow,
    EntryRow,
    JuryMemberRow,
    RecusalRow,
    RoundRow,
    ScoreSheetRow,
    SheetRevisionRow,
)

_members, _rounds, _entries = table_of(JuryMemberRow), table_of(RoundRow), table_of(EntryRow)
_sheets = table_of(ScoreSheetRow)
_conflicts, _recusals = table_of(ConflictRow), table_of(RecusalRow)

# The member's round, share-locked as for one sheet: closing judging waits for the request.
MEMBER_ROUND = (
    select(_members.c.round_id, _rounds.c.judging_closed_at.is_not(None))
    .join(_rounds, _rounds.c.id == _members.c.round_id)
    .where(_members.c.id == bindparam("member_id"))
    .with_for_update(read=True, of=_rounds)
)

# Every entry of the request, with what bars the member from it.
ENTRIES = select(
    _entries.c.id,
    _entries.c.round_id,
    _entries.c.facility_id,
    _entries.c.withdrawn,
    select(_conflicts.c.facility_id)
    .where(
        _conflicts.c.member_id == bindparam("member_id"),
        _conflicts.c.facility_id == _entries.c.facility_id,
    )
    .exists(),
    select(_recusals.c.entry_id)
    .where(_recusals.c.member_id == bindparam("member_id"), _recusals.c.entry_id == _entries.c.id)
    .exists(),
).where(_entries.c.id == any_(bindparam("entry_ids", type_=ARRAY(Uuid()))))

# Revisions already stored under the request's sheet request ids (a retry).
PRIORS = select(SheetRevisionRow).where(
    revisions.c.member_id == bindparam("member_id"),
    revisions.c.request_id == any_(bindparam("request_ids", type_=ARRAY(SqlString()))),
)

_insert_sheet = insert(_sheets)
# As ``statements.LOCK_SHEET``, for many sheets in one statement. Rows come back in no set
# order (asking for parameter order makes SQLAlchemy send one INSERT per row, as the ids have
# no Python-side default to sort by): they carry their entry.
LOCK_SHEETS = _insert_sheet.on_conflict_do_update(
    constraint="uq_score_sheets_entry_member", set_={"revision": _sheets.c.revision}
).returning(_sheets.c.entry_id, _sheets.c.id, _sheets.c.revision)
