"""A judge's seat on one jury: the console speaks to evaluation for the member row that refers
to the signed-in person's account, with a token scoped to that member (evaluation's scoring,
conflict and progress routes know a judge by member id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from cnnt_shared.tokens import Role, issue_token
from console.web.services import ServiceRefused, Services


@dataclass
class SeatServices(Services):
    member_id: UUID

    def token(self) -> str:
        return issue_token(
            self.settings,
            subject=f"console:{self.account.username}",
            role=Role.JUDGE,
            scope=str(self.member_id),
            ttl=timedelta(minutes=self.settings.console_token_minutes),
        )


async def my_juries(services: Services) -> list[dict[str, Any]]:
    """Every jury the signed-in judge sits on (their account's token asks evaluation)."""
    found: list[dict[str, Any]] = await services.json("GET", "evaluation", "/api/v1/my/juries")
    return found


async def seat(services: Services, round_id: UUID) -> tuple[SeatServices, dict[str, Any]]:
    """The judge's seat on this round's jury, and services that speak for it; refused as
    evaluation refuses a stranger when the person does not sit on it."""
    for found in await my_juries(services):
        if found["round_id"] == str(round_id):
            seated = SeatServices(
                services.settings, services.account, services.http, UUID(found["member_id"])
            )
            return seated, found
    raise ServiceRefused(403, "not_a_jury_member", "", None)
