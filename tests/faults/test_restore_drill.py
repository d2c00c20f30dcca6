"""The restore drill (deploy/RUNBOOK.md, "Point-in-time recovery"): pgBackRest archives a
throw-away PostgreSQL cluster's WAL to an S3 store (SeaweedFS, TLS, the repository encrypted);
a round is judged and decided, a base backup taken, a second round judged and decided, the time
T noted, and then every decision deleted by mistake. ``cnnt backup restore`` takes the cluster
back to T, `cnnt db prepare` and ``cnnt backup reconcile`` run, and the services start again:

- the figures at T are back: each round's results with their certificate numbers (gap-free from
  1 in each series), the tallies, the programme report;
- nothing published twice that matters, counted where it would matter — in the consumers: for
  every consumer queue and event type bound to it, the consuming service's inbox holds exactly
  the events the producers' outboxes hold (one row per event id: the inbox's key), and each
  tally counts exactly its round's sheets;
- the outbox relays resume: every outbox row is published again, and a facility recorded after
  the restore reaches support;
- the base backup older than the retention (one full backup kept) is gone after the next one,
  and the repository verifies.

The cluster, the object store and their files are this test's own (temporary folder, free
ports); the machine's PostgreSQL only ever sees nothing. The rounds are the demo's (years 2017,
2019), in this test's own cluster, as the other e2e cycles drive them in their own databases.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.progress import Progress

from cnnt_runtime.auth import Role
from cnnt_runtime.messaging.topology import CONSUMER_QUEUES
from cnnt_runtime.settings import Settings
from cnnt_tools.cli import report, scenario
from cnnt_tools.cli.backup import backups
from cnnt_tools.cli.demo import Programme
from tests.support.backups import STANZA, Cluster, object_store, throwaway_cluster
from tests.support.processes import serving
from tests.support.stack import bearer, eventually, private_stack

# Several minutes on a loaded machine: with the node-loss tests in `make faults` (.ci/run runs it).
pytestmark = [pytest.mark.faults, pytest.mark.timeout(1500)]
SERVICES = ("registration", "evaluation", "certification", "support")


def _plan() -> tuple[scenario.Plan, scenario.RoundPlan, scenario.RoundPlan]:
    """The demo's two small Gia Lai rounds (five entries each), no support scheme."""
    plan = scenario.build()
    first, second = (r for r in plan.rounds if r.scope == "gia-lai")
    return dataclasses.replace(plan, rounds=[first, second], schemes=[]), first, second


def cnnt(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cnnt_tools.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "COLUMNS": "200"},
    )
    if check:
        assert done.returncode == 0, f"cnnt {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


async def _get(settings: Settings, service: str, path: str) -> Any:
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.get(
            f"{settings.base_url(service)}/api/v1{path}", headers=bearer(settings, Role.MINISTRY)
        )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _figures(settings: Settings, rounds: dict[str, str]) -> dict[str, Any]:
    """What T must bring back: each round's results and tally, and the programme report."""
    figures: dict[str, Any] = {}
    for name, round_id in rounds.items():
        figures[name] = {
            "results": await _get(settings, "certification", f"/rounds/{round_id}/results"),
            "tally": await _get(settings, "certification", f"/rounds/{round_id}/tally"),
            "decisions": await _get(settings, "certification", f"/rounds/{round_id}/decisions"),
        }
    gathered = await asyncio.to_thread(report.gather, settings, "gia-lai", 2017, 2019)
    figures["report"] = gathered.levels
    return figures


async def _round_ids(settings: Settings) -> dict[str, str]:
    listed = await _get(settings, "registration", "/rounds?scope_code=gia-lai")
    items = listed["items"] if isinstance(listed, dict) else listed
    return {r["name"]: r["id"] for r in items}


def _admin(cluster: Cluster, settings: Settings, sql: str) -> str:
    return cluster.sql(sql, settings.db_name)


PRODUCERS = SERVICES


