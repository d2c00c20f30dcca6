"""Priority for support (ưu tiên hỗ trợ): recognised products' facilities come first.

Order: national recognition, then regional, then provincial, then commune or district (the
level below the province: district before 1 July 2025, commune since), then none; within a
band the higher result mean; then the earlier application (and its id, so the order is total
and every run over the same facts is the same). Only a recognition in force counts
(``cnnt_runtime.recognition``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from uuid import UUID

from cnnt_contracts.vocabulary import FundingSource, Level
from cnnt_runtime.recognition import RecognitionTerm


class Band(IntEnum):
    """Priority band: the level of the best recognition that counts, or none."""

    NONE = 0
    LOCAL = 1  # a commune or district recognition
    PROVINCIAL = 2
    REGIONAL = 3
    NATIONAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Recognition:
    """A recognition as certification announced it (ProductRecognized), and its revocation."""

    entry_id: UUID
    certificate_number: str
    level: Level
    mean_score: Decimal
    facility_id: UUID
    product_id: UUID
    year: int  # the round's year
    valid_until: date
    revoked: bool = False

    def counts_on(self, day: date) -> bool:
        """In force on ``day``: the one rule of ``cnnt_runtime.recognition``."""
        return RecognitionTerm.of_round(self.year, self.valid_until, self.revoked).in_force_on(day)

    @property
    def band(self) -> Band:
        return Band(self.level.rank + 1)


def best_recognition(
    recognitions: Iterable[Recognition],
    facility_id: UUID,
    product_id: UUID | None,
    on: date,
) -> Recognition | None:
    """The facility's best recognition that counts on ``on`` — only the named product's when the
    application names one. Best: highest level, then highest mean, then certificate number."""
    counting = [
        r
        for r in recognitions
        if r.facility_id == facility_id
        and (product_id is None or r.product_id == product_id)
        and r.counts_on(on)
    ]
    if not counting:
        return None
    return min(counting, key=lambda r: (-r.band, -r.mean_score, r.certificate_number))


@dataclass(frozen=True)
class Candidate:
    """A pending application as the allocation sees it."""

    application_id: UUID
    applied_at: datetime
    asked: Mapping[FundingSource, int]
    recognition: Recognition | None = None

    @property
    def band(self) -> Band:
        return self.recognition.band if self.recognition else Band.NONE

    @property
    def mean_score(self) -> Decimal:
        return self.recognition.mean_score if self.recognition else Decimal(0)

    def priority_key(self) -> tuple[int, Decimal, datetime, str]:
        return (-self.band, -self.mean_score, self.applied_at, str(self.application_id))


def in_priority_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=Candidate.priority_key)
