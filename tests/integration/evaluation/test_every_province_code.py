"""Entries from every current province reach evaluation, whatever the length of its slug."""

from __future__ import annotations

import httpx

from cnnt_runtime.auth import Role
from cnnt_runtime.reference import units
from cnnt_runtime.settings import Settings
from tests.support.judging import product_registered, round_opened
from tests.support.stack import bearer, eventually, publish, running_service


async def test_entries_of_the_longest_province_slugs_are_taken_in(stack: Settings) -> None:
    longest = sorted(units(), key=len)[-3:]  # ho-chi-minh, thai-nguyen, tuyen-quang: 11 chars
    opened = [round_opened(province=code) for code in longest]
    entries = [product_registered(o.data.round, n) for n, o in enumerate(opened)]
    async with running_service("evaluation", stack) as evaluation:
        await publish(stack, *opened, *entries)

        async def seen(client: httpx.AsyncClient = evaluation) -> list[str]:
            found = []
            for o in opened:
                response = await client.get(
                    f"/api/v1/rounds/{o.data.round.id}/entries",
                    headers=bearer(stack, Role.MINISTRY),
                )
                found += [e["id"] for e in response.json()] if response.status_code == 200 else []
            return found if len(found) == len(entries) else []

        assert sorted(await eventually(seen)) == sorted(str(e.data.entry_id) for e in entries)
