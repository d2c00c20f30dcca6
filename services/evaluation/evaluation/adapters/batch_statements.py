"""The statements of a batch submission: set-based, so a request of n sheets costs a handful of
round trips instead of n × 6 (built once, run with parameters, like ``statements``)."""

from __future__ import annotations

from sqlalchemy import ARRAY, Uuid, any_, bindparam, select
from sqlalchemy import String as SqlString
from sqlalchemy.dialects.postgresql import insert

from evaluation.adapters import tables as t
from evaluation.adapters.statements import entry_and_bars
from evaluation.adapters.tables import SheetRevisionRow

# The member's round, share-locked as for one sheet: closing judging waits for the request.
MEMBER_ROUND = (
    select(t.members.c.round_id, t.rounds.c.judging_closed_at.is_not(None))
    .join(t.rounds, t.rounds.c.id == t.members.c.round_id)
    .where(t.members.c.id == bindparam("member_id"))
    .with_for_update(read=True, of=t.rounds)
)

# Every entry of the request, with what bars the member from it.
ENTRIES = select(*entry_and_bars(bindparam("member_id"))).where(
    t.entries.c.id == any_(bindparam("entry_ids", type_=ARRAY(Uuid())))
)

# Revisions already stored under the request's sheet request ids (a retry).
PRIORS = select(SheetRevisionRow).where(
    t.revisions.c.member_id == bindparam("member_id"),
    t.revisions.c.request_id == any_(bindparam("request_ids", type_=ARRAY(SqlString()))),
)

_insert_sheet = insert(t.sheets)
# As ``statements.LOCK_SHEET``, for many sheets in one statement. Rows come back in no set
# order (asking for parameter order makes SQLAlchemy send one INSERT per row, as the ids have
# no Python-side default to sort by): they carry their entry.
LOCK_SHEETS = _insert_sheet.on_conflict_do_update(
    constraint="uq_score_sheets_entry_member", set_={"revision": t.sheets.c.revision}
).returning(t.sheets.c.entry_id, t.sheets.c.id, t.sheets.c.revision)
