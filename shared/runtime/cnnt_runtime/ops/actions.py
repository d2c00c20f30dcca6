"""Replay and archive of dead letters with their audit row: the one implementation behind the
support staff's commands (``cnnt dlq replay|archive``) and the services' operator endpoints
(``/ops/dead-letters/…``), so both write the same audit log.

The audit row is written before the first message moves (``started``) and completed after:
a run the broker or the database interrupts is recorded as ``failed`` with what it moved before
the fault (each of those messages left the dead-letter queue only after its replacement was
safe); a run killed outright stays ``started``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from cnnt_runtime.ops import dead_letters as dl
from cnnt_runtime.ops import records
from cnnt_runtime.settings import Settings

REPLAY = "dlq_replay"
ARCHIVE = "dlq_archive"
PURGE = "dlq_purge"


def _nothing(_: dl.DeadLetter) -> None:
    return None


async def replay(
    settings: Settings,
    queue: str,
    selection: dl.Selection,
    actor: str,
    *,
    progress: Callable[[dl.DeadLetter], None] = _nothing,
    rate: float | None = None,
    limit: int | None = None,
) -> int:
    """Send the selected dead letters of ``queue`` (a ``.dlq``) back to the queue that failed
    them, at most ``limit``; audited as ``dlq_replay``."""
    return await _audited(
        settings,
        REPLAY,
        queue,
        selection,
        actor,
        lambda counted: dl.drain(
            settings.amqp_url, queue, selection, dl.republish, counted, rate, limit
        ),
        progress,
    )


async def archive(
    settings: Settings,
    queue: str,
    selection: dl.Selection,
    actor: str,
    *,
    progress: Callable[[dl.DeadLetter], None] = _nothing,
    limit: int | None = None,
) -> int:
    """Move the selected dead letters of ``queue`` into ``operations.archived_messages`` (with
    who and when), at most ``limit``; audited as ``dlq_archive``."""
    db = records.engine(settings)

    async def keep(_: AbstractChannel, __: AbstractIncomingMessage, letter: dl.DeadLetter) -> None:
        await records.archive(db, queue, letter, actor)

    try:
        return await _audited(
            settings,
            ARCHIVE,
            queue,
            selection,
            actor,
            lambda counted: dl.drain(
                settings.amqp_url, queue, selection, keep, counted, None, limit
            ),
            progress,
        )
    finally:
        await db.dispose()


async def _audited(
    settings: Settings,
    action: str,
    queue: str,
    selection: dl.Selection,
    actor: str,
    run: Callable[[Callable[[dl.DeadLetter], None]], Awaitable[int]],
    progress: Callable[[dl.DeadLetter], None],
) -> int:
    done = 0

    def counted(letter: dl.DeadLetter) -> None:
        nonlocal done
        done += 1
        progress(letter)

    # The row exists before the first message moves: a run killed meanwhile stays "started".
    row_id = await records.start(
        settings, actor=actor, action=action, target=queue, filters=selection.as_dict()
    )
    try:
        await run(counted)
    except BaseException as exc:
        await records.record_replay(
            settings,
            row_id,
            count=done,
            position=0,
            outcome="failed",
            detail=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    await records.record_replay(settings, row_id, count=done, position=0, outcome="completed")
    return done
