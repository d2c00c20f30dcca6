"""Registration's reads: facilities, products and rounds as stored, and entries as people read
them (with product and facility, counted under the current unit)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from sqlalchemy import Select, exists, select
from sqlmodel import col

from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_runtime import labels
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.http.exports import Column
from cnnt_runtime.http.pages import PageParams, fetch_page
from registration.adapters.tables import EntryRow, FacilityRow, ProductRow, RoundRow
from registration.domain.eligibility import Provinces
from registration.service_layer import provinces as province_data
from registration.service_layer.access import sees_private
from registration.service_layer.search import name_matches


@dataclass(frozen=True)
class Filters:
    """List filters; ``province`` is a current unit and also finds its earlier provinces."""

    province: str | None = None
    kind: FacilityKind | None = None
    group: ProductGroup | None = None
    q: str | None = None


def filtered(stmt: Select[Any], filters: Filters, provinces: Provinces) -> Select[Any]:
    if filters.province:
        codes = provinces.rolling_up_to(filters.province)
        stmt = stmt.where(col(FacilityRow.province_code).in_(codes))
    if filters.kind:
        stmt = stmt.where(col(FacilityRow.kind) == filters.kind)
    if filters.group:
        stmt = stmt.where(col(ProductRow.group) == filters.group)
    return stmt


async def list_facilities(
    uow: UnitOfWork, filters: Filters, page: PageParams
) -> tuple[list[FacilityRow], int]:
    # a facility matches a product group when it has a product of that group
    by_facility = replace(filters, group=None)
    stmt = filtered(select(FacilityRow), by_facility, await province_data.load(uow))
    if filters.group:
        stmt = stmt.where(
            exists().where(
                col(ProductRow.facility_id) == FacilityRow.id,
                col(ProductRow.group) == filters.group,
            )
        )
    if filters.q:
        stmt = stmt.where(name_matches(col(FacilityRow.name_folded), filters.q))
    stmt = stmt.order_by(col(FacilityRow.name_folded), col(FacilityRow.id))
    return await fetch_page(uow.session, stmt, page)


async def list_products(
    uow: UnitOfWork, filters: Filters, page: PageParams, facility_id: UUID | None = None
) -> tuple[list[ProductRow], int]:
    stmt = select(ProductRow).join(FacilityRow, col(FacilityRow.id) == ProductRow.facility_id)
    stmt = filtered(stmt, filters, await province_data.load(uow))
    if facility_id:
        stmt = stmt.where(col(ProductRow.facility_id) == facility_id)
    if filters.q:
        stmt = stmt.where(name_matches(col(ProductRow.name_folded), filters.q))
    stmt = stmt.order_by(col(ProductRow.name_folded), col(ProductRow.id))
    return await fetch_page(uow.session, stmt, page)


async def get_round(uow: UnitOfWork, round_id: UUID) -> RoundRow:
    return await uow.row(RoundRow, round_id, what="round", field="round_id")


async def list_rounds(
    uow: UnitOfWork,
    page: PageParams,
    level: Level | None = None,
    scope_code: str | None = None,
    year: int | None = None,
) -> tuple[list[RoundRow], int]:
    stmt = select(RoundRow)
    if level:
        stmt = stmt.where(col(RoundRow.level) == level)
    if (
        scope_code
    ):  # a current unit also finds the rounds of its earlier provinces, communes, districts
        codes = (await province_data.load(uow)).rounds_under(scope_code)
        stmt = stmt.where(col(RoundRow.scope_code).in_(codes))
    if year:
        stmt = stmt.where(col(RoundRow.year) == year)
    stmt = stmt.order_by(col(RoundRow.year).desc(), col(RoundRow.level), col(RoundRow.scope_code))
    return await fetch_page(uow.session, stmt, page)


EXPORT_COLUMNS = (
    Column("product_name", "Sản phẩm"),
    Column("product_group", "Nhóm", labels.PRODUCT_GROUPS),
    Column("is_set", "Bộ sản phẩm", labels.YES_NO),
    Column("facility_name", "Cơ sở"),
    Column("facility_kind", "Loại hình", labels.FACILITY_KINDS),
    Column("business_code", "Mã số thuế"),
    Column("province_code", "Tỉnh (như ghi nhận)"),
    Column("current_province_code", "Tỉnh (hiện nay)"),
    Column("registered_at", "Ngày đăng ký"),
    Column("withdrawn_at", "Ngày rút"),
    Column("id", "Mã đăng ký"),
)


def view(
    entry: EntryRow, product: ProductRow, facility: FacilityRow, p: Provinces
) -> dict[str, Any]:
    return {
        "id": entry.id,
        "round_id": entry.round_id,
        "product_id": product.id,
        "product_name": product.name,
        "product_group": product.group,
        "is_set": product.is_set,
        "facility_id": facility.id,
        "facility_name": facility.name,
        "facility_kind": facility.kind,
        "business_code": facility.business_code,
        "province_code": facility.province_code,
        "current_province_code": p.current(facility.province_code),
        "registered_at": entry.registered_at,
        "withdrawn_at": entry.withdrawn_at,
        "withdrawal_reason": entry.withdrawal_reason,
    }


def for_reader(who: Principal, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The views with the tax code blanked where the reader's scope does not cover the
    facility's province (docs/read-policy.md)."""
    return [
        item if sees_private(who, item["province_code"]) else {**item, "business_code": ""}
        for item in items
    ]


