"""The recognition report of a province dissolved in 2025: as recorded (its own rounds only) or
rolled up into its 2025 unit (the default), each titled with the unit and what it includes;
regions by their names; spreadsheets in words people read."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook

from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import error, ministry, serving
from tests.support import identities
from tests.support.scenario import DECLARED, ok

# Recorded before the 2025 merger of Bắc Kạn into Thái Nguyên (a ministry backfill).
OPENS, CLOSES, REGISTERED = "2024-03-01", "2024-06-30", "2024-04-02"


async def _round_with_one_entry(
    client: httpx.AsyncClient, settings: Settings, province: str, year: int
) -> None:
    headers = ministry(settings)
    body = {
        "name": f"Bình chọn sản phẩm CNNT tiêu biểu {province} {year}",
        "level": "provincial",
        "scope_code": province,
        "year": year,
        "opens_on": OPENS,
        "closes_on": CLOSES,
    }
    created = ok(await client.post("/api/v1/rounds", json=body, headers=headers))
    ok(await client.post(f"/api/v1/rounds/{created['id']}/open", headers=headers), 200)
    facility = ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "name": f"HTX miến dong {province}",
                "kind": "cooperative",
                "business_code": identities.tax_code(),
                "province_code": province,
            },
            headers=headers,
        )
    )
    product = ok(
        await client.post(
            "/api/v1/products",
            json={"facility_id": facility["id"], "name": "Miến dong", "group": "agro_food"},
            headers=headers,
        )
    )
    ok(
        await client.post(
            f"/api/v1/rounds/{created['id']}/entries",
            json={
                "product_id": product["id"],
                "declarations": DECLARED,
                "registered_on": REGISTERED,
            },
            headers=headers,
        )
    )


async def _report(
    client: httpx.AsyncClient, settings: Settings, scope: str, year: int, **extra: str
) -> httpx.Response:
    params = {"scope": scope, "from_year": str(year), "to_year": str(year), **extra}
    return await client.get(
        "/api/v1/reports/recognition", params=params, headers=ministry(settings)
    )


def _provincial(report: dict[str, Any]) -> tuple[int, int, int]:
    [level] = [r for r in report["levels"] if r["level"] == "provincial"]
    return level["rounds"], level["facilities"], level["products"]


async def test_a_dissolved_province_reports_as_recorded_or_rolled_up_into_its_successor(
    stack: Settings,
) -> None:
    year = identities.whole_year()
    async with serving(stack) as client:
        await _round_with_one_entry(client, stack, "bac-kan", year)
        await _round_with_one_entry(client, stack, "thai-nguyen", year)
        recorded = ok(await _report(client, stack, "bac-kan", year, as_recorded="true"), 200)
        rolled = ok(await _report(client, stack, "bac-kan", year), 200)
        successor = ok(await _report(client, stack, "thai-nguyen", year), 200)
        successor_alone = ok(
            await _report(client, stack, "thai-nguyen", year, as_recorded="true"), 200
        )
        nation = await _report(client, stack, "VN", year, as_recorded="true")
        sheet = await _report(client, stack, "bac-kan", year, format="xlsx")

    assert _provincial(recorded) == (1, 1, 1)
    assert (recorded["scope_name"], recorded["as_recorded"]) == ("Bắc Kạn", True)
    assert "như đã ghi nhận" in recorded["scope_title"]
    assert "Thái Nguyên" in recorded["scope_title"]  # what it merged into
    assert recorded["provinces"] == ["bac-kan"]
    assert _provincial(rolled) == _provincial(successor) == (2, 2, 2)
    assert rolled["scope_name"] == "Thái Nguyên"
    assert "Bắc Kạn" in rolled["scope_title"]
    assert set(rolled["provinces"]) == {"bac-kan", "thai-nguyen"}
    assert _provincial(successor_alone) == (1, 1, 1)
    assert "không gồm Bắc Kạn" in successor_alone["scope_title"]
    assert error(nation, 422)["code"] == "as_recorded_needs_province"
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"Cấp tỉnh"}


async def test_a_region_is_reported_under_its_name_not_its_code(stack: Settings) -> None:
    async with serving(stack) as client:
        region = ok(await _report(client, stack, "central_highlands", 2021), 200)
    assert region["scope_name"] == "Khu vực Miền Trung – Tây Nguyên"
    assert "Đắk Lắk" in region["scope_title"]
    assert "central_highlands" not in region["scope_title"]
