"""The support report per province (2025 unit, or VN for national schemes) and period.

Schemes count once they have opened (draft schemes have not run). Facts are read per scheme and
per grant line, rolled up to current units here, and summed by the pure ``summarise``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from cnnt_contracts.vocabulary import NATION_SCOPE, FundingSource
from cnnt_runtime import labels
from cnnt_runtime.db.freshness import Freshness, freshness
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError
from cnnt_runtime.http.exports import Column
from cnnt_runtime.reference import province_name
from support.adapters.tables import (
    BudgetRow,
    GrantLineRow,
    GrantRow,
    RecognitionRow,
    RevocationRow,
    SchemeRow,
    outbox,
)
from support.domain.model import SchemeStatus
from support.domain.report import GrantFacts, ReportRow, SchemeFacts, summarise
from support.service_layer.access import check_scope_code, unit_of

# Column titles in the words the provinces' reports use for each funding source.
SOURCE_TITLES = {
    FundingSource.NATIONAL: "khuyến công quốc gia",
    FundingSource.LOCAL: "khuyến công địa phương",
    FundingSource.COUNTERPART: "đối ứng",
}
COLUMNS = [
    Column("province_code", "Mã tỉnh"),
    Column("province_name", "Tỉnh/thành phố"),
    Column("kind", "Loại đề án", labels.SCHEME_KINDS),
    Column("schemes", "Số đề án"),
    Column("facilities_supported", "Số cơ sở được hỗ trợ"),
    *(
        Column(f"budget_{s}", f"Kinh phí {SOURCE_TITLES[s]} (đồng)", money=True)
        for s in FundingSource
    ),
    Column("budget_total", "Tổng kinh phí (đồng)", money=True),
    *(
        Column(f"granted_{s}", f"Đã hỗ trợ từ {SOURCE_TITLES[s]} (đồng)", money=True)
        for s in FundingSource
    ),
    Column("granted_total", "Tổng đã hỗ trợ (đồng)", money=True),
]


def _as_dict(row: ReportRow) -> dict[str, Any]:
    name = "Toàn quốc" if row.unit_code == "VN" else province_name(row.unit_code)
    return {
        "province_code": row.unit_code,
        "province_name": name,
        "kind": row.kind,
        "schemes": row.schemes,
        "facilities_supported": len(row.facilities),
        **{f"budget_{s}": row.budget[s] for s in FundingSource},
        "budget_total": row.budget_total,
        **{f"granted_{s}": row.granted[s] for s in FundingSource},
        "granted_total": row.granted_total,
    }


def report_unit(
    from_year: int, to_year: int, province: str | None, *, as_recorded: bool = False
) -> str | None:
    """The unit a report is asked for: ``province`` rolled up to its 2025 unit (or, as recorded,
    the province itself), ``VN`` for national schemes, None for every unit."""
    if to_year < from_year:
        raise DomainError("period_inverted", "năm cuối không được trước năm đầu", field="to_year")
    if province is not None:
        check_scope_code(province, field="province")
    if as_recorded and province in (None, NATION_SCOPE):
        raise DomainError(
            "as_recorded_needs_province",
            "số liệu theo tỉnh như đã ghi nhận chỉ áp dụng cho một tỉnh",
            field="province",
        )
    if province is None:
        return None
    return province if as_recorded else unit_of(province)


async def support_report(
    uow: UnitOfWork, from_year: int, to_year: int, unit: str | None, *, as_recorded: bool = False
) -> list[dict[str, Any]]:
    """Per unit and kind. ``as_recorded``: ``unit`` is a province as its schemes recorded it
    (an earlier province on its own), not the 2025 unit its schemes roll up under."""

    def reported(scope_code: str) -> str:
        return scope_code if as_recorded else unit_of(scope_code)

    schemes = (
        await uow.session.execute(
            select(SchemeRow).where(
                col(SchemeRow.year).between(from_year, to_year),
                col(SchemeRow.status) != SchemeStatus.DRAFT,
            )
        )
    ).scalars()
    chosen = {s.id: s for s in schemes if unit is None or reported(s.scope_code) == unit}
    ids = list(chosen)
    budgets: dict[Any, dict[FundingSource, int]] = {i: {} for i in ids}
    for b in (
        await uow.session.execute(select(BudgetRow).where(col(BudgetRow.scheme_id).in_(ids)))
    ).scalars():
        budgets[b.scheme_id][b.source] = b.amount
    lines = await uow.session.execute(
        select(col(GrantRow.scheme_id), col(GrantRow.facility_id), GrantLineRow)
        .join(GrantLineRow, col(GrantLineRow.grant_id) == col(GrantRow.id))
        .where(col(GrantRow.scheme_id).in_(ids))
    )
    facts = [
        SchemeFacts(s.id, reported(s.scope_code), s.kind, budgets[s.id]) for s in chosen.values()
    ]
    grants = [GrantFacts(sid, fid, {line.source: line.amount}) for sid, fid, line in lines.all()]
    return [_as_dict(r) for r in summarise(facts, grants)]


async def report_freshness(uow: UnitOfWork) -> Freshness:
    """Support's own last event, and the last recognition or revocation taken in (they decide
    who has priority)."""
    received = [col(RecognitionRow.recognized_at), col(RevocationRow.revoked_at)]
    return await freshness(uow.session, outbox, received)
