"""Builders for certification's integration tests: a judged round made only of contract
events published to ``cnnt.events``, as registration and evaluation would publish them."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_contracts import (
    CriterionScores,
    Envelope,
    FacilityRef,
    JudgingClosed,
    JudgingClosedData,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    ResultSettings,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
    ScoreSubmitted,
    ScoreSubmittedData,
)
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.stack import bearer, eventually, publish, running_service

PROVINCE = "dak-lak"  # Đắk Lắk
T0 = datetime(2021, 5, 3, 8, 0, tzinfo=UTC)

# Names from the seeds' provinces, with every kind of diacritic.
PRODUCTS = [
    ("Cà phê bột nguyên chất Buôn Ma Thuột", "HTX Nông nghiệp Công bằng Ea Kiết"),
    ("Thổ cẩm Ê Đê dệt tay", "HTX Dệt thổ cẩm Buôn Đắk Lắk"),
    ("Rượu cần Buôn Đôn", "Cơ sở Ama Kông"),
    ("Mật ong hoa cà phê Krông Pắc", "Hộ kinh doanh Nguyễn Thị Hằng"),
    ("Tiêu đen Cư M'gar", "Công ty TNHH Hồ tiêu Việt"),
]


def _messages(settings: Settings) -> dict[str, int]:
    """Ready plus unacknowledged messages per queue: zero once every delivery is handled."""
    vhost = urlsplit(settings.amqp_url).path.lstrip("/")
    out = subprocess.run(
        ["rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "messages", "--no-table-headers"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    rows = (line.split("\t") for line in out.strip().splitlines() if "\t" in line)
    return {name: int(count) for name, count in rows}


async def settled(settings: Settings, *queues: str) -> None:
    """Wait until the queues hold no message, delivered or not (rabbitmqctl: slow, use once)."""

    async def empty() -> bool:
        counts = await asyncio.to_thread(_messages, settings)
        return all(counts.get(q, 0) == 0 for q in queues)

    await eventually(empty, timeout=30, interval=0.3)


async def handled(settings: Settings, *events: Envelope) -> None:
    """Wait until certification's inbox holds every one of ``events``."""
    ids = [e.event_id for e in events]
    engine = create_async_engine(settings.service_dsn("certification"))
    query = text("SELECT count(*) FROM certification.inbox WHERE event_id = ANY(:ids)")

    async def all_in() -> bool:
        async with engine.connect() as conn:
            return bool(await conn.scalar(query.bindparams(ids=ids)) == len(ids))

    try:
        await eventually(all_in, timeout=30)
    finally:
        await engine.dispose()


@dataclass
class JudgedRound:
    id: uuid.UUID
    year: int
    entries: list[ProductRegistered]
    sheets: list[ScoreSubmitted]
    closing: JudgingClosed
    opening: RoundOpened
    judges: list[uuid.UUID] = field(default_factory=list)

    def numbers(self, *sequences: int) -> list[str]:
        return [f"DAK-LAK-{self.year}-T-{n:03d}" for n in sequences]

    def entry_names(self) -> dict[str, tuple[str, str]]:
        return {
            str(e.data.entry_id): (e.data.product.name, e.data.facility.name) for e in self.entries
        }


def sheet_event(
    round_id: uuid.UUID,
    entry_id: uuid.UUID,
    judge: uuid.UUID,
    scores: tuple[float, ...],
    revision: int = 1,
    sheet_id: uuid.UUID | None = None,
) -> ScoreSubmitted:
    values = dict(
        zip(
            ("market", "technical", "culture", "other"), map(Decimal, map(str, scores)), strict=True
        )
    )
    return ScoreSubmitted.new(
        ScoreSubmittedData(
            sheet_id=sheet_id or uuid.uuid5(entry_id, str(judge)),
            revision=revision,
            entry_id=entry_id,
            round_id=round_id,
            judge_id=judge,
            scores=CriterionScores(**values),
            total=sum(values.values(), Decimal(0)),
            submitted_at=T0 + timedelta(days=30, minutes=revision),
        )
    )


