from __future__ import annotations

import uuid

from cnnt_shared.contracts.vocabulary import FundingSource, SchemeKind
from support.domain.report import GrantFacts, SchemeFacts, summarise

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
