"""A judge's worklist scored in one request (chấm cả danh sách hồ sơ một lần): its limits and
how each sheet in it keeps its own idempotency.

Pure: standard library and the shared errors only. Each sheet is accepted or refused on its own
with the single-sheet codes; only what concerns the request as a whole refuses all of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from cnnt_runtime.errors import DomainError

# A provincial round rarely has more than a hundred dossiers; the limit keeps one request's
# transaction (and the sheets it locks) short for everyone else scoring at the same time.
MAX_SHEETS_PER_REQUEST = 200
# A request id and an entry id make each sheet's own request id: 160 + 1 + 36 fit the 200 the
# single-sheet request id allows.
MAX_REQUEST_ID = 160


def check_batch_size(count: int) -> None:
    if count > MAX_SHEETS_PER_REQUEST:
        raise DomainError(
            "too_many_sheets",
            f"mỗi lần gửi tối đa {MAX_SHEETS_PER_REQUEST} phiếu chấm điểm; lần này có {count}",
            field="sheets",
        )


def sheet_request_id(own: str | None, request_id: str | None, entry_id: UUID) -> str | None:
    """The sheet's own request id if it has one, else one derived from the request's: retrying
    the same request (in any order) finds each sheet it stored, and nothing twice."""
    if own is not None:
        return own
    return None if request_id is None else f"{request_id}:{entry_id}"


def entry_repeated() -> DomainError:
    return DomainError(
        "entry_repeated_in_request",
        "yêu cầu đã có một phiếu cho hồ sơ này; mỗi thành viên có một phiếu cho mỗi hồ sơ",
        field="entry_id",
    )


def repeated(entry_ids: Iterable[UUID]) -> set[int]:
    """Positions of sheets whose entry an earlier sheet of the same request already scores."""
    seen: set[UUID] = set()
    again: set[int] = set()
    for index, entry_id in enumerate(entry_ids):
        if entry_id in seen:
            again.add(index)
        seen.add(entry_id)
    return again
