"""A judge's seat on one round's jury: evaluation lists the seats of the signed-in person's
account (``GET /juries/mine``); the judging pages act in one of them with a token scoped to
that member (evaluation's scoring, conflict and progress routes know a judge by member id)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from console.web.services import ServiceRefused, Services


async def seat(services: Services, round_id: UUID) -> tuple[Services, dict[str, Any]]:
    """Services acting in the judge's seat on this round's jury, and the seat (its
    ``member_id``, ``is_chair``, the round's name and whether judging closed); refused as
    evaluation refuses a stranger when the person does not sit on it."""
    for found in await services.my_juries():
        if found["round_id"] == str(round_id):
            member = found["member"]
            # The seat comes from evaluation's own list for this account: it is theirs.
            seated = replace(services, seat=member["id"])
            return seated, {**found, "member_id": member["id"], "is_chair": member["is_chair"]}
    raise ServiceRefused(403, "not_a_jury_member", "", None)
