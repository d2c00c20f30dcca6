"""Results of a round (kết quả bình chọn), docs/domain.md "Results": mean, quorum, threshold, quota,
ranking with its tie-breaks, and the reason for every entry not recognised.

Arithmetic is exact: means are ``Fraction``s while ranking and comparing with the threshold
(so 70.0 against 70 passes and ties are real ties), and only the published figures are rounded
to two places (half up).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from uuid import UUID

from cnnt_contracts.score_sheet import CRITERIA, sheet_total
from cnnt_contracts.vocabulary import ProductGroup
from cnnt_runtime.errors import Conflict

TWO_PLACES = Decimal("0.01")


def judging_not_closed() -> Conflict:
    """Results rest on the whole tally: they exist only once evaluation has closed judging."""
    return Conflict("judging_not_closed", "chỉ có kết quả sau khi kết thúc chấm điểm")


class Outcome(StrEnum):
    RECOGNISED = "recognised"  # được công nhận (in a preview: would be recognised)
    NOT_RECOGNISED = "not_recognised"
    UNDECIDED = "undecided"  # no quorum: not decided either way


class Reason(StrEnum):
    BELOW_THRESHOLD = "below_threshold"
    OUTSIDE_QUOTA = "outside_quota"
    NO_QUORUM = "no_quorum"
    WITHDRAWN = "withdrawn"
    DECLINED = "declined"  # passed, but the council declined it in the decision
    REVOKED = "revoked"  # recognised, then revoked by a later decision


class SheetTotalMismatch(ValueError):
    """A ScoreSubmitted whose ``total`` is not its scores' sum (``sheet_total``): the producer is
    wrong, so the event is refused (and dead-lettered with this reason), never recomputed. Not a
    DomainError: no HTTP answer carries it, only a dead letter an operator reads."""


def check_total(scores: Mapping[str, Decimal], total: Decimal, *, sheet: object) -> None:
    """Certification ranks by the scores; it verifies the total the event carries by the one
    definition of a sheet's total rather than trusting or silently replacing it."""
    expected = sheet_total(scores)
    if total != expected:
        raise SheetTotalMismatch(
            f"sheet {sheet} carries total {total} but its scores sum to {expected}"
        )


@dataclass(frozen=True)
class Sheet:
    """A jury member's latest score sheet (phiếu chấm điểm) for an entry."""

    judge_id: UUID
    market: Decimal
    technical: Decimal
    culture: Decimal
    other: Decimal

    @property
    def total(self) -> Decimal:
        return sheet_total({c: getattr(self, c) for c in CRITERIA})


@dataclass(frozen=True)
class Candidate:
    """An entry of the round with its members' latest sheets."""

    entry_id: UUID
    group: ProductGroup
    registered_at: datetime
    sheets: Sequence[Sheet] = ()
    withdrawn: bool = False
    registration_sequence: int | None = None  # absent from events before it was published

    @property
    def registration_order(self) -> tuple[object, ...]:
        """Earliest registration first; entries with the same time (the rows of one import)
        in registration's sequence. The entry id decides only between entries whose events
        predate the sequence and share a timestamp, so the order is always total."""
        sequence = self.registration_sequence
        return (self.registered_at, sequence is None, sequence or 0, str(self.entry_id))


@dataclass(frozen=True)
class Rules:
    """The round's result settings (all configurable per round)."""

    jury_size: int
    threshold: Decimal = Decimal(70)
    quorum: Decimal = Decimal("0.6667")
    quota: int | None = None
    group_quotas: dict[ProductGroup, int] = field(default_factory=dict)

    @property
    def members_needed(self) -> int:
        """Members who must have scored an entry for it to be decided.

        The share is read as the nearest fraction with a denominator up to 100 (the default
        0.6667 is 2/3), and a fractional requirement rounds up: 7 × 2/3 = 4.67 needs 5 members,
        9 × 2/3 = 6 needs 6.
        """
        share = Fraction(self.quorum).limit_denominator(100)
        return max(1, math.ceil(self.jury_size * share))


@dataclass(frozen=True)
class Result:
    entry_id: UUID
    group: ProductGroup
    judges: int
    mean: Fraction | None
    criterion_means: dict[str, Fraction]
    rank: int | None
    outcome: Outcome
    reason: Reason | None

    @property
    def published_mean(self) -> Decimal | None:
        return None if self.mean is None else published(self.mean)

    def published_criterion(self, name: str) -> Decimal | None:
        value = self.criterion_means.get(name)
        return None if value is None else published(value)


def published(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _means(sheets: Sequence[Sheet]) -> tuple[Fraction | None, dict[str, Fraction]]:
    if not sheets:
        return None, {}
    n = len(sheets)
    per = {c: sum((Fraction(getattr(s, c)) for s in sheets), Fraction(0)) / n for c in CRITERIA}
    return sum((Fraction(s.total) for s in sheets), Fraction(0)) / n, per


def _ranking_key(c: Candidate, mean: Fraction, per: dict[str, Fraction]) -> tuple[object, ...]:
    # Mean descending, then the means of market, technical, culture, other descending, then
    # registration order: no tie is left to chance.
    return (-mean, *(-per[name] for name in CRITERIA), *c.registration_order)


def compute_results(candidates: Sequence[Candidate], rules: Rules) -> list[Result]:
    """Every entry's result, ranked entries first (by rank), then the undecided and withdrawn."""
    needed = rules.members_needed
    decided: list[tuple[Candidate, Fraction, dict[str, Fraction]]] = []
    others: list[Result] = []
    for c in sorted(candidates, key=lambda c: c.registration_order):
        mean, per = _means(c.sheets)
        if c.withdrawn or mean is None or len(c.sheets) < needed:
            why = Reason.WITHDRAWN if c.withdrawn else Reason.NO_QUORUM
            undecided = Outcome.NOT_RECOGNISED if c.withdrawn else Outcome.UNDECIDED
            others.append(
                Result(c.entry_id, c.group, len(c.sheets), mean, per, None, undecided, why)
            )
        else:
            decided.append((c, mean, per))
    decided.sort(key=lambda t: _ranking_key(*t))
    ranked: list[Result] = []
    recognised_in_group: dict[ProductGroup, int] = {}
    recognised = 0
    for rank, (c, mean, per) in enumerate(decided, 1):
        round_full = rules.quota is not None and recognised >= rules.quota
        group_quota = rules.group_quotas.get(c.group)
        group_full = group_quota is not None and recognised_in_group.get(c.group, 0) >= group_quota
        reason: Reason | None = None
        if mean < Fraction(rules.threshold):
            reason = Reason.BELOW_THRESHOLD
        elif round_full or group_full:
            reason = Reason.OUTSIDE_QUOTA
        if reason is None:
            recognised += 1
            recognised_in_group[c.group] = recognised_in_group.get(c.group, 0) + 1
        outcome = Outcome.RECOGNISED if reason is None else Outcome.NOT_RECOGNISED
        ranked.append(Result(c.entry_id, c.group, len(c.sheets), mean, per, rank, outcome, reason))
    return ranked + others
