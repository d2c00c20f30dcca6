"""Each service sees only its own schema; the APIs check token, role and scope."""

from __future__ import annotations

import asyncpg
import pytest

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support.identifiers import tax_code
from tests.support.stack import bearer, running_service


async def test_evaluation_role_is_denied_the_registration_schema(stack: Settings) -> None:
    dsn = stack.service_dsn("evaluation").replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.fetch("SELECT * FROM registration.entries")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.execute("CREATE TABLE registration.intruder (id int)")
        assert await conn.fetchval("SELECT count(*) FROM evaluation.entries") is not None
    finally:
        await conn.close()


FACILITY = {
    "name": "Cơ sở mây tre đan Phú Vinh",
    "kind": "household_business",
    "business_code": "8765432100",
    "province_code": "ha-noi",
}


async def test_no_token_is_401_and_another_provinces_token_is_403(stack: Settings) -> None:
    async with running_service("registration", stack) as registration:
        missing = await registration.post("/api/v1/facilities", json=FACILITY)
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "token_missing"

        forged = await registration.post(
            "/api/v1/facilities", json=FACILITY, headers={"Authorization": "Bearer not-a-jwt"}
        )
        assert forged.status_code == 401
        assert forged.json()["error"]["code"] == "token_invalid"

        elsewhere = await registration.post(
            "/api/v1/facilities",
            json=FACILITY,
            headers=bearer(stack, Role.PROVINCE_OFFICER, "dak-lak"),
        )
        assert elsewhere.status_code == 403
        assert elsewhere.json()["error"] == {
            "code": "province_out_of_scope",
            "message": "tài khoản thuộc phạm vi 'dak-lak' không được thao tác với tỉnh 'ha-noi'",
            "field": "province_code",
        }

        own = await registration.post(
            "/api/v1/facilities",
            json=FACILITY,
            headers=bearer(stack, Role.PROVINCE_OFFICER, "ha-noi"),
        )
        assert own.status_code == 201, own.text
        assert own.json()["name"] == FACILITY["name"]


async def test_a_bad_field_is_a_422_naming_the_field(stack: Settings) -> None:
    async with running_service("registration", stack) as registration:
        response = await registration.post(
            "/api/v1/facilities",
            json={
                **FACILITY,
                "kind": "state_enterprise",
                "business_code": tax_code("isolation-bad-field"),
            },
            headers=bearer(stack, Role.MINISTRY),
        )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["field"] == "kind"
    assert error["details"][0]["code"] == "invalid_enum"
