"""When a recognition is in force: the one rule registration (eligibility), support (priority)
and certification (a certificate's standing) apply (docs/domain.md "Results").

A recognition (công nhận) is in force from its first day through its ``valid_until`` date, both
days included, unless a decision revoked it. Its first day is the day of the decision that
granted it where that is known (certification keeps the decision); a holder that learnt the
recognition from ProductRecognized knows its round's year, not the decision's day, and counts
from 1 January of that year (``RecognitionTerm.of_round``) — the earliest day a decision of that
round can bear, so a recognition of a 2021 round never admits an entry dated 2020. Days are
Vietnamese dates: an instant is read in Asia/Ho_Chi_Minh (``cnnt_runtime.clock``), so a
certificate valid until 31/12 still counts at 23:30 that evening in Vietnam (16:30 UTC) and no
longer at 00:30 on 1/1 (17:30 UTC the day before).

Pure: standard library and the clock's calendar only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from cnnt_runtime.clock import vietnam_date


class Standing(StrEnum):
    """Where a recognition stands on a day."""

    IN_FORCE = "in_force"
    NOT_YET = "not_yet"  # before its first day
    EXPIRED = "expired"  # after its valid_until
    REVOKED = "revoked"


@dataclass(frozen=True)
class RecognitionTerm:
    """The facts the rule needs: the first and last days of validity, and a revocation."""

    first_day: date
    valid_until: date
    revoked: bool = False

    @classmethod
    def of_round(cls, year: int, valid_until: date, revoked: bool = False) -> RecognitionTerm:
        """A recognition known by its round's year: in force from 1 January of that year."""
        return cls(date(year, 1, 1), valid_until, revoked)

    def standing_on(self, day: date) -> Standing:
        if self.revoked:
            return Standing.REVOKED
        if day < self.first_day:
            return Standing.NOT_YET
        if day > self.valid_until:
            return Standing.EXPIRED
        return Standing.IN_FORCE

    def in_force_on(self, day: date) -> bool:
        """In force on ``day`` (a Vietnamese date)."""
        return self.standing_on(day) is Standing.IN_FORCE

    def in_force_at(self, instant: datetime) -> bool:
        """In force at ``instant`` (an aware datetime), judged by the date in Vietnam then."""
        return self.in_force_on(vietnam_date(instant))


def in_force(first_day: date, valid_until: date, *, revoked: bool, on: date) -> bool:
    """Whether a recognition valid from ``first_day`` until ``valid_until`` counts on ``on``."""
    return RecognitionTerm(first_day, valid_until, revoked).in_force_on(on)
