"""When repeated failed sign-ins lock an account (khóa tài khoản), and for how long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int
    duration: timedelta

    def locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and locked_until > now

    def after_failure(self, failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
        """The failure count after one more failure, and until when the account is locked
        (``None``: not locked). The count starts again once a lock is set."""
        count = failed_attempts + 1
        if count >= self.attempts:
            return 0, now + self.duration
        return count, None
