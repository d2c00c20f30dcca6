"""Facilities (cơ sở CNNT) and their products: create, read, update, list and search."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_shared.auth import Principal
from cnnt_shared.contracts import FacilityRecorded, FacilityRecordedData
from cnnt_shared.contracts.vocabulary import FacilityKind, ProductGroup
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.errors import Conflict, NotFound
from cnnt_shared.http.pages import PageParams, fetch_page
from registration.adapters.tables import FacilityRow, ProductRow
from registration.domain.eligibility import Provinces
from registration.entrypoints.schemas import (
    FacilityCreate,
    FacilityUpdate,
    ProductCreate,
    ProductUpdate,
)
from registration.service_layer import provinces as province_data
from registration.service_layer.access import require_province
from registration.service_layer.search import fold

T = TypeVar("T")


async def get(uow: UnitOfWork, model: type[T], id_: UUID, what: str, field: str) -> T:
    row = await uow.session.get(model, id_)
    if row is None:
        raise NotFound(f"{what}_not_found", f"no {what} with id {id_}", field=field)
    return row


async def _flush(uow: UnitOfWork, conflict: Conflict) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise conflict from exc


def _business_code_taken(code: str) -> Conflict:
    msg = f"a facility with business code {code!r} exists"
    return Conflict("business_code_taken", msg, field="business_code")


def recorded_event(row: FacilityRow, provinces: Provinces) -> FacilityRecorded:
    """The facility as it now stands, for the services that must know which facilities exist
    (support accepts applications only from them)."""
    return FacilityRecorded.new(
        FacilityRecordedData(
            facility_id=row.id,
            name=row.name,
            kind=row.kind,
            province_code=row.province_code,
            current_province_code=provinces.current(row.province_code),
            recorded_at=datetime.now(UTC),
        )
    )


def _product_exists(name: str) -> Conflict:
    msg = f"the facility already has a product named {name!r}"
    return Conflict("product_exists", msg, field="name")


async def create_facility(uow: UnitOfWork, who: Principal, cmd: FacilityCreate) -> FacilityRow:
    provinces = await province_data.load(uow)
    provinces.current(cmd.province_code)
    require_province(who, cmd.province_code)
    row = FacilityRow(**cmd.model_dump(), name_folded=fold(cmd.name))
    uow.session.add(row)
    await _flush(uow, _business_code_taken(cmd.business_code))
    uow.emit(recorded_event(row, provinces))
    await uow.commit()
    return row


async def update_facility(
    uow: UnitOfWork, who: Principal, facility_id: UUID, cmd: FacilityUpdate
) -> FacilityRow:
    provinces = await province_data.load(uow)
    row = await get(uow, FacilityRow, facility_id, "facility", "facility_id")
    require_province(who, row.province_code)
    changes = cmd.model_dump(exclude_unset=True, exclude_none=True)
    if "province_code" in changes:
        provinces.current(changes["province_code"])
        require_province(who, changes["province_code"])
    for key, value in changes.items():
        setattr(row, key, value)
    row.name_folded = fold(row.name)
    uow.emit(recorded_event(row, provinces))
    await uow.commit()
    return row


async def create_product(uow: UnitOfWork, who: Principal, cmd: ProductCreate) -> ProductRow:
    facility = await get(uow, FacilityRow, cmd.facility_id, "facility", "facility_id")
    require_province(who, facility.province_code)
    row = ProductRow(**cmd.model_dump(), name_folded=fold(cmd.name))
    uow.session.add(row)
    await _flush(uow, _product_exists(cmd.name))
    await uow.commit()
    return row


async def update_product(
    uow: UnitOfWork, who: Principal, product_id: UUID, cmd: ProductUpdate
) -> ProductRow:
    row = await get(uow, ProductRow, product_id, "product", "product_id")
    facility = await get(uow, FacilityRow, row.facility_id, "facility", "facility_id")
    require_province(who, facility.province_code)
    for key, value in cmd.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(row, key, value)
    row.name_folded = fold(row.name)
    await _flush(uow, _product_exists(row.name))
    await uow.commit()
    return row


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
        stmt = stmt.where(col(FacilityRow.name_folded).contains(fold(filters.q), autoescape=True))
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
        stmt = stmt.where(col(ProductRow.name_folded).contains(fold(filters.q), autoescape=True))
    stmt = stmt.order_by(col(ProductRow.name_folded), col(ProductRow.id))
    return await fetch_page(uow.session, stmt, page)
