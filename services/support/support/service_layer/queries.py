"""Support's reads: the lookups its commands share (schemes with their budgets, locks,
recognitions, known facilities) and the paged lists of schemes, applications and grants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from cnnt_contracts.vocabulary import FundingSource, Level
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError, NotFound
from cnnt_runtime.http.pages import PageParams, fetch_page
from support.adapters.tables import (
    ApplicationRow,
    BudgetRow,
    FacilityRow,
    GrantLineRow,
    GrantRow,
    RecognitionRow,
    RevocationRow,
    SchemeRow,
)
from support.domain.budget import Budget
from support.domain.priority import Recognition
from support.service_layer.access import readable_provinces


@dataclass(frozen=True)
class Priority:
    """The recognition that gave a grant its priority, as the grant records it."""

    certificate_number: str
    level: Level
    mean_score: Decimal

    @classmethod
    def of(cls, recognition: Recognition | None) -> Priority | None:
        if recognition is None:
            return None
        return cls(recognition.certificate_number, recognition.level, recognition.mean_score)


@dataclass(frozen=True)
class Granted:
    """A grant (hỗ trợ) with its amount per funding source."""

    id: UUID
    scheme_id: UUID
    application_id: UUID
    facility_id: UUID
    product_id: UUID | None
    amounts: dict[FundingSource, int]
    total: int
    priority_recognition: Priority | None
    allocation_run_id: UUID | None
    granted_at: datetime

    @classmethod
    def of(cls, grant: GrantRow, amounts: dict[FundingSource, int]) -> Granted:
        certificate, level, mean = (
            grant.priority_certificate,
            grant.priority_level,
            grant.priority_mean,
        )
        return cls(
            id=grant.id,
            scheme_id=grant.scheme_id,
            application_id=grant.application_id,
            facility_id=grant.facility_id,
            product_id=grant.product_id,
            amounts=amounts,
            total=grant.total,
            priority_recognition=(
                Priority(certificate, level, mean)
                if certificate and level and mean is not None
                else None
            ),
            allocation_run_id=grant.allocation_run_id,
            granted_at=grant.granted_at,
        )


async def lock_scheme(uow: UnitOfWork, scheme_id: UUID, *, share: bool) -> SchemeRow:
    stmt: Any = select(SchemeRow).where(col(SchemeRow.id) == scheme_id)
    stmt = stmt.with_for_update(read=share).execution_options(populate_existing=True)
    row: SchemeRow | None = (await uow.session.execute(stmt)).scalar_one_or_none()
    if row is None:
        raise NotFound("scheme_not_found", f"không có đề án mã {scheme_id}", field="scheme_id")
    return row


async def budget_rows(uow: UnitOfWork, scheme_id: UUID, *, lock: bool) -> list[BudgetRow]:
    """The scheme's budget rows in one fixed order, so concurrent grants lock them alike."""
    stmt: Any = (
        select(BudgetRow)
        .where(col(BudgetRow.scheme_id) == scheme_id)
        .order_by(col(BudgetRow.source))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return list((await uow.session.execute(stmt)).scalars())


def as_budget(rows: Iterable[BudgetRow]) -> Budget:
    rows = list(rows)
    return Budget({r.source: r.amount for r in rows}, {r.source: r.granted for r in rows})


async def recognitions_of(uow: UnitOfWork, facility_ids: Iterable[UUID]) -> list[Recognition]:
    ids = list(set(facility_ids))
    if not ids:
        return []
    result = await uow.session.execute(
        select(RecognitionRow, col(RevocationRow.entry_id).is_not(None))
        .outerjoin(RevocationRow, col(RevocationRow.entry_id) == col(RecognitionRow.entry_id))
        .where(col(RecognitionRow.facility_id).in_(ids))
    )
    return [
        Recognition(
            entry_id=r.entry_id,
            certificate_number=r.certificate_number,
            level=r.level,
            mean_score=r.mean_score,
            facility_id=r.facility_id,
            product_id=r.product_id,
            year=r.year,
            valid_until=r.valid_until,
            revoked=bool(revoked),
        )
        for r, revoked in result.all()
    ]


async def known_facility(uow: UnitOfWork, facility_id: UUID, *, field: str) -> FacilityRow:
    """The facility as registration last announced it; 422 ``facility_unknown`` otherwise."""
    row = await uow.session.get(FacilityRow, facility_id)
    if row is None:
        raise DomainError(
            "facility_unknown",
            f"chưa nhận được thông tin cơ sở {facility_id} từ phần đăng ký "
            "(cơ sở vừa đăng ký có thể đang được chuyển đến)",
            field=field,
        )
    return row


async def get_facility(uow: UnitOfWork, facility_id: UUID) -> FacilityRow:
    row = await uow.session.get(FacilityRow, facility_id)
    if row is None:
        raise NotFound("facility_unknown", f"không có cơ sở {facility_id}", field="facility_id")
    return row


@dataclass(frozen=True)
class SchemeView:
    """A scheme (đề án) with its budget and what was granted from it, per funding source."""

    scheme: SchemeRow
    budget: Budget


async def scheme_view(uow: UnitOfWork, scheme: SchemeRow) -> SchemeView:
    return SchemeView(scheme, as_budget(await budget_rows(uow, scheme.id, lock=False)))


async def get_scheme(uow: UnitOfWork, scheme_id: UUID) -> SchemeView:
    return await scheme_view(
        uow, await uow.row(SchemeRow, scheme_id, what="scheme", field="scheme_id")
    )


async def list_schemes(
    uow: UnitOfWork, params: PageParams, year: int | None, scope_code: str | None
) -> tuple[list[SchemeView], int]:
    stmt = select(SchemeRow).order_by(col(SchemeRow.year).desc(), col(SchemeRow.code))
    if year is not None:
        stmt = stmt.where(col(SchemeRow.year) == year)
    if scope_code is not None:
        stmt = stmt.where(col(SchemeRow.scope_code) == scope_code)
    rows, total = await fetch_page(uow.session, stmt, params)
    budgets: dict[UUID, list[BudgetRow]] = defaultdict(list)
    found = await uow.session.execute(
        select(BudgetRow).where(col(BudgetRow.scheme_id).in_([r.id for r in rows]))
    )
    for b in found.scalars():
        budgets[b.scheme_id].append(b)
    return [SchemeView(r, as_budget(budgets[r.id])) for r in rows], total


async def list_applications(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, params: PageParams
) -> tuple[list[ApplicationRow], int]:
    """The scheme's applications from the provinces the reader covers."""
    provinces = readable_provinces(who)
    await uow.row(SchemeRow, scheme_id, what="scheme", field="scheme_id")
    stmt = (
        select(ApplicationRow)
        .where(col(ApplicationRow.scheme_id) == scheme_id)
        .order_by(col(ApplicationRow.applied_at), col(ApplicationRow.id))
    )
    if provinces is not None:
        stmt = stmt.where(col(ApplicationRow.province_code).in_(provinces))
    return await fetch_page(uow.session, stmt, params)


async def list_grants(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, params: PageParams
) -> tuple[list[Granted], int]:
    """The scheme's grants to facilities of the provinces the reader covers (a grant shows the
    recognition's score that gave it priority)."""
    provinces = readable_provinces(who)
    await uow.row(SchemeRow, scheme_id, what="scheme", field="scheme_id")
    stmt = (
        select(GrantRow)
        .join(ApplicationRow, col(ApplicationRow.id) == col(GrantRow.application_id))
        .where(col(GrantRow.scheme_id) == scheme_id)
        .order_by(col(GrantRow.granted_at), col(GrantRow.id))
    )
    if provinces is not None:
        stmt = stmt.where(col(ApplicationRow.province_code).in_(provinces))
    rows, total = await fetch_page(uow.session, stmt, params)
    amounts: dict[UUID, dict[FundingSource, int]] = defaultdict(dict)
    found = await uow.session.execute(
        select(GrantLineRow).where(col(GrantLineRow.grant_id).in_([g.id for g in rows]))
    )
    for line in found.scalars():
        amounts[line.grant_id][line.source] = line.amount
    return [Granted.of(g, amounts[g.id]) for g in rows], total
