"""How repeated failed sign-ins slow further attempts down (never lock an account).

Each counter (one username from one address; one username from anywhere; one address for any
username) allows ``free`` failures in a row; from then on each next attempt waits twice as long
after the last failure as the one before — one second, two, four … — up to ``cap``. A right
password during the wait is refused like a wrong one (the wait would mean nothing otherwise),
and an attempt refused for waiting is not itself a failure: nobody can push a wait past its
cap, so the owner of an account under attack from elsewhere gets in after ``cap`` at the most.
Counters are read from the audit log by username, so unknown and known usernames are slowed
down, and answered, alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

FIRST_WAIT = timedelta(seconds=30)


@dataclass(frozen=True)
class Throttle:
    free: int
    cap: timedelta

    def wait(self, failures: int) -> timedelta:
        """How long after the last of ``failures`` consecutive failures the next attempt waits."""
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 20)  # 2**20 × 30 s is past any cap
        grown: timedelta = FIRST_WAIT * (1 << doublings)
        return min(self.cap, grown)

    def retry_at(self, failures: int, last_failure: datetime | None) -> datetime | None:
        """When the next attempt may be made; ``None``: now."""
        wait = self.wait(failures)
        if not wait or last_failure is None:
            return None
        return last_failure + wait


@dataclass(frozen=True)
class SignInThrottles:
    """The three counters: a username from one address (the tightest, up to ``cap``), a
    username from any address (a distributed guess; capped at a minute, so its owner is never
    held off for long), an address for any username (guessing across accounts)."""

    per_pair: Throttle
    per_account: Throttle
    per_address: Throttle

    @classmethod
    def of(cls, attempts: int, cap: timedelta, address_failures: int) -> SignInThrottles:
        return cls(
            per_pair=Throttle(attempts, cap),
            per_account=Throttle(2 * attempts, min(cap, timedelta(minutes=1))),
            per_address=Throttle(address_failures, cap),
        )
