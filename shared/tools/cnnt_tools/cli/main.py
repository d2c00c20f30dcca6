"""``cnnt``: the command line of the platform (database, services, tokens)."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import timedelta
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console

from cnnt_runtime import launcher
from cnnt_runtime.components import components, installed_services, runnable
from cnnt_runtime.db import bootstrap as db_bootstrap
from cnnt_runtime.settings import Settings, get_settings
from cnnt_runtime.tokens import Role, ensure_development_keys, generate_key_pair, issue_token
from cnnt_tools.cli.backup import backup_app
from cnnt_tools.cli.certificate import certificate_app
from cnnt_tools.cli.ops import dlq_app, replay_app

# Commands import what only they need (web server, migrations, service packages) when they run:
# a support engineer's `cnnt dlq list` should not pay for loading every service.
ASYNCAPI_PATH = Path("deploy/asyncapi/cnnt-events.json")
DEFINITIONS_PATH = Path("deploy/rabbitmq/definitions.json")

app = typer.Typer(help="CNNT recognition platform", no_args_is_help=True)
db = typer.Typer(help="Database: roles, schemas, migrations", no_args_is_help=True)
token = typer.Typer(help="Bearer tokens for the HTTP APIs", no_args_is_help=True)
keys = typer.Typer(help="Token signing keys (Ed25519)", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(token, name="token")
app.add_typer(keys, name="keys")
for _extension in entry_points(group="cnnt.cli"):
    # Commands of installed components (the console's `cnnt user …`; light modules only):
    # the shared package never imports a component by name.
    app.add_typer(_extension.load(), name=_extension.name)
app.add_typer(dlq_app, name="dlq")
app.add_typer(certificate_app, name="certificate")
app.add_typer(replay_app, name="replay")
app.add_typer(backup_app, name="backup")
asyncapi_app = typer.Typer(help="The AsyncAPI document of all services", no_args_is_help=True)
app.add_typer(asyncapi_app, name="asyncapi")
topology_app = typer.Typer(help="The RabbitMQ topology the services declare", no_args_is_help=True)
app.add_typer(topology_app, name="topology")
units_app = typer.Typer(
    help="Administrative units: the history below the provinces", no_args_is_help=True
)
app.add_typer(units_app, name="units")
console = Console(stderr=True)

ServicesArg = Annotated[
    list[str] | None,
    typer.Argument(help="Services and the console (default: all installed)", show_default=False),
]


def _services(names: list[str] | None) -> tuple[str, ...]:
    try:
        return launcher.chosen(names)
    except launcher.UnknownComponent as exc:
        raise typer.BadParameter(str(exc)) from exc


def prepare_database(settings: Settings, services: tuple[str, ...]) -> None:
    """Roles, schemas, migrations, with progress on the terminal."""
    console.print(f"[bold]database[/] {settings.db_name} on {settings.db_host}:{settings.db_port}")
    launcher.prepare(
        settings,
        services,
        lambda name: console.print(f"  [green]✓[/] {name}: schema and migrations up to date"),
    )


@db.command("bootstrap")
def db_bootstrap_cmd() -> None:
    """Create the database, a login role and a schema per service (idempotent)."""
    settings = get_settings()
    asyncio.run(db_bootstrap.bootstrap(settings, components()))
    console.print("[green]✓[/] roles and schemas ready")


@db.command("migrate")
def db_migrate(services: ServicesArg = None) -> None:
    """Run each service's Alembic migrations, as that service's own role."""
    from cnnt_runtime.db.migrations import upgrade

    settings = get_settings()
    for name in (*_services(services), *(() if services else ("operations",))):
        asyncio.run(upgrade(settings, name))
        console.print(f"[green]✓[/] {name} migrated")


@db.command("prepare")
def db_prepare(services: ServicesArg = None) -> None:
    """Bootstrap, then migrate: what every start runs first (containers and local), as log
    events (JSON lines in containers, like the services)."""
    from cnnt_runtime.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level, "migrate")
    code = launcher.prepare_logged(settings, _services(services))
    if code:
        raise typer.Exit(code)


@db.command("wait")
def db_wait(
    services: ServicesArg = None,
    timeout: Annotated[float, typer.Option(help="Give up after this many seconds")] = 900.0,
    interval: Annotated[float, typer.Option(help="Seconds between checks")] = 3.0,
) -> None:
    """Wait until each service's schema is migrated as far as this code expects (as the
    service's own role): ``cnnt-service wait``, what a Kubernetes pod runs before its service
    starts."""
    from cnnt_runtime.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level, "migrate")
    if not launcher.wait(settings, _services(services), timeout, interval):
        raise typer.Exit(1)


@db.command("revision")
def db_revision(
    service: Annotated[str, typer.Argument(help="Service whose tables changed")],
    message: Annotated[str, typer.Option("-m", "--message", help="What the revision does")],
) -> None:
    """Write a new migration from the difference between a service's tables and the database."""
    from cnnt_runtime.db.migrations import autogenerate, upgrade

    settings = get_settings()
    name = service if service == "operations" else _services([service])[0]
    asyncio.run(db_bootstrap.bootstrap(settings, (name,)))
    asyncio.run(upgrade(settings, name))
    asyncio.run(autogenerate(settings, name, message))


