"""Defects 1-3 of the hardening issue: free-form input is typed and bounded, bodies are limited,
and input PostgreSQL cannot hold is refused with a 4xx — each time with no row stored."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.http.fields import FIRST_YEAR, LAST_YEAR
from cnnt_runtime.settings import Settings
from tests.integration.hardening.conftest import count, refusal
from tests.support import identities
from tests.support.stack import bearer

PROVINCE = "lam-dong"


def facility(**changes: Any) -> dict[str, Any]:
    return {
        "name": "HTX Dệt thổ cẩm Buôn Đôn",
        "kind": "cooperative",
        "business_code": identities.tax_code(),
        "province_code": PROVINCE,
        **changes,
    }


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


async def test_deeply_nested_or_unknown_contacts_are_refused_and_nothing_is_stored(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    before = await count(stack, "registration", "facilities")
    for contacts in (
        nested(600),
        {"phone": nested(3)},
        {"fax": "0262 3852 123"},
        {"phone": "0" * 31},
        {"email": "not an address"},
        {"person": "\u200b \u200b"},
    ):
        response = await registration.post(
            "/api/v1/facilities",
            content=json.dumps(facility(contacts=contacts)),
            headers={**officer, "content-type": "application/json"},
        )
        status, code, field = refusal(response)
        assert (status, code) == (422, "validation_failed"), response.text
        assert str(field).startswith("contacts"), field
    assert await count(stack, "registration", "facilities") == before

    listed = await registration.get("/api/v1/facilities", headers=officer)
    assert listed.status_code == 200, listed.text


async def test_typed_contacts_are_stored_and_read_back_as_given(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    contacts = {"phone": "0263 3822 456", "email": "htx@example.vn", "person": "Ka Hương"}
    created = await registration.post(
        "/api/v1/facilities", json=facility(contacts=contacts), headers=officer
    )
    assert created.status_code == 201, created.text
    read = await registration.get(f"/api/v1/facilities/{created.json()['id']}", headers=officer)
    assert read.json()["contacts"] == contacts


async def test_a_body_over_the_json_limit_gets_413_and_stores_nothing(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    before = await count(stack, "registration", "facilities")
    huge = facility(unknown="x" * (10 * 1024 * 1024))
    declared = await registration.post("/api/v1/facilities", json=huge, headers=officer)
    assert refusal(declared)[:2] == (413, "body_too_large")

    async def chunks() -> Any:  # no Content-Length: counted as it arrives
        body = json.dumps(huge).encode()
        for start in range(0, len(body), 256 * 1024):
            yield body[start : start + 256 * 1024]

    streamed = await registration.post(
        "/api/v1/facilities",
        content=chunks(),
        headers={**officer, "content-type": "application/json"},
    )
    assert refusal(streamed)[:2] == (413, "body_too_large")
    assert await count(stack, "registration", "facilities") == before


async def test_an_upload_may_be_larger_than_json_but_not_over_its_own_limit(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    url = f"/api/v1/rounds/{uuid.uuid4()}/imports"
    headers = bearer(stack, Role.MINISTRY)
    two_mib = {"file": ("list.csv", b"a" * (2 * 1024 * 1024), "text/csv")}
    allowed = await registration.post(url, files=two_mib, headers=headers)
    assert allowed.status_code != 413, allowed.text  # reaches the route (an unknown round)
    eleven_mib = {"file": ("list.csv", b"a" * (11 * 1024 * 1024), "text/csv")}
    refused = await registration.post(url, files=eleven_mib, headers=headers)
    assert refusal(refused)[:2] == (413, "body_too_large")


async def test_a_nul_byte_in_a_text_field_is_refused_with_422_and_nothing_is_stored(
    registration: httpx.AsyncClient, evaluation: httpx.AsyncClient, stack: Settings
) -> None:
    officer = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)
    facilities = await count(stack, "registration", "facilities")
    named = await registration.post(
        "/api/v1/facilities", json=facility(name="HTX\x00 Dệt"), headers=officer
    )
    assert refusal(named) == (422, "validation_failed", "name")
    assert await count(stack, "registration", "facilities") == facilities

    created = await registration.post("/api/v1/facilities", json=facility(), headers=officer)
    products = await count(stack, "registration", "products")
    described = await registration.post(
        "/api/v1/products",
        json={
            "facility_id": created.json()["id"],
            "name": "Thổ cẩm",
            "group": "handicraft",
            "description": "dệt tay\x00",
        },
        headers=officer,
    )
    assert refusal(described) == (422, "validation_failed", "description")
    assert await count(stack, "registration", "products") == products

    sheets = await count(stack, "evaluation", "score_sheets")
    commented = await evaluation.post(
        "/api/v1/score-sheets",
        json={
            "entry_id": str(uuid.uuid4()),
            "scores": {"market": 30, "technical": 30, "culture": 5, "other": 5},
            "comment": "tốt\x00",
        },
        headers=bearer(stack, Role.JUDGE, str(uuid.uuid4())),
    )
    assert refusal(commented) == (422, "validation_failed", "comment")
    assert await count(stack, "evaluation", "score_sheets") == sheets

    searched = await registration.get("/api/v1/facilities", params={"q": "a\x00"}, headers=officer)
    assert refusal(searched)[0] == 422


async def test_numbers_too_large_for_the_database_are_refused_with_422(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    headers = bearer(stack, Role.MINISTRY)
    year = await registration.get("/api/v1/rounds", params={"year": 99999999999}, headers=headers)
    assert refusal(year) == (422, "validation_failed", "year")
    page = await registration.get(
        "/api/v1/entries", params={"page": 100000000000000000000}, headers=headers
    )
    assert refusal(page) == (422, "validation_failed", "page")


async def test_a_year_outside_the_programme_is_refused_naming_the_field_and_stores_nothing(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    headers = bearer(stack, Role.MINISTRY)
    for year in (FIRST_YEAR - 1, LAST_YEAR + 1):
        listed = await registration.get("/api/v1/rounds", params={"year": year}, headers=headers)
        assert refusal(listed) == (422, "validation_failed", "year")
    late: dict[str, str | int] = {"scope": "VN", "from_year": FIRST_YEAR, "to_year": LAST_YEAR + 1}
    reported = await registration.get("/api/v1/reports/recognition", params=late, headers=headers)
    assert refusal(reported) == (422, "validation_failed", "to_year")
    early = {"from_year": FIRST_YEAR - 1, "to_year": FIRST_YEAR}
    broken_down = await registration.get(
        "/api/v1/reports/recognition/breakdown", params=early, headers=headers
    )
    assert refusal(broken_down) == (422, "validation_failed", "from_year")
    rounds = await count(stack, "registration", "rounds")
    created = await registration.post(
        "/api/v1/rounds",
        json={
            "name": "Bình chọn cấp quốc gia",
            "level": "national",
            "scope_code": "VN",
            "year": LAST_YEAR + 1,
            "opens_on": "2101-03-01",
            "closes_on": "2101-04-01",
        },
        headers=headers,
    )
    assert refusal(created) == (422, "validation_failed", "year")
    assert await count(stack, "registration", "rounds") == rounds
    # The bounds themselves are programme years.
    for year in (FIRST_YEAR, LAST_YEAR):
        listed = await registration.get("/api/v1/rounds", params={"year": year}, headers=headers)
        assert listed.status_code == 200, listed.text


async def test_a_replay_to_a_queue_name_too_long_or_unknown_is_refused_before_sending(
    registration: httpx.AsyncClient, stack: Settings
) -> None:
    operator = bearer(stack, Role.OPERATOR)
    too_long = await registration.post("/ops/replay", json={"queue": "q" * 256}, headers=operator)
    assert refusal(too_long) == (422, "validation_failed", "queue")
    strange = await registration.post("/ops/replay", json={"queue": "a\x00b"}, headers=operator)
    assert refusal(strange) == (422, "validation_failed", "queue")
    unknown = await registration.post(
        "/ops/replay", json={"queue": identities.code("nobody")}, headers=operator
    )
    assert refusal(unknown) == (404, "queue_not_found", "queue")
