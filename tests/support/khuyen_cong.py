"""Builders for the support (khuyến công) tests: schemes, applications, recognition events."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx

from cnnt_contracts import (
    FacilityRecorded,
    FacilityRecordedData,
    FacilityRef,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
    RecognitionRevoked,
    RecognitionRevokedData,
)
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Role
from cnnt_runtime.reference import current_unit
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.scenario import ok
from tests.support.stack import bearer, eventually, publish, rows


def officer(settings: Settings, scope: str) -> dict[str, str]:
    return bearer(settings, Role.SUPPORT_OFFICER, scope)


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


async def open_scheme(
    client: httpx.AsyncClient,
    settings: Settings,
    scope: str,
    budget: dict[str, int],
    *,
    year: int = 2021,
    kind: str = "machinery",
    title: str = "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
    code: str | None = None,
) -> dict[str, Any]:
    headers = officer(settings, scope)
    body = {
        "code": code or identities.code("KC"),
        "title": title,
        "kind": kind,
        "year": year,
        "scope_code": scope,
        "budget": budget,
    }
    created = ok(await client.post("/api/v1/schemes", json=body, headers=headers))
    return ok(await client.post(f"/api/v1/schemes/{created['id']}/open", headers=headers), 200)


def facility_recorded(
    facility_id: uuid.UUID, province: str, name: str = "Cơ sở dệt thổ cẩm Buôn Đôn"
) -> FacilityRecorded:
    return FacilityRecorded.new(
        FacilityRecordedData(
            facility_id=facility_id,
            name=name,
            kind="household_business",
            province_code=province,
            current_province_code=current_unit(province).code,
            recorded_at=datetime.now(UTC),
        )
    )


async def known_facility(
    client: httpx.AsyncClient,
    settings: Settings,
    province: str,
    facility_id: uuid.UUID | None = None,
    name: str = "Cơ sở dệt thổ cẩm Buôn Đôn",
) -> uuid.UUID:
    """Announce a facility as registration does (FacilityRecorded) and wait until support
    knows it: support takes applications only from facilities it has learnt of."""
    facility_id = facility_id or uuid.uuid4()
    await publish(settings, facility_recorded(facility_id, province, name))

    async def known() -> bool:
        response = await client.get(
            f"/api/v1/facilities/{facility_id}", headers=officer(settings, province)
        )
        return response.status_code == 200

    # Generous: on a loaded machine the consumer may take a while; it only ends the wait.
    await eventually(known, timeout=60)
    return facility_id


async def apply(
    client: httpx.AsyncClient,
    settings: Settings,
    scheme_id: str,
    province: str,
    asked: dict[str, int],
    *,
    facility_id: uuid.UUID | None = None,
    name: str = "Cơ sở dệt thổ cẩm Buôn Đôn",
    product_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    facility_id = await known_facility(client, settings, province, facility_id, name)
    body = {
        "facility_id": str(facility_id),
        "facility_name": name,
        "province_code": province,
        "product_id": str(product_id) if product_id else None,
        "purpose": "Đầu tư máy dệt và bao bì sản phẩm",
        "asked": asked,
    }
    return ok(
        await client.post(
            f"/api/v1/schemes/{scheme_id}/applications",
            json=body,
            headers=officer(settings, province),
        )
    )


def recognized(
    facility_id: uuid.UUID, level: Level, mean: str, *, province: str = "dak-lak"
) -> ProductRecognized:
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=identities.code(level.value[:1].upper(), 6),
            level=level,
            scope_code="VN" if level is Level.NATIONAL else province,
            year=2021,
            round_id=uuid.uuid4(),
            entry_id=uuid.uuid4(),
            product=ProductRef(
                id=uuid.uuid4(), name="Cà phê bột Buôn Ma Thuột", group="agro_food", is_set=False
            ),
            facility=FacilityRef(
                id=facility_id,
                name="HTX Cà phê Ea Tu",
                kind="cooperative",
                province_code=province,
                current_province_code=province,
            ),
            mean_score=Decimal(mean),
            rank=1,
            valid_until=date(datetime.now(UTC).year + 2, 12, 31),
            decision_number="QĐ-123/UBND",
            recognized_at=datetime.now(UTC),
        )
    )


def revoked(event: ProductRecognized) -> RecognitionRevoked:
    data = event.data
    return RecognitionRevoked.new(
        RecognitionRevokedData(
            certificate_number=data.certificate_number,
            round_id=data.round_id,
            entry_id=data.entry_id,
            product_id=data.product.id,
            facility_id=data.facility.id,
            decision_number="QĐ-456/UBND",
            reason="Sản phẩm không còn đáp ứng tiêu chuẩn",
            revoked_at=datetime.now(UTC),
        )
    )


async def support_sql(settings: Settings, sql: str, **params: object) -> list[Any]:
    """Rows read as the support service's own role."""
    return await rows(settings, "support", sql, **params)
