"""The fault tests run only when asked for (``make faults``: ``pytest -m faults``): they start
three RabbitMQ nodes and HAProxy beside the machine's broker and take several minutes, so
``make test`` leaves them out. Their figures are printed at the end of the run and kept in
out/faults/*.json."""

from __future__ import annotations

import json
from typing import Any

import pytest

_REPORT: list[dict[str, Any]] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "faults" in (config.option.markexpr or ""):
        return
    left_out = [item for item in items if item.get_closest_marker("faults")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("faults")]


@pytest.fixture
def faults_report() -> list[dict[str, Any]]:
    return _REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _REPORT:
        return
    terminalreporter.section("Fault drills: figures (also in out/faults/)")
    for figures in _REPORT:
        shown = {k: v for k, v in figures.items() if k not in ("tally", "dead_letters")}
        terminalreporter.write_line(json.dumps(shown, ensure_ascii=False))