@db.command("drop")
def db_drop(yes: Annotated[bool, typer.Option("--yes", help="Confirm")] = False) -> None:
    """Drop the database and the service roles. Destroys all data."""
    settings = get_settings()
    if not yes:
        typer.confirm(f"Drop database {settings.db_name} and its roles?", abort=True)
    asyncio.run(db_bootstrap.drop(settings, components()))
    console.print("[green]✓[/] dropped")


@app.command()
def serve(
    service: Annotated[
        str, typer.Argument(help="registration, evaluation, certification, support or console")
    ],
    port: Annotated[int | None, typer.Option(help="Port (default from settings)")] = None,
) -> None:
    """Run one service in this process: its HTTP API, consumers and outbox relay."""
    launcher.serve(_services([service])[0], get_settings(), port)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@app.command()
def health(
    service: Annotated[str, typer.Argument(envvar="CNNT_SERVICE", help="Service to check")],
) -> None:
    """Exit 0 when the service on this host answers /readyz (container health check)."""
    settings = get_settings()
    url = f"http://127.0.0.1:{settings.port(_services([service])[0])}/readyz"
    try:
        response = httpx.get(url, timeout=3)
    except httpx.HTTPError as exc:
        typer.echo(f"{service}: unreachable ({exc})", err=True)
        raise typer.Exit(1) from exc
    typer.echo(response.text)
    raise typer.Exit(0 if response.status_code == 200 else 1)


