"""A sheet's total is defined once (``cnnt_contracts.score_sheet.sheet_total``): evaluation's
sheet and certification's tally use it, and certification refuses an event whose ``total`` is
not its scores' sum instead of recomputing it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast

import pytest

from certification.domain.results import Sheet, SheetTotalMismatch, check_total
from certification.service_layer import intake
from cnnt_contracts import CriterionScores, ScoreSubmitted, ScoreSubmittedData
from cnnt_contracts.score_sheet import sheet_total
from cnnt_runtime.db.unit_of_work import UnitOfWork
from evaluation.domain.score_sheet import Scores

SCORES = {
    "market": Decimal("35.5"),
    "technical": Decimal(30),
    "culture": Decimal("8.5"),
    "other": Decimal(7),
}


def test_the_total_is_the_sum_of_the_four_criteria() -> None:
    assert sheet_total(SCORES) == Decimal(81)
    assert sheet_total(dict.fromkeys(SCORES, Decimal(0))) == 0
    top = {"market": Decimal(40), "technical": Decimal(40), "culture": Decimal(10)}
    assert sheet_total({**top, "other": Decimal(10)}) == 100


@pytest.mark.parametrize(
    "scores",
    [
        {k: v for k, v in SCORES.items() if k != "other"},
        {**SCORES, "price": Decimal(1)},
    ],
    ids=["a criterion missing", "an unknown criterion"],
)
def test_the_total_needs_exactly_the_sheets_criteria(scores: dict[str, Decimal]) -> None:
    with pytest.raises(ValueError, match="exactly market, technical, culture, other"):
        sheet_total(scores)


def test_evaluation_and_certification_total_a_sheet_by_the_one_definition() -> None:
    assert Scores.of(SCORES).total == sheet_total(SCORES) == Decimal(81)
    assert Sheet(uuid.UUID(int=1), **SCORES).total == Decimal(81)


def test_a_total_that_is_the_sum_passes_and_one_that_is_not_is_refused() -> None:
    check_total(SCORES, Decimal("81.0"), sheet="s")  # 81.0 is 81
    with pytest.raises(SheetTotalMismatch, match="carries total 82 but its scores sum to 81"):
        check_total(SCORES, Decimal(82), sheet="s")


def submitted(total: Decimal, revision: int = 1) -> ScoreSubmitted:
    return ScoreSubmitted.new(
        ScoreSubmittedData(
            sheet_id=uuid.UUID(int=10 + revision),
            revision=revision,
            entry_id=uuid.UUID(int=2),
            round_id=uuid.UUID(int=3),
            judge_id=uuid.UUID(int=4),
            scores=CriterionScores(**SCORES),
            total=total,
            submitted_at=datetime(2026, 12, 8, 2, 0, tzinfo=UTC),
        )
    )


class NoSession:
    """A unit of work whose session must not be reached: the refusal comes first."""

    @property
    def session(self) -> Any:
        raise AssertionError("the tally was written despite a wrong total")


async def test_the_tally_refuses_an_event_whose_total_is_not_its_scores_sum() -> None:
    uow = cast(UnitOfWork, NoSession())
    with pytest.raises(SheetTotalMismatch) as refused:
        await intake.apply_score_events(uow, [submitted(Decimal(80))])
    assert "revision 1 carries total 80 but its scores sum to 81" in str(refused.value)


async def test_a_wrong_total_superseded_in_the_same_batch_is_refused_too() -> None:
    # The batch keeps only the latest revision, but the older one's wrong total still fails it
    # (the batch then splits until that event fails alone and is dead-lettered).
    uow = cast(UnitOfWork, NoSession())
    with pytest.raises(SheetTotalMismatch, match="revision 1 carries total 79"):
        await intake.apply_score_events(uow, [submitted(Decimal(79)), submitted(Decimal(81), 2)])