def judged_round(
    scores: Sequence[tuple[float, float, float, float]],
    *,
    jury_size: int = 3,
    settings: ResultSettings | None = None,
    year: int | None = None,
    province: str = PROVINCE,
) -> JudgedRound:
    """A provincial round (Đắk Lắk's unless ``province`` names another) whose entry ``i``
    every member scores ``scores[i]``; its year one no other test holds for that province (so
    it starts a certificate series of its own), after registration's last unless given: the
    round exists only as events."""
    year = year or identities.round_year("provincial", province, events_only=True)
    ref = RoundRef(id=uuid.uuid4(), level="provincial", scope_code=province, year=year)
    opening = RoundOpened.new(
        RoundOpenedData(
            round=ref,
            name=f"Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk năm {year}",
            opens_on=date(year, 4, 1),
            closes_on=date(year, 6, 30),
            settings=settings or ResultSettings(),
            opened_at=T0,
        )
    )
    judges = [uuid.uuid4() for _ in range(jury_size)]
    entries, sheets = [], []
    for i, per_judge in enumerate(scores):
        product, facility = PRODUCTS[i % len(PRODUCTS)]
        entry = ProductRegistered.new(
            ProductRegisteredData(
                entry_id=uuid.uuid4(),
                round=ref,
                product=ProductRef(id=uuid.uuid4(), name=product, group="agro_food", is_set=False),
                facility=FacilityRef(
                    id=uuid.uuid4(),
                    name=facility,
                    kind="cooperative",
                    province_code=province,
                    current_province_code=province,
                ),
                registered_at=T0 + timedelta(minutes=i),
            )
        )
        entries.append(entry)
        sheets += [sheet_event(ref.id, entry.data.entry_id, j, per_judge) for j in judges]
    closing = judging_closed(ref.id, jury_size, entries, sheets)
    return JudgedRound(ref.id, year, entries, sheets, closing, opening, judges)


def judging_closed(
    round_id: uuid.UUID,
    jury_size: int,
    entries: Sequence[ProductRegistered],
    sheets: Sequence[ScoreSubmitted],
) -> JudgingClosed:
    """What evaluation announces: every entry standing, each member's latest revision counting,
    none set aside."""
    latest: dict[tuple[uuid.UUID, uuid.UUID], int] = {}
    for s in sheets:
        key = (s.data.entry_id, s.data.judge_id)
        latest[key] = max(latest.get(key, 0), s.data.revision)
    return JudgingClosed.new(
        JudgingClosedData(
            round_id=round_id,
            jury_size=jury_size,
            closed_at=T0 + timedelta(days=40),
            entries=len(entries),
            sheets=len(latest),
            sheet_revisions=sum(latest.values()),
            sheets_set_aside=0,
        )
    )


async def preview(
    client: httpx.AsyncClient, settings: Settings, round_id: uuid.UUID, province: str = PROVINCE
) -> Any:
    response = await client.get(
        f"/api/v1/rounds/{round_id}/preview", headers=bearer(settings, Role.CERTIFIER, province)
    )
    return response.json() if response.status_code == 200 else None


async def publish_round(
    client: httpx.AsyncClient,
    settings: Settings,
    judged: JudgedRound,
    extra: Sequence[Envelope] = (),
) -> dict[str, Any]:
    """Publish the round's events (and ``extra`` ones after the sheets) and wait until
    certification has taken all of them in."""
    await publish(settings, judged.opening, *judged.entries)
    await publish(settings, *judged.sheets, *extra, judged.closing)
    await handled(settings, judged.opening, *judged.entries, *judged.sheets, *extra, judged.closing)
    province = judged.opening.data.round.scope_code
    seen = await eventually(lambda: preview(client, settings, judged.id, province))
    assert len(seen["results"]) == len(judged.entries)
    return dict(seen)


async def decide(
    client: httpx.AsyncClient,
    settings: Settings,
    round_id: uuid.UUID,
    number: str,
    exclusions: list[dict[str, str]] | None = None,
    province: str = PROVINCE,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/rounds/{round_id}/decision",
        json={"number": number, "decided_on": "2021-08-15", "exclusions": exclusions or []},
        headers=bearer(settings, Role.CERTIFIER, province),
    )


@pytest.fixture
async def certification(stack: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_service("certification", stack) as client:
        yield client
