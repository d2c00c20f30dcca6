"""Find the installed services through the ``cnnt.services`` entry points.

The platform tools never import a service by name: each service package declares its
``ServiceSpec`` as an entry point, and the tools load whatever is installed.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cnnt_shared.service import ServiceSpec
from cnnt_shared.settings import SERVICE_NAMES


def load_spec(name: str) -> ServiceSpec:
    from cnnt_shared.service import ServiceSpec

    for ep in entry_points(group="cnnt.services"):
        if ep.name == name:
            spec = ep.load()
            if not isinstance(spec, ServiceSpec):
                raise TypeError(f"entry point {ep.value} is not a ServiceSpec")
            return spec
    raise LookupError(f"no service named {name!r} is installed (known: {', '.join(SERVICE_NAMES)})")


def installed_services() -> tuple[str, ...]:
    found = {ep.name for ep in entry_points(group="cnnt.services")}
    return tuple(name for name in SERVICE_NAMES if name in found)


def components() -> tuple[str, ...]:
    """Everything that owns a schema and a role: the installed services and operations."""
    return (*installed_services(), "operations")
