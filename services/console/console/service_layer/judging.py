"""What the judging pages show, gathered from evaluation's API (the console decides nothing:
it puts side by side what the service answers)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from cnnt_contracts.score_sheet import CRITERIA, score_refusal
from console.web.errors import error_message
from console.web.i18n import gettext, number, parse_number
from console.web.services import ServiceRefused, Services


@dataclass
class WorkItem:
    """One entry of a judge's worklist and where it stands for them."""

    entry: dict[str, Any]
    status: str  # to_score, scored, conflict, recused
    latest: dict[str, Any] | None = None
    revisions: list[dict[str, Any]] = field(default_factory=list)


async def my_sheet(
    services: Services, round_id: UUID, entry_id: UUID, member_id: UUID
) -> list[dict[str, Any]]:
    """The judge's own revisions of their sheet for the entry, oldest first (none: not scored)."""
    sheets = await services.json(
        "GET", "evaluation", f"/api/v1/rounds/{round_id}/entries/{entry_id}/sheets"
    )
    mine = [s for s in sheets if s["member_id"] == str(member_id)]
    return list(mine[0]["revisions"]) if mine else []


async def worklist(services: Services, round_id: UUID, member_id: UUID) -> list[WorkItem]:
    """Every standing entry of the round for this member: to score, scored (with the latest
    total and time), or barred by their conflict or the chair's recusal — nothing hidden."""
    entries, to_score, jury = await asyncio.gather(
        services.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/entries"),
        services.json("GET", "evaluation", "/api/v1/worklist"),
        services.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/jury"),
    )
    open_ids = {e["id"] for e in to_score if e.get("status", "to_score") == "to_score"}
    conflicts = {c["facility_id"] for c in jury["conflicts"] if c["member_id"] == str(member_id)}
    recused = {r["entry_id"] for r in jury["recusals"] if r["member_id"] == str(member_id)}
    looked_up = [e["id"] for e in entries if e["id"] not in open_ids]
    histories = await asyncio.gather(
        *(my_sheet(services, round_id, UUID(e), member_id) for e in looked_up)
    )
    history_of = dict(zip(looked_up, histories, strict=True))
    items = []
    for e in entries:
        revisions = history_of.get(e["id"], [])
        if e["facility_id"] in conflicts:
            status = "conflict"
        elif e["id"] in recused:
            status = "recused"
        elif e["id"] in open_ids or not revisions:
            status = "to_score"
        else:
            status = "scored"
        items.append(WorkItem(e, status, revisions[-1] if revisions else None, revisions))
    return items


