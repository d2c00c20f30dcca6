"""Every eligibility rule of docs/domain.md through the API: the refusal's status, code and field,
and the acceptance once the rule is met."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    TODAY,
    a_round,
    error,
    fetch,
    ministry,
    officer,
    on_vietnam_date,
    serving,
)
from tests.support import identities
from tests.support.identifiers import tax_code
from tests.support.scenario import DECLARED, facility_with_product, ok

PROVINCE = "lam-dong"  # Lâm Đồng


async def test_a_facility_must_be_of_one_of_the_four_kinds(stack: Settings) -> None:
    async with serving(stack) as client:
        body = {"name": "Cơ sở", "province_code": PROVINCE}
        refused = await client.post(
            "/api/v1/facilities",
            json={
                **body,
                "kind": "state_enterprise",
                "business_code": tax_code("rules-kind-refused"),
            },
            headers=officer(stack, PROVINCE),
        )
        assert error(refused, 422)["field"] == "kind"
        for n, kind in enumerate(("sme", "cooperative", "cooperative_group", "household_business")):
            accepted = await client.post(
                "/api/v1/facilities",
                json={**body, "kind": kind, "business_code": tax_code(f"rules-kind-{kind}-{n}")},
                headers=officer(stack, PROVINCE),
            )
            assert ok(accepted)["kind"] == kind


async def test_a_product_must_be_of_one_of_the_four_groups_single_or_set(stack: Settings) -> None:
    async with serving(stack) as client:
        facility, _ = await facility_with_product(client, stack, PROVINCE, product_name="Trà")
        headers = officer(stack, PROVINCE)
        body = {"facility_id": facility["id"], "name": "Gốm"}
        refused = await client.post(
            "/api/v1/products", json={**body, "group": "art"}, headers=headers
        )
        assert error(refused, 422)["field"] == "group"
        for group in ("handicraft", "agro_food", "machinery", "other"):
            product = ok(
                await client.post(
                    "/api/v1/products",
                    json={**body, "name": f"Bộ {group}", "group": group, "is_set": True},
                    headers=headers,
                )
            )
            assert (product["group"], product["is_set"]) == (group, True)


async def test_a_dossier_missing_a_declaration_is_refused_and_a_complete_one_accepted(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        _, product = await facility_with_product(client, stack, PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/entries"
        for missing in DECLARED:
            body = {"product_id": product["id"], "declarations": {**DECLARED, missing: False}}
            refused = await client.post(url, json=body, headers=officer(stack, PROVINCE))
            assert error(refused, 422) | {"message": ""} == {
                "code": "declaration_missing",
                "field": f"declarations.{missing}",
                "message": "",
            }
        body = {"product_id": product["id"], "declarations": DECLARED}
        entry = ok(await client.post(url, json=body, headers=officer(stack, PROVINCE)))
        assert entry["product_id"] == product["id"]


async def test_registration_needs_an_open_round(stack: Settings) -> None:
    async with serving(stack) as client:
        draft = await a_round(client, stack, "provincial", PROVINCE, open_it=False)
        _, product = await facility_with_product(client, stack, PROVINCE)
        url = f"/api/v1/rounds/{draft['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        refused = await client.post(url, json=body, headers=officer(stack, PROVINCE))
        assert (error(refused, 422)["code"], error(refused, 422)["field"]) == (
            "round_not_open",
            "round_id",
        )
        ok(
            await client.post(
                f"/api/v1/rounds/{draft['id']}/open", headers=officer(stack, PROVINCE)
            ),
            200,
        )
        ok(await client.post(url, json=body, headers=officer(stack, PROVINCE)))
        ok(
            await client.post(
                f"/api/v1/rounds/{draft['id']}/close", headers=officer(stack, PROVINCE)
            ),
            200,
        )
        _, later = await facility_with_product(client, stack, PROVINCE, product_name="Sau")
        late = await client.post(
            url, json={**body, "product_id": later["id"]}, headers=officer(stack, PROVINCE)
        )
        assert error(late, 422)["code"] == "round_not_open"


async def test_registration_only_inside_the_window_and_backfill_only_for_the_ministry(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(
            client,
            stack,
            "provincial",
            PROVINCE,
            year=2017,
            opens_on=date(2017, 3, 1),
            closes_on=date(2017, 4, 30),
        )
        _, product = await facility_with_product(client, stack, PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        today = await client.post(url, json=body, headers=officer(stack, PROVINCE))
        assert error(today, 422)["code"] == "outside_registration_window"
        backfill = {**body, "registered_on": "2017-03-15"}
        forbidden = await client.post(url, json=backfill, headers=officer(stack, PROVINCE))
        assert (error(forbidden, 403)["code"], error(forbidden, 403)["field"]) == (
            "backfill_not_allowed",
            "registered_on",
        )
        outside = await client.post(
            url, json={**body, "registered_on": "2017-05-02"}, headers=ministry(stack)
        )
        assert error(outside, 422)["code"] == "outside_registration_window"
        entry = ok(await client.post(url, json=backfill, headers=ministry(stack)))
        # stamped on its day in Vietnam (in UTC it is the day before after 17:00)
        assert on_vietnam_date(entry["registered_at"]) == date(2017, 3, 15)


async def test_the_same_product_cannot_be_entered_twice_even_concurrently(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        _, product = await facility_with_product(client, stack, PROVINCE)
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        responses = await asyncio.gather(
            *(client.post(url, json=body, headers=officer(stack, PROVINCE)) for _ in range(8))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [422] * 7
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 422} == {
        "duplicate_entry"
    }
    events = await fetch(
        stack,
        "SELECT count(*) FROM registration.outbox WHERE event_type = 'ProductRegistered' "
        "AND payload->'data'->'product'->>'id' = :p",
        p=product["id"],
    )
    assert events[0][0] == 1


async def test_a_provincial_round_takes_only_facilities_of_its_province(stack: Settings) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        _, elsewhere = await facility_with_product(client, stack, "gia-lai")
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": elsewhere["id"], "declarations": DECLARED}
        refused = await client.post(url, json=body, headers=ministry(stack))
        assert (error(refused, 422)["code"], error(refused, 422)["field"]) == (
            "facility_outside_scope",
            "product_id",
        )
        other = await client.post(url, json=body, headers=officer(stack, PROVINCE))
        assert error(other, 403)["code"] == "province_out_of_scope"


async def test_province_and_scope_codes_are_checked(stack: Settings) -> None:
    async with serving(stack) as client:
        unknown = await client.post(
            "/api/v1/facilities",
            json={
                "name": "X",
                "kind": "sme",
                "business_code": tax_code("rules-province-unknown"),
                "province_code": "atlantis",
            },
            headers=ministry(stack),
        )
        assert (error(unknown, 422)["code"], error(unknown, 422)["field"]) == (
            "province_unknown",
            "province_code",
        )
        body = {"name": "R", "year": 2020, "opens_on": "2020-03-01", "closes_on": "2020-04-01"}
        cases = [
            ({"level": "provincial", "scope_code": "atlantis"}, "province_unknown"),
            ({"level": "regional", "scope_code": "dak-lak"}, "scope_mismatch"),
            ({"level": "national", "scope_code": "north"}, "scope_mismatch"),
        ]
        for fields, code in cases:
            refused = await client.post(
                "/api/v1/rounds", json={**body, **fields}, headers=ministry(stack)
            )
            assert (error(refused, 422)["code"], error(refused, 422)["field"]) == (
                code,
                "scope_code",
            )


async def test_regional_and_national_rounds_belong_to_the_ministry(stack: Settings) -> None:
    async with serving(stack) as client:
        body = {
            "name": "Khu vực",
            "level": "regional",
            "scope_code": "south",
            "year": identities.round_year("regional", "south"),
            "opens_on": str(TODAY),
            "closes_on": str(TODAY + timedelta(days=3)),
        }
        refused = await client.post("/api/v1/rounds", json=body, headers=officer(stack, "can-tho"))
        assert error(refused, 403)["code"] == "role_not_allowed"
        round_ = ok(await client.post("/api/v1/rounds", json=body, headers=ministry(stack)))
        again = await client.post("/api/v1/rounds", json=body, headers=ministry(stack))
        assert error(again, 409)["code"] == "round_exists"
        opening = await client.post(
            f"/api/v1/rounds/{round_['id']}/open", headers=officer(stack, "can-tho")
        )
        assert error(opening, 403)["code"] == "role_not_allowed"
        provincial = await client.post(
            "/api/v1/rounds",
            json={**body, "level": "provincial", "scope_code": "can-tho"},
            headers=officer(stack, "ca-mau"),
        )
        assert error(provincial, 403)["code"] == "province_out_of_scope"


async def test_a_facility_may_enter_several_products_and_a_product_set(stack: Settings) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", PROVINCE)
        facility, single = await facility_with_product(client, stack, PROVINCE)
        product_set = ok(
            await client.post(
                "/api/v1/products",
                json={"facility_id": facility["id"], "name": "Bộ quà tặng trà và cà phê",
                      "group": "agro_food", "is_set": True},
                headers=officer(stack, PROVINCE),
            )
        )  # fmt: skip
        url = f"/api/v1/rounds/{round_['id']}/entries"
        entered = [
            ok(
                await client.post(
                    url,
                    json={"product_id": p["id"], "declarations": DECLARED},
                    headers=officer(stack, PROVINCE),
                )
            )
            for p in (single, product_set)
        ]
    assert {e["facility_id"] for e in entered} == {facility["id"]}
    assert [e["is_set"] for e in entered] == [False, True]
