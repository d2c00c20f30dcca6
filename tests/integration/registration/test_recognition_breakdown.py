"""The national dashboard's breakdown of recognitions: per product group, level and year, and
per province rolled up to its 2025 unit — revoked recognitions left out, as in the report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from cnnt_contracts import RecognitionRevoked, RecognitionRevokedData
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    error,
    ministry,
    recognized,
    recorded,
    serving,
)
from tests.support import identities
from tests.support.scenario import ok
from tests.support.stack import publish


async def _facility(client: httpx.AsyncClient, settings: Settings, province: str) -> Any:
    body = {
        "name": f"HTX mây tre đan {province} {identities.code(length=6)}",
        "kind": "cooperative",
        "business_code": identities.tax_code(),
        "province_code": province,
    }
    return ok(await client.post("/api/v1/facilities", json=body, headers=ministry(settings)))


async def _product(client: httpx.AsyncClient, settings: Settings, facility: Any, group: str) -> Any:
    body = {"facility_id": facility["id"], "name": f"Sản phẩm {group}", "group": group}
    return ok(await client.post("/api/v1/products", json=body, headers=ministry(settings)))


async def test_recognitions_per_group_and_per_province_roll_up_and_leave_revoked_ones_out(
    stack: Settings,
) -> None:
    year = identities.whole_year()
    async with serving(stack) as client:
        thai_nguyen = await _facility(client, stack, "thai-nguyen")
        bac_kan = await _facility(client, stack, "bac-kan")  # merged into Thái Nguyên in 2025
        tea = await _product(client, stack, thai_nguyen, "agro_food")
        basket = await _product(client, stack, thai_nguyen, "handicraft")
        brocade = await _product(client, stack, bac_kan, "handicraft")
        events = [
            recognized(tea, thai_nguyen, Level.PROVINCIAL, "thai-nguyen", year=year),
            recognized(basket, thai_nguyen, Level.PROVINCIAL, "thai-nguyen", year=year),
            recognized(brocade, bac_kan, Level.PROVINCIAL, "bac-kan", year=year),
            recognized(tea, thai_nguyen, Level.REGIONAL, "north", year=year),
        ]
        revoked = events[1]
        revocation = RecognitionRevoked.new(
            RecognitionRevokedData(
                certificate_number=revoked.data.certificate_number,
                round_id=revoked.data.round_id,
                entry_id=revoked.data.entry_id,
                product_id=revoked.data.product.id,
                facility_id=revoked.data.facility.id,
                decision_number="12/QĐ-UBND",
                reason="Cơ sở ngừng sản xuất",
                revoked_at=datetime.now(UTC),
            )
        )
        for event in [*events, revocation]:
            await publish(stack, event)
            await recorded(stack, event)
        params: dict[str, str | int] = {"scope": "thai-nguyen", "from_year": year, "to_year": year}
        found = ok(
            await client.get(
                "/api/v1/reports/recognition/breakdown", params=params, headers=ministry(stack)
            ),
            200,
        )
        reversed_span = await client.get(
            "/api/v1/reports/recognition/breakdown",
            params={**params, "from_year": year + 1},
            headers=ministry(stack),
        )

    assert found["groups"] == [
        {"product_group": "agro_food", "level": "provincial", "year": year, "recognised": 1},
        {"product_group": "agro_food", "level": "regional", "year": year, "recognised": 1},
        {"product_group": "handicraft", "level": "provincial", "year": year, "recognised": 1},
    ]
    assert found["provinces"] == [
        {"province_code": "thai-nguyen", "level": "provincial", "recognised": 2},
        {"province_code": "thai-nguyen", "level": "regional", "recognised": 1},
    ]
    assert found["as_of"] is not None
    assert error(reversed_span, 422)["code"] == "period_inverted"
