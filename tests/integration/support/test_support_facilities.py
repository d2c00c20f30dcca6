"""Support takes applications only from facilities registration knows: it learns them from
registration's FacilityRecorded events, and refuses any other id with 422 ``facility_unknown``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from cnnt_runtime.settings import Settings
from tests.support.khuyen_cong import facility_recorded, officer, open_scheme, support_sql
from tests.support.scenario import facility_with_product, ok
from tests.support.stack import eventually, publish, running_service

PROVINCE = "dak-lak"


def _application(facility_id: object, province: str = PROVINCE) -> dict[str, object]:
    return {
        "facility_id": str(facility_id),
        "facility_name": "HTX Dệt thổ cẩm Đắk Lắk",
        "province_code": province,
        "purpose": "Đầu tư máy dệt",
        "asked": {"local": 10},
    }


async def _known(client: httpx.AsyncClient, settings: Settings, facility_id: object) -> bool:
    response = await client.get(
        f"/api/v1/facilities/{facility_id}", headers=officer(settings, PROVINCE)
    )
    return response.status_code == 200


async def test_an_application_for_a_facility_registration_never_announced_is_refused(
    stack: Settings,
) -> None:
    invented = uuid.uuid4()
    async with running_service("support", stack) as client:
        scheme = await open_scheme(client, stack, PROVINCE, {"local": 100}, year=2005)
        url = f"/api/v1/schemes/{scheme['id']}/applications"
        refused = await client.post(
            url, json=_application(invented), headers=officer(stack, PROVINCE)
        )
        unknown = await client.get(
            f"/api/v1/facilities/{invented}", headers=officer(stack, PROVINCE)
        )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "facility_unknown"
    assert refused.json()["error"]["field"] == "facility_id"
    assert unknown.status_code == 404
    stored = await support_sql(
        stack, "SELECT count(*) FROM applications WHERE scheme_id = :s", s=uuid.UUID(scheme["id"])
    )
    assert stored == [(0,)]


async def test_a_facility_registered_in_registration_may_apply_in_its_own_province_only(
    stack: Settings,
) -> None:
    async with (
        running_service("registration", stack) as registration,
        running_service("support", stack) as support,
    ):
        facility, _ = await facility_with_product(registration, stack, PROVINCE)
        await eventually(lambda: _known(support, stack, facility["id"]))
        known = ok(
            await support.get(
                f"/api/v1/facilities/{facility['id']}", headers=officer(stack, PROVINCE)
            ),
            200,
        )
        scheme = await open_scheme(support, stack, "VN", {"local": 100}, year=2006)
        url = f"/api/v1/schemes/{scheme['id']}/applications"
        elsewhere = await support.post(
            url, json=_application(facility["id"], "gia-lai"), headers=officer(stack, "VN")
        )
        accepted = ok(
            await support.post(
                url, json=_application(facility["id"]), headers=officer(stack, PROVINCE)
            )
        )
    assert known["province_code"] == PROVINCE
    assert known["name"] == facility["name"]
    assert elsewhere.status_code == 422
    assert elsewhere.json()["error"]["code"] == "facility_province_mismatch"
    assert accepted["facility_id"] == facility["id"]
    assert accepted["status"] == "pending"


async def test_a_late_older_record_of_a_facility_does_not_replace_the_newer_one(
    stack: Settings,
) -> None:
    facility_id = uuid.uuid4()
    newer = facility_recorded(facility_id, PROVINCE, "Tên mới")
    older = facility_recorded(facility_id, PROVINCE, "Tên cũ")
    older = older.model_copy(
        update={
            "data": older.data.model_copy(
                update={"recorded_at": datetime.now(UTC) - timedelta(days=1)}
            )
        }
    )
    async with running_service("support", stack) as client:
        await publish(stack, newer)
        await eventually(lambda: _known(client, stack, facility_id))
        await publish(stack, older)

        async def handled() -> bool:
            found = await support_sql(
                stack, "SELECT 1 FROM inbox WHERE event_id = :e", e=older.event_id
            )
            return bool(found)

        await eventually(handled)
        kept = ok(
            await client.get(f"/api/v1/facilities/{facility_id}", headers=officer(stack, PROVINCE)),
            200,
        )
    assert kept["name"] == "Tên mới"
