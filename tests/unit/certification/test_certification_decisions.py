"""Decisions and certificates: which entries get one, their numbers, validity and status."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from certification.domain.certificates import (
    LEVEL_CODES,
    CertificateStatus,
    RoundIdentity,
    certificate_number,
    certificate_status,
    level_code,
    valid_until,
)
from certification.domain.decisions import (
    PublishedResult,
    check_not_decided,
    check_revocable,
    check_revocation_date,
    confirmed_line,
    correction_issues,
    issue_certificates,
    issuing_authority,
)
from certification.domain.results import Outcome, Reason, Result
from cnnt_contracts.vocabulary import Level, ProductGroup, Region
from cnnt_runtime.errors import Conflict, DomainError

ROUND = RoundIdentity(Level.PROVINCIAL, "dak-lak", 2021)


def result(rank: int | None, outcome: Outcome, reason: Reason | None = None) -> Result:
    mean = Fraction(80 - (rank or 0))
    return Result(uuid.uuid4(), ProductGroup.AGRO_FOOD, 3, mean, {}, rank, outcome, reason)


def test_certificate_numbers_name_scope_year_and_level() -> None:
    assert certificate_number(ROUND, 7) == "DAK-LAK-2021-T-007"
    national = RoundIdentity(Level.NATIONAL, "VN", 2019)
    assert certificate_number(national, 12) == "VN-2019-QG-012"


def test_every_level_numbers_in_vietnamese_ascii_form() -> None:
    regional = RoundIdentity(Level.REGIONAL, Region.CENTRAL_HIGHLANDS.value, 2020)
    assert certificate_number(regional, 1) == "MIEN-TRUNG-TAY-NGUYEN-2020-KV-001"
    assert certificate_number(RoundIdentity(Level.REGIONAL, "north", 2018), 3) == (
        "PHIA-BAC-2018-KV-003"
    )
    for level in Level:
        number = certificate_number(RoundIdentity(level, "dak-lak", 2021), 1)
        assert number.isascii(), number
        assert all(c.isalnum() or c == "-" for c in number), number
        assert level_code(level) in LEVEL_CODES.values()


def test_a_correction_continues_the_series_its_round_began_in() -> None:
    passed = [result(1, Outcome.RECOGNISED)]
    issues = issue_certificates(
        ROUND, passed, {}, issued_before=2, validity_years=2, series="DAK-LAK-2021-P"
    )
    assert [i.certificate_number for i in issues] == ["DAK-LAK-2021-P-003"]


def test_certificates_go_to_passed_entries_in_rank_order_without_gaps() -> None:
    passed = [result(2, Outcome.RECOGNISED), result(1, Outcome.RECOGNISED)]
    below = result(3, Outcome.NOT_RECOGNISED, Reason.BELOW_THRESHOLD)
    issues = issue_certificates(ROUND, [*passed, below], {}, issued_before=0, validity_years=2)
    assert [i.certificate_number for i in issues] == ["DAK-LAK-2021-T-001", "DAK-LAK-2021-T-002"]
    assert [i.rank for i in issues] == [1, 2]
    assert {i.valid_until for i in issues} == {date(2023, 12, 31)}


def test_a_declined_entry_gets_no_certificate_and_the_numbers_close_up() -> None:
    first, second, third = (result(n, Outcome.RECOGNISED) for n in (1, 2, 3))
    issues = issue_certificates(
        ROUND,
        [first, second, third],
        {second.entry_id: "hồ sơ chưa đầy đủ"},
        issued_before=0,
        validity_years=2,
    )
    assert [(i.entry_id, i.certificate_number) for i in issues] == [
        (first.entry_id, "DAK-LAK-2021-T-001"),
        (third.entry_id, "DAK-LAK-2021-T-002"),
    ]


def test_numbering_continues_after_the_certificates_already_issued() -> None:
    issues = issue_certificates(
        ROUND, [result(1, Outcome.RECOGNISED)], {}, issued_before=4, validity_years=2
    )
    assert issues[0].certificate_number == "DAK-LAK-2021-T-005"


def test_only_an_entry_that_passed_can_be_declined() -> None:
    below = result(1, Outcome.NOT_RECOGNISED, Reason.BELOW_THRESHOLD)
    with pytest.raises(DomainError) as caught:
        issue_certificates(ROUND, [below], {below.entry_id: "x"}, issued_before=0, validity_years=2)
    assert (caught.value.code, caught.value.field) == ("exclusion_not_recognised", "exclusions")


def test_validity_runs_to_the_end_of_the_year_of_the_next_round() -> None:
    assert valid_until(2021, 2) == date(2023, 12, 31)
    assert valid_until(2021, 0) == date(2021, 12, 31)


def test_a_round_is_confirmed_once() -> None:
    check_not_decided(False)
    with pytest.raises(Conflict) as caught:
        check_not_decided(True)
    assert caught.value.code == "round_already_decided"


def test_a_certificate_is_revoked_once_and_with_a_reason() -> None:
    with pytest.raises(Conflict) as caught:
        check_revocable(True, "vi phạm")
    assert caught.value.code == "certificate_already_revoked"
    with pytest.raises(DomainError) as missing:
        check_revocable(False, "  ")
    assert missing.value.code == "revocation_reason_missing"


def test_a_revocation_cannot_predate_the_decision_that_granted_the_certificate() -> None:
    check_revocation_date(date(2021, 8, 15), date(2021, 8, 15))
    with pytest.raises(DomainError) as caught:
        check_revocation_date(date(2021, 8, 14), date(2021, 8, 15))
    assert (caught.value.code, caught.value.field) == (
        "revocation_before_recognition",
        "decided_on",
    )


@pytest.mark.parametrize(
    ("known", "revoked", "until", "status"),
    [
        (False, False, None, CertificateStatus.UNKNOWN),
        (True, True, date(2030, 12, 31), CertificateStatus.REVOKED),
        (True, False, date(2023, 12, 31), CertificateStatus.EXPIRED),
        (True, False, date(2024, 12, 31), CertificateStatus.VALID),
    ],
)
def test_verification_reports_the_certificates_status(
    known: bool, revoked: bool, until: date | None, status: CertificateStatus
) -> None:
    today = date(2024, 12, 31)  # the last day of validity still counts
    assert (
        certificate_status(known=known, revoked=revoked, valid_until=until, today=today) is status
    )


def _published(rank: int, reason: Reason | None) -> PublishedResult:
    outcome = Outcome.RECOGNISED if reason is None else Outcome.NOT_RECOGNISED
    return PublishedResult(uuid.uuid4(), rank, Decimal(90 - rank), outcome, reason)


def test_a_correction_recognises_a_declined_or_out_of_quota_entry_with_the_next_number() -> None:
    declined, outside = _published(2, Reason.DECLINED), _published(3, Reason.OUTSIDE_QUOTA)
    lines = {p.entry_id: p for p in (declined, outside)}
    issues = correction_issues(
        ROUND,
        lines,
        [outside.entry_id, declined.entry_id],
        "khiếu nại được chấp nhận",
        issued_before=5,
        validity_years=2,
    )
    assert [(i.entry_id, i.certificate_number) for i in issues] == [
        (declined.entry_id, "DAK-LAK-2021-T-006"),
        (outside.entry_id, "DAK-LAK-2021-T-007"),
    ]


@pytest.mark.parametrize(
    "reason", [None, Reason.BELOW_THRESHOLD, Reason.NO_QUORUM, Reason.WITHDRAWN]
)
def test_a_correction_cannot_recognise_an_entry_that_did_not_pass_or_already_is(
    reason: Reason | None,
) -> None:
    line = _published(1, reason)
    with pytest.raises(DomainError) as caught:
        correction_issues(
            ROUND,
            {line.entry_id: line},
            [line.entry_id],
            "lý do",
            issued_before=0,
            validity_years=2,
        )
    assert (caught.value.code, caught.value.field) == ("correction_not_allowed", "recognise")


def test_a_correction_needs_a_reason() -> None:
    line = _published(2, Reason.DECLINED)
    with pytest.raises(DomainError) as caught:
        correction_issues(
            ROUND, {line.entry_id: line}, [line.entry_id], " ", issued_before=0, validity_years=2
        )
    assert caught.value.code == "correction_reason_missing"


def test_the_province_decides_its_rounds_and_the_ministry_the_others() -> None:
    assert issuing_authority(ROUND) == "dak-lak"
    assert issuing_authority(RoundIdentity(Level.REGIONAL, "central_highlands", 2020)) == "VN"


def test_a_confirmation_publishes_a_declined_entry_with_the_councils_reason() -> None:
    passed, other = result(1, Outcome.RECOGNISED), result(2, Outcome.RECOGNISED)
    exclusions = {passed.entry_id: "chưa đạt tiêu chí nhãn mác"}
    assert confirmed_line(passed, exclusions) == (
        Outcome.NOT_RECOGNISED,
        Reason.DECLINED,
        "chưa đạt tiêu chí nhãn mác",
    )
    assert confirmed_line(other, exclusions) == (Outcome.RECOGNISED, None, "")
