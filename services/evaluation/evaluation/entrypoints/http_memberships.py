"""``GET /juries/mine``: the juries the signed-in judge sits on, across rounds."""

from __future__ import annotations

from fastapi import APIRouter

from cnnt_shared.auth import CurrentPrincipal
from cnnt_shared.service import UowDep
from evaluation.entrypoints.schemas import MemberPublic, MyJuryPublic
from evaluation.service_layer import memberships

router = APIRouter(tags=["jury"])


@router.get("/juries/mine")
async def my_juries(uow: UowDep, who: CurrentPrincipal) -> list[MyJuryPublic]:
    """Judge token scoped to the person's account id (or to one member id)."""
    return [
        MyJuryPublic(
            member=MemberPublic.model_validate(member),
            round_id=round_.id,
            round_name=round_.name,
            level=round_.level,
            scope_code=round_.scope_code,
            year=round_.year,
            judging_closed=round_.judging_closed_at is not None,
        )
        for member, round_ in await memberships.my_juries(uow, who)
    ]
