"""Decisions (quyết định) of the certifying authority: which entries a confirmation or a
correction recognises, in which order they are numbered, and when a decision is refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from certification.domain.certificates import RoundIdentity, certificate_series, valid_until
from certification.domain.results import Outcome, Reason, Result
from cnnt_contracts.vocabulary import NATION_SCOPE, Level
from cnnt_runtime.errors import Conflict, DomainError


class DecisionKind(StrEnum):
    CONFIRMATION = "confirmation"  # confirms a round's results and issues certificates
    REVOCATION = "revocation"  # revokes one certificate
    CORRECTION = "correction"  # recognises entries the confirmation left out


def issuing_authority(round_: RoundIdentity) -> str:
    """Who decides: the commune (UBND xã) for commune rounds, the district (UBND huyện) for
    district rounds, the province (UBND tỉnh) for its rounds, the ministry (VN) for the others."""
    if round_.level is Level.PROVINCIAL or round_.level.is_local:
        return round_.scope_code
    return NATION_SCOPE


@dataclass(frozen=True)
class Signature:
    """Who issues and signs a decision, as the certificate prints it (cơ quan ban hành, nơi
    ký, chức vụ và họ tên người ký); blank parts are printed from the round's authority."""

    issuer: str = ""
    place: str = ""
    title: str = ""
    name: str = ""


@dataclass(frozen=True)
class Pick:
    """An entry chosen for recognition, with its published rank and mean."""

    entry_id: UUID
    rank: int
    mean: Decimal


@dataclass(frozen=True)
class Issue:
    """A recognition a decision creates: an entry, its rank and its certificate."""

    entry_id: UUID
    rank: int
    mean: Decimal
    certificate_number: str
    valid_until: date


@dataclass(frozen=True)
class PublishedResult:
    """An entry's line in the results a confirming decision published."""

    entry_id: UUID
    rank: int | None
    mean: Decimal | None
    outcome: Outcome
    reason: Reason | None


def check_decided(decided: bool) -> None:
    """A correction amends confirmed results; before the confirmation there is nothing to amend."""
    if not decided:
        raise Conflict("round_not_decided", "chỉ sửa được kết quả đã được quyết định công nhận")


def check_not_decided(decided: bool) -> None:
    if decided:
        raise Conflict(
            "round_already_decided",
            "kết quả của đợt bình chọn đã được quyết định; hãy sửa bằng một quyết định mới",
        )


def issue_certificates(
    round_: RoundIdentity,
    results: Sequence[Result],
    exclusions: Mapping[UUID, str],
    *,
    issued_before: int,
    validity_years: int,
    series: str | None = None,
) -> list[Issue]:
    """Certificates for every entry that passed and is not excluded, numbered in rank order
    right after the ``issued_before`` certificates of the series (gap-free)."""
    passed = {r.entry_id for r in results if r.outcome is Outcome.RECOGNISED}
    for entry_id, reason in exclusions.items():
        if entry_id not in passed:
            raise DomainError(
                "exclusion_not_recognised",
                f"hồ sơ {entry_id} không thuộc các hồ sơ được công nhận theo kết quả",
                field="exclusions",
            )
        if not reason.strip():
            raise DomainError(
                "exclusion_reason_missing",
                "mỗi hồ sơ không công nhận cần lý do",
                field="exclusions",
            )
    chosen = [
        Pick(r.entry_id, r.rank, r.published_mean)
        for r in results
        if r.outcome is Outcome.RECOGNISED
        and r.entry_id not in exclusions
        and r.rank is not None
        and r.published_mean is not None
    ]
    return number_issues(round_, chosen, issued_before, validity_years, series)


def confirmed_line(
    result: Result, exclusions: Mapping[UUID, str]
) -> tuple[Outcome, Reason | None, str]:
    """The outcome, reason and note a confirmation publishes for an entry: a declined entry is
    not recognised, with the council's reason as the note."""
    if result.entry_id in exclusions:
        return Outcome.NOT_RECOGNISED, Reason.DECLINED, exclusions[result.entry_id]
    return result.outcome, result.reason, ""


def number_issues(
    round_: RoundIdentity,
    chosen: Sequence[Pick],
    issued_before: int,
    validity_years: int,
    series: str | None = None,
) -> list[Issue]:
    """Certificate numbers in rank order, right after the series' last one: no gap. The
    series is the round's (``certificate_series``) unless the round already numbers in an
    earlier form, which a correction continues."""
    until = valid_until(round_.year, validity_years)
    prefix = series or certificate_series(round_)
    ordered = sorted(chosen, key=lambda p: p.rank)
    return [
        Issue(p.entry_id, p.rank, p.mean, f"{prefix}-{issued_before + i:03d}", until)
        for i, p in enumerate(ordered, 1)
    ]


CORRECTABLE = {Reason.DECLINED, Reason.OUTSIDE_QUOTA}


def correction_issues(
    round_: RoundIdentity,
    published: Mapping[UUID, PublishedResult],
    recognise: Sequence[UUID],
    reason: str,
    *,
    issued_before: int,
    validity_years: int,
    series: str | None = None,
) -> list[Issue]:
    """A correction (quyết định điều chỉnh) recognises entries the published results left out
    although they reached the threshold with a quorum: declined, or outside the quota."""
    if not reason.strip():
        raise DomainError(
            "correction_reason_missing", "quyết định sửa đổi cần lý do", field="reason"
        )
    if not recognise:
        raise DomainError("correction_empty", "hãy nêu các hồ sơ được công nhận", field="recognise")
    chosen = []
    for entry_id in dict.fromkeys(recognise):
        line = published.get(entry_id)
        if line is None or line.reason not in CORRECTABLE or line.rank is None or line.mean is None:
            raise DomainError(
                "correction_not_allowed",
                f"hồ sơ {entry_id} không đạt đủ thành viên chấm, hoặc đã được công nhận",
                field="recognise",
            )
        chosen.append(Pick(entry_id, line.rank, line.mean))
    return number_issues(round_, chosen, issued_before, validity_years, series)


def check_revocable(revoked: bool, reason: str) -> None:
    if revoked:
        raise Conflict("certificate_already_revoked", "giấy chứng nhận này đã bị thu hồi")
    if not reason.strip():
        raise DomainError("revocation_reason_missing", "việc thu hồi cần lý do", field="reason")


def check_revocation_date(revoked_on: date, granted_on: date) -> None:
    """A certificate cannot be revoked before the decision that granted it was taken."""
    if revoked_on < granted_on:
        raise DomainError(
            "revocation_before_recognition",
            f"ngày thu hồi {revoked_on:%d/%m/%Y} trước ngày quyết định "
            f"{granted_on:%d/%m/%Y} cấp giấy chứng nhận",
            field="decided_on",
        )


def check_decision_date(decided_on: date, judging_closed_on: date) -> None:
    """A round's decision rests on the jury's results: it cannot be dated before judging
    closed (the day in Vietnam the chair closed it)."""
    if decided_on < judging_closed_on:
        closed = judging_closed_on.strftime("%d/%m/%Y")
        raise DomainError(
            "decision_before_judging_closed",
            f"Ngày quyết định ({decided_on.strftime('%d/%m/%Y')}) không được trước ngày kết thúc "
            f"chấm điểm ({closed}).",
            field="decided_on",
            details={"judging_closed_on": judging_closed_on.isoformat()},
        )
