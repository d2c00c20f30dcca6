"""The score sheet's criteria (phiếu chấm điểm, Phụ lục 4 of Circular 26/2014/TT-BCT) and their
maxima: the one definition evaluation scores against, ScoreSubmitted carries and certification
ranks by (docs/domain.md, "The score sheet").

In the order of the sheet, which is also the order of the tie-breaks in certification.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

MAXIMA: Final = MappingProxyType(
    {
        "market": Decimal(40),  # đáp ứng thị trường, khả năng phát triển sản xuất
        "technical": Decimal(40),  # kinh tế, kỹ thuật, xã hội và môi trường
        "culture": Decimal(10),  # giá trị văn hóa, thẩm mỹ
        "other": Decimal(10),  # các tiêu chí khác
    }
)
"""Criterion -> the most points it is scored out of (40/40/10/10: 100 in all)."""

CRITERIA: Final = tuple(MAXIMA)
"""The criteria in the order of the sheet."""

STEP: Final = Decimal("0.5")
"""Scores go in half points: evaluation refuses any other, the console's form says so first."""


def score_refusal(criterion: str, value: Decimal) -> str | None:
    """The rule a criterion's score breaks, as the error code evaluation answers with and the
    console words for the judge, or None for a score the sheet takes: a finite number from 0 to
    the criterion's maximum, in half points."""
    if criterion not in MAXIMA:
        return "unknown_criterion"
    try:
        finite = value.is_finite()
    except (AttributeError, InvalidOperation):
        finite = False
    if not finite:
        return "score_not_a_number"
    if value < 0:
        return "score_negative"
    if value > MAXIMA[criterion]:
        return "score_above_maximum"
    if value % STEP != 0:
        return "score_not_a_half_step"
    return None


def sheet_total(scores: Mapping[str, Decimal]) -> Decimal:
    """A sheet's total: the sum of its four criterion scores, the one definition evaluation puts
    in ScoreSubmitted's ``total`` and certification checks it by. ``scores`` holds exactly the
    sheet's criteria (a missing or unknown one is a programming error, not a score)."""
    if set(scores) != set(CRITERIA):
        raise ValueError(
            f"a sheet's total needs exactly {', '.join(CRITERIA)}; got {sorted(scores)}"
        )
    return sum((scores[c] for c in CRITERIA), Decimal(0))
