"""Fixtures shared by the integration and end-to-end tests (unit tests need none of them)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

import pytest

from cnnt_runtime.settings import Settings
from cnnt_tools.preflight import missing_servers
from tests.support.identities import ALLOCATOR, POOL
from tests.support.stack import private_stack


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reverse-in-modules",
        action="store_true",
        help="run each module's tests in the reverse of their written order (the modules in "
        "their usual order): a test that leans on an earlier one of its module shows",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--reverse-in-modules"):
        modules = [list(tests) for _, tests in groupby(items, key=lambda item: item.path)]
        items[:] = [item for tests in modules for item in reversed(tests)]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Identities handed out from here on (its fixtures' too) are this test's."""
    ALLOCATOR.begin(item.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    busiest, rounds = ALLOCATOR.busiest()
    if rounds:
        terminalreporter.write_line(
            f"identities (tests/support/identities.py): pass {ALLOCATOR.pass_number}, "
            f"{len(ALLOCATOR.claims)} claimed; most rounds in one level and scope: "
            f"{rounds} ({busiest}) of {len(POOL)} years"
        )


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    """One private database + vhost for the whole run, with every service migrated."""
    problems = missing_servers(Settings())
    if problems:
        pytest.exit("\n\n".join(problems), returncode=2)
    with private_stack() as settings:
        yield settings
