from __future__ import annotations

import uuid

import pytest

from cnnt_contracts.vocabulary import FundingSource, SchemeKind
from cnnt_runtime.errors import DomainError
from support.domain.report import GrantFacts, SchemeFacts, summarise
from support.service_layer.reports import report_unit

NATIONAL, LOCAL, COUNTERPART = FundingSource


def test_the_report_sums_budgets_and_grants_per_unit_kind_and_source_to_the_dong() -> None:
    fair, booths, machine = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    schemes = [
        SchemeFacts(
            fair,
            "dak-lak",
            SchemeKind.TRADE_FAIR,
            {NATIONAL: 1_056_000_000, COUNTERPART: 1_044_000_000},
        ),
        SchemeFacts(booths, "dak-lak", SchemeKind.TRADE_FAIR, {LOCAL: 768_000_000}),
        SchemeFacts(machine, "thai-nguyen", SchemeKind.MACHINERY, {NATIONAL: 500}),
    ]
    a, b = uuid.uuid4(), uuid.uuid4()
    grants = [
        GrantFacts(fair, a, {NATIONAL: 1_056_000_000}),
        GrantFacts(fair, a, {COUNTERPART: 1_044_000_000}),
        GrantFacts(booths, a, {LOCAL: 700_000_000}),
        GrantFacts(booths, b, {LOCAL: 68_000_000}),
        GrantFacts(uuid.uuid4(), b, {LOCAL: 1}),  # a scheme outside the report
    ]
    rows = {(r.unit_code, r.kind): r for r in summarise(schemes, grants)}
    assert list(rows) == [
        ("dak-lak", "trade_fair"),
        ("dak-lak", "all"),
        ("thai-nguyen", "machinery"),
        ("thai-nguyen", "all"),
    ]
    fairs = rows["dak-lak", "trade_fair"]
    assert fairs.schemes == 2
    assert len(fairs.facilities) == 2
    assert fairs.granted == {
        NATIONAL: 1_056_000_000,
        LOCAL: 768_000_000,
        COUNTERPART: 1_044_000_000,
    }
    assert fairs.budget_total == fairs.granted_total == 2_868_000_000
    machinery = rows["thai-nguyen", "machinery"]
    assert (machinery.schemes, len(machinery.facilities), machinery.granted_total) == (1, 0, 0)


@pytest.mark.parametrize(
    ("province", "as_recorded", "unit"),
    [
        (None, False, None),
        ("VN", False, "VN"),
        ("bac-kan", False, "thai-nguyen"),  # merged into Thái Nguyên in 2025
        ("bac-kan", True, "bac-kan"),
        ("thai-nguyen", False, "thai-nguyen"),
    ],
)
def test_a_report_is_asked_for_a_2025_unit_unless_as_recorded(
    province: str | None, as_recorded: bool, unit: str | None
) -> None:
    assert report_unit(2016, 2021, province, as_recorded=as_recorded) == unit


@pytest.mark.parametrize(
    ("from_year", "to_year", "province", "as_recorded", "code", "field"),
    [
        (2021, 2016, None, False, "period_inverted", "to_year"),
        (2016, 2021, "atlantis", False, "unknown_province", "province"),
        (2016, 2021, None, True, "as_recorded_needs_province", "province"),
        (2016, 2021, "VN", True, "as_recorded_needs_province", "province"),
    ],
)
def test_a_report_that_cannot_be_made_is_refused_naming_the_field(
    from_year: int, to_year: int, province: str | None, as_recorded: bool, code: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        report_unit(from_year, to_year, province, as_recorded=as_recorded)
    assert (refused.value.code, refused.value.field) == (code, field)
