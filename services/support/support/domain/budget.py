"""Budget arithmetic (kinh phí theo nguồn): what a scheme can still grant from each source.

The invariant the whole service keeps: per source, the sum granted never exceeds the budget.
The service layer holds the budget rows locked while it asks these functions, so the answer
stays true until its transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cnnt_contracts.vocabulary import FundingSource
from cnnt_runtime.errors import Conflict


def budget_exhausted(source: FundingSource, asked: int, left: int) -> Conflict:
    return Conflict(
        "budget_exhausted",
        f"kinh phí nguồn {source} của đề án còn {left} đồng; đề nghị {asked} đồng",
        field=f"amounts.{source}",
    )


@dataclass(frozen=True)
class Budget:
    """A scheme's budget per funding source and what has been granted from it, in whole VND."""

    allotted: Mapping[FundingSource, int]
    granted: Mapping[FundingSource, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for source in FundingSource:
            if not 0 <= self.granted.get(source, 0) <= self.allotted.get(source, 0):
                raise ValueError(f"granted from {source} is outside 0..budget")

    def remaining(self, source: FundingSource) -> int:
        return self.allotted.get(source, 0) - self.granted.get(source, 0)

    def shortfall(self, asked: Mapping[FundingSource, int]) -> FundingSource | None:
        """The first source (vocabulary order) that cannot cover ``asked`` in full, if any."""
        for source in FundingSource:
            if asked.get(source, 0) > self.remaining(source):
                return source
        return None

    def fits(self, asked: Mapping[FundingSource, int]) -> bool:
        return self.shortfall(asked) is None

    def take(self, asked: Mapping[FundingSource, int]) -> Budget:
        """The budget after granting ``asked``; refused whole if any source falls short."""
        short = self.shortfall(asked)
        if short is not None:
            raise budget_exhausted(short, asked.get(short, 0), self.remaining(short))
        return Budget(
            self.allotted,
            {s: self.granted.get(s, 0) + asked.get(s, 0) for s in FundingSource},
        )
