"""The read policy (docs/read-policy.md) on the real services: a province reads its own
records in full; tax codes, contacts, scores and money of other provinces are not shown; a judge
reads the entries of their own jury; the ministry reads everything."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import a_round, ministry, officer
from tests.support import identities, khuyen_cong
from tests.support.judging import product_registered, round_closed, round_opened
from tests.support.scenario import DECLARED, ok
from tests.support.stack import bearer, eventually, publish, running_service

JUDGE = Role.JUDGE


async def _facility(client: httpx.AsyncClient, settings: Settings, code: str) -> dict[str, Any]:
    facility = ok(
        await client.post(
            "/api/v1/facilities",
            json={
                "name": "HTX Cà phê Ea Tu",
                "kind": "cooperative",
                "business_code": code,
                "province_code": "dak-lak",
                "address": "Ea Tu, Buôn Ma Thuột",
                "contacts": {"phone": "0262 3812 345"},
            },
            headers=officer(settings, "dak-lak"),
        )
    )
    return facility


async def test_other_provinces_and_judges_see_no_tax_code_or_contacts_of_a_facility(
    stack: Settings,
) -> None:
    code = identities.tax_code()
    readers = {
        "own": officer(stack, "dak-lak"),
        "ministry": ministry(stack),
        "other": officer(stack, "gia-lai"),
        "predecessor": officer(stack, "phu-yen"),  # merged into Đắk Lắk: not its other parts
        "judge": bearer(stack, JUDGE, str(uuid.uuid4())),
    }
    async with running_service("registration", stack) as client:
        facility = await _facility(client, stack, code)
        seen = {}
        for reader, headers in readers.items():
            one = ok(await client.get(f"/api/v1/facilities/{facility['id']}", headers=headers), 200)
            listed = ok(
                await client.get(
                    "/api/v1/facilities", params={"province": "dak-lak"}, headers=headers
                ),
                200,
            )
            (row,) = [f for f in listed["items"] if f["id"] == facility["id"]]
            assert row == one
            seen[reader] = (one["name"], one["business_code"], one["address"], one["contacts"])
    private = ("HTX Cà phê Ea Tu", code, "Ea Tu, Buôn Ma Thuột", {"phone": "0262 3812 345"})
    public = ("HTX Cà phê Ea Tu", None, None, None)
    assert seen == {
        "own": private,
        "ministry": private,
        "other": public,
        "predecessor": public,
        "judge": public,
    }


async def test_the_entries_export_shows_tax_codes_only_to_the_rounds_province(
    stack: Settings,
) -> None:
    code = identities.tax_code()
    async with running_service("registration", stack) as client:
        round_ = await a_round(client, stack, "provincial", "dak-lak")
        facility = await _facility(client, stack, code)
        product = ok(
            await client.post(
                "/api/v1/products",
                json={"facility_id": facility["id"], "name": "Cà phê Ea Tu", "group": "agro_food"},
                headers=officer(stack, "dak-lak"),
            )
        )
        ok(
            await client.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={"product_id": product["id"], "declarations": DECLARED},
                headers=officer(stack, "dak-lak"),
            )
        )
        url = f"/api/v1/rounds/{round_['id']}/entries/export"
        exports = {
            reader: await client.get(url, params={"format": "csv"}, headers=headers)
            for reader, headers in {
                "own": officer(stack, "dak-lak"),
                "ministry": ministry(stack),
                "other": officer(stack, "gia-lai"),
                "judge": bearer(stack, JUDGE, str(uuid.uuid4())),
            }.items()
        }
    assert {r: e.status_code for r, e in exports.items()} == dict.fromkeys(exports, 200)
    assert {r: "Cà phê Ea Tu" in e.text for r, e in exports.items()} == dict.fromkeys(exports, True)
    assert {r: code in e.text for r, e in exports.items()} == {
        "own": True,
        "ministry": True,
        "other": False,
        "judge": False,
    }


async def test_evaluation_shows_a_rounds_entries_to_its_province_its_jury_and_the_ministry(
    stack: Settings,
) -> None:
    opened = round_opened(province="dak-lak", year=2019)
    entry = product_registered(opened.data.round, 0)
    url = f"/api/v1/rounds/{opened.data.round.id}/entries"
    async with running_service("evaluation", stack) as client:
        await publish(stack, opened, entry, round_closed(opened.data.round, 1))

        async def arrived() -> bool:  # the whole list: a jury is formed on it
            response = await client.get(
                f"/api/v1/rounds/{opened.data.round.id}/progress", headers=ministry(stack)
            )
            return response.status_code == 200 and bool(response.json()["entries_complete"])

        await eventually(arrived, timeout=60)
        jury = ok(
            await client.post(
                f"/api/v1/rounds/{opened.data.round.id}/jury",
                json={"members": [{"name": "Thành viên", "is_chair": True}]},
                headers=ministry(stack),
            )
        )
        member = bearer(stack, JUDGE, jury["members"][0]["id"])
        answers = {
            reader: await client.get(url, headers=headers)
            for reader, headers in {
                "own": officer(stack, "dak-lak"),
                "ministry": ministry(stack),
                "member": member,
                "other": officer(stack, "gia-lai"),
                "predecessor": officer(stack, "phu-yen"),
                "stranger": bearer(stack, JUDGE, str(uuid.uuid4())),
                "certifier": bearer(stack, Role.CERTIFIER, "dak-lak"),
            }.items()
        }
    codes = {
        r: a.status_code if a.status_code == 200 else a.json()["error"]["code"]
        for r, a in answers.items()
    }
    assert codes == {
        "own": 200,
        "ministry": 200,
        "member": 200,
        "other": "province_out_of_scope",
        "predecessor": "province_out_of_scope",
        "stranger": "not_a_jury_member",
        "certifier": "role_not_allowed",
    }
    assert [e["id"] for e in answers["member"].json()] == [str(entry.data.entry_id)]


async def test_support_lists_applications_and_grants_of_the_provinces_a_reader_covers(
    stack: Settings,
) -> None:
    async with running_service("support", stack) as client:
        scheme = await khuyen_cong.open_scheme(client, stack, "VN", {"national": 1_000}, year=2013)
        base = f"/api/v1/schemes/{scheme['id']}"
        apps = {
            province: await khuyen_cong.apply(
                client, stack, scheme["id"], province, {"national": 10}
            )
            for province in ("dak-lak", "phu-yen", "gia-lai")
        }
        for app in apps.values():
            ok(
                await client.post(
                    f"/api/v1/applications/{app['id']}/grant",
                    json={},
                    headers={**khuyen_cong.officer(stack, "VN"), **khuyen_cong.key()},
                )
            )
        readers = {
            "dak-lak": khuyen_cong.officer(stack, "dak-lak"),
            "phu-yen": khuyen_cong.officer(stack, "phu-yen"),
            "ministry": ministry(stack),
            "VN": khuyen_cong.officer(stack, "VN"),
        }
        listed = {}
        for reader, headers in readers.items():
            shown = ok(await client.get(f"{base}/applications", headers=headers), 200)
            granted = ok(await client.get(f"{base}/grants", headers=headers), 200)
            assert {g["application_id"] for g in granted["items"]} == {
                a["id"] for a in shown["items"]
            }
            listed[reader] = sorted(a["province_code"] for a in shown["items"])
        judge = await client.get(
            f"{base}/applications", headers=bearer(stack, JUDGE, str(uuid.uuid4()))
        )
    everyone = ["dak-lak", "gia-lai", "phu-yen"]
    assert listed == {
        "dak-lak": ["dak-lak", "phu-yen"],
        "phu-yen": ["phu-yen"],
        "ministry": everyone,
        "VN": everyone,
    }
    assert judge.status_code == 403
