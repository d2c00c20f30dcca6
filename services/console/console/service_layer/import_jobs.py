"""Dossier lists read off the request path: a bounded pool of worker processes parses each
uploaded file, and the page polls the job (a refresh every few seconds, no script needed).

The request that uploads a file only checks what costs nothing (the bytes' kind, a workbook's
central directory: cnnt_runtime.uploads) and answers at once with the job's page; the parsing
— openpyxl streaming the sheet, bounded in rows and cells — happens in another process, so
neither a large file nor a bomb can hold the console's event loop, and every other request is
answered meanwhile. Then the registration service's dry run is asked, as before.

Jobs live in this console process's memory for an hour (a console running as several
instances needs its proxy to keep a person on one instance, as for any upload-then-poll page).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import secrets
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

import structlog

from cnnt_runtime.uploads import UploadRefused
from console.adapters import dossier_files
from console.adapters.dossier_files import TableLimits
from console.web.services import ServiceRefused, Services

log = structlog.get_logger("cnnt.console.imports")
KEEP_SECONDS = 3600
MAX_JOBS = 500

State = Literal["running", "done", "refused"]


@dataclass
class ImportJob:
    id: str
    account_id: UUID
    round_id: UUID
    filename: str
    started: float = field(default_factory=time.monotonic)
    state: State = "running"
    report: dict[str, Any] | None = None
    csv: bytes = b""
    error: str = ""  # a message code (console.web.errors)
    limits: dict[str, int] = field(default_factory=dict)  # the numbers the message names
    worker_pid: int | None = None
    task: asyncio.Task[None] | None = None


class ImportJobs:
    """The console's import jobs and the worker processes that parse their files."""

    def __init__(self, workers: int, limits: TableLimits | None = None) -> None:
        self.workers = workers
        self.limits = limits or TableLimits()
        self.jobs: dict[str, ImportJob] = {}
        self._pool: Executor | None = None

    def start(self) -> None:
        """Start the workers (spawned: a fresh interpreter, nothing of the server's threads or
        connections inherited) and warm one, so the first upload does not wait for it."""
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        self._pool.submit(dossier_files.warm)

    def stop(self) -> None:
        for job in self.jobs.values():
            if job.task is not None:
                job.task.cancel()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def submit(
        self, services: Services, round_id: UUID, filename: str, content: bytes
    ) -> ImportJob:
        """A job for ``content`` (already checked by ``dossier_files.kind_of``), running."""
        self._forget_old()
        job = ImportJob(secrets.token_urlsafe(16), services.account.id, round_id, filename)
        job.task = asyncio.create_task(self._run(job, services, content))
        self.jobs[job.id] = job
        return job

    def find(self, job_id: str, account_id: UUID, round_id: UUID) -> ImportJob | None:
        """The job, if it is this person's, for this round."""
        job = self.jobs.get(job_id)
        if job is None or job.account_id != account_id or job.round_id != round_id:
            return None
        return job

    async def wait(self, job: ImportJob, seconds: float) -> None:
        """Wait for ``job`` at most ``seconds`` (a page that would rather show the result than
        a refresh); the job itself is never cancelled by it."""
        if job.task is not None and not job.task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(job.task), timeout=seconds)

    async def _run(self, job: ImportJob, services: Services, content: bytes) -> None:
        if self._pool is None:
            self.start()
        assert self._pool is not None
        loop = asyncio.get_running_loop()
        try:
            parsed = await loop.run_in_executor(
                self._pool, dossier_files.parse_in_worker, job.filename, content, self.limits
            )
            job.worker_pid = parsed.worker_pid
            if parsed.refusal:
                raise UploadRefused(parsed.refusal, "", **parsed.limits)
            job.csv = parsed.csv
            job.report = await services.json(
                "POST",
                "registration",
                f"/api/v1/rounds/{job.round_id}/imports",
                params={"dry_run": "true"},
                files={"file": ("danh-sach.csv", job.csv, "text/csv")},
            )
            job.state = "done"
        except UploadRefused as refused:
            job.state, job.error, job.limits = "refused", refused.code, refused.limits
            log.info("import_refused", job=job.id, code=refused.code, detail=str(refused))
        except ServiceRefused as refused:
            job.state, job.error = "refused", refused.code
        except Exception as exc:  # noqa: BLE001 - a dead worker, a failing service: said, not hidden
            job.state, job.error = "refused", "service_unavailable"
            log.warning("import_failed", job=job.id, error=f"{type(exc).__name__}: {exc}")

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id, job in list(self.jobs.items()):
            if job.state != "running" and now - job.started > KEEP_SECONDS:
                del self.jobs[job_id]
        while len(self.jobs) >= MAX_JOBS:
            oldest = min(self.jobs.values(), key=lambda j: j.started)
            if oldest.task is not None:
                oldest.task.cancel()
            del self.jobs[oldest.id]
