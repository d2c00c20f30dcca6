"""The allocation run (phân bổ kinh phí): grant pending applications by priority until the
budget is spent.

Partial grants: an application is granted only if every source it asks can be covered in full;
otherwise it is skipped with reason ``budget_exhausted`` and the run goes on to the next one (a
smaller request further down may still fit). Skipped applications stay pending for later runs,
so running again over the same facts grants nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cnnt_contracts.vocabulary import FundingSource
from support.domain.budget import Budget
from support.domain.priority import Candidate, in_priority_order


class Outcome(StrEnum):
    GRANTED = "granted"
    SKIPPED = "skipped"


WITHIN_BUDGET = "within_budget"
BUDGET_EXHAUSTED = "budget_exhausted"


@dataclass(frozen=True)
class Decision:
    """What the run does with one application, and why."""

    rank: int
    candidate: Candidate
    outcome: Outcome
    reason: str
    short_source: FundingSource | None = None


@dataclass(frozen=True)
class Plan:
    decisions: list[Decision]
    budget_after: Budget

    @property
    def granted(self) -> list[Decision]:
        return [d for d in self.decisions if d.outcome is Outcome.GRANTED]


def plan_allocation(budget: Budget, candidates: Iterable[Candidate]) -> Plan:
    decisions: list[Decision] = []
    for rank, candidate in enumerate(in_priority_order(candidates), 1):
        short = budget.shortfall(candidate.asked)
        if short is None:
            budget = budget.take(candidate.asked)
            decisions.append(Decision(rank, candidate, Outcome.GRANTED, WITHIN_BUDGET))
        else:
            decisions.append(Decision(rank, candidate, Outcome.SKIPPED, BUDGET_EXHAUSTED, short))
    return Plan(decisions, budget)
