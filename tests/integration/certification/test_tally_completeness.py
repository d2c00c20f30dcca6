"""Certification says whether its tally is whole (what JudgingClosed announced against what it
holds) and refuses a decision with 409 ``tally_incomplete`` until it is."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from cnnt_contracts import JudgingClosed, JudgingClosedData
from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from tests.integration.certification.conftest import (
    PROVINCE,
    decide,
    handled,
    judged_round,
    preview,
    sheet_event,
)
from tests.support import identities
from tests.support.stack import bearer, eventually, publish

SCORES = [(36, 35, 9, 8), (30, 30, 7, 6), (34, 33, 8, 8)]


async def tally_when(
    client: httpx.AsyncClient, settings: Settings, round_id: uuid.UUID, **fields: Any
) -> dict[str, Any]:
    """Poll the preview's tally until it reads ``fields``."""

    async def reached() -> dict[str, Any] | None:
        seen = await preview(client, settings, round_id)
        if seen is None or any(seen["tally"][k] != v for k, v in fields.items()):
            return None
        return dict(seen["tally"])

    found: dict[str, Any] = await eventually(reached)
    return found


async def test_a_decision_on_an_incomplete_tally_is_refused_until_every_sheet_arrives(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES)
    held_back = judged.sheets[-2:]  # two sheets of the last entry still on their way
    await publish(stack, judged.opening, *judged.entries, *judged.sheets[:-2])
    await handled(stack, judged.opening, *judged.entries, *judged.sheets[:-2])
    before = await certification.get(
        f"/api/v1/rounds/{judged.id}/tally", headers=bearer(stack, Role.CERTIFIER, PROVINCE)
    )
    assert before.status_code == 200, before.text
    assert {k: before.json()[k] for k in ("complete", "judging_closed", "sheets_expected")} == {
        "complete": False,
        "judging_closed": False,
        "sheets_expected": None,
    }
    await publish(stack, judged.closing)
    await handled(stack, judged.closing)
    tally = await tally_when(certification, stack, judged.id, sheets_received=7)
    assert tally == {
        "complete": False,
        "judging_closed": True,
        "checked": True,
        "entries_expected": 3,
        "entries_received": 3,
        "sheets_expected": 9,
        "sheets_received": 7,
        "sheet_revisions_expected": 9,
        "sheet_revisions_received": 7,
        "sheets_set_aside_expected": 0,
        "sheets_set_aside_received": 0,
    }
    number = identities.decision()
    refused = await decide(certification, stack, judged.id, number)
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("tally_incomplete", "round_id")
    assert (error["details"]["sheets_expected"], error["details"]["sheets_received"]) == (9, 7)
    table = await certification.get(
        f"/api/v1/rounds/{judged.id}/results", headers=bearer(stack, Role.MINISTRY)
    )
    assert table.headers["CNNT-Tally-Complete"] == "false"
    decisions = await certification.get(
        f"/api/v1/rounds/{judged.id}/decisions", headers=bearer(stack, Role.MINISTRY)
    )
    assert decisions.json() == []  # nothing recorded by the refusal

    await publish(stack, *held_back)
    await tally_when(certification, stack, judged.id, complete=True)
    decided = await decide(certification, stack, judged.id, number)
    assert decided.status_code == 201, decided.text
    assert len(decided.json()["certificates"]) == 3  # every entry passes; no quota


async def test_an_entry_or_revision_still_on_its_way_keeps_the_tally_incomplete(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    judged = judged_round(SCORES[:2])
    entry, judge = judged.entries[0].data.entry_id, judged.judges[0]
    revised = sheet_event(judged.id, entry, judge, (39, 39, 10, 10), revision=2)
    data = judged.closing.data
    # Judging closed on the chair's second revision of entry 0's sheet.
    closing = JudgingClosed.new(
        JudgingClosedData(**{**data.model_dump(), "sheet_revisions": len(judged.sheets) + 1})
    )
    late_entry = judged.entries[1]
    await publish(stack, judged.opening, judged.entries[0], *judged.sheets, closing)
    await handled(stack, judged.opening, judged.entries[0], *judged.sheets, closing)
    tally = await tally_when(certification, stack, judged.id, entries_received=1)
    assert (tally["complete"], tally["entries_expected"]) == (False, 2)

    await publish(stack, late_entry)
    tally = await tally_when(certification, stack, judged.id, entries_received=2)
    # Every sheet is here, but one at an older revision than judging closed with.
    assert (tally["complete"], tally["sheets_received"], tally["sheets_expected"]) == (
        False,
        6,
        6,
    )
    assert (tally["sheet_revisions_received"], tally["sheet_revisions_expected"]) == (6, 7)
    refused = await decide(certification, stack, judged.id, identities.decision("QĐ"))
    assert refused.json()["error"]["code"] == "tally_incomplete"

    await publish(stack, revised)
    await tally_when(certification, stack, judged.id, complete=True)
    seen = await preview(certification, stack, judged.id)
    assert seen["results"][0]["mean"] == "91.33"  # the revision counts: (98 + 88 + 88) / 3
