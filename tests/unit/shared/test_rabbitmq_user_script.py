"""The migrate step's broker preparation (deploy/container/rabbitmq_user.py) against a stand-in
management API on this machine: what it sends, in which order, with which credentials."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cnnt_tools.cli.main import DEFINITIONS_PATH

SCRIPT = Path("deploy/container/rabbitmq_user.py")


class Recorder(BaseHTTPRequestHandler):
    calls: list[tuple[str, str, str, bytes]]

    def _record(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.calls.append((self.command, self.path, self.headers["Authorization"], body))
        self.send_response(204)
        self.end_headers()

    do_PUT = do_POST = _record  # noqa: N815 - http.server's naming

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def management() -> Iterator[tuple[int, list[tuple[str, str, str, bytes]]]]:
    calls: list[tuple[str, str, str, bytes]] = []
    handler = type("Handler", (Recorder,), {"calls": calls})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], calls
    finally:
        server.shutdown()
        server.server_close()


def _run(port: int, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "RABBITMQ_ADMIN_USER": "cnnt-admin",
        "RABBITMQ_ADMIN_PASS": "s3cret/+#",
        "CNNT_AMQP_HOST": "127.0.0.1",
        "CNNT_RABBITMQ_MANAGEMENT_PORT": str(port),
        "CNNT_AMQP_USER": "cnnt-services",
        "CNNT_AMQP_PASSWORD": "p@ss/word",
        **extra,
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


def test_without_definitions_it_only_makes_the_services_user(management: Any) -> None:
    port, calls = management
    result = _run(port)
    assert result.returncode == 0, result.stderr
    admin = "Basic " + base64.b64encode(b"cnnt-admin:s3cret/+#").decode()
    assert [(method, path, auth) for method, path, auth, _ in calls] == [
        ("PUT", "/api/users/cnnt-services", admin),
        ("PUT", "/api/permissions/%2F/cnnt-services", admin),
    ]
    assert json.loads(calls[0][3]) == {"password": "p@ss/word", "tags": ""}
    assert json.loads(result.stderr.strip().splitlines()[-1])["event"] == "rabbitmq_user_ready"


def test_with_definitions_it_imports_the_topology_into_the_default_vhost_first(
    management: Any,
) -> None:
    port, calls = management
    result = _run(port, CNNT_RABBITMQ_DEFINITIONS=str(DEFINITIONS_PATH))
    assert result.returncode == 0, result.stderr
    method, path, _, body = calls[0]
    assert (method, path) == ("POST", "/api/definitions/%2F")
    assert body == DEFINITIONS_PATH.read_bytes()
    assert [path for _, path, _, _ in calls[1:]] == [
        "/api/users/cnnt-services",
        "/api/permissions/%2F/cnnt-services",
    ]
    events = [json.loads(line)["event"] for line in result.stderr.strip().splitlines()]
    assert events == ["rabbitmq_definitions_imported", "rabbitmq_user_ready"]


def test_a_refused_import_fails_the_step() -> None:
    # Nothing listens on the port: the step fails rather than letting services start unprepared.
    result = _run(1, CNNT_RABBITMQ_DEFINITIONS=str(DEFINITIONS_PATH))
    assert result.returncode != 0
