"""The support report the provinces publish: per province (2025 unit) and scheme kind, schemes
run, facilities supported, budget and money granted per funding source (whole VND).

The caller rolls each scheme's scope up to its current unit before calling; national schemes
keep the scope ``VN``. A row of kind ``all`` per unit totals its kinds (facilities counted once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from cnnt_contracts.vocabulary import FundingSource, SchemeKind

ALL_KINDS = "all"


@dataclass(frozen=True)
class SchemeFacts:
    scheme_id: UUID
    unit_code: str
    kind: SchemeKind
    budget: Mapping[FundingSource, int]


@dataclass(frozen=True)
class GrantFacts:
    scheme_id: UUID
    facility_id: UUID
    amounts: Mapping[FundingSource, int]


@dataclass
class ReportRow:
    unit_code: str
    kind: str
    schemes: int = 0
    facilities: set[UUID] = field(default_factory=set)
    budget: dict[FundingSource, int] = field(
        default_factory=lambda: dict.fromkeys(FundingSource, 0)
    )
    granted: dict[FundingSource, int] = field(
        default_factory=lambda: dict.fromkeys(FundingSource, 0)
    )

    @property
    def granted_total(self) -> int:
        return sum(self.granted.values())

    @property
    def budget_total(self) -> int:
        return sum(self.budget.values())


def summarise(schemes: Iterable[SchemeFacts], grants: Iterable[GrantFacts]) -> list[ReportRow]:
    rows: dict[tuple[str, str], ReportRow] = {}
    by_id: dict[UUID, SchemeFacts] = {}

    def touched(scheme: SchemeFacts) -> list[ReportRow]:
        keys = [(scheme.unit_code, scheme.kind.value), (scheme.unit_code, ALL_KINDS)]
        return [rows.setdefault(k, ReportRow(*k)) for k in keys]

    for scheme in schemes:
        by_id[scheme.scheme_id] = scheme
        for row in touched(scheme):
            row.schemes += 1
            for source in FundingSource:
                row.budget[source] += scheme.budget.get(source, 0)
    for grant in grants:
        if grant.scheme_id not in by_id:
            continue
        for row in touched(by_id[grant.scheme_id]):
            row.facilities.add(grant.facility_id)
            for source in FundingSource:
                row.granted[source] += grant.amounts.get(source, 0)
    # Units in code order, each unit's kinds in vocabulary order, its total row last.
    kind_order = {k.value: i for i, k in enumerate(SchemeKind)} | {ALL_KINDS: len(SchemeKind)}
    return sorted(rows.values(), key=lambda r: (r.unit_code, kind_order[r.kind]))
