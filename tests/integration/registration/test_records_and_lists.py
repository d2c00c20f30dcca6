"""Records as people read them: Vietnamese names unchanged everywhere, earlier provinces
rolled up under their successor, search without diacritics, the round lifecycle's events."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from openpyxl import load_workbook

from cnnt_contracts import ProductRegistered
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    a_round,
    error,
    fetch,
    ministry,
    officer,
    serving,
)
from tests.support import identities
from tests.support.scenario import DECLARED, facility_with_product, ok
from tests.support.stack import amqp, eventually

FACILITY = "HTX Dệt thổ cẩm Đắk Lắk"
PRODUCT = "Cà phê bột nguyên chất Buôn Ma Thuột"


async def test_vietnamese_names_round_trip_through_api_database_events_and_exports(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "provincial", "quang-ngai")
        facility, product = await facility_with_product(
            client, stack, "quang-ngai", facility_name=FACILITY, product_name=PRODUCT
        )
        assert (facility["name"], product["name"]) == (FACILITY, PRODUCT)
        async with amqp(stack) as channel:
            probe = await channel.declare_queue(exclusive=True)
            await probe.bind("cnnt.events", routing_key=ProductRegistered.routing_key())
            entry = ok(
                await client.post(
                    f"/api/v1/rounds/{round_['id']}/entries",
                    json={"product_id": product["id"], "declarations": DECLARED},
                    headers=officer(stack, "quang-ngai"),
                )
            )

            async def our_event() -> ProductRegistered | None:
                # the relay may first publish events other tests left in the outbox
                while message := await probe.get(fail=False):
                    await message.ack()
                    event = ProductRegistered.model_validate_json(message.body)
                    if str(event.data.entry_id) == entry["id"]:
                        return event
                return None

            event = await eventually(our_event)
        assert (event.data.facility.name, event.data.product.name) == (FACILITY, PRODUCT)
        assert (entry["facility_name"], entry["product_name"]) == (FACILITY, PRODUCT)
        url = f"/api/v1/rounds/{round_['id']}/entries/export"
        as_csv = await client.get(url, params={"format": "csv"}, headers=ministry(stack))
        as_xlsx = await client.get(url, params={"format": "xlsx"}, headers=ministry(stack))
    stored = await fetch(
        stack,
        "SELECT f.name, p.name, o.payload FROM registration.entries e "
        "JOIN registration.facilities f ON f.id = e.facility_id "
        "JOIN registration.products p ON p.id = e.product_id "
        "JOIN registration.outbox o ON o.payload->'data'->>'entry_id' = CAST(e.id AS text) "
        "WHERE e.id = CAST(:e AS uuid)",
        e=entry["id"],
    )
    name_f, name_p, payload = stored[0]
    assert (name_f, name_p) == (FACILITY, PRODUCT)
    data = payload if isinstance(payload, dict) else json.loads(payload)
    assert data["data"]["product"]["name"] == PRODUCT
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [(r["Cơ sở"], r["Sản phẩm"]) for r in rows] == [(FACILITY, PRODUCT)]
    assert (rows[0]["Nhóm"], rows[0]["Bộ sản phẩm"]) == (
        "Chế biến nông, lâm, thủy sản và thực phẩm",
        "Không",
    )
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = [c.value for c in sheet[2]]
    assert PRODUCT in values
    assert FACILITY in values


async def test_a_bac_kan_entry_of_2020_is_stored_as_bac_kan_and_counted_under_thai_nguyen(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(
            client, stack, "provincial", "bac-kan", year=2020,
            opens_on=date(2020, 4, 1), closes_on=date(2020, 5, 31),
        )  # fmt: skip
        assert round_["scope_code"] == "bac-kan"
        known = await client.get("/api/v1/provinces", headers=officer(stack, "thai-nguyen"))
        assert {
            "code": "bac-kan",
            "name": "Bắc Kạn",
            "current": False,
            "successor": "thai-nguyen",
        } in known.json()
        assert sum(1 for p in known.json() if p["current"]) == 34
        facility, product = await facility_with_product(
            client, stack, "bac-kan", facility_name="HTX Miến dong Côn Minh",
            product_name="Miến dong Bắc Kạn",
        )  # fmt: skip
        assert (facility["province_code"], facility["current_province_code"]) == (
            "bac-kan",
            "thai-nguyen",
        )
        entry = ok(
            await client.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={
                    "product_id": product["id"],
                    "declarations": DECLARED,
                    "registered_on": "2020-04-20",
                },
                headers=ministry(stack),
            )
        )
        assert (entry["province_code"], entry["current_province_code"]) == (
            "bac-kan",
            "thai-nguyen",
        )
        listed = ok(
            await client.get(
                "/api/v1/entries",
                params={"province": "thai-nguyen", "year": 2020, "level": "provincial"},
                headers=officer(stack, "thai-nguyen"),
            ),
            200,
        )
        rounds = await client.get(
            "/api/v1/rounds",
            params={"scope_code": "thai-nguyen", "year": 2020},
            headers=officer(stack, "thai-nguyen"),
        )
        # a Thái Nguyên officer manages the records of Bắc Kạn, merged into it in 2025
        by_thai_nguyen_officer = await client.patch(
            f"/api/v1/facilities/{facility['id']}",
            json={"address": "Chợ Đồn, Bắc Kạn"},
            headers=officer(stack, "thai-nguyen"),
        )
    assert [e["id"] for e in listed["items"]] == [entry["id"]]
    assert [r["id"] for r in ok(rounds, 200)["items"]] == [round_["id"]]
    assert listed["total"] == 1
    assert ok(by_thai_nguyen_officer, 200)["province_code"] == "bac-kan"
    events = await fetch(
        stack,
        "SELECT payload->'data'->'facility' FROM registration.outbox "
        "WHERE payload->'data'->>'entry_id' = :e",
        e=entry["id"],
    )
    ref = events[0][0] if isinstance(events[0][0], dict) else json.loads(events[0][0])
    assert (ref["province_code"], ref["current_province_code"]) == ("bac-kan", "thai-nguyen")


async def test_search_without_diacritics_and_paged_filtered_lists(stack: Settings) -> None:
    tag = identities.code(length=6)
    async with serving(stack) as client:
        for n in range(3):
            await facility_with_product(
                client, stack, "nghe-an", facility_name=f"Cơ sở Đồng Nghệ {tag} {n}",
                product_name=f"Cà phê {tag} số {n}",
            )  # fmt: skip
        await facility_with_product(
            client,
            stack,
            "nghe-an",
            facility_name=f"Cơ sở {tag} khác",
            product_name=f"Nước mắm {tag}",
        )
        headers = ministry(stack)
        page_1 = ok(
            await client.get(
                "/api/v1/products", params={"q": f"ca phe {tag}", "size": 2}, headers=headers
            ),
            200,
        )
        page_2 = ok(
            await client.get(
                "/api/v1/products",
                params={"q": f"CA PHE {tag}", "size": 2, "page": 2},
                headers=headers,
            ),
            200,
        )
        facilities = ok(
            await client.get(
                "/api/v1/facilities",
                params={"q": f"dong nghe {tag}", "province": "nghe-an", "kind": "cooperative"},
                headers=headers,
            ),
            200,
        )
        agro_facilities = ok(
            await client.get(
                "/api/v1/facilities", params={"q": tag, "group": "agro_food"}, headers=headers
            ),
            200,
        )
        handicraft_facilities = ok(
            await client.get(
                "/api/v1/facilities", params={"q": tag, "group": "handicraft"}, headers=headers
            ),
            200,
        )
        other_group = ok(
            await client.get(
                "/api/v1/products", params={"q": tag, "group": "handicraft"}, headers=headers
            ),
            200,
        )
    assert (page_1["total"], len(page_1["items"]), len(page_2["items"])) == (3, 2, 1)
    names = [p["name"] for p in page_1["items"] + page_2["items"]]
    assert names == [f"Cà phê {tag} số {n}" for n in range(3)]
    assert facilities["total"] == 3
    assert other_group["total"] == 0
    assert (agro_facilities["total"], len(agro_facilities["items"])) == (4, 4)
    assert handicraft_facilities["total"] == 0


async def test_a_round_opens_closes_and_entries_withdraw_only_before_it_closes(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        headers = officer(stack, "ha-tinh")
        round_ = await a_round(client, stack, "provincial", "ha-tinh")
        entries = []
        for n in range(3):
            _, product = await facility_with_product(
                client, stack, "ha-tinh", product_name=f"Kẹo cu đơ {n}"
            )
            entries.append(
                ok(
                    await client.post(
                        f"/api/v1/rounds/{round_['id']}/entries",
                        json={"product_id": product["id"], "declarations": DECLARED},
                        headers=headers,
                    )
                )
            )
        withdrawn = ok(
            await client.post(
                f"/api/v1/entries/{entries[0]['id']}/withdraw",
                json={"reason": "Cơ sở xin rút"},
                headers=headers,
            ),
            200,
        )
        assert withdrawn["withdrawal_reason"] == "Cơ sở xin rút"
        twice = await client.post(
            f"/api/v1/entries/{entries[0]['id']}/withdraw", json={}, headers=headers
        )
        assert error(twice, 409)["code"] == "entry_withdrawn"
        closed = ok(await client.post(f"/api/v1/rounds/{round_['id']}/close", headers=headers), 200)
        assert closed["status"] == "closed"
        late = await client.post(
            f"/api/v1/entries/{entries[1]['id']}/withdraw", json={}, headers=headers
        )
        assert error(late, 409)["code"] == "round_not_open"
        again = await client.post(f"/api/v1/rounds/{round_['id']}/close", headers=headers)
        assert error(again, 409)["code"] == "round_not_open"
        standing = ok(
            await client.get(f"/api/v1/rounds/{round_['id']}/entries", headers=headers), 200
        )
    assert standing["total"] == 2
    events = await fetch(
        stack,
        "SELECT event_type, payload->'data' FROM registration.outbox "
        "WHERE payload->'data'->'round'->>'id' = :r OR payload->'data'->>'round_id' = :r "
        "ORDER BY seq",
        r=round_["id"],
    )
    kinds = [e[0] for e in events]
    assert kinds == ["RoundOpened", *["ProductRegistered"] * 3, "EntryWithdrawn", "RoundClosed"]
    closed_data = events[-1][1] if isinstance(events[-1][1], dict) else json.loads(events[-1][1])
    assert closed_data["entries"] == 2
    opened = events[0][1] if isinstance(events[0][1], dict) else json.loads(events[0][1])
    assert opened["settings"]["threshold"] == 70
