"""Fixtures shared by the integration and end-to-end tests (unit tests need none of them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cnnt_runtime.settings import Settings
from cnnt_tools.preflight import missing_servers
from tests.support.stack import private_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Settings]:
    """One private database + vhost for the whole run, with every service migrated."""
    problems = missing_servers(Settings())
    if problems:
        pytest.exit("\n\n".join(problems), returncode=2)
    with private_stack() as settings:
        yield settings
