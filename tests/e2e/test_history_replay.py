"""History replay: a producer's past events, filtered, re-sent to ONE subscriber queue."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import MetaData, insert
from sqlalchemy.ext.asyncio import create_async_engine

from cnnt_contracts import (
    FacilityRef,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
    RecognitionRevoked,
    RecognitionRevokedData,
)
from cnnt_runtime.db.tables import outbox_table
from cnnt_runtime.db.unit_of_work import outbox_row
from cnnt_runtime.settings import Settings
from tests.support import identities
from tests.support.processes import serving
from tests.support.stack import amqp, cli, eventually, queue_depth, scalar

pytestmark = pytest.mark.e2e
OUTBOX = outbox_table(MetaData(schema="certification"))


def recognized(province: str, year: int, when: datetime) -> ProductRecognized:
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=identities.code(f"{province}-{year}", 6),
            level="provincial",
            scope_code=province,
            year=year,
            round_id=uuid.uuid4(),
            entry_id=uuid.uuid4(),
            product=ProductRef(
                id=uuid.uuid4(), name="Mật ong hoa cà phê", group="agro_food", is_set=False
            ),
            facility=FacilityRef(
                id=uuid.uuid4(),
                name="Cơ sở ong mật Krông Năng",
                kind="household_business",
                province_code=province,
                current_province_code=province if province != "bac-kan" else "thai-nguyen",
            ),
            mean_score=Decimal("81.5"),
            rank=1,
            valid_until=date(year + 2, 12, 31),
            decision_number=f"{year}/QĐ-UBND",
            recognized_at=when,
        ),
        occurred_at=when,
    )


async def _write_event_log(settings: Settings, events: list) -> None:
    engine = create_async_engine(settings.service_dsn("certification"))
    try:
        async with engine.begin() as conn:
            rows = [{**outbox_row(e), "published_at": e.occurred_at} for e in events]
            await conn.execute(insert(OUTBOX), rows)
    finally:
        await engine.dispose()


async def test_history_replay_delivers_exactly_the_matching_recognitions_to_one_queue(
    stack: Settings,
) -> None:
    # Lai Châu: the run's event log is shared, and no other test certifies a product there
    # (the console's browser tests decide Đắk Lắk rounds before this test runs).
    wanted = [
        recognized("lai-chau", 2019, datetime(2019, 12, 20, tzinfo=UTC)),
        recognized("lai-chau", 2021, datetime(2021, 11, 5, tzinfo=UTC)),
        recognized("lai-chau", 2023, datetime(2023, 10, 2, tzinfo=UTC)),
    ]
    unwanted = [
        recognized("lai-chau", 2017, datetime(2017, 12, 1, tzinfo=UTC)),  # before the date
        recognized("ha-noi", 2021, datetime(2021, 11, 5, tzinfo=UTC)),  # another province
        recognized("bac-kan", 2020, datetime(2020, 11, 5, tzinfo=UTC)),
        RecognitionRevoked.new(
            RecognitionRevokedData(
                certificate_number=wanted[0].data.certificate_number,
                round_id=uuid.uuid4(),
                entry_id=uuid.uuid4(),
                product_id=uuid.uuid4(),
                facility_id=uuid.uuid4(),
                decision_number="9/QĐ-UBND",
                reason="test",
                revoked_at=datetime(2022, 1, 1, tzinfo=UTC),
            ),
            occurred_at=datetime(2022, 1, 1, tzinfo=UTC),
        ),
    ]
    await _write_event_log(stack, [*wanted, *unwanted])
    fresh = f"{identities.code('ministry', 6)}.recognitions"
    async with serving("certification"):
        async with amqp(stack) as channel:
            await channel.declare_queue(fresh, durable=True)
        others = {
            q: await queue_depth(stack, q)
            for q in ("support.recognitions", "registration.recognitions")
        }
        filters = [
            "--producer",
            "certification",
            "--event-type",
            "ProductRecognized",
            "--province",
            "lai-chau",
            "--since",
            "2019-01-01",
            "--to",
            fresh,
        ]
        preview = await cli("replay", "history", *filters, "--dry-run")
        assert "ProductRecognized" in preview
        assert " 3 " in preview
        assert await queue_depth(stack, fresh) == 0
        await cli("replay", "history", *filters, "--yes", "--actor", "ops-history")
        await eventually(lambda: _depth(stack, fresh, 3))

    async with amqp(stack) as channel:
        queue = await channel.declare_queue(fresh, passive=True)
        got = []
        while message := await queue.get(fail=False):
            got.append(ProductRecognized.model_validate_json(message.body))
            await message.ack()
    assert sorted(e.event_id for e in got) == sorted(e.event_id for e in wanted)
    assert [e.data.product.name for e in got] == ["Mật ong hoa cà phê"] * 3
    for queue_name, depth in others.items():
        assert await queue_depth(stack, queue_name) == depth
    audited = await scalar(
        stack,
        "operations",
        "SELECT count FROM operations.audit_log WHERE action = 'history_replay' "
        "AND actor = 'ops-history' AND target = :q",
        q=fresh,
    )
    assert audited == 3


async def _depth(settings: Settings, queue: str, depth: int) -> bool:
    return await queue_depth(settings, queue) == depth
