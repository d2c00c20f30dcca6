"""``cnnt backup …``: point-in-time backups of PostgreSQL with pgBackRest, restore, and the
reconciliation of broker and event logs after a restore (deploy/RUNBOOK.md, "Backups").

pgBackRest does the work (base backups, WAL archiving, encryption, retention, verification):
these commands run it with the platform's stanza, show its progress, and add what it cannot
know — that the services must not be running over a restore, and what the broker holds that the
restored event logs do not. pgBackRest reads its repository, encryption and retention options
from its configuration file and ``PGBACKREST_*`` variables (deploy/backup/pgbackrest.conf).
"""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cnnt_runtime import launcher
from cnnt_runtime.ops import records
from cnnt_runtime.ops.reconcile import Reconciliation, reconcile
from cnnt_runtime.settings import SERVICE_NAMES, Settings, get_settings

backup_app = typer.Typer(
    help="Point-in-time backups of PostgreSQL (pgBackRest), restore, reconcile",
    no_args_is_help=True,
)
console = Console(stderr=True)

Stanza = Annotated[
    str, typer.Option(envvar="CNNT_BACKUP_STANZA", help="pgBackRest stanza of the cluster")
]
Command = Annotated[
    str,
    typer.Option(
        envvar="CNNT_BACKUP_COMMAND",
        help="How to run pgBackRest (as the cluster's owner), e.g. 'runuser -u postgres -- "
        "pgbackrest'",
    ),
]
_PERCENT = re.compile(r"\((\d+(?:\.\d+)?)%\)")


def _pgbackrest(command: str, stanza: str, *args: str) -> list[str]:
    return [*shlex.split(command), f"--stanza={stanza}", *args]


