"""A missing PostgreSQL or RabbitMQ is named, with how to get it."""

from __future__ import annotations

import socket

from cnnt_runtime.settings import Settings
from cnnt_tools.preflight import missing_servers


def a_closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def a_listening_socket() -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


def test_a_missing_rabbitmq_is_named_with_how_to_get_it() -> None:
    with a_listening_socket() as db:
        settings = Settings(
            db_host="127.0.0.1",
            db_port=db.getsockname()[1],
            amqp_url=f"amqp://guest:guest@127.0.0.1:{a_closed_port()}/",
        )
        problems = missing_servers(settings)
    assert len(problems) == 1
    assert problems[0].startswith("RabbitMQ does not answer")
    assert "apt-get install -y rabbitmq-server" in problems[0]


def test_a_missing_postgresql_is_named_and_both_are_when_both_are_missing() -> None:
    settings = Settings(
        db_host="127.0.0.1",
        db_port=a_closed_port(),
        amqp_url=f"amqp://guest:guest@127.0.0.1:{a_closed_port()}/",
    )
    problems = missing_servers(settings)
    assert [p.split(" ", 1)[0] for p in problems] == ["PostgreSQL", "RabbitMQ"]
    assert "apt-get install -y postgresql" in problems[0]


def test_nothing_is_said_when_both_answer() -> None:
    with a_listening_socket() as db, a_listening_socket() as broker:
        settings = Settings(
            db_host="127.0.0.1",
            db_port=db.getsockname()[1],
            amqp_url=f"amqp://guest:guest@127.0.0.1:{broker.getsockname()[1]}/",
        )
        assert missing_servers(settings) == []
