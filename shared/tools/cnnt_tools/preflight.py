"""Before a long command: do PostgreSQL and RabbitMQ answer? If one does not, say which one
and how to get it, instead of failing minutes later with a connection traceback."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from cnnt_runtime.settings import Settings

POSTGRES_HINT = """\
PostgreSQL does not answer on {where} (CNNT_DB_HOST / CNNT_DB_PORT). To get it:
  - Debian/Ubuntu packages: sudo apt-get install -y postgresql
      then: sudo pg_ctlcluster $(ls /etc/postgresql) main start
      (the commands connect as `postgres` from 127.0.0.1: allow it with `trust` in
      pg_hba.conf, or set CNNT_DB_ADMIN_PASSWORD)
  - or a container: docker run -d --name cnnt-postgres -p 127.0.0.1:5432:5432 \\
      -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15"""

RABBITMQ_HINT = """\
RabbitMQ does not answer on {where} (CNNT_AMQP_URL). To get it:
  - Debian/Ubuntu packages: sudo apt-get install -y rabbitmq-server
      then: sudo rabbitmq-server -detached   (guest/guest works from 127.0.0.1)
  - or a container: docker run -d --name cnnt-rabbitmq -p 127.0.0.1:5672:5672 \\
      rabbitmq:3.13-management"""


def _answers(host: str, port: int, timeout: float = 3.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def missing_servers(settings: Settings) -> list[str]:
    """One explanation per server that does not accept a connection; empty when both do."""
    problems = []
    if not _answers(settings.db_host, settings.db_port):
        problems.append(POSTGRES_HINT.format(where=f"{settings.db_host}:{settings.db_port}"))
    amqp = urlsplit(settings.amqp_url)
    host, port = amqp.hostname or "127.0.0.1", amqp.port or 5672
    if not _answers(host, port):
        problems.append(RABBITMQ_HINT.format(where=f"{host}:{port}"))
    return problems
