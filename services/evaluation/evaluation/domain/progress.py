"""The jury's progress (tiến độ chấm điểm): who still has what to score, and which entries are
flagged for discussion because their members' totals lie too far apart.

Pure: a snapshot of the round in, figures out. Withdrawn entries are not in the snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from evaluation.domain.score_sheet import is_flagged, spread


@dataclass(frozen=True)
class Assignment:
    """A member and what bars them: facilities they declared, entries they were recused from."""

    member_id: UUID
    conflicted_facilities: frozenset[UUID] = frozenset()
    recused_entries: frozenset[UUID] = frozenset()

    def may_score(self, entry_id: UUID, facility_id: UUID) -> bool:
        return (
            facility_id not in self.conflicted_facilities and entry_id not in self.recused_entries
        )


@dataclass(frozen=True)
class EntryProgress:
    entry_id: UUID
    eligible_members: int
    sheets: int
    spread: Decimal
    flagged: bool

    @property
    def complete(self) -> bool:
        return self.sheets >= self.eligible_members


@dataclass(frozen=True)
class MemberProgress:
    member_id: UUID
    assigned: int
    scored: int
    to_score: tuple[UUID, ...] = field(default=())

    @property
    def remaining(self) -> int:
        return len(self.to_score)


@dataclass(frozen=True)
class Progress:
    entries: tuple[EntryProgress, ...]
    members: tuple[MemberProgress, ...]

    @property
    def open_flags(self) -> int:
        return sum(1 for e in self.entries if e.flagged)


def progress(
    entries: Sequence[tuple[UUID, UUID]],
    members: Sequence[Assignment],
    latest_totals: Mapping[tuple[UUID, UUID], Decimal],
    spread_threshold: Decimal,
) -> Progress:
    """``entries`` are (entry id, facility id) in registration order; ``latest_totals`` maps
    (entry id, member id) to the total of that member's latest revision. A sheet by a member
    who is now barred from the entry (a conflict declared or a recusal made after scoring)
    does not count."""
    per_entry = []
    for entry_id, facility_id in entries:
        eligible = [m for m in members if m.may_score(entry_id, facility_id)]
        totals = [
            latest_totals[(entry_id, m.member_id)]
            for m in eligible
            if (entry_id, m.member_id) in latest_totals
        ]
        per_entry.append(
            EntryProgress(
                entry_id=entry_id,
                eligible_members=len(eligible),
                sheets=len(totals),
                spread=spread(totals),
                flagged=is_flagged(totals, spread_threshold),
            )
        )
    per_member = []
    for member in members:
        assigned = [e for e, f in entries if member.may_score(e, f)]
        to_score = tuple(e for e in assigned if (e, member.member_id) not in latest_totals)
        per_member.append(
            MemberProgress(
                member_id=member.member_id,
                assigned=len(assigned),
                scored=len(assigned) - len(to_score),
                to_score=to_score,
            )
        )
    return Progress(tuple(per_entry), tuple(per_member))
