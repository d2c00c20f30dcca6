"""Score sheets keep coming while RabbitMQ and a service container restart: every sheet
counts once in certification's tally (nothing lost, nothing doubled)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from rich.progress import Progress

from cnnt_runtime.settings import Settings
from cnnt_tools.cli.demo import DemoError, Programme
from cnnt_tools.cli.scenario import Entry, Facility, Plan, Product, RoundPlan

PRODUCTS = 40  # x 5 judges = 200 score sheets
SHEETS_PER_SECOND = 8  # slow enough that the restarts happen mid-stream


class PatientProgramme(Programme):
    """The demo's driver, retrying what a restart interrupts: the same body again (a score
    sheet carries its request_id, so a retried sheet is stored once). Sheets go one a request,
    paced, so the restarts land in the middle of the stream."""

    worklist_in_one_request = False

    def __init__(self, settings: Settings, plan: Plan, progress: Progress) -> None:
        super().__init__(settings, plan, progress)
        self.pace = asyncio.Lock()

    async def call(
        self, method: str, service: str, path: str, auth: dict[str, str], **kw: Any
    ) -> Any:
        if path == "/score-sheets":
            async with self.pace:
                await asyncio.sleep(1 / SHEETS_PER_SECOND)
        for attempt in range(120):
            try:
                return await super().call(method, service, path, auth, **dict(kw))
            except httpx.TransportError:
                pass
            except DemoError as exc:
                if not any(f": {status} " in str(exc) for status in (502, 503)):
                    raise
            await asyncio.sleep(min(0.25 * (attempt + 1), 2.0))
        raise DemoError(f"{method} {service}{path}: no answer after a minute of retries")


def plan() -> Plan:
    facility = Facility("stream", "dak-lak", "HTX Cà phê Ea Tu", "cooperative", "6000999001")
    products = [
        Product(f"stream-p{i}", facility, f"Cà phê rang xay Ea Tu số {i}", "agro_food")
        for i in range(PRODUCTS)
    ]
    means = [Decimal(70) + Decimal(i % 20) for i in range(PRODUCTS)]
    round_plan = RoundPlan(
        level="provincial",
        scope="dak-lak",
        year=2025,
        name="Bình chọn sản phẩm CNNT tiêu biểu tỉnh Đắk Lắk năm 2025",
        quota=PRODUCTS,
        decision="125/QĐ-UBND",
        decided_on=date(2025, 6, 20),
        entries=[Entry(p, m) for p, m in zip(products, means, strict=True)],
    )
    return Plan(facilities=[facility], products=products, rounds=[round_plan], schemes=[])


async def sheets_under_restarts(
    settings: Settings, restarts: list[tuple[float, Callable[[], None]]]
) -> None:
    """Drive one round whose sheets flow while each restart runs once its share of the
    sheets has been submitted; then every entry's result must carry all five judges and the
    mean its sheets give."""
    the_plan = plan()
    with Progress(disable=True) as progress:
        programme = PatientProgramme(settings, the_plan, progress)
        driving = asyncio.create_task(programme.run())
        for share, restart in restarts:
            # Polls the progress bar the driving task advances.
            while not driving.done() and submitted(progress) < share:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            if driving.done():
                raise AssertionError(f"the stream ended before the restart at {share:.0%}")
            await asyncio.to_thread(restart)
        summary = await driving
    expected = {e.product.name: e.mean for e in the_plan.rounds[0].entries}
    results = summary.rounds[the_plan.rounds[0].name]
    got = {line["product_name"]: Decimal(line["mean"]) for line in results}
    assert got == expected, f"results differ from the sheets sent: {got} != {expected}"


def submitted(progress: Progress) -> float:
    task = next((t for t in progress.tasks if t.description == "score sheets submitted"), None)
    return 0.0 if task is None or not task.total else task.completed / task.total
