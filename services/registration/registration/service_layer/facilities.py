"""Facilities (cơ sở CNNT) and their products: create, read, update, list and search."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from cnnt_contracts import FacilityRecorded, FacilityRecordedData
from cnnt_runtime import reference
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict, DomainError
from registration.adapters.tables import FacilityRow, ProductRow
from registration.domain.eligibility import Provinces
from registration.service_layer import provinces as province_data
from registration.service_layer.access import require_facility
from registration.service_layer.commands import (
    CreateFacility,
    CreateProduct,
    UpdateFacility,
    UpdateProduct,
)
from registration.service_layer.search import fold


def _given(cmd: UpdateFacility | UpdateProduct) -> dict[str, Any]:
    return {k: v for k, v in asdict(cmd).items() if v is not None}


async def _flush(uow: UnitOfWork, conflict: Conflict) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise conflict from exc


def _business_code_taken(code: str) -> Conflict:
    msg = f"đã có cơ sở với mã số thuế {code!r}"
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
            commune_code=row.commune_code,
            recorded_at=datetime.now(UTC),
        )
    )


def _product_exists(name: str) -> Conflict:
    msg = f"cơ sở đã có sản phẩm tên {name!r}"
    return Conflict("product_exists", msg, field="name")


def check_commune(provinces: Provinces, province_code: str, commune_code: str | None) -> None:
    """A facility's commune is a 2025 commune of the unit its province rolls up under."""
    if commune_code is None:
        return
    unit = provinces.current(province_code)
    commune = reference.communes().get(commune_code)
    if commune is None:
        raise DomainError(
            "commune_unknown",
            f"{commune_code!r} không phải mã xã, phường, đặc khu (từ 2025)",
            field="commune_code",
        )
    if commune.province != unit:
        raise DomainError(
            "commune_outside_province",
            f"{commune.name} ({commune_code}) thuộc {reference.province_name(commune.province)}, "
            f"không thuộc {reference.province_name(unit)}",
            field="commune_code",
        )


async def create_facility(uow: UnitOfWork, who: Principal, cmd: CreateFacility) -> FacilityRow:
    provinces = await province_data.load(uow)
    provinces.current(cmd.province_code)
    check_commune(provinces, cmd.province_code, cmd.commune_code)
    require_facility(who, cmd.province_code, cmd.commune_code, field="province_code")
    row = FacilityRow(**asdict(cmd), name_folded=fold(cmd.name))
    uow.session.add(row)
    await _flush(uow, _business_code_taken(cmd.business_code))
    uow.emit(recorded_event(row, provinces))
    await uow.commit()
    return row


async def update_facility(
    uow: UnitOfWork, who: Principal, facility_id: UUID, cmd: UpdateFacility
) -> FacilityRow:
    provinces = await province_data.load(uow)
    row = await uow.row(FacilityRow, facility_id, what="facility", field="facility_id")
    require_facility(who, row.province_code, row.commune_code, field="province_code")
    changes = _given(cmd)
    if "province_code" in changes or "commune_code" in changes:
        province = changes.get("province_code", row.province_code)
        commune = changes.get("commune_code", row.commune_code)
        provinces.current(province)
        check_commune(provinces, province, commune)
        require_facility(who, province, commune, field="province_code")
    for key, value in changes.items():
        setattr(row, key, value)
    row.name_folded = fold(row.name)
    uow.emit(recorded_event(row, provinces))
    await uow.commit()
    return row


async def create_product(uow: UnitOfWork, who: Principal, cmd: CreateProduct) -> ProductRow:
    facility = await uow.row(FacilityRow, cmd.facility_id, what="facility", field="facility_id")
    require_facility(who, facility.province_code, facility.commune_code, field="province_code")
    row = ProductRow(**asdict(cmd), name_folded=fold(cmd.name))
    uow.session.add(row)
    await _flush(uow, _product_exists(cmd.name))
    await uow.commit()
    return row


async def update_product(
    uow: UnitOfWork, who: Principal, product_id: UUID, cmd: UpdateProduct
) -> ProductRow:
    row = await uow.row(ProductRow, product_id, what="product", field="product_id")
    facility = await uow.row(FacilityRow, row.facility_id, what="facility", field="facility_id")
    require_facility(who, facility.province_code, facility.commune_code, field="province_code")
    for key, value in _given(cmd).items():
        setattr(row, key, value)
    row.name_folded = fold(row.name)
    await _flush(uow, _product_exists(row.name))
    await uow.commit()
    return row
