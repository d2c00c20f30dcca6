"""Builders for the evaluation tests: a round and its entries fed as registration's events
through the real broker, a jury formed through the API, judge tokens, score sheets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

from cnnt_contracts import (
    FacilityRef,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    ResultSettings,
    RoundClosed,
    RoundClosedData,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
)
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support import stack
from tests.support.stack import bearer, eventually, publish, queue_depth

PROVINCE = "dak-lak"  # Đắk Lắk
GOOD = {"market": 35, "technical": 30.5, "culture": 8, "other": 7.5}  # total 81


def round_opened(province: str = PROVINCE, year: int = 2021) -> RoundOpened:
    ref = RoundRef(id=uuid.uuid4(), level="provincial", scope_code=province, year=year)
    return RoundOpened.new(
        RoundOpenedData(
            round=ref,
            name=f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk năm {year}",
            opens_on=date(year, 3, 1),
            closes_on=date(year, 4, 30),
            settings=ResultSettings(),
            opened_at=datetime.now(UTC),
        )
    )


def product_registered(ref: RoundRef, index: int, facility_id: uuid.UUID | None = None):
    return ProductRegistered.new(
        ProductRegisteredData(
            entry_id=uuid.uuid4(),
            round=ref,
            product=ProductRef(
                id=uuid.uuid4(),
                name=f"Cà phê bột Buôn Ma Thuột số {index}",
                group="agro_food",
                is_set=False,
            ),
            facility=FacilityRef(
                id=facility_id or uuid.uuid4(),
                name=f"HTX Nông sản Ea Kar {index}",
                kind="cooperative",
                province_code=ref.scope_code,
                current_province_code=ref.scope_code,
            ),
            registered_at=datetime.now(UTC),
        )
    )


async def scalar(settings: Settings, sql: str, **params: object) -> Any:
    """One value read as evaluation's own role."""
    return await stack.scalar(settings, "evaluation", sql, **params)


@dataclass
class JudgedRound:
    """A round evaluation learnt of from events, with its entries and (once formed) its jury."""

    client: httpx.AsyncClient
    settings: Settings
    opened: RoundOpened
    registrations: list[ProductRegistered]
    members: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> uuid.UUID:
        return self.opened.data.round.id

    @property
    def entry_ids(self) -> list[str]:
        return [str(e.data.entry_id) for e in self.registrations]

    @property
    def organiser(self) -> dict[str, str]:
        return bearer(self.settings, Role.PROVINCE_OFFICER, self.opened.data.round.scope_code)

    def judge(self, member: dict[str, Any]) -> dict[str, str]:
        return bearer(self.settings, Role.JUDGE, member["id"], subject=f"judge:{member['name']}")

    @property
    def chair(self) -> dict[str, Any]:
        return next(m for m in self.members if m["is_chair"])

    async def form_jury(self, size: int) -> list[dict[str, Any]]:
        body = {
            "members": [
                {
                    "name": f"Thành viên {i + 1} – Nguyễn Văn Đức",
                    "title": "Chuyên viên",
                    "organisation": "Sở Công Thương Đắk Lắk",
                    "is_chair": i == 0,
                }
                for i in range(size)
            ]
        }
        response = await self.client.post(
            f"/api/v1/rounds/{self.id}/jury", json=body, headers=self.organiser
        )
        assert response.status_code == 201, response.text
        self.members = list(response.json()["members"])
        return self.members

    async def submit(
        self,
        member: dict[str, Any],
        entry_id: str,
        scores: dict[str, Any] | None = None,
        key: str | None = None,
        comment: str = "",
    ) -> httpx.Response:
        headers = self.judge(member)
        if key is not None:
            headers["Idempotency-Key"] = key
        return await self.client.post(
            "/api/v1/score-sheets",
            json={"entry_id": entry_id, "scores": scores or GOOD, "comment": comment},
            headers=headers,
        )

    async def progress(self) -> dict[str, Any]:
        response = await self.client.get(
            f"/api/v1/rounds/{self.id}/progress", headers=self.organiser
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def completeness(self) -> dict[str, Any] | None:
        """The progress with its completeness fields; None while evaluation knows no event of
        the round yet (it holds none of its entries)."""
        response = await self.client.get(
            f"/api/v1/rounds/{self.id}/progress", headers=self.organiser
        )
        if response.status_code == 404:
            assert response.json()["error"]["code"] == "round_not_found", response.text
            return None
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def entries_seen(self) -> list[dict[str, Any]]:
        response = await self.client.get(
            f"/api/v1/rounds/{self.id}/entries", headers=bearer(self.settings, Role.MINISTRY)
        )
        return list(response.json())


def round_closed(ref: RoundRef, entries: int) -> RoundClosed:
    return RoundClosed.new(RoundClosedData(round=ref, entries=entries, closed_at=datetime.now(UTC)))


async def judged_round(
    client: httpx.AsyncClient,
    settings: Settings,
    entries: int,
    year: int = 2021,
    *,
    close_registration: bool = True,
) -> JudgedRound:
    """Open a round, register ``entries`` entries and close registration by publishing
    registration's events, and wait on evaluation's completeness signal: it holds them all
    (without closing, until it has seen them)."""
    opened = round_opened(year=year)
    registrations = [product_registered(opened.data.round, i) for i in range(entries)]
    closing = [round_closed(opened.data.round, entries)] if close_registration else []
    await publish(settings, opened, *registrations, *closing)
    judged = JudgedRound(client, settings, opened, registrations)

    async def whole() -> bool:
        found = await judged.completeness()
        if found is None:
            return False
        if close_registration:
            return bool(found["entries_complete"])
        return bool(found["entries_held"] == entries)

    await eventually(whole)
    return judged


async def registrations_drained(settings: Settings) -> bool:
    return await queue_depth(settings, "evaluation.registrations") == 0
