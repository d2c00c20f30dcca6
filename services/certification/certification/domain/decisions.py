"""Decisions (quyết định) of the certifying authority and the certificates (giấy chứng nhận)
they issue: which entries are recognised, their certificate numbers and validity, and what a
verification reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from certification.domain.results import Outcome, Result
from cnnt_shared.contracts.vocabulary import Level
from cnnt_shared.errors import Conflict, DomainError


class DecisionKind(StrEnum):
    CONFIRMATION = "confirmation"  # confirms a round's results and issues certificates
    REVOCATION = "revocation"  # revokes one certificate


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RoundIdentity:
    level: Level
    scope_code: str
    year: int


@dataclass(frozen=True)
class Issue:
    """A recognition the decision creates: an entry, its rank and its certificate."""

    result: Result
    certificate_number: str
    valid_until: date

    @property
    def rank(self) -> int:
        assert self.result.rank is not None, "only ranked entries are recognised"
        return self.result.rank

    @property
    def mean(self) -> Decimal:
        assert self.result.published_mean is not None, "only scored entries are recognised"
        return self.result.published_mean


def certificate_series(round_: RoundIdentity) -> str:
    """The numbering series of a round's certificates: ``<SCOPE>-<year>-<level initial>``.

    Rounds of the same scope, year and level share a series, so numbers stay unique.
    """
    return f"{round_.scope_code.upper()}-{round_.year}-{round_.level.value[0].upper()}"


def certificate_number(round_: RoundIdentity, sequence: int) -> str:
    """The series and a three-digit sequence, e.g. ``DAK-LAK-2021-P-001``."""
    return f"{certificate_series(round_)}-{sequence:03d}"


def valid_until(year: int, validity_years: int) -> date:
    """Valid until 31 December of the round's year plus the round's validity period."""
    return date(year + validity_years, 12, 31)


def check_not_decided(decided: bool) -> None:
    if decided:
        raise Conflict(
            "round_already_decided",
            "this round's results were already confirmed; correct them with a new decision",
        )


def issue_certificates(
    round_: RoundIdentity,
    results: Sequence[Result],
    exclusions: Mapping[UUID, str],
    *,
    issued_before: int,
    validity_years: int,
) -> list[Issue]:
    """Certificates for every entry that passed and is not excluded, numbered in rank order
    right after the ``issued_before`` certificates of the series (gap-free)."""
    passed = {r.entry_id for r in results if r.outcome is Outcome.RECOGNISED}
    for entry_id, reason in exclusions.items():
        if entry_id not in passed:
            raise DomainError(
                "exclusion_not_recognised",
                f"entry {entry_id} is not among the entries the results recognise",
                field="exclusions",
            )
        if not reason.strip():
            raise DomainError(
                "exclusion_reason_missing", "each exclusion needs a reason", field="exclusions"
            )
    chosen = [
        r for r in results if r.outcome is Outcome.RECOGNISED and r.entry_id not in exclusions
    ]
    chosen.sort(key=lambda r: r.rank or 0)
    until = valid_until(round_.year, validity_years)
    return [
        Issue(r, certificate_number(round_, issued_before + i), until)
        for i, r in enumerate(chosen, 1)
    ]


def certificate_status(
    *, known: bool, revoked: bool, valid_until: date | None, today: date
) -> CertificateStatus:
    if not known:
        return CertificateStatus.UNKNOWN
    if revoked:
        return CertificateStatus.REVOKED
    if valid_until is not None and today > valid_until:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def check_revocable(revoked: bool, reason: str) -> None:
    if revoked:
        raise Conflict("certificate_already_revoked", "this certificate is already revoked")
    if not reason.strip():
        raise DomainError(
            "revocation_reason_missing", "a revocation needs a reason", field="reason"
        )
