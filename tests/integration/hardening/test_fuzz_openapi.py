"""Fuzz every service's HTTP API from its own OpenAPI document (schemathesis): with a token of a
role that may use it and without one, valid and invalid input. No answer may be a 5xx, and every
status and content type must be one the document declares.

Bounded for CI: a few derandomized examples per operation (the same ones every run), against
the four services served over HTTP (uvicorn, each in a thread with its own event loop) in a
private stack of their own: the fuzz creates rows that other tests must not meet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from cnnt_runtime.auth import Role
from cnnt_runtime.components import load_spec
from cnnt_runtime.http.app import create_app
from cnnt_runtime.settings import SERVICE_NAMES, Settings
from tests.support.processes import free_port
from tests.support.stack import bearer, private_stack

# The role that may use most of each service's API; operator endpoints get an operator token.
ROLES = {
    "registration": Role.MINISTRY,
    "evaluation": Role.MINISTRY,
    "certification": Role.CERTIFIER,
    "support": Role.SUPPORT_OFFICER,
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
BOUNDED = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _schema(service: str) -> Any:
    document = create_app(load_spec(service), Settings()).openapi()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    # Prometheus' text format and the readiness answer are not part of the API contract.
    return schema.exclude(path_regex="^/(metrics|readyz|healthz|asyncapi\\.json)$")


SCHEMAS = {service: _schema(service) for service in SERVICE_NAMES}
Test = TypeVar("Test", bound=Callable[..., None])


def fuzzed(service: str) -> Callable[[Test], Test]:
    """schemathesis' parametrize, typed: one test per operation of the service's document."""
    decorator: Callable[[Test], Test] = SCHEMAS[service].parametrize()
    return decorator


@pytest.fixture(scope="module")
def served() -> Iterator[Settings]:
    with private_stack() as stack:
        ports = {f"{name}_port": free_port() for name in SERVICE_NAMES}
        running = stack.model_copy(update=ports)
        servers = [
            uvicorn.Server(
                uvicorn.Config(
                    create_app(load_spec(name), running),
                    host=running.host,
                    port=running.port(name),
                    log_level="warning",
                    lifespan="on",
                )
            )
            for name in SERVICE_NAMES
        ]
        threads = [threading.Thread(target=server.run, daemon=True) for server in servers]
        for thread in threads:
            thread.start()
        try:
            for server, thread in zip(servers, threads, strict=True):
                while not server.started:
                    assert thread.is_alive(), "a service stopped while starting"
                    time.sleep(0.05)
            yield running
        finally:
            for server in servers:
                server.should_exit = True
            for thread in threads:
                thread.join(timeout=30)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


def _fuzz(service: str, case: Any, served: Settings, session: requests.Session) -> None:
    role = Role.OPERATOR if case.path.startswith("/ops") else ROLES[service]
    for headers in (bearer(served, role), {}):
        case.call_and_validate(
            base_url=served.base_url(service),
            session=session,
            headers=headers,
            checks=CHECKS,
            timeout=30,
        )


@fuzzed("registration")
@BOUNDED
def test_registration_api_answers_every_input_as_documented(
    case: Any, served: Settings, session: requests.Session
) -> None:
    _fuzz("registration", case, served, session)


@fuzzed("evaluation")
@BOUNDED
def test_evaluation_api_answers_every_input_as_documented(
    case: Any, served: Settings, session: requests.Session
) -> None:
    _fuzz("evaluation", case, served, session)


@fuzzed("certification")
@BOUNDED
def test_certification_api_answers_every_input_as_documented(
    case: Any, served: Settings, session: requests.Session
) -> None:
    _fuzz("certification", case, served, session)


@fuzzed("support")
@BOUNDED
def test_support_api_answers_every_input_as_documented(
    case: Any, served: Settings, session: requests.Session
) -> None:
    _fuzz("support", case, served, session)
