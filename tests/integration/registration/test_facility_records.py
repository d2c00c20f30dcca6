"""Facilities and products: create, read, update, and the conflicts that protect them."""

from __future__ import annotations

import uuid

from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import error, officer, serving
from tests.support import identities
from tests.support.scenario import ok

PROVINCE = "son-la"  # Sơn La


async def test_facilities_and_products_are_created_read_updated_and_kept_unique(
    stack: Settings,
) -> None:
    code = identities.tax_code()
    tag = identities.code(length=6)  # the new name finds this facility alone
    renamed_to = f"HTX Chè Tà Xùa {tag}"
    headers = officer(stack, PROVINCE)
    body = {"name": "HTX Chè Shan tuyết", "kind": "cooperative", "business_code": code,
            "province_code": PROVINCE, "contacts": {"phone": "0212 3850 123"}}  # fmt: skip
    async with serving(stack) as client:
        facility = ok(await client.post("/api/v1/facilities", json=body, headers=headers))
        taken = await client.post("/api/v1/facilities", json=body, headers=headers)
        assert (error(taken, 409)["code"], error(taken, 409)["field"]) == (
            "business_code_taken",
            "business_code",
        )
        url = f"/api/v1/facilities/{facility['id']}"
        renamed = await client.patch(url, json={"name": renamed_to}, headers=headers)
        assert ok(renamed, 200)["name"] == renamed_to
        moved = await client.patch(url, json={"province_code": "dien-bien"}, headers=headers)
        assert error(moved, 403)["code"] == "province_out_of_scope"
        foreign = await client.patch(url, json={"name": "X"}, headers=officer(stack, "lai-chau"))
        assert error(foreign, 403)["code"] == "province_out_of_scope"
        read = ok(await client.get(url, headers=headers), 200)
        assert (read["name"], read["contacts"]) == (renamed_to, {"phone": "0212 3850 123"})
        found = ok(
            await client.get(
                "/api/v1/facilities",
                params={"q": f"che ta xua {tag}"},
                headers=headers,
            ),
            200,
        )
        assert [f["id"] for f in found["items"]] == [facility["id"]]
        # Written out, the abbreviation finds it too (issue 28: "HTX" and "Hợp tác xã").
        spelled = ok(
            await client.get(
                "/api/v1/facilities", params={"q": f"Hợp tác xã chè Tà Xùa {tag}"}, headers=headers
            ),
            200,
        )
        assert [f["id"] for f in spelled["items"]] == [facility["id"]]

        product_body = {"facility_id": facility["id"], "name": "Chè búp", "group": "agro_food"}
        product = ok(await client.post("/api/v1/products", json=product_body, headers=headers))
        again = await client.post("/api/v1/products", json=product_body, headers=headers)
        assert error(again, 409)["code"] == "product_exists"
        purl = f"/api/v1/products/{product['id']}"
        changed = await client.patch(
            purl, json={"name": "Bộ chè quà tặng", "is_set": True}, headers=headers
        )
        assert (ok(changed, 200)["name"], changed.json()["is_set"]) == ("Bộ chè quà tặng", True)
        read_product = ok(await client.get(purl, headers=headers), 200)
        listed = ok(
            await client.get(
                "/api/v1/products", params={"facility_id": facility["id"]}, headers=headers
            ),
            200,
        )
        missing = await client.get(f"/api/v1/products/{uuid.uuid4()}", headers=headers)
    assert read_product["description"] == ""
    assert [p["name"] for p in listed["items"]] == ["Bộ chè quà tặng"]
    assert error(missing, 404)["code"] == "product_not_found"
