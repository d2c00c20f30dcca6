"""Routes for the jury (hội đồng bình chọn): forming it, members, conflicts of interest,
recusals, and the juries a judge sits on."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, status

from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.service import UowDep
from evaluation.entrypoints.schemas import (
    ConflictCreate,
    ConflictPublic,
    JuryCreate,
    JuryEdit,
    JuryPublic,
    MemberCreate,
    MemberPublic,
    MyJuryPublic,
    RecusalCreate,
    RecusalPublic,
)
from evaluation.service_layer import commands, jury, queries

router = APIRouter(prefix="/api/v1", tags=["jury"])


def _member(body: MemberCreate) -> commands.Member:
    return commands.Member(
        name=body.name,
        title=body.title,
        organisation=body.organisation,
        is_chair=body.is_chair,
        account_id=body.account_id,
    )


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
        for member, round_ in await queries.my_juries(uow, who)
    ]


@router.post("/rounds/{round_id}/jury", status_code=status.HTTP_201_CREATED)
async def form_jury(
    round_id: UUID, body: JuryCreate, uow: UowDep, who: CurrentPrincipal
) -> JuryPublic:
    command = commands.FormJury(tuple(_member(m) for m in body.members))
    members = await jury.form_jury(uow, who, round_id, command)
    return JuryPublic(round_id=round_id, members=[MemberPublic.model_validate(m) for m in members])


@router.put("/rounds/{round_id}/jury")
async def edit_jury(
    round_id: UUID, body: JuryEdit, uow: UowDep, who: CurrentPrincipal
) -> JuryPublic:
    """Correct the jury before judging starts (409 ``judging_started`` after its first
    sheet): names, titles, organisations, the chair, console accounts; seats added or removed."""
    command = commands.EditJury(tuple(commands.SeatEdit(_member(m), m.id) for m in body.members))
    members = await jury.edit_jury(uow, who, round_id, command)
    return JuryPublic(round_id=round_id, members=[MemberPublic.model_validate(m) for m in members])


@router.get("/rounds/{round_id}/jury")
async def get_jury(round_id: UUID, uow: UowDep, who: CurrentPrincipal) -> JuryPublic:
    members, conflicts, recusals = await jury.jury_view(uow, who, round_id)
    return JuryPublic(
        round_id=round_id,
        members=[MemberPublic.model_validate(m) for m in members],
        conflicts=[ConflictPublic.model_validate(c) for c in conflicts],
        recusals=[RecusalPublic.model_validate(r) for r in recusals],
    )


@router.post("/rounds/{round_id}/jury/members", status_code=status.HTTP_201_CREATED)
async def add_member(
    round_id: UUID, body: MemberCreate, uow: UowDep, who: CurrentPrincipal
) -> MemberPublic:
    return MemberPublic.model_validate(await jury.add_member(uow, who, round_id, _member(body)))


@router.post("/conflicts", status_code=status.HTTP_201_CREATED)
async def declare_conflict(
    body: ConflictCreate, uow: UowDep, who: CurrentPrincipal
) -> ConflictPublic:
    command = commands.DeclareConflict(body.facility_id, body.note)
    return ConflictPublic.model_validate(await jury.declare_conflict(uow, who, command))


@router.post("/recusals", status_code=status.HTTP_201_CREATED)
async def recuse(body: RecusalCreate, uow: UowDep, who: CurrentPrincipal) -> RecusalPublic:
    command = commands.Recuse(body.member_id, body.entry_id, body.reason)
    return RecusalPublic.model_validate(await jury.recuse(uow, who, command))
