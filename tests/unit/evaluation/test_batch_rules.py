"""The batch submission's own rules, pure: its size limit, each sheet's request id and the
sheets that repeat an entry."""

from __future__ import annotations

import uuid

import pytest

from cnnt_runtime.errors import DomainError
from evaluation.domain.batch import (
    MAX_REQUEST_ID,
    MAX_SHEETS_PER_REQUEST,
    check_batch_size,
    repeated,
    sheet_request_id,
)


def test_a_request_over_the_sheet_limit_is_refused_and_one_at_the_limit_is_not() -> None:
    check_batch_size(MAX_SHEETS_PER_REQUEST)
    with pytest.raises(DomainError) as refused:
        check_batch_size(MAX_SHEETS_PER_REQUEST + 1)
    assert (refused.value.code, refused.value.field) == ("too_many_sheets", "sheets")


def test_a_sheets_request_id_is_its_own_else_the_requests_joined_to_its_entry() -> None:
    entry = uuid.uuid4()
    assert sheet_request_id("rieng", "chung", entry) == "rieng"
    derived = sheet_request_id(None, "k" * MAX_REQUEST_ID, entry)
    assert derived == f"{'k' * MAX_REQUEST_ID}:{entry}"
    assert derived is not None
    assert len(derived) <= 200  # the single sheet's request id limit
    assert sheet_request_id(None, None, entry) is None


def test_only_the_later_sheets_of_a_repeated_entry_are_marked() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert repeated([a, b, a, a]) == {2, 3}
    assert repeated([a, b]) == set()
