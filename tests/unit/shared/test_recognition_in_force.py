"""The one rule of "a recognition in force" (cnnt_runtime.recognition) at its edges, and the
three services that used to spell it three ways (registration counted from 1 January, support
had no first day, certification only an end) now read it."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from certification.domain.certificates import CertificateStatus, certificate_status
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.recognition import RecognitionTerm, Standing, in_force
from registration.domain.eligibility import Recognition as Prior
from support.domain.priority import Recognition as Priority

# A provincial recognition of Đắk Lắk's 2024 round, valid until the end of 2026 (year + 2),
# known by its round's year (as registration and support know it from ProductRecognized).
TERM = RecognitionTerm.of_round(2024, date(2026, 12, 31))


@pytest.mark.parametrize(
    ("day", "standing"),
    [
        (date(2023, 12, 31), Standing.NOT_YET),  # the day before its round's year
        (date(2024, 1, 1), Standing.IN_FORCE),  # first day
        (date(2026, 12, 31), Standing.IN_FORCE),  # last day
        (date(2027, 1, 1), Standing.EXPIRED),  # the day after
    ],
)
def test_a_recognition_is_in_force_from_its_years_first_day_through_its_last(
    day: date, standing: Standing
) -> None:
    assert TERM.standing_on(day) is standing
    assert TERM.in_force_on(day) is (standing is Standing.IN_FORCE)
    assert in_force(date(2024, 1, 1), date(2026, 12, 31), revoked=False, on=day) is (
        TERM.in_force_on(day)
    )


def test_a_revoked_recognition_is_not_in_force_even_inside_its_window() -> None:
    revoked = RecognitionTerm.of_round(2024, date(2026, 12, 31), revoked=True)
    assert revoked.standing_on(date(2025, 6, 1)) is Standing.REVOKED
    assert not in_force(date(2024, 1, 1), date(2026, 12, 31), revoked=True, on=date(2025, 6, 1))


@pytest.mark.parametrize(
    ("instant", "counts"),
    [
        (datetime(2026, 12, 31, 16, 59, tzinfo=UTC), True),  # 23:59 on 31/12 in Vietnam
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), False),  # 00:00 on 1/1/2027 in Vietnam
        (datetime(2023, 12, 31, 16, 59, tzinfo=UTC), False),  # 23:59 on 31/12/2023 in Vietnam
        (datetime(2023, 12, 31, 17, 0, tzinfo=UTC), True),  # 00:00 on 1/1/2024 in Vietnam
    ],
)
def test_an_instant_is_judged_by_vietnams_date_not_utcs(instant: datetime, counts: bool) -> None:
    assert TERM.in_force_at(instant) is counts


@pytest.mark.parametrize(
    "day",
    [date(2023, 12, 31), date(2024, 1, 1), date(2026, 12, 31), date(2027, 1, 1)],
)
@pytest.mark.parametrize("revoked", [False, True])
def test_registration_support_and_certification_read_the_same_rule(
    day: date, revoked: bool
) -> None:
    expected = TERM.in_force_on(day) and not revoked
    prior = Prior(Level.PROVINCIAL, "dak-lak", 2024, date(2026, 12, 31), revoked)
    priority = Priority(
        entry_id=uuid.UUID(int=30),
        certificate_number="DAK-LAK-2024-P-001",
        level=Level.PROVINCIAL,
        mean_score=Decimal("80"),
        facility_id=uuid.UUID(int=31),
        product_id=uuid.UUID(int=32),
        year=2024,
        valid_until=date(2026, 12, 31),
        revoked=revoked,
    )
    # Certification knows the granting decision's day; a decision of 1/1/2024 gives the same.
    status = certificate_status(
        known=True,
        revoked=revoked,
        valid_until=date(2026, 12, 31),
        today=day,
        decided_on=date(2024, 1, 1),
    )
    assert prior.valid_on(day) is expected
    assert priority.counts_on(day) is expected
    assert (status is CertificateStatus.VALID) is expected


def test_a_certificate_is_in_force_from_its_decisions_day() -> None:
    def status(day: date) -> CertificateStatus:
        return certificate_status(
            known=True,
            revoked=False,
            valid_until=date(2026, 12, 31),
            today=day,
            decided_on=date(2024, 8, 15),
        )

    assert status(date(2024, 8, 14)) is CertificateStatus.NOT_YET_VALID
    assert status(date(2024, 8, 15)) is CertificateStatus.VALID
    assert status(date(2027, 1, 1)) is CertificateStatus.EXPIRED
