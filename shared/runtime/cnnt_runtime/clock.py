"""Vietnam's calendar: the one clock every service judges dates by (docs/domain.md "Dates").

Legal dates in the programme — a registration window, a certificate's validity, the day a grant
is decided — are Vietnamese dates. The servers run on UTC, and between 00:00 and 07:00 in Vietnam
``datetime.now(UTC).date()`` is still yesterday: a window that closed at midnight would keep
accepting entries for seven hours. So "today" is always computed here, in Asia/Ho_Chi_Minh.

Pure (standard library only). A clock can be frozen at an instant for tests and drills
(``CNNT_CLOCK_AT``); the settings refuse a frozen clock in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_date(instant: datetime) -> date:
    """The date in Vietnam at ``instant`` (an aware datetime)."""
    return instant.astimezone(VIETNAM).date()


@dataclass(frozen=True)
class Clock:
    """Now (an aware UTC instant) and today (Vietnam's date); ``frozen_at`` stops it there."""

    frozen_at: datetime | None = None

    def now(self) -> datetime:
        return datetime.now(UTC) if self.frozen_at is None else self.frozen_at.astimezone(UTC)

    def today(self) -> date:
        return vietnam_date(self.now())
