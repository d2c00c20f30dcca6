"""The RUNBOOK's restore from a dump, run line by line as the RUNBOOK writes it (the lines are
read from deploy/RUNBOOK.md, so the document and this test cannot drift apart): a round is
driven through the four services, dumped, the database dropped and restored without its owners,
`cnnt db prepare` run, and the services answer with the same figures and take new writes."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from cnnt_runtime.settings import Settings
from cnnt_tools.cli import report, scenario
from cnnt_tools.cli.demo import drive
from tests.support.processes import serving
from tests.support.scenario import facility_with_product
from tests.support.stack import private_stack

pytestmark = pytest.mark.e2e
SERVICES = ("registration", "evaluation", "certification", "support")
RUNBOOK = Path(__file__).resolve().parents[2] / "deploy" / "RUNBOOK.md"
MARKER = "<!-- restore-from-dump"


def runbook_lines(marker: str = MARKER) -> list[str]:
    """The shell lines of the fenced block that follows ``marker`` in the RUNBOOK."""
    text = RUNBOOK.read_text(encoding="utf-8")
    after = text[text.index(marker) :]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block is not None, f"no ```sh block after {marker} in {RUNBOOK}"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _pg_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "PGHOST": settings.db_host,
        "PGPORT": str(settings.db_port),
        "PGUSER": settings.db_admin_user,
        "PGDATABASE": settings.db_name,
    }


def _one_round() -> scenario.Plan:
    """The demo's smallest round (Gia Lai 2017, five entries) and no support scheme."""
    plan = scenario.build()
    gia_lai = [r for r in plan.rounds if (r.scope, r.year) == ("gia-lai", 2017)]
    return dataclasses.replace(plan, rounds=gia_lai, schemes=[])


async def _figures(settings: Settings) -> dict[str, Any]:
    figures = await asyncio.to_thread(report.gather, settings, "gia-lai", 2017, 2017)
    return {"levels": figures.levels, "support": figures.support}


async def _drive_and_measure() -> tuple[dict[str, Any], dict[str, Any]]:
    async with serving(*SERVICES) as settings:
        summary = await drive(settings, _one_round(), quiet=True)
        return dataclasses.asdict(summary), await _figures(settings)


async def _measure_and_write() -> dict[str, Any]:
    async with serving(*SERVICES) as settings:
        figures = await _figures(settings)
        async with httpx.AsyncClient(base_url=settings.base_url("registration")) as client:
            facility, product = await facility_with_product(
                client, settings, "gia-lai", "HTX Cà phê Chư Sê sau khôi phục"
            )
        assert product["facility_id"] == facility["id"]
        return figures


def test_the_runbooks_restore_brings_back_working_services_with_the_same_figures(
    tmp_path: Path,
) -> None:
    lines = runbook_lines()
    assert any(line.startswith("pg_restore --no-owner") for line in lines), lines
    with private_stack() as settings:
        summary, before = asyncio.run(_drive_and_measure())
        lines_ = summary["rounds"][_one_round().rounds[0].name]
        assert [line["certificate_number"] for line in lines_ if line["certificate_number"]]
        for line in lines:
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", line],
                cwd=tmp_path,
                env=_pg_env(settings),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        after = asyncio.run(_measure_and_write())
    assert before["levels"]
    assert after == before
