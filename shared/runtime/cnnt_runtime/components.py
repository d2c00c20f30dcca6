"""Find the installed services through the ``cnnt.services`` entry points, and the web apps
(the console) through ``cnnt.web``.

The platform tools never import a service by name: each service package declares its
``ServiceSpec`` as an entry point, and the tools load whatever is installed. A web app is no
event-driven service (no broker, no outbox) but owns a schema and a role like one.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cnnt_runtime.service import ServiceSpec
from cnnt_runtime.settings import SERVICE_NAMES, Settings

WEB_APP_NAMES: tuple[str, ...] = ("console",)


def load_spec(name: str) -> ServiceSpec:
    from cnnt_runtime.service import ServiceSpec

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


def installed_web_apps() -> tuple[str, ...]:
    found = {ep.name for ep in entry_points(group="cnnt.web")}
    return tuple(name for name in WEB_APP_NAMES if name in found)


def load_web_app(name: str) -> Callable[[Settings], Any]:
    """The web app's factory: ``factory(settings)`` returns its ASGI app."""
    for ep in entry_points(group="cnnt.web"):
        if ep.name == name:
            factory: Callable[[Settings], Any] = ep.load()
            return factory
    raise LookupError(f"no web app named {name!r} is installed")


def runnable() -> tuple[str, ...]:
    """What ``cnnt run`` and the demo start: the services, then the web apps."""
    return (*installed_services(), *installed_web_apps())


def components() -> tuple[str, ...]:
    """Everything that owns a schema and a role: services, web apps and operations."""
    return (*installed_services(), *installed_web_apps(), "operations")
