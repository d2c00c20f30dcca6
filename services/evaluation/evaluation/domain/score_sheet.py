"""The score sheet (phiếu chấm điểm, Phụ lục 4 of Circular 26/2014/TT-BCT) and its arithmetic.

Pure: standard library, the shared errors and the criteria the event contract defines
(``cnnt_contracts.score_sheet``) only. A refusal names the rule (``code``) and the
criterion at fault (``field``, e.g. ``scores.market``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from cnnt_contracts.score_sheet import MAXIMA, STEP, score_refusal, sheet_total
from cnnt_runtime.errors import DomainError

DEFAULT_SPREAD_THRESHOLD = Decimal(10)


class ScoreError(DomainError):
    """A score outside the sheet's rules."""


def check_score(criterion: str, value: Decimal) -> Decimal:
    """A score is a number from 0 to the criterion's maximum, in steps of 0.5 (the contract's
    ``score_refusal``, which the console applies to the form too); the refusal names the
    criterion."""
    code = score_refusal(criterion, value)
    if code is not None:
        raise ScoreError(code, _reason(code, criterion, value), field=f"scores.{criterion}")
    return value.quantize(Decimal("0.1"))


def _reason(code: str, criterion: str, value: Decimal) -> str:
    return {
        "unknown_criterion": f"phiếu không có tiêu chí {criterion!r}",
        "score_not_a_number": f"điểm tiêu chí {criterion} phải là một số",
        "score_negative": f"điểm tiêu chí {criterion} không được âm",
        "score_above_maximum": f"tiêu chí {criterion} tối đa {MAXIMA.get(criterion)} điểm, "
        f"không phải {value}",
        "score_not_a_half_step": f"điểm tiêu chí {criterion} chấm theo bước {STEP}; "
        f"{value} không đúng bước",
    }[code]


@dataclass(frozen=True)
class Scores:
    """The four criterion scores of one sheet, each checked against the sheet's rules."""

    market: Decimal
    technical: Decimal
    culture: Decimal
    other: Decimal

    def __post_init__(self) -> None:
        for criterion in MAXIMA:
            object.__setattr__(self, criterion, check_score(criterion, getattr(self, criterion)))

    @classmethod
    def of(cls, values: Mapping[str, Decimal]) -> Scores:
        missing = [c for c in MAXIMA if c not in values]
        if missing:
            raise ScoreError(
                "score_missing",
                f"phiếu cần điểm của tiêu chí {missing[0]}",
                field=f"scores.{missing[0]}",
            )
        unknown = sorted(set(values) - set(MAXIMA))
        if unknown:
            check_score(unknown[0], Decimal(0))  # raises unknown_criterion
        return cls(**{c: values[c] for c in MAXIMA})

    @property
    def total(self) -> Decimal:
        return sheet_total(self.as_dict())

    def as_dict(self) -> dict[str, Decimal]:
        return {c: getattr(self, c) for c in MAXIMA}


def next_revision(latest: int) -> int:
    """Revisions count from 1; ``latest`` is 0 for a sheet never submitted. The latest counts."""
    if latest < 0:
        raise ValueError("a revision number is never negative")
    return latest + 1


def spread(totals: Iterable[Decimal]) -> Decimal:
    """How far apart the members' latest totals for one entry are (0 for fewer than two)."""
    values = list(totals)
    if len(values) < 2:
        return Decimal(0)
    return max(values) - min(values)


def is_flagged(totals: Iterable[Decimal], threshold: Decimal) -> bool:
    """An entry is flagged for discussion when its totals differ by more than ``threshold``."""
    return spread(totals) > threshold


def check_spread_threshold(threshold: Decimal) -> Decimal:
    if not threshold.is_finite() or threshold < 0 or threshold > 100:
        raise DomainError(
            "spread_threshold_out_of_range",
            "ngưỡng chênh lệch là số điểm từ 0 đến 100",
            field="spread_threshold",
        )
    return threshold