async def _views(uow: UnitOfWork, entries: list[EntryRow]) -> list[dict[str, Any]]:
    provinces = await province_data.load(uow)
    products = await _by_id(uow, ProductRow, {e.product_id for e in entries})
    facilities = await _by_id(uow, FacilityRow, {e.facility_id for e in entries})
    return [view(e, products[e.product_id], facilities[e.facility_id], provinces) for e in entries]


async def _by_id(uow: UnitOfWork, model: type[Any], ids: set[UUID]) -> dict[UUID, Any]:
    rows = await uow.session.execute(select(model).where(col(model.id).in_(ids)))
    return {row.id: row for row in rows.scalars()}


async def get_entry(uow: UnitOfWork, entry_id: UUID) -> dict[str, Any]:
    entry = await uow.row(EntryRow, entry_id, what="entry", field="entry_id")
    return (await _views(uow, [entry]))[0]


async def list_entries(
    uow: UnitOfWork,
    filters: Filters,
    page: PageParams | None,
    *,
    round_id: UUID | None = None,
    level: Level | None = None,
    year: int | None = None,
    include_withdrawn: bool = False,
) -> tuple[list[dict[str, Any]], int]:
    """One page (or, without ``page``, all) of the entries matching the filters."""
    stmt = (
        select(EntryRow)
        .join(ProductRow, col(ProductRow.id) == EntryRow.product_id)
        .join(FacilityRow, col(FacilityRow.id) == EntryRow.facility_id)
        .join(RoundRow, col(RoundRow.id) == EntryRow.round_id)
    )
    stmt = filtered(stmt, filters, await province_data.load(uow))
    if filters.q:
        stmt = stmt.where(name_matches(col(ProductRow.name_folded), filters.q))
    if round_id:
        stmt = stmt.where(col(EntryRow.round_id) == round_id)
    if level:
        stmt = stmt.where(col(RoundRow.level) == level)
    if year:
        stmt = stmt.where(col(RoundRow.year) == year)
    if not include_withdrawn:
        stmt = stmt.where(col(EntryRow.withdrawn_at).is_(None))
    stmt = stmt.order_by(col(EntryRow.registered_at), col(EntryRow.id))
    if page is None:
        entries = list((await uow.session.execute(stmt)).scalars())
        return await _views(uow, entries), len(entries)
    rows, total = await fetch_page(uow.session, stmt, page)
    return await _views(uow, rows), total