def run_with_progress(argv: list[str], what: str) -> str:
    """Run pgBackRest at log level ``detail`` (a line per file, with how far it got), show that
    as a progress bar, and return its output; a failure stops with pgBackRest's own words."""
    lines: list[str] = []
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(what, total=100)
        process = subprocess.Popen(  # noqa: S603 - pgBackRest, as the operator configured it
            [*argv, "--log-level-console=detail"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if found := _PERCENT.search(line):
                progress.update(task, completed=float(found.group(1)))
        code = process.wait()
        if code == 0:
            progress.update(task, completed=100)
    if code != 0:
        tail = "".join(line for line in lines if "ERROR" in line or "WARN" in line) or "".join(
            lines[-15:]
        )
        console.print(f"[red]✗[/] {what} failed (pgBackRest exit {code}):\n{tail}")
        raise typer.Exit(code)
    return "".join(lines)


def backups(command: str, stanza: str) -> list[dict[str, Any]]:
    """The stanza's backups, oldest first, as pgBackRest's ``info --output=json`` gives them."""
    done = subprocess.run(  # noqa: S603 - pgBackRest, as the operator configured it
        _pgbackrest(command, stanza, "--output=json", "info"),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        console.print(f"[red]✗[/] pgbackrest info failed:\n{done.stderr or done.stdout}")
        raise typer.Exit(done.returncode)
    stanzas = json.loads(done.stdout)
    return list(stanzas[0]["backup"]) if stanzas else []


@backup_app.command("init")
def init(stanza: Stanza = "cnnt", command: Command = "pgbackrest") -> None:
    """Create the stanza in the repository (once) and check that WAL archiving reaches it."""
    run_with_progress(_pgbackrest(command, stanza, "stanza-create"), "creating the stanza")
    run_with_progress(_pgbackrest(command, stanza, "check"), "checking WAL archiving")
    console.print(f"[green]✓[/] stanza {stanza}: repository ready, WAL archiving works")


@backup_app.command("run")
def run(
    kind: Annotated[
        str, typer.Option("--type", help="full, diff or incr (pgBackRest's backup types)")
    ] = "full",
    stanza: Stanza = "cnnt",
    command: Command = "pgbackrest",
) -> None:
    """Take a base backup now; pgBackRest then expires what the retention no longer keeps."""
    if kind not in {"full", "diff", "incr"}:
        raise typer.BadParameter("--type is full, diff or incr")
    run_with_progress(_pgbackrest(command, stanza, f"--type={kind}", "backup"), f"{kind} backup")
    latest = backups(command, stanza)[-1]
    console.print(
        f"[green]✓[/] {latest['label']}: {latest['info']['size']:,} bytes of database, "
        f"{latest['info']['repository']['delta']:,} stored"
    )


@backup_app.command("list")
def list_backups(stanza: Stanza = "cnnt", command: Command = "pgbackrest") -> None:
    """The backups the repository holds and the times a restore can reach."""
    found = backups(command, stanza)
    table = Table(title=f"Backups of {stanza}")
    for column in ("label", "type", "started (UTC)", "finished (UTC)", "size", "stored"):
        table.add_column(column)
    for b in found:
        table.add_row(
            b["label"],
            b["type"],
            f"{datetime.utcfromtimestamp(b['timestamp']['start']):%Y-%m-%d %H:%M:%S}",
            f"{datetime.utcfromtimestamp(b['timestamp']['stop']):%Y-%m-%d %H:%M:%S}",
            f"{b['info']['size']:,}",
            f"{b['info']['repository']['delta']:,}",
        )
    Console().print(table)


@backup_app.command("verify")
def verify(stanza: Stanza = "cnnt", command: Command = "pgbackrest") -> None:
    """Read back every backup and WAL file of the repository and check their checksums."""
    run_with_progress(_pgbackrest(command, stanza, "verify"), "verifying the repository")
    console.print("[green]✓[/] every backup and WAL file in the repository reads back intact")


def running_services(settings: Settings) -> list[str]:
    """The services that answer on their ports, or hold connections to the database."""
    found: list[str] = []
    for name in SERVICE_NAMES:
        try:
            httpx.get(f"{settings.base_url(name)}/livez", timeout=1.0)
        except httpx.HTTPError:
            continue
        found.append(f"{name} answers at {settings.base_url(name)}")

    async def connected() -> list[str]:
        try:
            db = await asyncpg.connect(settings.admin_dsn("postgres"), timeout=3)
        except (OSError, asyncpg.PostgresError):
            return []  # the server is stopped, as a restore needs it
        try:
            rows = await db.fetch(
                "SELECT usename, count(*) FROM pg_stat_activity WHERE datname = $1 "
                "AND usename LIKE $2 GROUP BY 1",
                settings.db_name,
                f"{settings.db_role_prefix}%",
            )
            return [f"{r[0]} holds {r[1]} connection(s)" for r in rows]
        finally:
            await db.close()

    return found + asyncio.run(connected())


def _wait_promoted(settings: Settings, timeout: float) -> None:
    async def promoted() -> bool:
        try:
            db = await asyncpg.connect(settings.admin_dsn("postgres"), timeout=3)
        except (OSError, asyncpg.PostgresError):
            return False
        try:
            return not await db.fetchval("SELECT pg_is_in_recovery()")
        finally:
            await db.close()

    deadline = time.monotonic() + timeout
    with console.status("PostgreSQL replays the archived WAL up to the target time…"):
        while not asyncio.run(promoted()):
            if time.monotonic() > deadline:
                console.print(f"[red]✗[/] PostgreSQL did not finish recovery within {timeout} s")
                raise typer.Exit(1)
            time.sleep(1)


@backup_app.command("restore")
def restore(
    target_time: Annotated[
        str,
        typer.Option(
            help="Restore to this moment (e.g. '2026-12-08 01:11:41+00'); every transaction "
            "committed before it is back, none after"
        ),
    ],
    over_running_stack: Annotated[
        bool,
        typer.Option(
            "--over-running-stack",
            help="Restore even though services answer or hold connections (they will see "
            "their data go back in time)",
        ),
    ] = False,
    pg_start: Annotated[
        str | None,
        typer.Option(
            envvar="CNNT_BACKUP_PG_START",
            help="Command that starts PostgreSQL after the restore; then the recovery is "
            "awaited and `cnnt db prepare` and `cnnt backup reconcile` run",
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm")] = False,
    stanza: Stanza = "cnnt",
    command: Command = "pgbackrest",
    report: Annotated[Path | None, typer.Option(help="Write the reconciliation as JSON")] = None,
) -> None:
    """Point-in-time restore of the cluster (stopped) from the repository."""
    settings = get_settings()
    running = running_services(settings)
    if running and not over_running_stack:
        console.print(
            "[red]✗[/] refusing to restore over a running stack:\n  "
            + "\n  ".join(running)
            + "\nstop the services (and PostgreSQL) first, or pass --over-running-stack"
        )
        raise typer.Exit(2)
    if not yes:
        typer.confirm(
            f"Restore {stanza} to {target_time}? The cluster's data is replaced", abort=True
        )
    run_with_progress(
        _pgbackrest(
            command,
            stanza,
            "--delta",
            "--type=time",
            f"--target={target_time}",
            "--target-action=promote",
            "restore",
        ),
        f"restoring to {target_time}",
    )
    console.print(f"[green]✓[/] data files restored; WAL up to {target_time} replays at start")
    if pg_start is None:
        console.print(
            "next: start PostgreSQL, then `cnnt db prepare` and `cnnt backup reconcile --yes`, "
            "then the services"
        )
        return
    subprocess.run(pg_start, shell=True, check=True)  # noqa: S602 - the operator's own command
    _wait_promoted(settings, 900)
    console.print("[green]✓[/] PostgreSQL recovered to the target time and accepts writes")
    launcher.prepare(
        settings,
        launcher.chosen(None),
        lambda name: console.print(f"  [green]✓[/] {name}: owner and migrations in order"),
    )
    _reconcile(settings, apply=True, report=report, target=target_time)


def _reconcile(
    settings: Settings, *, apply: bool, report: Path | None, target: str | None = None
) -> Reconciliation:
    found = asyncio.run(reconcile(settings, apply=apply))
    table = Table(title="Event logs after the restore" + ("" if apply else " (dry run)"))
    for column in ("producer", "highest outbox seq", "last event", "sent again"):
        table.add_column(column)
    for p in found.producers:
        table.add_row(
            p.schema,
            str(p.highest_seq or 0),
            f"{p.last_event_at:%Y-%m-%d %H:%M:%S}" if p.last_event_at else "",
            ", ".join(f"{k} {v}" for k, v in sorted(p.resent.items())) or "0",
        )
    Console().print(table)
    console.print(
        f"queued events the producers still hold: {sum(found.queued_known.values())} "
        f"(dropped; sent again where a consumer had not applied them)\n"
        f"orphans — events published after the restore point, which no producer holds any "
        f"more: {len(found.orphans)}" + (" (removed from the queues)" if apply else "")
    )
    if report is not None:
        report.write_text(json.dumps(found.as_json(), indent=2, ensure_ascii=False) + "\n")
        console.print(f"report: {report}")
    if apply:
        asyncio.run(
            records.audit(
                settings,
                actor=records.default_actor(),
                action="restore-reconcile",
                target=settings.db_name,
                filters={"target_time": target} if target else {},
                count=found.resent + len(found.orphans),
                detail=json.dumps(
                    {"resent": found.resent, "orphans": len(found.orphans)}, ensure_ascii=False
                ),
            )
        )
    return found


@backup_app.command("reconcile")
def reconcile_cmd(
    yes: Annotated[bool, typer.Option("--yes", help="Apply (without: a dry run)")] = False,
    report: Annotated[Path | None, typer.Option(help="Write the reconciliation as JSON")] = None,
    over_running_stack: Annotated[
        bool, typer.Option("--over-running-stack", help="Even though services are running")
    ] = False,
) -> None:
    """After a restore, before the services start: drop the queued events the restore made
    orphans, and mark for sending again what a consumer had not applied at the restore point."""
    settings = get_settings()
    running = running_services(settings)
    if yes and running and not over_running_stack:
        console.print(
            "[red]✗[/] refusing to reconcile while services run:\n  " + "\n  ".join(running)
        )
        raise typer.Exit(2)
    _reconcile(settings, apply=yes, report=report)