def _unpublished(cluster: Cluster, settings: Settings) -> int:
    union = " UNION ALL ".join(
        f"SELECT count(*) AS n FROM {p}.outbox WHERE published_at IS NULL" for p in PRODUCERS
    )
    return int(_admin(cluster, settings, f"SELECT sum(n) FROM ({union}) x"))


def _applied_once_each(cluster: Cluster, settings: Settings) -> dict[str, tuple[int, int]]:
    """Per consumer queue: (events of its bound types in the producers' outboxes, of them in
    the consumer's inbox); and nothing in the inbox that no outbox holds."""
    counts: dict[str, tuple[int, int]] = {}
    for queue in CONSUMER_QUEUES.values():
        types = ", ".join(f"'{e.model_fields['event_type'].default}'" for e in queue.events)
        outboxes = " UNION ALL ".join(
            f"SELECT event_id FROM {p}.outbox WHERE event_type IN ({types})" for p in PRODUCERS
        )
        inbox = f"SELECT event_id FROM {queue.service}.inbox WHERE event_type IN ({types})"
        sent = int(_admin(cluster, settings, f"SELECT count(*) FROM ({outboxes}) o"))
        applied = int(
            _admin(
                cluster,
                settings,
                f"SELECT count(*) FROM ({outboxes}) o WHERE o.event_id IN ({inbox})",
            )
        )
        strangers = int(
            _admin(
                cluster,
                settings,
                f"SELECT count(*) FROM ({inbox}) i WHERE i.event_id NOT IN ({outboxes})",
            )
        )
        assert strangers == 0, f"{queue.name} applied {strangers} event(s) no producer holds"
        counts[queue.name] = (sent, applied)
    return counts


def _gap_free(figures: dict[str, Any], names: list[str]) -> None:
    for name in names:
        numbers = sorted(
            line["certificate_number"]
            for line in figures[name]["results"]
            if line["certificate_number"]
        )
        assert numbers, f"{name} issued no certificate"
        assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, len(numbers) + 1))


