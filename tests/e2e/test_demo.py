"""The README's first command, as separate processes on the real servers."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys

import pytest

from cnnt_shared.cli.services import installed_services
from cnnt_shared.db import bootstrap
from cnnt_shared.settings import Settings

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_runs_four_services_and_a_round_through_their_apis(stack: Settings) -> None:
    ports = {f"CNNT_{name.upper()}_PORT": str(free_port()) for name in installed_services()}
    env = {**os.environ, **ports, "COLUMNS": "200"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cnnt_shared.cli.main", "demo", "--no-keep-running"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        demo = stack.model_copy(update={"db_name": f"{stack.db_name}_demo"})
        asyncio.run(bootstrap.drop(demo, installed_services(), roles=False))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Cà phê bột nguyên chất Buôn Ma Thuột" in done.stdout
    assert "HTX Dệt thổ cẩm Đắk Lắk" in done.stdout
    for name in installed_services():
        assert f"{name} ready" in done.stderr
