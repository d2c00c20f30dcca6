"""Defects 5 and 6 of the hardening issue: text compared in one normal form, names that show
nothing refused; a conflict of interest after judging closed refused like a recusal."""

from __future__ import annotations

import unicodedata
import uuid

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.hardening.conftest import count, refusal
from tests.support import identities
from tests.support.judging import judged_round
from tests.support.stack import bearer, rows, scalar

PROVINCE = "dak-lak"
GOOD = {"market": 35, "technical": 32, "culture": 8, "other": 8}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


async def test_names_are_stored_in_one_normal_form_and_compared_in_it(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    body = {
        "name": nfd("  HTX  Cà phê   Đắk Lắk "),
        "kind": "cooperative",
        "business_code": identities.tax_code(),
        "province_code": PROVINCE,
    }
    created = await registration.post("/api/v1/facilities", json=body, headers=officer)
    assert created.status_code == 201, created.text
    facility = created.json()["id"]
    stored = await scalar(
        stack,
        "registration",
        "SELECT name FROM registration.facilities WHERE id = :i",
        i=uuid.UUID(facility),
    )
    assert stored == "HTX Cà phê Đắk Lắk"

    product = {"facility_id": facility, "name": "Cà phê bột Buôn Ma Thuột", "group": "agro_food"}
    first = await registration.post("/api/v1/products", json=product, headers=officer)
    assert first.status_code == 201, first.text
    before = await count(stack, "registration", "products")
    for spelling in (nfd(product["name"]), product["name"] + "  ", "Cà phê  bột Buôn Ma Thuột"):
        again = await registration.post(
            "/api/v1/products", json={**product, "name": spelling}, headers=officer
        )
        assert refusal(again)[:2] == (409, "product_exists"), spelling
    assert await count(stack, "registration", "products") == before


async def test_names_of_only_spaces_or_invisible_characters_are_refused(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    before = await count(stack, "registration", "facilities")
    for blank in ("   ", "\u200b\u200b", "\u00a0 \ufeff"):
        body = {
            "name": blank,
            "kind": "cooperative",
            "business_code": identities.tax_code(),
            "province_code": PROVINCE,
        }
        response = await registration.post("/api/v1/facilities", json=body, headers=officer)
        assert refusal(response) == (422, "validation_failed", "name"), repr(blank)
    assert await count(stack, "registration", "facilities") == before


async def test_a_conflict_declared_after_judging_closed_is_refused_and_the_mean_stays(
    evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    judged = await judged_round(evaluation, stack, entries=1)
    members = await judged.form_jury(3)
    entry = judged.entry_ids[0]
    for member in members:
        assert (await judged.submit(member, entry, GOOD)).status_code == 201
    closed = await evaluation.post(
        f"/api/v1/rounds/{judged.id}/close-judging", json={}, headers=bearer(stack, Role.MINISTRY)
    )
    assert closed.status_code == 200, closed.text
    facility = str(judged.registrations[0].data.facility.id)
    late = await evaluation.post(
        "/api/v1/conflicts", json={"facility_id": facility}, headers=judged.judge(members[1])
    )
    assert refusal(late)[:2] == (409, "judging_closed")
    assert not await rows(
        stack,
        "evaluation",
        "SELECT 1 FROM evaluation.conflicts WHERE member_id = CAST(:m AS uuid)",
        m=members[1]["id"],
    )
    assert not await rows(
        stack,
        "evaluation",
        "SELECT 1 FROM evaluation.outbox WHERE event_type = 'SheetSetAside' "
        "AND payload->'data'->>'round_id' = :r",
        r=str(judged.id),
    )
