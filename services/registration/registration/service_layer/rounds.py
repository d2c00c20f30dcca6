"""Rounds (đợt bình chọn): draft → open → closed, each step announced to the other services."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cnnt_contracts import (
    ResultSettings,
    RoundClosed,
    RoundClosedData,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
)
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import Conflict, NotFound
from cnnt_runtime.reference import province_of_unit
from cnnt_runtime.scope import is_current
from registration.adapters.tables import EntryRow, RoundRow
from registration.domain.model import Round, RoundStatus
from registration.service_layer import provinces as province_data
from registration.service_layer.access import require_backfill, require_round_owner
from registration.service_layer.commands import CreateRound, EditRound


def model(row: RoundRow) -> Round:
    return Round(
        row.level,
        row.scope_code,
        row.year,
        row.opens_on,
        row.closes_on,
        RoundStatus(row.status),
        requires_local_recognition=row.requires_local_recognition,
    )


def round_ref(row: RoundRow) -> RoundRef:
    return RoundRef(
        id=row.id,
        level=row.level,
        scope_code=row.scope_code,
        year=row.year,
        province_code=province_of_unit(row.scope_code),
    )


async def create_round(uow: UnitOfWork, who: Principal, cmd: CreateRound) -> RoundRow:
    provinces = await province_data.load(uow)
    round_ = Round(
        cmd.level,
        cmd.scope_code,
        cmd.year,
        cmd.opens_on,
        cmd.closes_on,
        requires_local_recognition=cmd.requires_local_recognition,
    )
    if cmd.level is Level.PROVINCIAL:
        provinces.current(cmd.scope_code, field="scope_code")
    round_.check_level_in_force()
    require_round_owner(who, cmd.level, cmd.scope_code)
    round_.check_unit_in_force()
    if cmd.level is Level.PROVINCIAL and not is_current(cmd.scope_code):
        require_backfill(who, field="scope_code")
    if cmd.level is Level.DISTRICT:
        require_backfill(who, field="level", what="đợt bình chọn cấp huyện (trước 01/07/2025)")
    row = RoundRow(
        name=cmd.name,
        level=cmd.level,
        scope_code=cmd.scope_code,
        year=cmd.year,
        opens_on=cmd.opens_on,
        closes_on=cmd.closes_on,
        threshold=cmd.settings.threshold,
        quorum=cmd.settings.quorum,
        quota=cmd.settings.quota,
        group_quotas={str(k): v for k, v in cmd.settings.group_quotas.items()},
        validity_years=cmd.settings.validity_years,
        requires_local_recognition=cmd.requires_local_recognition,
    )
    uow.session.add(row)
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "round_exists",
            f"đã có đợt bình chọn cấp {cmd.level} của {cmd.scope_code} năm {cmd.year}",
            field="year",
        ) from exc
    await uow.commit()
    return row


async def lock(uow: UnitOfWork, round_id: UUID, *, shared: bool = False) -> RoundRow:
    """The round, row-locked: exclusively to change its status, shared to add or withdraw
    entries (so a close waits for them and counts them)."""
    result = await uow.session.execute(
        select(RoundRow).where(col(RoundRow.id) == round_id).with_for_update(read=shared)
    )
    row = result.scalar_one_or_none()
    if row is None:
        raise NotFound("round_not_found", f"không có đợt bình chọn mã {round_id}", field="round_id")
    return row


async def edit_round(uow: UnitOfWork, who: Principal, round_id: UUID, cmd: EditRound) -> RoundRow:
    """The draft's name and registration window, corrected (level, scope and year stay: they
    identify the round)."""
    row = await lock(uow, round_id)
    require_round_owner(who, row.level, row.scope_code)
    model(row).check_editable()
    edited = Round(
        row.level,
        row.scope_code,
        row.year,
        cmd.opens_on,
        cmd.closes_on,
        requires_local_recognition=row.requires_local_recognition,
    )
    edited.check_level_in_force()  # a commune round cannot be moved before 1 July 2025
    edited.check_unit_in_force()
    row.name = cmd.name
    row.opens_on = cmd.opens_on
    row.closes_on = cmd.closes_on
    await uow.commit()
    return row


async def open_round(uow: UnitOfWork, who: Principal, round_id: UUID) -> RoundRow:
    row = await lock(uow, round_id)
    require_round_owner(who, row.level, row.scope_code)
    round_ = model(row)
    round_.open()
    row.status = round_.status
    row.opened_at = datetime.now(UTC)
    uow.emit(
        RoundOpened.new(
            RoundOpenedData(
                round=round_ref(row),
                name=row.name,
                opens_on=row.opens_on,
                closes_on=row.closes_on,
                settings=ResultSettings(
                    threshold=row.threshold,
                    quorum=row.quorum,
                    quota=row.quota,
                    group_quotas=row.group_quotas,
                    validity_years=row.validity_years,
                ),
                opened_at=row.opened_at,
            )
        )
    )
    await uow.commit()
    return row


async def close_round(uow: UnitOfWork, who: Principal, round_id: UUID) -> RoundRow:
    row = await lock(uow, round_id)
    require_round_owner(who, row.level, row.scope_code)
    round_ = model(row)
    round_.close()
    row.status = round_.status
    row.closed_at = datetime.now(UTC)
    standing = await uow.session.scalar(
        select(func.count()).where(
            col(EntryRow.round_id) == round_id, col(EntryRow.withdrawn_at).is_(None)
        )
    )
    uow.emit(
        RoundClosed.new(
            RoundClosedData(
                round=round_ref(row), entries=int(standing or 0), closed_at=row.closed_at
            )
        )
    )
    await uow.commit()
    return row
