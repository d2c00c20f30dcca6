"""Recognitions broken down for the national dashboard (docs/domain.md "Reports"): per product
group, level and year, and per province (its 2025 unit) and level over the period — products
recognised and not revoked, counted as the recognition report counts them (distinct products
per cell).

Recognitions, their products' groups and the provinces of their facilities are public facts
(docs/read-policy.md): any authenticated reader may ask.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError
from registration.adapters.tables import FacilityRow, ProductRow, RecognitionRow, RevocationRow
from registration.service_layer.provinces import successors
from registration.service_layer.reports import report_scope


async def recognition_breakdown(
    uow: UnitOfWork, scope: str, first: int, last: int
) -> dict[str, Any]:
    if last < first:
        raise DomainError("period_inverted", "năm cuối không được trước năm đầu", field="to_year")
    covered = await report_scope(uow, scope)
    rows = await uow.session.execute(
        select(
            col(FacilityRow.province_code),
            col(ProductRow.group),
            col(RecognitionRow.level),
            col(RecognitionRow.year),
            col(RecognitionRow.product_id),
        )
        .join(FacilityRow, col(FacilityRow.id) == col(RecognitionRow.facility_id))
        .join(ProductRow, col(ProductRow.id) == col(RecognitionRow.product_id))
        .outerjoin(RevocationRow, col(RevocationRow.entry_id) == col(RecognitionRow.entry_id))
        .where(
            col(FacilityRow.province_code).in_(covered.codes),
            col(RevocationRow.entry_id).is_(None),
            col(RecognitionRow.year).between(first, last),
        )
    )
    unit_of = successors()
    groups: dict[tuple[str, str, int], set[UUID]] = defaultdict(set)
    provinces: dict[tuple[str, str], set[UUID]] = defaultdict(set)
    for province, group, level, year, product in rows.all():
        level_code = Level(level).value
        groups[(str(getattr(group, "value", group)), level_code, year)].add(product)
        provinces[(unit_of.get(province, province), level_code)].add(product)
    return {
        "scope": scope,
        "scope_name": covered.name,
        "from_year": first,
        "to_year": last,
        "groups": [
            {"product_group": g, "level": lv, "year": y, "recognised": len(products)}
            for (g, lv, y), products in sorted(groups.items())
        ],
        "provinces": [
            {"province_code": p, "level": lv, "recognised": len(products)}
            for (p, lv), products in sorted(provinces.items())
        ],
    }
