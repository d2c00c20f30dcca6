"""Schemes (đề án khuyến công) and applications: statuses, scopes and the amounts they carry.

Pure: standard library and the shared vocabulary only. Money is whole VND (đồng) as ``int``,
never a float: the sums reported must equal the budgets to the đồng.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from cnnt_contracts.vocabulary import FundingSource
from cnnt_runtime.errors import Conflict, DomainError

Amounts = dict[FundingSource, int]


class SchemeStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"


def amounts(values: Mapping[FundingSource, int], *, field: str = "amounts") -> Amounts:
    """Whole, non-negative VND per source, in the vocabulary's order, zeros dropped; at least one
    source must carry money."""
    cleaned: Amounts = {}
    for source in FundingSource:
        value = values.get(source, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(
                "amount_not_whole_vnd", "số tiền là số nguyên đồng", field=f"{field}.{source}"
            )
        if value < 0:
            raise DomainError("amount_negative", "số tiền không được âm", field=f"{field}.{source}")
        if value:
            cleaned[source] = value
    if not cleaned:
        raise DomainError("amount_empty", "ít nhất một nguồn kinh phí phải có số tiền", field=field)
    return cleaned


def total(values: Mapping[FundingSource, int]) -> int:
    return sum(values.values())


def check_sources_funded(
    asked: Mapping[FundingSource, int], budget: Mapping[FundingSource, int], *, field: str
) -> None:
    """An application may only ask for sources the scheme has a budget in."""
    for source, value in asked.items():
        if value and not budget.get(source, 0):
            raise DomainError(
                "source_not_funded",
                f"đề án không có kinh phí từ nguồn {source}",
                field=f"{field}.{source}",
            )


def check_within_request(
    granted: Mapping[FundingSource, int], asked: Mapping[FundingSource, int]
) -> None:
    """A manual grant may give less than asked from a source, never more."""
    for source, value in granted.items():
        if value > asked.get(source, 0):
            raise DomainError(
                "grant_exceeds_request",
                f"đơn đề nghị {asked.get(source, 0)} đồng từ nguồn {source}, không phải {value}",
                field=f"amounts.{source}",
            )


def open_scheme(status: SchemeStatus) -> SchemeStatus:
    if status is not SchemeStatus.DRAFT:
        raise Conflict(
            "scheme_not_draft", f"chỉ đề án ở trạng thái nháp mới mở được; hiện là {status}"
        )
    return SchemeStatus.OPEN


def close_scheme(status: SchemeStatus) -> SchemeStatus:
    if status is not SchemeStatus.OPEN:
        raise Conflict("scheme_not_open", f"chỉ đề án đang mở mới đóng được; hiện là {status}")
    return SchemeStatus.CLOSED


def check_accepts_applications(status: SchemeStatus) -> None:
    if status is SchemeStatus.CLOSED:
        raise Conflict("scheme_closed", "đề án đã đóng không nhận đơn", field="scheme_id")


def check_grants_allowed(status: SchemeStatus) -> None:
    if status is not SchemeStatus.OPEN:
        raise Conflict("scheme_not_open", f"chỉ cấp hỗ trợ khi đề án đang mở; hiện là {status}")


def check_not_granted(status: ApplicationStatus) -> None:
    if status is ApplicationStatus.GRANTED:
        raise Conflict("already_granted", "đơn này đã được cấp hỗ trợ", field="application_id")
