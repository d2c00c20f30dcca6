"""Use cases of the jury: forming it, conflicts of interest (xung đột lợi ích), recusals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID, uuid4

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from cnnt_contracts import (
    JuryMemberAppointed,
    JuryMemberAppointedData,
    SheetSetAside,
    SheetSetAsideData,
)
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from evaluation.adapters.tables import (
    ConflictRow,
    EntryRow,
    JuryMemberRow,
    RecusalRow,
    ScoreSheetRow,
)
from evaluation.domain.completeness import check_entries_complete
from evaluation.domain.jury import (
    MemberDraft,
    check_added_member_not_chair,
    check_judging_not_started,
    check_judging_open,
    check_jury,
    check_no_jury_yet,
    check_one_seat_per_account,
    check_recusal_reason,
)
from evaluation.service_layer.access import (
    acting_chair,
    acting_member,
    authorise_organiser,
    authorise_reader,
)
from evaluation.service_layer.commands import (
    DeclareConflict,
    EditJury,
    FormJury,
    Member,
    Recuse,
)
from evaluation.service_layer.queries import entries_held, get_round, jury_of


def _member(round_id: UUID, m: Member, who: Principal, now: datetime) -> JuryMemberRow:
    return JuryMemberRow(
        id=uuid4(), round_id=round_id, appointed_by=who.subject, appointed_at=now, **asdict(m)
    )


def appointed(row: JuryMemberRow) -> JuryMemberAppointed:
    """The seat announced: registration lets the round's jury read its entries' dossiers."""
    return JuryMemberAppointed.new(
        JuryMemberAppointedData(
            member_id=row.id,
            round_id=row.round_id,
            account_id=row.account_id,
            is_chair=row.is_chair,
            appointed_at=row.appointed_at,
        )
    )


async def form_jury(
    uow: UnitOfWork, who: Principal, round_id: UUID, cmd: FormJury
) -> list[JuryMemberRow]:
    round_ = await get_round(uow, round_id, lock="update")
    authorise_organiser(who, round_)
    check_judging_open(round_.judging_closed_at is not None)
    check_jury([MemberDraft(m.name, m.title, m.organisation, m.is_chair) for m in cmd.members])
    check_one_seat_per_account([m.account_id for m in cmd.members])
    check_no_jury_yet(len(await jury_of(uow, round_id)))  # safe under the round lock
    # Last: a real refusal above is answered as such, not as a wait.
    check_entries_complete(await entries_held(uow, round_))
    now = datetime.now(UTC)
    rows = [_member(round_id, m, who, now) for m in cmd.members]
    uow.session.add_all(rows)
    uow.emit(*(appointed(row) for row in rows))
    await uow.commit()
    return rows


async def add_member(uow: UnitOfWork, who: Principal, round_id: UUID, cmd: Member) -> JuryMemberRow:
    round_ = await get_round(uow, round_id, lock="update")
    authorise_organiser(who, round_)
    check_judging_open(round_.judging_closed_at is not None)
    if not await jury_of(uow, round_id):
        raise NotFound(
            "jury_missing", "hãy thành lập hội đồng (có chủ tịch) trước", field="round_id"
        )
    check_added_member_not_chair(cmd.is_chair)
    seated = [m.account_id for m in await jury_of(uow, round_id)]
    check_one_seat_per_account([*seated, cmd.account_id])  # under the round lock taken above
    row = _member(round_id, cmd, who, datetime.now(UTC))
    uow.session.add(row)
    uow.emit(appointed(row))
    await uow.commit()
    return row


async def edit_jury(
    uow: UnitOfWork, who: Principal, round_id: UUID, cmd: EditJury
) -> list[JuryMemberRow]:
    """The organiser's corrections to a jury before judging starts: every seat's name, title,
    organisation, chair and console account; seats added and removed (with what the removed
    member declared). Kept seats keep their judge id."""
    round_ = await get_round(uow, round_id, lock="update")
    authorise_organiser(who, round_)
    check_judging_open(round_.judging_closed_at is not None)
    seated = {m.id: m for m in await jury_of(uow, round_id)}
    if not seated:
        raise NotFound(
            "jury_missing", "hãy thành lập hội đồng (có chủ tịch) trước", field="round_id"
        )
    sheets = await uow.session.scalar(
        select(func.count())
        .select_from(ScoreSheetRow)
        .where(col(ScoreSheetRow.round_id) == round_id)
    )
    check_judging_not_started(int(sheets or 0))
    members = [s.member for s in cmd.seats]
    check_jury([MemberDraft(m.name, m.title, m.organisation, m.is_chair) for m in members])
    check_one_seat_per_account([m.account_id for m in members])
    for index, seat in enumerate(cmd.seats):
        if seat.member_id is not None and seat.member_id not in seated:
            raise NotFound(
                "member_not_in_jury",
                "hội đồng không có thành viên này",
                field=f"members.{index}.id",
            )
    kept = {s.member_id for s in cmd.seats if s.member_id is not None}
    removed = [i for i in seated if i not in kept]
    session = uow.session
    # The one-chair and one-seat-per-account indexes hold after each statement: clear both
    # first, then write every seat as it is to be.
    await session.execute(
        update(JuryMemberRow)
        .where(col(JuryMemberRow.round_id) == round_id)
        .values(is_chair=False, account_id=None)
    )
    if removed:
        await session.execute(delete(ConflictRow).where(col(ConflictRow.member_id).in_(removed)))
        await session.execute(delete(RecusalRow).where(col(RecusalRow.member_id).in_(removed)))
        await session.execute(delete(JuryMemberRow).where(col(JuryMemberRow.id).in_(removed)))
    now = datetime.now(UTC)
    for seat in cmd.seats:
        if seat.member_id is None:
            continue
        await session.execute(
            update(JuryMemberRow)
            .where(col(JuryMemberRow.id) == seat.member_id)
            .values(**asdict(seat.member))
        )
    session.add_all(
        [_member(round_id, s.member, who, now) for s in cmd.seats if s.member_id is None]
    )
    await uow.commit()
    session.expire_all()
    return await jury_of(uow, round_id)


async def declare_conflict(uow: UnitOfWork, who: Principal, cmd: DeclareConflict) -> ConflictRow:
    member = await acting_member(uow, who)
    # Like a recusal: once judging closed, the results rest on the sheets as they were; a late
    # conflict would set a sheet aside and silently change a mean already decided on.
    round_ = await get_round(uow, member.round_id, lock="share")
    check_judging_open(round_.judging_closed_at is not None)
    now = datetime.now(UTC)
    values = {
        "member_id": member.id,
        "facility_id": cmd.facility_id,
        "note": cmd.note,
        "declared_at": now,
    }
    # A repeated declaration keeps the first one (and its time).
    declared = await uow.session.execute(
        insert(ConflictRow)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(col(ConflictRow.member_id))
    )
    if declared.first() is not None:
        scored = (
            select(ScoreSheetRow)
            .join(EntryRow, col(EntryRow.id) == col(ScoreSheetRow.entry_id))
            .where(
                col(ScoreSheetRow.member_id) == member.id,
                col(EntryRow.facility_id) == cmd.facility_id,
            )
        )
        await _set_aside(uow, scored, "conflict_of_interest", now)
    await uow.commit()
    row = await uow.session.get(ConflictRow, (member.id, cmd.facility_id))
    assert row is not None
    return row


async def recuse(uow: UnitOfWork, who: Principal, cmd: Recuse) -> RecusalRow:
    chair = await acting_chair(uow, who)
    reason = check_recusal_reason(cmd.reason)
    round_ = await get_round(uow, chair.round_id, lock="share")
    check_judging_open(round_.judging_closed_at is not None)
    member = await uow.session.get(JuryMemberRow, cmd.member_id)
    if member is None or member.round_id != chair.round_id:
        raise NotFound("member_not_in_jury", "hội đồng không có thành viên này", field="member_id")
    entry = await uow.session.get(EntryRow, cmd.entry_id)
    if entry is None or entry.round_id != chair.round_id:
        raise NotFound("entry_not_in_round", "đợt bình chọn không có hồ sơ này", field="entry_id")
    now = datetime.now(UTC)
    recused = await uow.session.execute(
        insert(RecusalRow)
        .values(
            member_id=member.id,
            entry_id=entry.id,
            reason=reason,
            recused_by=chair.id,
            recused_at=now,
        )
        .on_conflict_do_nothing()
        .returning(col(RecusalRow.member_id))
    )
    if recused.first() is not None:
        scored = select(ScoreSheetRow).where(
            col(ScoreSheetRow.member_id) == member.id, col(ScoreSheetRow.entry_id) == entry.id
        )
        await _set_aside(uow, scored, "recusal", now)
    await uow.commit()
    row = await uow.session.get(RecusalRow, (member.id, entry.id))
    assert row is not None
    return row


async def _set_aside(
    uow: UnitOfWork,
    sheets: Select[Any],
    reason: Literal["conflict_of_interest", "recusal"],
    at: datetime,
) -> None:
    """Announce that the member's sheets already submitted for what now bars them no longer
    count; certification takes them out of its tally (evaluation's progress leaves them out by
    the bar itself)."""
    for sheet in (
        await uow.session.execute(sheets.where(col(ScoreSheetRow.revision) > 0))
    ).scalars():
        uow.emit(
            SheetSetAside.new(
                SheetSetAsideData(
                    sheet_id=sheet.id,
                    round_id=sheet.round_id,
                    entry_id=sheet.entry_id,
                    judge_id=sheet.member_id,
                    reason=reason,
                    set_aside_at=at,
                )
            )
        )


async def jury_view(
    uow: UnitOfWork, who: Principal, round_id: UUID
) -> tuple[list[JuryMemberRow], list[ConflictRow], list[RecusalRow]]:
    await authorise_reader(uow, who, await get_round(uow, round_id))
    members = await jury_of(uow, round_id)
    ids = [m.id for m in members]
    session = uow.session
    conflicts = await session.execute(
        select(ConflictRow).where(col(ConflictRow.member_id).in_(ids))
    )
    recusals = await session.execute(select(RecusalRow).where(col(RecusalRow.member_id).in_(ids)))
    return members, list(conflicts.scalars()), list(recusals.scalars())
