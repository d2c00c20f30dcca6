"""What the judging pages show, gathered from evaluation's API (the console decides nothing:
it puts side by side what the service answers)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from console.web.services import Services


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
