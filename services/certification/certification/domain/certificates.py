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


# The level in a certificate number, in Vietnamese initials (ASCII): T = cấp tỉnh, KV = cấp khu
# vực, QG = cấp quốc gia; the lower levels, when a round of theirs is numbered, H = cấp huyện and
# X = cấp xã. Keyed by the level's value so a level added to the vocabulary reads its code here.
LEVEL_CODES: dict[str, str] = {
    "commune": "X",
    "district": "H",
    "provincial": "T",
    "regional": "KV",
    "national": "QG",
}

# Regions by the name people use, without diacritics ("Tây Nguyên", not "central_highlands").
REGION_CODES: dict[str, str] = {
    "north": "PHIA-BAC",
    "central_highlands": "MIEN-TRUNG-TAY-NGUYEN",
    "south": "PHIA-NAM",
}


def level_code(level: Level) -> str:
    """The level's part of a certificate number (``T``, ``KV``, ``QG``, ``H``, ``X``)."""
    return LEVEL_CODES[level.value]


def scope_code(scope: str) -> str:
    """The scope's part: a province's code (``DAK-LAK``), a region's Vietnamese name without
    diacritics (``MIEN-TRUNG-TAY-NGUYEN``), ``VN`` for the nation; letters, digits and dashes
    only, so a number is safe in a file name, a URL and a QR code."""
    code = REGION_CODES.get(scope, scope)
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in code.upper())


def certificate_series(round_: RoundIdentity) -> str:
    """The numbering series of a round's certificates: ``<SCOPE>-<year>-<level code>``, e.g.
    ``DAK-LAK-2021-T``, ``MIEN-TRUNG-TAY-NGUYEN-2020-KV``, ``VN-2019-QG``.

    Rounds of the same scope, year and level share a series, so numbers stay unique. Numbers
    issued before this form (``DAK-LAK-2021-P-007``, ``CENTRAL_HIGHLANDS-2020-R-001``) keep
    theirs: a number is stored as issued and verified as stored.
    """
    return f"{scope_code(round_.scope_code)}-{round_.year}-{level_code(round_.level)}"


def certificate_number(round_: RoundIdentity, sequence: int) -> str:
    """The series and a three-digit sequence, e.g. ``DAK-LAK-2021-T-001``."""
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
