"""Who holds what in the run's shared database: every round year, code and name a test creates
is handed out here, so no two tests of a run (nor of two runs on one database) ever meet.

The whole suite shares one database per run (tests/conftest.py), and a province holds one round
per level and year, a tax code names one facility, a username one account. A test therefore
never draws an identity by chance (``random``, ``uuid4().int % n``, ``uuid4().hex[:6]``; a unit
test, tests/unit/test_test_identities.py, keeps it so) but asks this allocator:

- ``round_year(level, scope)``: a year no other test of the run holds for that level and scope,
  never one of the years tests take on purpose (``HELD`` for every scope, ``FIXED`` for one);
- ``code(prefix)``: a tax code, scheme code, decision or certificate-number prefix derived from
  the test's node id (and how many of that prefix the test asked for);
- ``username(name)``: the name a test chose, checked against every other test's and the demo's.

Every claim is recorded with its owner (the test's node id), so a second claim fails at once,
naming both tests, instead of a 409 somewhere later. A run on a database an earlier run kept
(``make test-twice``) is a later *pass*: it loads the earlier passes' claims (tests/support/
stack.py) and hands out neither their years nor their codes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cnnt_runtime.http.fields import FIRST_YEAR, LAST_YEAR
from cnnt_tools.cli.scenario import build as demo_plan
from console.demo_accounts import DEMO_ACCOUNTS

THIS_YEAR = datetime.now(UTC).year

# The demo's rounds: the console's demo acceptance test drives them in the run's database.
DEMO_ROUNDS = frozenset((r.level, r.scope, r.year) for r in demo_plan().rounds)
DEMO_YEARS = frozenset(year for _, _, year in DEMO_ROUNDS)

# Years no allocated round takes, at any level and in any scope, and why.
HELD: tuple[tuple[range, str], ...] = (
    (range(min(DEMO_YEARS), max(DEMO_YEARS) + 1), "the demo's rounds (2017-2021)"),
    (
        range(2019, 2027),
        "tests that mean their year: the four levels (2019 district, 2024 commune, 2026 commune "
        "and provincial in Đắk Lắk), the 2025 merger (Bắc Kạn's 2024 and 2026), evaluation's "
        "and the contracts' 2019-2021 rounds",
    ),
    (range(2070, 2100), "held for the tests other branches add now (2070-2099)"),
    (
        range(THIS_YEAR, THIS_YEAR + 1),
        "this year: an officer's round created through the console's form takes today's year",
    ),
)

# Every round tests create or publish with a year they mean: (level, scope, year) and who holds
# it. Those inside ``HELD`` are listed too, so this table is the whole list; ``round_year``
# never hands out any of them. (Support's khuyến công schemes take fixed years 2005-2016 and
# 2032; they are schemes, not rounds, and ``POOL`` starts after this year in any case.)
FIXED: dict[tuple[str, str, int], str] = {
    ("provincial", "lam-dong", 2017): "registration/test_registration_rules_api.py: a 2017 window",
    ("provincial", "bac-kan", 2020): "registration/test_records_and_lists.py: before the merger",
    ("provincial", "vinh-long", 2019): "registration/test_dossier_import.py: before the merger",
    ("provincial", "bac-kan", 2024): "test_merged_province_round.py: the last year of Bắc Kạn",
    ("provincial", "bac-kan", 2026): "test_merged_province_round.py: refused, merged away",
    ("provincial", "dak-lak", 2005): "certification/test_certificate_standing.py: expired",
    ("provincial", "dak-lak", 2019): "evaluation's tests, test_read_policy.py: events only",
    ("provincial", "dak-lak", 2020): "evaluation/test_concurrent_judging.py: events only",
    ("provincial", "dak-lak", 2021): "support/judging.py, scenario.registered_event: events",
    ("provincial", "dak-lak", THIS_YEAR): "e2e/console/test_officer_pages.py: the form's",
}

# The years ``round_year`` hands out, in order: after this year (a round's certificates stay
# valid today, the validity window running from its year) and inside registration's bounds.
POOL = tuple(
    year
    for year in range(max(2027, THIS_YEAR + 1), LAST_YEAR + 1)
    if year >= FIRST_YEAR and not any(year in held for held, _ in HELD)
)
# Rounds that exist only as events (certification's tests publish them; registration, which
# bounds years at LAST_YEAR, never sees them) take years after registration's last.
BEYOND = range(LAST_YEAR + 1, LAST_YEAR + 200)

# Names the demo gives its accounts (`make demo`, and the demo acceptance test in this run).
DEMO_USERNAMES = frozenset(username for username, *_ in DEMO_ACCOUNTS)


class Taken(AssertionError):
    """Two tests asked for the same identity: a mistake in the tests, shown at once."""


@dataclass
class Allocator:
    """The run's claims: identity -> the node id of the test holding it."""

    pass_number: int = 1
    current: str = "<no test>"
    claims: dict[tuple[str, ...], str] = field(default_factory=dict)
    earlier: dict[tuple[str, ...], str] = field(default_factory=dict)
    _asked: Counter[tuple[str, str]] = field(default_factory=Counter)

    def begin(self, nodeid: str) -> None:
        """The test whose identities are handed out from now on (tests/conftest.py)."""
        self.current = nodeid

    def resume(self, pass_number: int, earlier: Iterable[tuple[tuple[str, ...], str]]) -> None:
        """A later pass on a kept database: the earlier passes' claims stay theirs."""
        self.pass_number = pass_number
        self.earlier = dict(earlier)

    def _claim(self, key: tuple[str, ...]) -> None:
        holder = self.claims.get(key) or self.earlier.get(key)
        if holder is not None:
            raise Taken(f"{key} is {holder}'s; {self.current} asked for it too")
        self.claims[key] = self.current

    def held(self, level: str, scope: str, year: int) -> str | None:
        """Why ``year`` is not handed out for ``level`` and ``scope`` (None: it is free)."""
        for years, why in HELD:
            if year in years:
                return why
        key = (level, scope, year)
        if key in FIXED:
            return FIXED[key]
        if key in DEMO_ROUNDS:
            return "the demo's round"
        for claim in (("round", level, scope, str(year)), ("year", str(year))):
            holder = self.claims.get(claim) or self.earlier.get(claim)
            if holder:
                return f"{holder}'s"
        return None

    def shared_year(self, level: str, scopes: tuple[str, ...]) -> int:
        """One year of a round of ``level`` in each of ``scopes``, free in all of them."""
        for year in POOL:
            if all(self.held(level, scope, year) is None for scope in scopes):
                for scope in scopes:
                    self._claim(("round", level, scope, str(year)))
                return year
        raise Taken(f"no year left for {level} rounds of {scopes} ({self.current})")

    def whole_year(self) -> int:
        """A year no round of any level in any scope of another test takes, nor will: for a
        test whose report counts a year everywhere (a breakdown, a province with its merged
        parts and the regions above it)."""
        taken = {int(k[-1]) for k in (*self.claims, *self.earlier) if k[0] in ("round", "year")}
        for year in POOL:
            if year not in taken and not any(k[2] == year for k in (*FIXED, *DEMO_ROUNDS)):
                self._claim(("year", str(year)))
                return year
        raise Taken(f"no whole year left ({self.current})")

    def round_year(self, level: str, scope: str, *, events_only: bool = False) -> int:
        """A year of a round of ``level`` in ``scope`` that no other test holds.
        ``events_only``: the round is only published as events (certification's tests), so
        it may lie after registration's last year, where no created round can be."""
        for year in BEYOND if events_only else POOL:
            if self.held(level, scope, year) is None:
                self._claim(("round", level, scope, str(year)))
                return year
        raise Taken(f"no year left for a {level} round of {scope} ({self.current})")

    def _derive(self, label: str, length: int) -> str:
        self._asked[(self.current, label)] += 1
        seed = f"{self.current}|{label}|{self._asked[(self.current, label)]}|{self.pass_number}"
        return hashlib.blake2b(seed.encode(), digest_size=16).hexdigest()[:length]

    def code(self, prefix: str = "", length: int = 10) -> str:
        """``prefix-<hex>`` (``<hex>`` without a prefix): derived from the test's node id, the
        prefix, how many of it the test asked for before, and the pass; unique in the run (a
        repeat fails at once). Tax codes, scheme codes, certificate-number prefixes, names."""
        digest = self._derive(prefix, length)
        value = f"{prefix}-{digest}" if prefix else digest
        self._claim(("code", value))
        return value

    def digits(self, length: int = 10, label: str = "digits") -> str:
        """``length`` decimal digits, derived and claimed as ``code`` is: unique in the run."""
        value = f"{int(self._derive(label, 32), 16) % 10**length:0{length}d}"
        self._claim(("code", value))
        return value

    def tax_code(self) -> str:
        """A facility's tax code (mã số thuế: 10 digits, the only form registration takes)."""
        return self.digits(10, "tax_code")

    def decision(self, suffix: str = "QĐ-UBND", length: int = 6) -> str:
        """A decision's number as a province writes one, ``<hex>/QĐ-UBND``, unique in the run
        (certification holds one decision per authority, year and number)."""
        value = f"{self._derive('/' + suffix, length)}/{suffix}"
        self._claim(("code", value))
        return value

    def username(self, name: str) -> str:
        """``name`` for this test's account (with the pass after the first: ``name.2``);
        never a demo account's name, nor another test's."""
        if name in DEMO_USERNAMES:
            raise Taken(f"{name!r} is the demo's account; {self.current} must choose another")
        value = name if self.pass_number == 1 else f"{name}.{self.pass_number}"
        self._claim(("username", value))
        return value

    def owned(self) -> Iterator[tuple[tuple[str, ...], str]]:
        """This pass's claims, to keep with a database a later pass reuses."""
        yield from self.claims.items()

    def busiest(self) -> tuple[str, int]:
        """The (level, scope) with the most allocated rounds, and how many."""
        counts = Counter(f"{k[1]} {k[2]}" for k in self.claims if k[0] == "round")
        return counts.most_common(1)[0] if counts else ("-", 0)


ALLOCATOR = Allocator()
round_year = ALLOCATOR.round_year
shared_year = ALLOCATOR.shared_year
whole_year = ALLOCATOR.whole_year
code = ALLOCATOR.code
digits = ALLOCATOR.digits
tax_code = ALLOCATOR.tax_code
decision = ALLOCATOR.decision
username = ALLOCATOR.username
