"""The one answer to a client request id reused for another request, whichever service and
wherever the key came from (draft-ietf-httpapi-idempotency-key-header: 422)."""

from __future__ import annotations

import pytest

from cnnt_runtime.db.idempotency import fingerprint, key_reused, replayed
from cnnt_runtime.errors import DomainError


@pytest.mark.parametrize("field", ["Idempotency-Key", "request_id"])
def test_a_reused_key_is_one_422_naming_where_the_key_came_from(field: str) -> None:
    error = key_reused(field)
    assert (error.status, error.code, error.field) == (422, "idempotency_key_reused", field)
    assert field in error.message


def test_a_retry_gets_the_first_answer_and_another_request_the_refusal() -> None:
    first = {"id": "x"}
    assert replayed(first, True, field="request_id") is first
    with pytest.raises(DomainError) as refused:
        replayed(first, False, field="request_id")
    assert refused.value.as_dict() == key_reused("request_id").as_dict()


def test_the_same_request_is_the_same_command_and_payload_in_any_key_order() -> None:
    assert fingerprint("grant", {"a": 1, "b": 2}) == fingerprint("grant", {"b": 2, "a": 1})
    assert fingerprint("grant", {"a": 1}) != fingerprint("revoke", {"a": 1})
    assert fingerprint("grant", {"a": 1}) != fingerprint("grant", {"a": 2})
