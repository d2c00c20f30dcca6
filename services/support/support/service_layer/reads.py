"""Paged reads: schemes, a scheme's applications and its grants."""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import select
from sqlmodel import col

from cnnt_shared.auth import Principal
from cnnt_shared.contracts.vocabulary import FundingSource
from cnnt_shared.db.unit_of_work import UnitOfWork
from cnnt_shared.http.pages import Page, PageParams, fetch_page
from support.adapters.tables import ApplicationRow, BudgetRow, GrantLineRow, GrantRow, SchemeRow
from support.entrypoints.schemas import (
    ApplicationPublic,
    GrantPublic,
    PriorityRecognition,
    SchemePublic,
)
from support.service_layer.access import readable_provinces
from support.service_layer.queries import get_or_404, scheme_public


async def list_schemes(
    uow: UnitOfWork, params: PageParams, year: int | None, scope_code: str | None
) -> Page[SchemePublic]:
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
    items = [scheme_public(r, budgets[r.id]) for r in rows]
    return Page(items=items, total=total, page=params.page, size=params.size)


async def list_applications(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, params: PageParams
) -> Page[ApplicationPublic]:
    """The scheme's applications from the provinces the reader covers."""
    provinces = readable_provinces(who)
    await get_or_404(uow, SchemeRow, scheme_id, "scheme", "scheme_id")
    stmt = (
        select(ApplicationRow)
        .where(col(ApplicationRow.scheme_id) == scheme_id)
        .order_by(col(ApplicationRow.applied_at), col(ApplicationRow.id))
    )
    if provinces is not None:
        stmt = stmt.where(col(ApplicationRow.province_code).in_(provinces))
    rows, total = await fetch_page(uow.session, stmt, params)
    items = [ApplicationPublic.model_validate(r) for r in rows]
    return Page(items=items, total=total, page=params.page, size=params.size)


async def list_grants(
    uow: UnitOfWork, who: Principal, scheme_id: UUID, params: PageParams
) -> Page[GrantPublic]:
    """The scheme's grants to facilities of the provinces the reader covers (a grant shows the
    recognition's score that gave it priority)."""
    provinces = readable_provinces(who)
    await get_or_404(uow, SchemeRow, scheme_id, "scheme", "scheme_id")
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
    items = [
        GrantPublic(
            id=g.id,
            scheme_id=g.scheme_id,
            application_id=g.application_id,
            facility_id=g.facility_id,
            product_id=g.product_id,
            amounts=amounts[g.id],
            total=g.total,
            priority_recognition=(
                PriorityRecognition(
                    certificate_number=g.priority_certificate,
                    level=g.priority_level,
                    mean_score=g.priority_mean,
                )
                if g.priority_certificate and g.priority_level and g.priority_mean is not None
                else None
            ),
            allocation_run_id=g.allocation_run_id,
            granted_at=g.granted_at,
        )
        for g in rows
    ]
    return Page(items=items, total=total, page=params.page, size=params.size)
