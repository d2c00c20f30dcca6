"""What each package and image installs, read from uv.lock (the same lock deploy/wheelhouse.sh
exports per component): the contracts need pydantic alone, a service image carries no command
line, terminal or chart library unless that service uses one."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOLS = {"typer", "rich", "matplotlib"}


@cache
def _packages() -> dict[str, dict[str, object]]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    return {p["name"]: p for p in lock["package"]}


def installs(name: str) -> set[str]:
    """The distributions installing ``name`` brings, with the extras its dependents ask for."""
    packages = _packages()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    pending: list[tuple[str, tuple[str, ...]]] = [(name, ())]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        package, extras = current
        entry = packages[package]
        deps = list(entry.get("dependencies", []))  # type: ignore[call-overload]
        optional = entry.get("optional-dependencies", {})
        for extra in extras:
            deps += optional[extra]  # type: ignore[index]
        pending.extend((d["name"], tuple(d.get("extra", []))) for d in deps)
    return {package for package, _ in seen}


def test_the_contracts_install_pydantic_alone() -> None:
    assert installs("cnnt-contracts") == {
        "cnnt-contracts",
        "pydantic",
        "pydantic-core",
        "annotated-types",
        "typing-extensions",
        "typing-inspection",
    }


def test_the_runtime_carries_no_tool_library() -> None:
    runtime = installs("cnnt-runtime")
    assert "cnnt-contracts" in runtime
    assert not runtime & (TOOLS | {"cnnt-tools"})


@pytest.mark.parametrize("service", ["registration", "evaluation", "support"])
def test_a_service_image_has_no_cli_terminal_or_chart_library(service: str) -> None:
    closure = installs(f"cnnt-{service}")
    assert {"cnnt-runtime", "cnnt-contracts"} <= closure
    assert not closure & (TOOLS | {"cnnt-tools"})


def test_certification_keeps_matplotlib_for_its_certificate_font_only() -> None:
    closure = installs("cnnt-certification")
    assert "matplotlib" in closure
    assert not closure & {"typer", "rich", "cnnt-tools"}


def test_the_console_carries_the_tools_it_uses() -> None:
    # Its account command (typer), the report figures and their PNG chart (matplotlib).
    assert TOOLS | {"cnnt-tools"} <= installs("cnnt-console")
