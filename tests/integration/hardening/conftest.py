"""The services in this process for the hardening tests, and what the tests check on every
refusal: the one error shape, and no row left behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cnnt_runtime.settings import Settings
from tests.support.stack import running_service, scalar


@pytest.fixture(scope="module")
async def registration(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("registration", stack) as client:
        yield client


@pytest.fixture(scope="module")
async def evaluation(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("evaluation", stack) as client:
        yield client


def refusal(response: httpx.Response) -> tuple[int, str, str | None]:
    """Status, code and field of a refusal, after checking it has the one error shape."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body: dict[str, Any] = response.json()
    assert "error" in body, body
    assert "detail" not in body, body
    assert {"code", "message", "field"} <= set(body["error"]), body
    assert body["error"]["message"], body
    return response.status_code, body["error"]["code"], body["error"]["field"]


async def count(settings: Settings, service: str, table: str) -> int:
    return int(await scalar(settings, service, f"SELECT count(*) FROM {service}.{table}") or 0)
