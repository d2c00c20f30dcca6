"""The README's first command and the whole programme cycle, as separate processes."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cnnt_runtime.components import components
from cnnt_runtime.db import bootstrap
from cnnt_runtime.settings import Settings
from cnnt_tools.cli.scenario import DAK_LAK_FIGURES
from tests.support.processes import free_port

pytestmark = pytest.mark.e2e
LEVELS = {"Cấp tỉnh": "provincial", "Cấp khu vực": "regional", "Cấp quốc gia": "national"}


def test_the_demo_ends_with_the_report_showing_dak_laks_figures(
    stack: Settings, tmp_path: Path
) -> None:
    ports = {
        f"CNNT_{n.upper()}_PORT": str(free_port())
        for n in ("registration", "evaluation", "certification", "support", "console")
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cnnt_tools.cli.main", "demo", "--no-keep-running"],
            env={**os.environ, **ports, "COLUMNS": "200"},
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    finally:  # the demo's own database, so the run's roles can be dropped afterwards
        demo = stack.model_copy(update={"db_name": f"{stack.db_name}_demo"})
        asyncio.run(bootstrap.drop(demo, components(), roles=False))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    totals = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 6 and cells[1] == "2017–2021":
            rounds, facilities, products, recognised = map(int, cells[2:])
            totals[LEVELS[cells[0]]] = {
                "rounds": rounds,
                "facilities": facilities,
                "products": products,
                "recognised": recognised,
            }
    assert totals == DAK_LAK_FIGURES
    # The console's address and the demo accounts come first, before the long run.
    console_line = f"Console: http://127.0.0.1:{ports['CNNT_CONSOLE_PORT']}/"
    assert console_line in done.stdout
    assert done.stdout.index(console_line) < done.stdout.index("2017–2021")
    for username in ("sct.daklak", "giamkhao.ha", "bo.congthuong", "vanhanh"):
        assert username in done.stdout
    assert re.search(r"Hội chợ, triển lãm\s+│\s+1\s+│\s+3\s+│\s+1\.056\.000\.000", done.stdout)
    money = r"1\.056\.000\.000\s+│\s+1\.200\.000\.000\s+│\s+1\.044\.000\.000"
    assert re.search(r"Tổng cộng\s+│\s+2\s+│\s+7\s+│\s+" + money, done.stdout)
    for name in ("xlsx", "png", "csv"):
        assert (tmp_path / f"out/demo/dak-lak-2017-2021.{name}").exists() is (name != "csv")
    for name in ("xlsx", "png", "cong-nhan.csv", "khuyen-cong.csv"):
        separator = "-" if name.endswith("csv") else "."
        assert (tmp_path / f"out/demo/dak-lak-2017-2021{separator}{name}").stat().st_size > 0