def barred_pairs(jury: dict[str, Any], entries: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(member, entry) pairs whose sheet does not count: a declared conflict with the entry's
    facility, or the chair's recusal."""
    conflicted = {(c["member_id"], c["facility_id"]) for c in jury["conflicts"]}
    pairs = {(r["member_id"], r["entry_id"]) for r in jury["recusals"]}
    for member in jury["members"]:
        for e in entries:
            if (member["id"], e["facility_id"]) in conflicted:
                pairs.add((member["id"], e["id"]))
    return pairs


async def spread_sheets(
    services: Services, round_id: UUID, entry_ids: list[str], barred: set[tuple[str, str]]
) -> dict[str, list[dict[str, Any]]]:
    """For each flagged entry, the latest sheet of every member whose sheet counts (the chair
    and organisers see all sheets; evaluation's spread leaves the barred ones out too)."""
    found = await asyncio.gather(
        *(
            services.json("GET", "evaluation", f"/api/v1/rounds/{round_id}/entries/{e}/sheets")
            for e in entry_ids
        )
    )
    return {
        e: [s["latest"] for s in sheets if (s["member_id"], e) not in barred]
        for e, sheets in zip(entry_ids, found, strict=True)
    }


# The whole worklist in one request (evaluation's POST /score-sheets/batch).
SCORABLE = ("to_score", "scored")


@dataclass
class BatchRow:
    """One line of the worklist form: what the judge typed (or their latest sheet), and after
    a save its outcome — ``saved`` with the revision evaluation stored, or the refusals by
    criterion (``_row`` for one that names none)."""

    item: WorkItem
    values: dict[str, str]
    comment: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    outcome: str | None = None  # saved, refused, not_saved (the request as a whole refused)
    revision: dict[str, Any] | None = None

    @property
    def entry_id(self) -> str:
        return str(self.item.entry["id"])


def _latest_values(item: WorkItem, criteria: Sequence[str]) -> dict[str, str]:
    latest = item.latest or {}
    return {c: typed_form(latest[c]) if c in latest else "" for c in criteria}


def typed_form(value: Any) -> str:
    """A stored score as the judge types it, in their language: ``32`` or ``32,5``, not
    ``32.0``."""
    return number(Decimal(str(value)), 1)


def read_score(criterion: str, text: str) -> tuple[Decimal | None, str | None]:
    """A score as the judge typed it (``30,5``, or ``30.5`` pasted): the number, or the refusal
    in the judge's language. The form's inputs are text, so the console holds the sheet's
    rules the browser no longer does — a number, from 0 to the criterion's maximum, in half
    points — with evaluation's codes and messages; evaluation checks them again."""
    if not text.strip():
        return None, error_message("invalid_missing")
    value = parse_number(text)
    refusal = "score_not_a_number" if value is None else score_refusal(criterion, value)
    if refusal is not None:
        return None, error_message(refusal)
    return value, None


def read_scores(typed: Mapping[str, str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """Each criterion's score read from the form, and the refusals by criterion."""
    scores: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for criterion in CRITERIA:
        value, error = read_score(criterion, typed.get(criterion, ""))
        if error is not None:
            errors[criterion] = error
        elif value is not None:
            scores[criterion] = value
    return scores, errors


def batch_rows(items: list[WorkItem], posted: list[BatchRow]) -> list[BatchRow]:
    """The form's lines in the worklist's order: a posted line that was refused (or not saved)
    keeps what the judge typed; the others show the judge's latest sheet as it stands now."""
    by_entry = {r.entry_id: r for r in posted}
    rows = []
    for item in items:
        if item.status not in SCORABLE:
            continue
        before = by_entry.get(str(item.entry["id"]))
        if before is not None and before.outcome in ("refused", "not_saved"):
            rows.append(
                BatchRow(item, before.values, before.comment, before.errors, before.outcome)
            )
            continue
        latest = item.latest or {}
        row = BatchRow(item, _latest_values(item, CRITERIA), str(latest.get("comment", "")))
        if before is not None and before.outcome == "saved":
            row.outcome, row.revision = "saved", before.revision
        rows.append(row)
    return rows


def sheets_to_send(
    items: list[WorkItem], typed: Mapping[str, str], criteria: Sequence[str]
) -> tuple[list[BatchRow], list[dict[str, Any]]]:
    """The posted lines, and the sheets to send: a line to score that the judge filled in, a
    scored line the judge changed. A score that is blank, not a number, or against the sheet's
    rules (``read_score``) is refused here, on its own line, as evaluation would (its batch
    refuses a score that is not a number for the request as a whole)."""
    rows: list[BatchRow] = []
    body: list[dict[str, Any]] = []
    for item in items:
        entry_id = str(item.entry["id"])
        if item.status not in SCORABLE or f"{criteria[0]}-{entry_id}" not in typed:
            continue
        values = {c: typed.get(f"{c}-{entry_id}", "").strip() for c in criteria}
        comment = typed.get(f"comment-{entry_id}", "").strip()
        row = BatchRow(item, values, comment)
        rows.append(row)
        if item.status == "to_score" and not any(values.values()) and not comment:
            continue  # not filled in: nothing to save
        numbers = {c: parse_number(v) for c, v in values.items()}
        if item.latest is not None and comment == str(item.latest.get("comment", "")):
            stored = {c: Decimal(str(item.latest[c])) for c in criteria}
            if numbers == stored:
                continue  # the judge's latest sheet, unchanged: no new revision
        read, row.errors = read_scores(values)
        if row.errors:
            row.outcome = "refused"
            continue
        scores = {c: str(read[c]) for c in criteria}
        body.append({"entry_id": entry_id, "scores": scores, "comment": comment})
    return rows, body


def _criterion(api_field: str | None, criteria: Sequence[str]) -> str:
    name = (api_field or "").rsplit(".", 1)[-1]
    return name if name in (*criteria, "comment") else "_row"


def outcomes_of(answer: Mapping[str, Any], rows: list[BatchRow]) -> None:
    """Each sheet's answer onto its line: saved with its revision, or refused by criterion."""
    by_entry = {r.entry_id: r for r in rows}
    for result in answer["results"]:
        row = by_entry[str(result["entry_id"])]
        if result["status"] == "accepted":
            row.outcome, row.revision = "saved", result["revision"]
        else:
            row.outcome = "refused"
            where = _criterion(result.get("field"), CRITERIA)
            row.errors[where] = error_message(str(result["code"]), result.get("message"))


def refusal_of_batch(
    refused: ServiceRefused,
    rows: list[BatchRow],
    body: list[dict[str, Any]],
    criteria: Sequence[str],
) -> dict[str, str]:
    """A refusal of the whole request (nothing stored): the problems evaluation names by sheet
    (``sheets.3.comment``) go on their line; the rest is said at the top of the form."""
    by_entry = {r.entry_id: r for r in rows}
    sent = [by_entry[str(s["entry_id"])] for s in body]
    for row in sent:
        row.outcome = "not_saved"
    problems = [
        (str(d.get("field") or ""), str(d.get("code") or ""), str(d.get("message") or ""))
        for d in refused.details
    ] or [(refused.field or "", refused.code, refused.message)]
    general = ""
    for api_field, code, message in problems:
        parts = api_field.split(".")
        if (
            len(parts) > 2
            and parts[0] == "sheets"
            and parts[1].isdigit()
            and int(parts[1]) < len(sent)
        ):
            row = sent[int(parts[1])]
            row.outcome = "refused"
            row.errors.setdefault(_criterion(api_field, criteria), error_message(code, message))
        elif not general:
            general = error_message(code, message)
    nothing = gettext("Nothing was saved: correct the marked lines and save again.")
    return {"_form": f"{general} {nothing}".strip()}
