"""The jury's progress (tiến độ chấm điểm): who still has what to score, and which entries are
flagged for discussion because their members' totals lie too far apart.

Pure: a snapshot of the round in, figures out. Withdrawn entries are not in the snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
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
    scored_entries: tuple[UUID, ...] = field(default=())

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
                scored_entries=tuple(e for e in assigned if e not in to_score),
            )
        )
    return Progress(tuple(per_entry), tuple(per_member))


class WorkStatus(StrEnum):
    """Where an entry stands in a member's worklist."""

    TO_SCORE = "to_score"  # theirs to score, not scored yet
    SCORED = "scored"  # scored; the latest revision counts
    SET_ASIDE = "set_aside"  # scored, then barred (conflict or recusal): the sheet does not count


def worklist(
    entries: Sequence[UUID],
    member: MemberProgress,
    with_sheet: frozenset[UUID],
    judging_open: bool,
) -> list[tuple[UUID, WorkStatus]]:
    """A member's worklist over the standing ``entries`` (registration order): what is left to
    score first (nothing once judging has closed), then what they scored, in the same order.
    Entries they are barred from and never scored are not theirs and are left out."""
    to_score = set(member.to_score) if judging_open else set()
    scored = set(member.scored_entries)
    first = [(e, WorkStatus.TO_SCORE) for e in entries if e in to_score]
    then = [
        (e, WorkStatus.SCORED if e in scored else WorkStatus.SET_ASIDE)
        for e in entries
        if e in scored or e in with_sheet
    ]
    return first + then
