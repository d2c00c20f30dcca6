"""A provincial → regional → national cycle with support grants, driven through the public
APIs of the four services running as separate processes; then the same with two competing
instances of certification — the results must be identical."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

import pytest

from cnnt_tools.cli import report, scenario
from cnnt_tools.cli.demo import drive
from tests.support.processes import serving
from tests.support.stack import private_stack

pytestmark = pytest.mark.e2e
SERVICES = ("registration", "evaluation", "certification", "support")


def _cycle(*extra: str) -> dict[str, Any]:
    """One whole cycle in a private stack of its own (database, roles, vhost)."""
    with private_stack():
        return asyncio.run(_drive(*extra))


async def _drive(*extra: str) -> dict[str, Any]:
    async with serving(*SERVICES, *extra) as settings:
        plan = scenario.build()
        summary = await drive(settings, plan, quiet=True)
        figures = report.gather(settings, scenario.DAK_LAK, 2017, 2021)
        region = report.gather(settings, scenario.REGION, 2017, 2021)
        nation = report.gather(settings, "VN", 2017, 2021)
    return {
        "region": {
            r["level"]: (r["rounds"], r["products"], r["recognised"]) for r in region.levels
        },
        "nation": {
            r["level"]: (r["rounds"], r["products"], r["recognised"]) for r in nation.levels
        },
        "summary": asdict(summary),
        "levels": figures.levels,
        "support": figures.support,
        "plan": plan,
    }


def _check_against_the_plan(run: dict[str, Any]) -> None:
    plan = run["plan"]
    for plan_round in plan.rounds:
        lines = run["summary"]["rounds"][plan_round.name]
        recognised = {line["product_name"] for line in lines if line["outcome"] == "recognised"}
        assert recognised == {e.product.name for e in plan_round.recognised}, plan_round.name
        numbers = sorted(line["certificate_number"] for line in lines if line["certificate_number"])
        assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, len(numbers) + 1))
        means = {line["product_name"]: float(line["mean"]) for line in lines}
        assert means == {e.product.name: float(e.mean) for e in plan_round.entries}
    totals = {
        row["level"]: {k: row[k] for k in ("rounds", "facilities", "products", "recognised")}
        for row in run["levels"]
    }
    assert totals == scenario.DAK_LAK_FIGURES
    # Gia Lai's entries count for the region; Hà Nội's only for the nation.
    assert run["region"] == {
        "provincial": (5, 71, 33),
        "regional": (2, 14, 9),
        "national": (2, 9, 6),
    }
    assert run["nation"] == {
        "provincial": (6, 75, 35),
        "regional": (2, 14, 9),
        "national": (2, 9, 6),
    }
    all_kinds = next(row for row in run["support"] if row["kind"] == "all")
    assert (all_kinds["schemes"], all_kinds["facilities_supported"]) == (2, 7)
    assert (
        all_kinds["granted_national"],
        all_kinds["granted_local"],
        all_kinds["granted_counterpart"],
    ) == (1_056_000_000, 1_200_000_000, 1_044_000_000)


def test_the_cycle_gives_the_seed_figures_and_the_same_results_with_competing_consumers() -> None:
    single = _cycle()
    _check_against_the_plan(single)
    competing = _cycle("certification")  # a second certification instance
    _check_against_the_plan(competing)
    assert competing["summary"] == single["summary"]
    assert competing["levels"] == single["levels"]
    assert competing["support"] == single["support"]
    assert (competing["region"], competing["nation"]) == (single["region"], single["nation"])
