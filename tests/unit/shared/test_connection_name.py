"""Each service names its broker connection, so an operator sees which service and process a
connection is and which node it landed on (RUNBOOK: "Losing a RabbitMQ node")."""

from __future__ import annotations

import os
import socket
from urllib.parse import parse_qs, urlsplit

from cnnt_runtime.service import named_connection


def test_the_connection_is_named_after_the_service_host_and_process() -> None:
    url = named_connection("amqp://cnnt:s%40cret@rabbitmq:5672/cnnt?heartbeat=30", "evaluation")
    parts = urlsplit(url)
    assert (parts.username, parts.password, parts.hostname, parts.port, parts.path) == (
        "cnnt",
        "s%40cret",
        "rabbitmq",
        5672,
        "/cnnt",
    )
    assert parse_qs(parts.query) == {
        "heartbeat": ["30"],
        "name": [f"evaluation {socket.gethostname()} pid {os.getpid()}"],
    }


def test_a_name_the_operator_gave_in_the_url_is_kept() -> None:
    url = "amqp://guest:guest@127.0.0.1:5672/?name=evaluation-blue"
    assert named_connection(url, "evaluation") == url
