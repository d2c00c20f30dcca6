"""Regional and national entries against the local record of recognitions, built from the
events on the broker (no call to certification)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cnnt_contracts import RecognitionRevoked, RecognitionRevokedData
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.registration.registration_helpers import (
    TODAY,
    a_round,
    error,
    fetch,
    ministry,
    officer,
    recognized,
    recorded,
    serving,
)
from tests.support.scenario import DECLARED, facility_with_product, ok
from tests.support.stack import bearer, publish


async def test_a_regional_entry_is_accepted_once_its_provincial_recognition_arrives(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "regional", "central_highlands")
        facility, product = await facility_with_product(client, stack, "gia-lai")
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        refused = await client.post(url, json=body, headers=ministry(stack))
        assert (error(refused, 422)["code"], error(refused, 422)["field"]) == (
            "prior_recognition_required",
            "product_id",
        )
        elsewhere = recognized(product, facility, Level.PROVINCIAL, "ha-noi")
        await publish(stack, elsewhere)
        await recorded(stack, elsewhere)
        still = await client.post(url, json=body, headers=ministry(stack))
        assert error(still, 422)["code"] == "prior_recognition_required"

        recognition = recognized(product, facility, Level.PROVINCIAL, "gia-lai")
        await publish(stack, recognition)
        await publish(stack, recognition)  # a redelivery changes nothing
        await recorded(stack, recognition)
        entry = ok(await client.post(url, json=body, headers=ministry(stack)))
    assert entry["product_name"] == product["name"]
    stored = await fetch(
        stack,
        "SELECT count(*) FROM registration.recognitions WHERE product_id = CAST(:p AS uuid)",
        p=product["id"],
    )
    assert stored[0][0] == 2


async def test_an_expired_provincial_recognition_does_not_admit_a_regional_entry(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "regional", "central_highlands")
        facility, product = await facility_with_product(client, stack, "khanh-hoa")
        old = recognized(
            product,
            facility,
            Level.PROVINCIAL,
            "khanh-hoa",
            year=TODAY.year - 3,
            valid_until=TODAY - timedelta(days=1),
        )
        await publish(stack, old)
        await recorded(stack, old)
        refused = await client.post(
            f"/api/v1/rounds/{round_['id']}/entries",
            json={"product_id": product["id"], "declarations": DECLARED},
            headers=ministry(stack),
        )
    assert error(refused, 422)["code"] == "prior_recognition_expired"


async def test_a_national_entry_needs_a_valid_regional_recognition_not_a_revoked_one(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        round_ = await a_round(client, stack, "national", "VN")
        facility, product = await facility_with_product(client, stack, "hue")
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        provincial = recognized(product, facility, Level.PROVINCIAL, "hue")
        await publish(stack, provincial)
        await recorded(stack, provincial)
        refused = await client.post(url, json=body, headers=ministry(stack))
        assert error(refused, 422)["code"] == "prior_recognition_required"

        regional = recognized(product, facility, Level.REGIONAL, "central_highlands")
        revoked = RecognitionRevoked.new(
            RecognitionRevokedData(
                certificate_number=regional.data.certificate_number,
                round_id=regional.data.round_id,
                entry_id=regional.data.entry_id,
                product_id=regional.data.product.id,
                facility_id=regional.data.facility.id,
                decision_number="45/QĐ-BCT",
                reason="Sai phạm hồ sơ",
                revoked_at=datetime.now(UTC),
            )
        )
        await publish(stack, revoked)  # the revocation overtakes its recognition
        await recorded(stack, revoked)
        await publish(stack, regional)
        await recorded(stack, regional)
        refused = await client.post(url, json=body, headers=ministry(stack))
        assert error(refused, 422)["code"] == "prior_recognition_revoked"

        valid = recognized(product, facility, Level.REGIONAL, "central_highlands")
        await publish(stack, valid)
        await recorded(stack, valid)
        ok(await client.post(url, json=body, headers=ministry(stack)))


async def test_an_operator_moves_a_unit_to_another_region_and_eligibility_follows(
    stack: Settings,
) -> None:
    async with serving(stack) as client:
        listed = await client.get("/api/v1/province-regions", headers=ministry(stack))
        assert listed.status_code == 200, listed.text
        regions: list[dict[str, str]] = listed.json()
        assert len(regions) == 34
        assert {"unit_code": "ca-mau", "region": "south", "name": "Cà Mau"} in regions
        by_officer = await client.put(
            "/api/v1/province-regions/ca-mau",
            json={"region": "north"},
            headers=officer(stack, "ca-mau"),
        )
        assert error(by_officer, 403)["code"] == "role_not_allowed"

        round_ = await a_round(client, stack, "regional", "north")
        facility, product = await facility_with_product(client, stack, "ca-mau")
        recognition = recognized(product, facility, Level.PROVINCIAL, "ca-mau")
        await publish(stack, recognition)
        await recorded(stack, recognition)
        url = f"/api/v1/rounds/{round_['id']}/entries"
        body = {"product_id": product["id"], "declarations": DECLARED}
        refused = await client.post(url, json=body, headers=ministry(stack))
        assert error(refused, 422)["code"] == "prior_recognition_required"
        operator = bearer(stack, Role.OPERATOR)
        try:
            moved = await client.put(
                "/api/v1/province-regions/ca-mau", json={"region": "north"}, headers=operator
            )
            assert ok(moved, 200)["region"] == "north"
            ok(await client.post(url, json=body, headers=ministry(stack)))
        finally:
            await client.put(
                "/api/v1/province-regions/ca-mau", json={"region": "south"}, headers=operator
            )
        unknown = await client.put(
            "/api/v1/province-regions/bac-kan", json={"region": "north"}, headers=operator
        )
        assert error(unknown, 404)["code"] == "unit_not_found"
