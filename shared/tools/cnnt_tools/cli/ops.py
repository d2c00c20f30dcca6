"""``cnnt dlq …`` and ``cnnt replay …``: the support staff's commands."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cnnt_runtime.ops import actions, records
from cnnt_runtime.ops import dead_letters as dl
from cnnt_runtime.settings import SERVICE_NAMES, Settings, get_settings
from cnnt_runtime.tokens import Role, issue_token

dlq_app = typer.Typer(
    help="Dead-letter queues: inspect, replay, archive, purge", no_args_is_help=True
)
replay_app = typer.Typer(help="History replay from a producer's event log", no_args_is_help=True)
console = Console()

QueueArg = Annotated[
    str, typer.Argument(help="Consumer queue or its .dlq, e.g. evaluation.registrations")
]
EventType = Annotated[str | None, typer.Option(help="Only this event type")]
Since = Annotated[datetime | None, typer.Option(help="Failed at or after (ISO date/time, UTC)")]
Until = Annotated[datetime | None, typer.Option(help="Failed before")]
Reason = Annotated[str | None, typer.Option(help="Reason contains this text")]
MessageId = Annotated[str | None, typer.Option("--id", help="Only the message with this event id")]
Actor = Annotated[
    str | None,
    typer.Option(help="Who is acting, for the audit log (default: CNNT_OPERATOR or user@host)"),
]


def _selection(
    event_type: str | None,
    since: datetime | None,
    until: datetime | None,
    reason: str | None,
    message_id: str | None,
) -> dl.Selection:
    return dl.Selection(message_id, event_type, _utc(since), _utc(until), reason)


def _utc(value: datetime | None) -> datetime | None:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _chosen(
    queue: str,
    event_type: str | None,
    since: datetime | None,
    until: datetime | None,
    reason: str | None,
    message_id: str | None,
    all_: bool,
) -> tuple[str, dl.Selection]:
    """The dead-letter queue and the selection a command that removes messages acts on."""
    selection = _selection(event_type, since, until, reason, message_id)
    if not (all_ or selection.as_dict()):
        raise typer.BadParameter(
            "give a filter (--id, --event-type, --since, --until, --reason) or --all"
        )
    return _queue(queue), selection


def _queue(queue: str) -> str:
    try:
        return dl.resolve(queue)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _letters_table(title: str, letters: list[dl.DeadLetter]) -> Table:
    table = Table(title=title)
    for column in (
        "event id",
        "event type",
        "routing key",
        "original queue",
        "reason",
        "attempts",
        "first failure",
        "last failure",
    ):
        table.add_column(column, overflow="fold")
    for x in letters:
        table.add_row(
            x.message_id,
            x.event_type,
            x.routing_key,
            x.original_queue,
            x.reason[:120],
            str(x.attempts),
            f"{x.first_failed_at:%Y-%m-%d %H:%M:%S}" if x.first_failed_at else "",
            f"{x.last_failed_at:%Y-%m-%d %H:%M:%S}" if x.last_failed_at else "",
        )
    return table


@dlq_app.command("list")
def list_queues() -> None:
    """Every dead-letter queue with its depth (and the depth of the queue it serves)."""
    rows = asyncio.run(dl.depths(get_settings().amqp_url))
    table = Table(title="Dead-letter queues")
    table.add_column("dead-letter queue")
    table.add_column("messages", justify="right")
    table.add_column("consumer queue backlog", justify="right")
    for name, depth, backlog in rows:
        table.add_row(name, f"[red]{depth}[/]" if depth else "0", str(backlog))
    console.print(table)


@dlq_app.command("show")
def show(
    queue: QueueArg,
    event_type: EventType = None,
    since: Since = None,
    until: Until = None,
    reason: Reason = None,
    message_id: MessageId = None,
    limit: Annotated[int, typer.Option(help="At most this many")] = 50,
    body: Annotated[bool, typer.Option(help="Print each message's body")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
) -> None:
    """List dead-lettered messages (nothing is removed)."""
    name = _queue(queue)
    letters = asyncio.run(
        dl.browse(
            get_settings().amqp_url,
            name,
            _selection(event_type, since, until, reason, message_id),
            limit,
        )
    )
    if as_json:
        for x in letters:
            record = {**asdict(x), "body": x.payload()}
            typer.echo(json.dumps(record, ensure_ascii=False, default=str))
        return
    console.print(_letters_table(f"{name}: {len(letters)} shown", letters))
    if body or message_id:
        for x in letters:
            console.rule(x.message_id)
            console.print_json(json.dumps(x.payload(), ensure_ascii=False, default=str))


def _with_progress(
    verb: str,
    name: str,
    total: int,
    run: Callable[[Callable[[dl.DeadLetter], None]], Coroutine[Any, Any, int]],
) -> int:
    """Run a replay or archive with a progress bar; ``total`` is what the preview counted."""
    with Progress(
        TextColumn(f"{verb} {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(name, total=total)
        return asyncio.run(run(lambda _: progress.advance(task)))


@dlq_app.command("replay")
def replay(
    queue: QueueArg,
    event_type: EventType = None,
    since: Since = None,
    until: Until = None,
    reason: Reason = None,
    message_id: MessageId = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Replay every dead letter of the queue")
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Only show what would be replayed")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    rate: Annotated[
        float | None, typer.Option(help="At most this many messages per second")
    ] = None,
    actor: Actor = None,
) -> None:
    """Send dead letters back to the queue that failed them (only that queue)."""
    actor = actor or records.default_actor()
    name, selection = _chosen(queue, event_type, since, until, reason, message_id, all_)
    settings = get_settings()
    preview = asyncio.run(dl.browse(settings.amqp_url, name, selection, 1_000_000))
    console.print(_letters_table(f"would replay {len(preview)} from {name}", preview[:50]))
    if dry_run or not preview:
        return
    if not yes:
        typer.confirm(
            f"Replay {len(preview)} message(s) to {name.removesuffix('.dlq')}?", abort=True
        )
    done = _with_progress(
        "replaying",
        name,
        len(preview),
        lambda step: actions.replay(settings, name, selection, actor, progress=step, rate=rate),
    )
    console.print(f"[green]✓[/] replayed {done} message(s) to {name.removesuffix('.dlq')}")


@dlq_app.command("archive")
def archive(
    queue: QueueArg,
    event_type: EventType = None,
    since: Since = None,
    until: Until = None,
    reason: Reason = None,
    message_id: MessageId = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Archive every dead letter of the queue")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    actor: Actor = None,
) -> None:
    """Move dead letters into the database (kept with who and when), off the queue."""
    who = actor or records.default_actor()
    name, selection = _chosen(queue, event_type, since, until, reason, message_id, all_)
    settings = get_settings()
    count = len(asyncio.run(dl.browse(settings.amqp_url, name, selection, 1_000_000)))
    if not count:
        console.print("nothing matches")
        return
    if not yes:
        typer.confirm(f"Archive {count} message(s) from {name}?", abort=True)
    done = _with_progress(
        "archiving",
        name,
        count,
        lambda step: actions.archive(settings, name, selection, who, progress=step),
    )
    console.print(f"[green]✓[/] archived {done} message(s)")


@dlq_app.command("purge")
def purge(
    queue: QueueArg,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    actor: Actor = None,
) -> None:
    """Delete every message of a dead-letter queue (prefer archive)."""
    actor = actor or records.default_actor()
    name = _queue(queue)
    if not yes:
        typer.confirm(f"Delete every message in {name}? This cannot be undone.", abort=True)
    settings = get_settings()
    count = asyncio.run(dl.purge(settings.amqp_url, name))
    asyncio.run(
        records.audit(
            settings, actor=actor, action=actions.PURGE, target=name, filters={}, count=count
        )
    )
    console.print(f"[green]✓[/] purged {count} message(s) from {name}")


@replay_app.command("history")
def history(
    producer: Annotated[
        str, typer.Option(help=f"Service whose event log to replay: {', '.join(SERVICE_NAMES)}")
    ],
    to: Annotated[str, typer.Option("--to", help="The ONE queue to deliver to")],
    event_type: EventType = None,
    since: Annotated[datetime | None, typer.Option(help="Events that occurred at or after")] = None,
    until: Annotated[datetime | None, typer.Option(help="Events that occurred before")] = None,
    province: Annotated[
        str | None, typer.Option(help="Province code (as recorded or its successor)")
    ] = None,
    level: Annotated[str | None, typer.Option(help="provincial, regional or national")] = None,
    round_id: Annotated[str | None, typer.Option("--round", help="Round id")] = None,
    dry_run: Annotated[bool, typer.Option(help="Only count what would be replayed")] = False,
    from_start: Annotated[
        bool, typer.Option(help="Send everything again, even after an interrupted run")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    actor: Actor = None,
) -> None:
    """Re-send a producer's past events, filtered, to one subscriber queue, with a preview.
    The audit log gets its row before the first event is sent and the confirmed position after
    each batch; a run that was interrupted is resumed after that position (``--from-start``
    sends everything again)."""
    actor = actor or records.default_actor()
    if producer not in SERVICE_NAMES:
        raise typer.BadParameter(f"unknown producer {producer!r}")
    settings = get_settings()
    filters = {
        k: v
        for k, v in {
            "event_type": event_type,
            "since": _utc(since),
            "until": _utc(until),
            "province": province,
            "level": level,
            "round_id": round_id,
        }.items()
        if v is not None
    }
    params = {
        k: str(v) if not isinstance(v, datetime) else v.isoformat() for k, v in filters.items()
    }
    token = issue_token(settings, subject=actor, role=Role.OPERATOR, scope="VN")
    with httpx.Client(
        base_url=settings.base_url(producer),
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    ) as api:
        summary = _ok(api.get("/ops/events", params=params))
        table = Table(title=f"{producer} event log matching the filter → {to}")
        table.add_column("event type")
        table.add_column("events", justify="right")
        for kind, n in summary["by_type"].items():
            table.add_row(kind, str(n))
        console.print(table)
        total = int(summary["matching"])
        if dry_run or total == 0:
            return
        if not yes:
            typer.confirm(f"Replay {total} event(s) to {to}?", abort=True)
        sent = _replay_batches(api, settings, actor, producer, to, params, resume=not from_start)
    console.print(f"[green]✓[/] replayed {sent} event(s) from {producer} to {to}")


def _replay_batches(
    api: httpx.Client,
    settings: Settings,
    actor: str,
    producer: str,
    to: str,
    params: dict[str, str],
    *,
    resume: bool,
) -> int:
    """Replay in batches of 500 under one audit row written before the first is sent; the
    service records on it what the broker confirmed after each."""
    row_id, after = asyncio.run(
        records.start_replay(
            settings,
            actor=actor,
            target=to,
            filters={"producer": producer, **params},
            resume=resume,
        )
    )
    if after:
        console.print(f"resuming an interrupted replay after event-log position {after}")
    sent = 0
    try:
        with Progress(
            TextColumn("replaying"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(to, total=None)
            while True:
                # The service refuses a queue whose consumer does not take these events and
                # records each batch's confirmed count and position on this run's audit row.
                result = _ok(
                    api.post(
                        "/ops/replay",
                        json={
                            **params,
                            "queue": to,
                            "after_seq": after,
                            "limit": 500,
                            "audit_id": row_id,
                        },
                    )
                )
                sent += int(result["published"])
                after = int(result["last_seq"])
                progress.update(task, completed=sent, total=sent + result["remaining"])
                if result["remaining"] == 0 or result["published"] == 0:
                    break
    except BaseException as exc:
        asyncio.run(
            records.record_replay(
                settings,
                row_id,
                count=sent,
                position=after,
                outcome="failed",
                detail=f"{type(exc).__name__}: {exc}"[:2000],
            )
        )
        raise
    asyncio.run(
        records.record_replay(settings, row_id, count=sent, position=after, outcome="completed")
    )
    return sent


def _ok(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 400:
        raise typer.BadParameter(f"{response.status_code}: {response.text}")
    body: dict[str, Any] = response.json()
    return body
