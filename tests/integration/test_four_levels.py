"""Acceptance (issue #30): the four levels as the rules stand since 1 July 2025 — commune rounds
(from that day) and the district rounds of history — across the real services.

Years: 2026, 2024 and 2019 are this issue's (the acceptance names them). Provincial Đắk Lắk 2026
is taken by the console's browser test (an officer creates a round of today's year through the
form), so the provincial round that requires a commune recognition is Gia Lai's of 2026.
Tax codes, scheme codes and names derive from the test's name.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from cnnt_contracts import FacilityRef, ProductRecognized, ProductRecognizedData, ProductRef
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Role
from cnnt_runtime.clock import Clock
from cnnt_runtime.reference import communes_of
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import recorded
from tests.support import identities
from tests.support.khuyen_cong import officer as support_officer
from tests.support.khuyen_cong import open_scheme
from tests.support.scenario import DECLARED, ok
from tests.support.stack import bearer, eventually, publish, running_service

WARD = "24133"  # Phường Buôn Ma Thuột, Đắk Lắk (2025)
BUON_MA_THUOT = "643"  # Thành phố Buôn Ma Thuột, Đắk Lắk (district until 30 June 2025)
SCORES = {"market": "34", "technical": "33", "culture": "8", "other": "8"}  # 83 points
TODAY = Clock().today()


def code_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def a_round(level: str, scope: str, year: int, name: str, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "level": level,
        "scope_code": scope,
        "year": year,
        "opens_on": str(TODAY - timedelta(days=1)),
        "closes_on": str(TODAY + timedelta(days=30)),
        **more,
    }


async def a_product(
    registration: httpx.AsyncClient,
    headers: dict[str, str],
    tax_code: str,
    province: str,
    commune: str | None,
    product_name: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    facility = ok(
        await registration.post(
            "/api/v1/facilities",
            json={
                "name": f"HTX {product_name}",
                "kind": "cooperative",
                "business_code": tax_code,
                "province_code": province,
                "commune_code": commune,
            },
            headers=headers,
        )
    )
    product = ok(
        await registration.post(
            "/api/v1/products",
            json={"facility_id": facility["id"], "name": product_name, "group": "agro_food"},
            headers=headers,
        )
    )
    return facility, product


async def test_a_commune_round_of_a_ward_of_dak_lak_runs_to_support_priority(
    stack: Settings,
) -> None:
    commune_officer = bearer(stack, Role.PROVINCE_OFFICER, WARD)
    commune_certifier = bearer(stack, Role.CERTIFIER, WARD)
    province_certifier = bearer(stack, Role.CERTIFIER, "dak-lak")
    neighbour = next(c.code for c in communes_of("dak-lak") if c.code != WARD)
    async with (
        running_service("registration", stack) as registration,
        running_service("evaluation", stack) as evaluation,
        running_service("certification", stack) as certification,
        running_service("support", stack) as support,
    ):
        # The commune's officer records a facility of the commune, not one of another commune.
        outside = await registration.post(
            "/api/v1/facilities",
            json={
                "name": "HTX Cà phê xã bên",
                "kind": "cooperative",
                "business_code": identities.tax_code(),
                "province_code": "dak-lak",
                "commune_code": neighbour,
            },
            headers=commune_officer,
        )
        assert code_of(outside, 403) == "province_out_of_scope"
        facility, product = await a_product(
            registration,
            commune_officer,
            identities.tax_code(),
            "dak-lak",
            WARD,
            "Cà phê Buôn Ma Thuột rang xay",
        )
        body = a_round(
            "commune",
            WARD,
            2026,
            "Bình chọn sản phẩm CNNT tiêu biểu phường Buôn Ma Thuột năm 2026",
        )
        round_ = ok(await registration.post("/api/v1/rounds", json=body, headers=commune_officer))
        rid = round_["id"]
        assert (round_["level"], round_["scope_code"]) == ("commune", WARD)
        ok(await registration.post(f"/api/v1/rounds/{rid}/open", headers=commune_officer), 200)
        entry = ok(
            await registration.post(
                f"/api/v1/rounds/{rid}/entries",
                json={"product_id": product["id"], "declarations": DECLARED},
                headers=commune_officer,
            )
        )
        ok(await registration.post(f"/api/v1/rounds/{rid}/close", headers=commune_officer), 200)

        async def whole_list_held() -> bool:
            response = await evaluation.get(
                f"/api/v1/rounds/{rid}/progress", headers=commune_officer
            )
            return response.status_code == 200 and bool(response.json()["entries_complete"])

        await eventually(whole_list_held, timeout=60)
        members = [{"name": f"Thành viên {i}", "is_chair": i == 0} for i in range(3)]
        jury = ok(
            await evaluation.post(
                f"/api/v1/rounds/{rid}/jury", json={"members": members}, headers=commune_officer
            )
        )
        for member in jury["members"]:
            judge = bearer(stack, Role.JUDGE, member["id"])
            sheet = {"entry_id": entry["id"], "scores": SCORES}
            ok(await evaluation.post("/api/v1/score-sheets", json=sheet, headers=judge))
        chair = bearer(stack, Role.JUDGE, jury["members"][0]["id"])
        ok(
            await evaluation.post(f"/api/v1/rounds/{rid}/close-judging", json={}, headers=chair),
            200,
        )

        async def tallied() -> bool:
            response = await certification.get(
                f"/api/v1/rounds/{rid}/tally", headers=commune_officer
            )
            return response.status_code == 200 and bool(response.json()["complete"])

        await eventually(tallied, timeout=60)
        decision = {"number": "12/QĐ-UBND-H30", "decided_on": str(TODAY)}
        # The commune People's Committee decides its round, not the province's.
        by_province = await certification.post(
            f"/api/v1/rounds/{rid}/decision", json=decision, headers=province_certifier
        )
        assert code_of(by_province, 403) == "authority_out_of_scope"
        ok(
            await certification.post(
                f"/api/v1/rounds/{rid}/decision", json=decision, headers=commune_certifier
            )
        )
        answer = await certification.get(f"/api/v1/rounds/{rid}/results", headers=commune_officer)
        assert answer.status_code == 200, answer.text
        [line] = answer.json()
        assert line["outcome"] == "recognised"
        number = line["certificate_number"]
        assert number == f"{WARD}-2026-X-001"  # the level's code X (cấp xã) in its series

        # Support learns the commune recognition (v1.1) and gives it the band below provincial.
        supporter = support_officer(stack, "dak-lak")
        scheme = await open_scheme(
            support, stack, "dak-lak", {"local": 50_000_000}, year=2026, code="KC-H30-COMMUNE"
        )

        async def known() -> bool:
            found = await support.get(f"/api/v1/facilities/{facility['id']}", headers=supporter)
            return found.status_code == 200

        await eventually(known, timeout=60)
        ok(
            await support.post(
                f"/api/v1/schemes/{scheme['id']}/applications",
                json={
                    "facility_id": facility["id"],
                    "facility_name": facility["name"],
                    "province_code": "dak-lak",
                    "product_id": product["id"],
                    "purpose": "Máy rang cà phê",
                    "asked": {"local": 20_000_000},
                },
                headers={**supporter, "Idempotency-Key": str(uuid.uuid5(uuid.NAMESPACE_URL, rid))},
            )
        )

        async def prioritised() -> dict[str, Any] | None:
            plan = ok(
                await support.get(
                    f"/api/v1/schemes/{scheme['id']}/allocation-preview", headers=supporter
                ),
                200,
            )
            [decided] = plan["decisions"]
            return decided if decided["priority_band"] == "local" else None

        decided = await eventually(prioritised, timeout=60)
    assert decided["priority_recognition"]["certificate_number"] == number
    assert decided["priority_recognition"]["level"] == "commune"


def commune_recognition(
    facility: dict[str, Any], product: dict[str, Any], commune: str, number: str
) -> ProductRecognized:
    """A commune recognition of 2026 as certification announces it (v1.1)."""
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=number,
            level=Level.COMMUNE,
            scope_code=commune,
            year=2026,
            round_id=uuid.uuid5(uuid.NAMESPACE_URL, number),
            entry_id=uuid.uuid5(uuid.NAMESPACE_DNS, number),
            product=ProductRef(
                id=product["id"], name=product["name"], group=product["group"], is_set=False
            ),
            facility=FacilityRef(
                id=facility["id"],
                name=facility["name"],
                kind=facility["kind"],
                province_code=facility["province_code"],
                current_province_code=facility["current_province_code"],
            ),
            mean_score=82,
            rank=1,
            valid_until=date(2028, 12, 31),
            decision_number="7/QĐ-UBND",
            recognized_at=Clock().now(),
            province_code="gia-lai",
        )
    )


async def test_a_provincial_round_requiring_a_commune_recognition_admits_only_its_holders(
    stack: Settings,
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, "gia-lai")
    commune = communes_of("gia-lai")[0].code
    async with running_service("registration", stack) as registration:
        body = a_round(
            "provincial",
            "gia-lai",
            2026,
            "Bình chọn sản phẩm CNNT tiêu biểu tỉnh Gia Lai năm 2026",
            requires_local_recognition=True,
        )
        round_ = ok(await registration.post("/api/v1/rounds", json=body, headers=officer))
        assert round_["requires_local_recognition"] is True
        ok(await registration.post(f"/api/v1/rounds/{round_['id']}/open", headers=officer), 200)
        without = await a_product(
            registration, officer, identities.tax_code(), "gia-lai", None, "Hồ tiêu Chư Sê"
        )
        holder = await a_product(
            registration, officer, identities.tax_code(), "gia-lai", commune, "Cà phê Pleiku"
        )
        other_province = await a_product(
            registration, officer, identities.tax_code(), "gia-lai", None, "Mật ong Kon Hà Nừng"
        )
        granted = commune_recognition(*holder, commune, f"{commune}-2026-X-H30")
        elsewhere = commune_recognition(*other_province, WARD, f"{WARD}-2026-X-H30")
        await publish(stack, granted, elsewhere)
        await recorded(stack, granted)
        await recorded(stack, elsewhere)

        async def enter(product: dict[str, Any]) -> httpx.Response:
            return await registration.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={"product_id": product["id"], "declarations": DECLARED},
                headers=officer,
            )

        refused = await enter(without[1])
        refused_elsewhere = await enter(other_province[1])
        accepted = await enter(holder[1])
    assert code_of(refused, 422) == "prior_recognition_required"
    assert refused.json()["error"]["field"] == "product_id"
    assert code_of(refused_elsewhere, 422) == "prior_recognition_required"
    assert ok(accepted)["product_id"] == holder[1]["id"]


async def test_a_district_round_of_2019_recorded_by_the_ministry_rolls_up_under_dak_lak(
    stack: Settings,
) -> None:
    ministry = bearer(stack, Role.MINISTRY)
    officer = bearer(stack, Role.PROVINCE_OFFICER, "dak-lak")
    body = {
        **a_round(
            "district",
            BUON_MA_THUOT,
            2019,
            "Bình chọn sản phẩm CNNT tiêu biểu thành phố Buôn Ma Thuột năm 2019",
        ),
        "opens_on": "2019-03-01",
        "closes_on": "2019-04-30",
    }
    async with running_service("registration", stack) as registration:
        by_officer = await registration.post("/api/v1/rounds", json=body, headers=officer)
        assert code_of(by_officer, 403) == "backfill_not_allowed"
        round_ = ok(await registration.post("/api/v1/rounds", json=body, headers=ministry))
        ok(await registration.post(f"/api/v1/rounds/{round_['id']}/open", headers=ministry), 200)
        _, product = await a_product(
            registration, officer, identities.tax_code(), "dak-lak", None, "Cà phê Ea Tam"
        )
        ok(
            await registration.post(
                f"/api/v1/rounds/{round_['id']}/entries",
                json={
                    "product_id": product["id"],
                    "declarations": DECLARED,
                    "registered_on": "2019-03-15",
                },
                headers=ministry,
            )
        )
        listed = ok(
            await registration.get(
                "/api/v1/rounds",
                params={"scope_code": "dak-lak", "level": "district", "year": 2019},
                headers=officer,
            ),
            200,
        )
        report = ok(
            await registration.get(
                "/api/v1/reports/recognition",
                params={"scope": "dak-lak", "from_year": 2019, "to_year": 2019},
                headers=officer,
            ),
            200,
        )
        gia_lai = ok(
            await registration.get(
                "/api/v1/reports/recognition",
                params={"scope": "gia-lai", "from_year": 2019, "to_year": 2019},
                headers=officer,
            ),
            200,
        )
    assert [r["id"] for r in listed["items"]] == [round_["id"]]
    district = [f for f in report["levels"] if f["level"] == "district"]
    assert district == [
        {
            "level": "district",
            "year": None,
            "rounds": 1,
            "facilities": 1,
            "products": 1,
            "recognised": 0,
        }
    ]
    assert all(f["level"] != "district" for f in gia_lai["levels"])


async def test_a_level_is_refused_outside_its_dates(stack: Settings) -> None:
    ministry = bearer(stack, Role.MINISTRY)
    commune_2024 = {
        **a_round("commune", WARD, 2024, "Bình chọn cấp xã năm 2024"),
        "opens_on": "2024-03-01",
        "closes_on": "2024-04-30",
    }
    district_2026 = a_round("district", BUON_MA_THUOT, 2026, "Bình chọn cấp huyện năm 2026")
    async with running_service("registration", stack) as registration:
        too_early = await registration.post("/api/v1/rounds", json=commune_2024, headers=ministry)
        too_late = await registration.post("/api/v1/rounds", json=district_2026, headers=ministry)
        listed = ok(
            await registration.get(
                "/api/v1/rounds", params={"scope_code": WARD, "year": 2024}, headers=ministry
            ),
            200,
        )
    assert code_of(too_early, 422) == "level_not_in_force"
    assert too_early.json()["error"]["field"] == "level"
    assert "01/07/2025" in too_early.json()["error"]["message"]
    assert code_of(too_late, 422) == "level_not_in_force"
    assert listed["items"] == []  # nothing stored half-way
