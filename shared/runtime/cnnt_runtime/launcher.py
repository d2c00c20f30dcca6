"""``cnnt-service``: what a service's container runs, with the standard library's argparse only
(a service image carries no command-line framework).

- ``cnnt-service serve <name> [--port N]``: one service (or the console) in this process: its
  HTTP API, consumers and outbox relay.
- ``cnnt-service prepare [<name> …]``: roles, schemas and migrations (default: everything
  installed, and the operations schema), as JSON log events.
- ``cnnt-service wait [<name> …]``: until each schema is migrated as far as this code expects,
  as the service's own role: what a Kubernetes pod runs before its service starts, so that new
  code never handles a request or a message before its migrations are applied.

The ``cnnt`` command line (cnnt_tools) runs the same functions with terminal output.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from cnnt_runtime.components import installed_web_apps, load_spec, load_web_app, runnable
from cnnt_runtime.settings import Settings, get_settings

Progress = Callable[[str], None]


class UnknownComponent(ValueError):
    pass


def chosen(names: Sequence[str] | None) -> tuple[str, ...]:
    """The named services and web apps, or every installed one; an unknown name is refused."""
    known = runnable()
    picked = tuple(names) if names else known
    unknown = [n for n in picked if n not in known]
    if unknown:
        raise UnknownComponent(f"unknown service(s): {', '.join(unknown)}")
    return picked


def server_config(app: Any, settings: Settings, port: int) -> Any:
    """uvicorn's configuration for one component. uvicorn believes ``X-Forwarded-For`` from
    127.0.0.1 unless told otherwise, which let anyone on the host (or behind a local proxy)
    choose the address the sign-in throttle and the audit log see: here it believes no header,
    and the web apps apply CNNT_TRUSTED_PROXIES themselves (uvicorn's own middleware, inside
    the app, so every server and test harness gets the same rule)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
        loop=settings.event_loop,
        proxy_headers=False,
        forwarded_allow_ips="",
        server_header=False,
    )


def serve(service: str, settings: Settings, port: int | None = None) -> None:
    import uvicorn

    from cnnt_runtime.http.app import create_app

    if service in installed_web_apps():
        app = load_web_app(service)(settings)
    else:
        app = create_app(load_spec(service), settings)
    server = uvicorn.Server(server_config(app, settings, port or settings.port(service)))
    server.run()  # on the configured loop (asyncio.run would always take asyncio's own)
    if not server.started:
        raise SystemExit(3)


def prepare(settings: Settings, services: tuple[str, ...], done: Progress) -> None:
    """Development keys where none are configured, roles and schemas, then each component's
    migrations (the operations schema last); ``done(name)`` after each component."""
    from cnnt_runtime.db import bootstrap
    from cnnt_runtime.db.migrations import upgrade
    from cnnt_runtime.tokens import ensure_development_keys

    ensure_development_keys(settings)
    names = (*services, "operations")
    asyncio.run(bootstrap.bootstrap(settings, names))
    for name in names:
        asyncio.run(upgrade(settings, name))
        done(name)


def wait(settings: Settings, services: tuple[str, ...], timeout: float, interval: float) -> bool:
    """True once every schema is current (or newer); False after ``timeout`` seconds."""
    import structlog
    from sqlalchemy.exc import SQLAlchemyError

    from cnnt_runtime.db.migrations import schema_state

    log = structlog.get_logger("cnnt.migrate")
    pending = list(services)
    deadline = time.monotonic() + timeout
    while pending:
        name = pending[0]
        try:
            state = asyncio.run(schema_state(settings, name))
        except (OSError, SQLAlchemyError) as exc:
            state = f"unreachable ({type(exc).__name__})"
        if state in {"current", "newer"}:
            log.info("schema_ready", component=name, state=state)
            pending.pop(0)
            continue
        if time.monotonic() >= deadline:
            log.error("schema_not_ready", component=name, state=state, waited_seconds=timeout)
            return False
        log.info("schema_waiting", component=name, state=state)
        time.sleep(interval)
    return True


def prepare_logged(settings: Settings, services: tuple[str, ...]) -> int:
    """``prepare`` with JSON-able log events (compose's migrate step, Kubernetes' Job); a
    refused database login is one clear line and exit code 1."""
    import asyncpg
    import structlog

    log = structlog.get_logger("cnnt.migrate")
    try:
        prepare(
            settings,
            services,
            lambda name: log.info("schema_up_to_date", component=name, database=settings.db_name),
        )
    except asyncpg.InvalidPasswordError as exc:
        # Typically POSTGRES_PASSWORD changed in deploy/.env after the volume was initialised.
        log.error(
            "database_login_refused",
            user=settings.db_admin_user,
            host=settings.db_host,
            error=str(exc),
            hint="the password in the environment is not the database's: see RUNBOOK, "
            "'Rotate passwords'",
        )
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="cnnt-service",
        description="What a CNNT service's container runs: serve it, prepare the database, or "
        "wait for its migrations.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run one service in this process")
    serve_cmd.add_argument(
        "service", help="registration, evaluation, certification, support, console"
    )
    serve_cmd.add_argument("--port", type=int, default=None, help="port (default from settings)")
    prepare_cmd = commands.add_parser("prepare", help="roles, schemas and migrations")
    prepare_cmd.add_argument("services", nargs="*", help="default: all installed")
    wait_cmd = commands.add_parser("wait", help="wait until the schemas are migrated")
    wait_cmd.add_argument("services", nargs="*", help="default: all installed")
    wait_cmd.add_argument("--timeout", type=float, default=900.0, help="give up after (seconds)")
    wait_cmd.add_argument("--interval", type=float, default=3.0, help="seconds between checks")
    args = parser.parse_args(argv)

    settings = get_settings()
    try:
        if args.command == "serve":
            serve(chosen([args.service])[0], settings, args.port)
            return
        services = chosen(args.services)
    except UnknownComponent as exc:
        parser.error(str(exc))
    from cnnt_runtime.logging import configure_logging

    configure_logging(settings.log_format, settings.log_level, "migrate")
    if args.command == "prepare":
        sys.exit(prepare_logged(settings, services))
    sys.exit(0 if wait(settings, services, args.timeout, args.interval) else 1)


if __name__ == "__main__":
    main()