def test_a_restore_to_the_moment_before_a_mistaken_delete_brings_every_figure_back(
    faults_report: list[dict[str, Any]],
) -> None:
    assert shutil.which("pgbackrest"), "pgBackRest is needed (Debian package; .ci/run installs it)"
    folder = Path(tempfile.mkdtemp(prefix="cnnt-drill-"))
    folder.chmod(0o755)  # the cluster's owner (postgres, when the tests run as root) enters it
    (folder / "s3").mkdir()
    (folder / "pg").mkdir()
    try:
        with (
            object_store(folder / "s3") as store,
            throwaway_cluster(folder / "pg", store) as cluster,
            private_stack(db_port=cluster.port),
        ):
            os.environ["CNNT_BACKUP_COMMAND"] = cluster.pgbackrest
            os.environ["CNNT_BACKUP_STANZA"] = STANZA
            try:
                figures = asyncio.run(_drill(cluster, folder))
            finally:
                os.environ.pop("CNNT_BACKUP_COMMAND", None)
                os.environ.pop("CNNT_BACKUP_STANZA", None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    faults_report.append(figures)
    out = Path("out/faults")
    out.mkdir(parents=True, exist_ok=True)
    (out / "restore-drill.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))


async def _drill(cluster: Cluster, folder: Path) -> dict[str, Any]:
    """The drill; returns what it measured (durations are figures, never asserted)."""
    cnnt("backup", "init")
    plan, first, second = _plan()
    async with serving(*SERVICES) as settings:
        programme = Programme(settings, plan, Progress(disable=True))
        programme.sheets = programme.progress.add_task("sheets", total=None)
        try:
            await programme.catalogue()
            await programme.round(first)
            started = time.monotonic()
            cnnt("backup", "run", "--type", "full")
            backup_seconds = time.monotonic() - started
            await programme.round(second)
        finally:
            await programme.http.aclose()
        rounds = await _round_ids(settings)
        names = [first.name, second.name]
        at_t = await _figures(settings, rounds)
        target = cluster.sql("SELECT clock_timestamp()")
        # The mistake, after T.
        _admin(cluster, settings, "DELETE FROM certification.decisions")
        assert (
            await _get(settings, "certification", f"/rounds/{rounds[first.name]}/decisions") == []
        )
        refused = cnnt("backup", "restore", "--target-time", target, "--yes", check=False)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "refusing to restore over a running stack" in refused.stderr
    first_backup = backups(cluster.pgbackrest, STANZA)[0]["label"]
    cluster.archive_current_wal()
    cluster.stop()

    reconciliation = folder / "reconcile.json"
    started = time.monotonic()
    restored = cnnt(
        "backup",
        "restore",
        "--target-time",
        target,
        "--pg-start",
        cluster.start_command,
        "--yes",
        "--report",
        str(reconciliation),
    )
    assert "recovered to the target time" in restored.stderr, restored.stderr
    restore_seconds = time.monotonic() - started
    reconciled = json.loads(reconciliation.read_text())

    async with serving(*SERVICES) as settings:

        async def relays_caught_up() -> bool:
            return _unpublished(cluster, settings) == 0

        await eventually(relays_caught_up, timeout=120)
        caught_up_seconds = time.monotonic() - started

        async def all_applied() -> dict[str, tuple[int, int]] | None:
            counts = _applied_once_each(cluster, settings)
            return counts if all(sent == applied for sent, applied in counts.values()) else None

        counts = await eventually(all_applied, timeout=120)
        assert counts["certification.scores"][0] >= 2 * 5 * plan.jury_size
        after = await _figures(settings, rounds)
        assert after == at_t
        _gap_free(after, names)
        for name in names:
            tally = after[name]["tally"]
            assert tally["complete"], tally

        # A write after the restore travels: registration → outbox → relay → support.
        async with httpx.AsyncClient(base_url=settings.base_url("registration")) as client:
            answer = await client.post(
                "/api/v1/facilities",
                json={
                    "name": "HTX Cà phê Chư Prông sau khôi phục",
                    "kind": "cooperative",
                    "business_code": "5900123488",
                    "province_code": "gia-lai",
                    "address": "Chư Prông, Gia Lai",
                },
                headers=bearer(settings, Role.PROVINCE_OFFICER, "gia-lai"),
            )
        assert answer.status_code == 201, answer.text
        facility = answer.json()["id"]

        async def support_knows() -> bool:
            async with httpx.AsyncClient(base_url=settings.base_url("support")) as client:
                found = await client.get(
                    f"/api/v1/facilities/{facility}", headers=bearer(settings, Role.MINISTRY)
                )
            return found.status_code == 200

        await eventually(support_knows, timeout=60)

    # Retention keeps one full backup: the next one expires the first (taken before T).
    cnnt("backup", "run", "--type", "full")
    labels = [b["label"] for b in backups(cluster.pgbackrest, STANZA)]
    assert first_backup not in labels
    assert len(labels) == 1
    cnnt("backup", "verify")
    return {
        "drill": "point-in-time restore",
        "database_bytes": int(cluster.sql("SELECT sum(pg_database_size(oid)) FROM pg_database")),
        "schema_bytes": int(
            cluster.sql(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                f"ON n.oid = c.relnamespace WHERE n.nspname IN {SERVICES!r} AND c.relkind = 'r'",
                settings.db_name,
            )
        ),
        "score_sheets": counts["certification.scores"][0],
        "base_backup_seconds": round(backup_seconds, 1),
        "restore_to_caught_up_seconds": round(caught_up_seconds, 1),
        "restore_and_reconcile_seconds": round(restore_seconds, 1),
        "resent_after_restore": sum(sum(p["resent"].values()) for p in reconciled["producers"]),
        "orphans_removed": len(reconciled["orphans"]),
        "events_applied_once": {k: v[1] for k, v in counts.items()},
    }
