"""Certificates (giấy chứng nhận): their numbers, validity and what a verification reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.recognition import RecognitionTerm, Standing


class CertificateStatus(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"  # a day before its granting decision
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class RoundIdentity:
    level: Level
    scope_code: str
    year: int


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


def certificate_status(
    *,
    known: bool,
    revoked: bool,
    valid_until: date | None,
    today: date,
    decided_on: date | None = None,
) -> CertificateStatus:
    """What a verification reports, by the one rule of ``cnnt_runtime.recognition``: ``valid``
    exactly while the recognition is in force (from the granting decision's day ``decided_on``
    through ``valid_until``), ``not_yet_valid`` before, ``expired`` after, ``revoked``."""
    if not known:
        return CertificateStatus.UNKNOWN
    if valid_until is None:
        return CertificateStatus.REVOKED if revoked else CertificateStatus.VALID
    term = RecognitionTerm(decided_on or date.min, valid_until, revoked)
    match term.standing_on(today):
        case Standing.REVOKED:
            return CertificateStatus.REVOKED
        case Standing.EXPIRED:
            return CertificateStatus.EXPIRED
        case Standing.NOT_YET:
            return CertificateStatus.NOT_YET_VALID
        case Standing.IN_FORCE:
            return CertificateStatus.VALID