def _require_servers(settings: Settings) -> None:
    """Stop at once, saying which server is missing and how to get it."""
    from cnnt_tools.preflight import missing_servers

    problems = missing_servers(settings)
    for problem in problems:
        console.print(problem, markup=False, highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(2)


@app.command()
def run(
    services: ServicesArg = None,
    prepare: bool = typer.Option(True, help="Bootstrap and migrate first"),
) -> None:
    """Run services, each as its own process, until Ctrl-C."""
    from cnnt_tools.cli import runner

    settings = get_settings()
    _require_servers(settings)
    chosen = _services(services)
    if prepare:
        prepare_database(settings, chosen)
    processes = runner.spawn(chosen)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        runner.wait_ready(chosen, settings, processes)
        console.print("[bold]running[/] — Ctrl-C stops all services")
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        console.print("[red]a service exited[/]; stopping the others")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        runner.stop(processes)


@app.command()
def demo(
    keep_running: bool = typer.Option(True, help="Leave the services running until Ctrl-C"),
    fresh: bool = typer.Option(True, help="Start from an empty demo database"),
) -> None:
    """Start the four services and the console, and drive a programme cycle (2017–2021)
    through their APIs."""
    from cnnt_tools.cli import demo as demo_cycle
    from cnnt_tools.cli import report as reports
    from cnnt_tools.cli import runner, scenario

    # The demo has a database of its own, so it never touches real data in CNNT_DB_NAME.
    settings = get_settings().model_copy(update={"db_name": f"{get_settings().db_name}_demo"})
    services = runnable()
    _require_servers(settings)
    if fresh:
        asyncio.run(db_bootstrap.drop(settings, components(), roles=False))
    prepare_database(settings, services)
    _introduce_console(settings, services)
    logs = Path("out/demo-logs")
    processes = runner.spawn(services, env={"CNNT_DB_NAME": settings.db_name}, log_dir=logs)
    console.print(f"service logs: {logs}/<service>.log")
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        runner.wait_ready(services, settings, processes)
        asyncio.run(demo_cycle.drive(settings, scenario.build()))
        result = reports.gather(settings, scenario.DAK_LAK, 2017, 2021)
        reports.show(result, demo_cycle.console)
        out = Path("out/demo")
        out.mkdir(parents=True, exist_ok=True)
        reports.write_xlsx(result, out / "dak-lak-2017-2021.xlsx")
        reports.write_csv(result, out / "dak-lak-2017-2021.csv")
        reports.write_chart(result, out / "dak-lak-2017-2021.png")
        console.print(
            f"report files: {out}/dak-lak-2017-2021.{{xlsx,png}}, "
            f"{out}/dak-lak-2017-2021-{{cong-nhan,khuyen-cong}}.csv"
        )
        demo_cycle.where_to_look(settings, installed_services())
        if keep_running:
            console.print("[bold]services running[/] — Ctrl-C stops them")
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
            raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        runner.stop(processes)


def _introduce_console(settings: Settings, services: tuple[str, ...]) -> None:
    """Before the long run: where the console is and the accounts to sign in with (the
    console's own command creates them, as the shared package imports no component)."""
    if "console" not in services:
        return
    import os
    import subprocess
    import sys

    url = f"http://{settings.host}:{settings.console_port}/"
    subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "cnnt_tools.cli.main", "user", "demo", "--url", url],
        env={**os.environ, "CNNT_DB_NAME": settings.db_name},
        check=True,
    )


def _write_generated(out: Path, text: str, *, check: bool, regenerate: str) -> None:
    """Write a generated file, or with ``check`` fail unless it already holds ``text`` (the
    command that regenerates it is named in the failure)."""
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            console.print(f"[red]{out} is out of date[/]: run `{regenerate}`")
            raise typer.Exit(1)
        console.print(f"[green]✓[/] {out} is up to date")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    console.print(f"[green]✓[/] wrote {out}")


@asyncapi_app.command("export")
def asyncapi_export(
    out: Annotated[Path, typer.Option(help="Where to write it")] = ASYNCAPI_PATH,
    check: Annotated[bool, typer.Option(help="Fail if the file is not up to date")] = False,
) -> None:
    """Write the platform's AsyncAPI document (every service's events) as JSON."""
    from cnnt_tools.cli import asyncapi

    text = asyncapi.render(asyncapi.platform_document(get_settings()))
    _write_generated(out, text, check=check, regenerate="make asyncapi")


@topology_app.command("export")
def topology_export(
    out: Annotated[Path, typer.Option(help="Where to write it")] = DEFINITIONS_PATH,
    vhost: Annotated[str, typer.Option(help="The virtual host the services use")] = "/",
    check: Annotated[bool, typer.Option(help="Fail if the file is not up to date")] = False,
) -> None:
    """Write RabbitMQ definitions (exchanges, queues, bindings, policies) of the topology the
    services declare, for pre-provisioning a broker or cluster."""
    from cnnt_runtime.messaging import definitions

    text = definitions.render(definitions.definitions(vhost))
    _write_generated(out, text, check=check, regenerate="uv run cnnt topology export")


