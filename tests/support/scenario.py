"""Small builders that drive the registration API the way a province officer would."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from cnnt_contracts import (
    FacilityRef,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    RoundRef,
)
from cnnt_runtime.auth import Role
from cnnt_runtime.reference import province_name
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import bearer

DECLARED = {
    "self_produced": True,
    "no_ip_infringement": True,
    "meets_standards": True,
    "mass_producible": True,
}


def ok(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


# The centrally governed cities are "thành phố", every other unit a "tỉnh".
CITIES = frozenset({"ha-noi", "hai-phong", "hue", "da-nang", "ho-chi-minh", "can-tho"})


def round_name(province: str, year: int) -> str:
    """A provincial round named as a province names it: "… tỉnh Đắk Lắk năm 2026"."""
    name = province_name(province)
    if not name.startswith("Thành phố"):
        name = f"{'thành phố' if province in CITIES else 'tỉnh'} {name}"
    return f"Bình chọn sản phẩm CNNT tiêu biểu {name} năm {year}"


async def open_provincial_round(
    client: httpx.AsyncClient,
    settings: Settings,
    province: str,
    year: int | None = None,
) -> dict[str, Any]:
    """A provincial round of ``province``, opened; its year the allocator's unless given
    (tests share one database: tests/support/identities.py). Every allocated year is after
    this one, so the round's certificates are valid today."""
    headers = bearer(settings, Role.PROVINCE_OFFICER, province)
    today = datetime.now(UTC).date()
    year = year or identities.round_year("provincial", province)
    body = {
        "name": round_name(province, year),
        "level": "provincial",
        "scope_code": province,
        "year": year,
        "opens_on": str(today - timedelta(days=1)),
        "closes_on": str(today + timedelta(days=30)),
    }
    created = ok(await client.post("/api/v1/rounds", json=body, headers=headers))
    return ok(await client.post(f"/api/v1/rounds/{created['id']}/open", headers=headers), 200)


async def facility_with_product(
    client: httpx.AsyncClient,
    settings: Settings,
    province: str,
    facility_name: str = "HTX Dệt thổ cẩm Đắk Lắk",
    product_name: str = "Cà phê bột nguyên chất Buôn Ma Thuột",
) -> tuple[dict[str, Any], dict[str, Any]]:
    headers = bearer(settings, Role.PROVINCE_OFFICER, province)
    facility = ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "name": facility_name,
                "kind": "cooperative",
                "business_code": identities.tax_code(),
                "province_code": province,
                "address": "Buôn Ma Thuột, Đắk Lắk",
            },
            headers=headers,
        )
    )
    product = ok(
        await client.post(
            "/api/v1/products",
            json={"facility_id": facility["id"], "name": product_name, "group": "agro_food"},
            headers=headers,
        )
    )
    return facility, product


async def register(
    client: httpx.AsyncClient, settings: Settings, province: str, round_id: str, product_id: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/rounds/{round_id}/entries",
        json={"product_id": product_id, "declarations": DECLARED},
        headers=bearer(settings, Role.PROVINCE_OFFICER, province),
    )


def today() -> date:
    return datetime.now(UTC).date()


def registered_event(round_id: uuid.UUID | None = None) -> ProductRegistered:
    return ProductRegistered.new(
        ProductRegisteredData(
            entry_id=uuid.uuid4(),
            round=RoundRef(
                id=round_id or uuid.uuid4(), level="provincial", scope_code="dak-lak", year=2021
            ),
            product=ProductRef(
                id=uuid.uuid4(), name="Rượu cần Buôn Đôn", group="agro_food", is_set=False
            ),
            facility=FacilityRef(
                id=uuid.uuid4(),
                name="Cơ sở Ama Kông",
                kind="household_business",
                province_code="dak-lak",
                current_province_code="dak-lak",
            ),
            registered_at=datetime.now(UTC),
        )
    )