@units_app.command("export")
def units_export() -> None:
    """Write the districts of 2008-2025 and each 2025 commune's earlier wards into the runtime's
    reference data, from the pinned vietnamadminunits (a development dependency)."""
    from cnnt_tools import units

    for path in units.export():
        console.print(f"[green]✓[/] {path}")


@asyncapi_app.command("serve")
def asyncapi_serve(port: Annotated[int, typer.Option(help="Port")] = 8010) -> None:
    """Serve the platform's AsyncAPI page and JSON over HTTP."""
    import uvicorn

    from cnnt_tools.cli import asyncapi

    settings = get_settings()
    uvicorn.run(asyncapi.docs_app(settings), host=settings.host, port=port, log_config=None)


@app.command()
def report(
    scope: Annotated[
        str,
        typer.Argument(
            help="Province code (dak-lak), region (north, central_highlands, south) or VN"
        ),
    ],
    from_year: Annotated[int, typer.Option("--from", help="First year")],
    to_year: Annotated[int, typer.Option("--to", help="Last year")],
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Also write CSV here")] = None,
    xlsx_path: Annotated[Path | None, typer.Option("--xlsx", help="Also write XLSX here")] = None,
    chart_path: Annotated[
        Path | None, typer.Option("--chart", help="Also draw a PNG chart here")
    ] = None,
    as_recorded: Annotated[
        bool,
        typer.Option(
            "--as-recorded",
            help="A province as recorded: its own rounds only (e.g. bac-kan before it merged "
            "into thai-nguyen), instead of the 2025 unit with every province merged into it",
        ),
    ] = False,
) -> None:
    """The figures a province, a region or the nation publishes for a period.

    CSV: one table per file (``r.csv`` becomes ``r-cong-nhan.csv`` and ``r-khuyen-cong.csv``).
    """
    from rich.console import Console as Out

    from cnnt_tools.cli import report as reports

    result = reports.gather(get_settings(), scope, from_year, to_year, as_recorded=as_recorded)
    reports.show(result, Out())
    for path, write in (
        (xlsx_path, reports.write_xlsx),
        (chart_path, reports.write_chart),
    ):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            write(result, path)
            console.print(f"[green]✓[/] wrote {path}")
    if csv_path is not None:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        for written in reports.write_csv(result, csv_path):
            console.print(f"[green]✓[/] wrote {written}")


@token.command("issue")
def token_issue(
    role: Annotated[Role, typer.Option(help="Role the token carries")],
    scope: Annotated[
        str, typer.Option(help="Province code, a judge's account id (or jury member id), or VN")
    ] = "VN",
    subject: Annotated[str | None, typer.Option(help="Who holds it (default: role:scope)")] = None,
    ttl_hours: Annotated[int | None, typer.Option(help="Lifetime in hours")] = None,
) -> None:
    """Print a bearer token signed with the private key in CNNT_AUTH_SIGNING_KEY."""
    settings = get_settings()
    ensure_development_keys(settings)
    if ttl_hours and ttl_hours > settings.token_max_lifetime_hours:
        raise typer.BadParameter(
            f"the services accept tokens of at most {settings.token_max_lifetime_hours} hours "
            "(CNNT_TOKEN_MAX_LIFETIME_HOURS)",
            param_hint="--ttl-hours",
        )
    ttl = timedelta(hours=ttl_hours) if ttl_hours else None
    typer.echo(
        issue_token(
            settings, subject=subject or f"{role.value}:{scope}", role=role, scope=scope, ttl=ttl
        )
    )


@keys.command("generate")
def keys_generate(
    kid: Annotated[str, typer.Option(help="Key id (the file name): e.g. 2026-11")],
    directory: Annotated[
        Path, typer.Option(help="Writes private/<kid>.pem and public/<kid>.pem")
    ] = Path("var/keys"),
) -> None:
    """Make a signing key pair: the private half for the console and operators only, the
    public half for every service (RUNBOOK: rotating the signing key)."""
    private, public = generate_key_pair(directory, kid)
    console.print(f"[green]✓[/] private key {private} (keep it secret), public key {public}")


if __name__ == "__main__":
    app()
