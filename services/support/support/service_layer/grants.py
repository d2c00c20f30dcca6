"""Grants (hỗ trợ): a support officer's manual grant, and the grant record both paths share.

Concurrency: a grant holds the scheme row FOR SHARE (its status cannot change underneath) and
the scheme's budget rows FOR UPDATE, always in the same order, so grants on one scheme are
serialised on its money while the domain's ``Budget`` decides; the application row is then
locked and re-read, and ``grants.application_id`` is UNIQUE as the last word on "never twice".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlmodel import col

from cnnt_contracts import GrantRecognition, SchemeRef, SupportGranted, SupportGrantedData
from cnnt_contracts.vocabulary import FundingSource
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from support.adapters.tables import ApplicationRow, BudgetRow, GrantLineRow, GrantRow, SchemeRow
from support.domain import model
from support.domain.budget import Budget
from support.domain.priority import Recognition, best_recognition
from support.service_layer.access import authorise
from support.service_layer.commands import GrantApplication
from support.service_layer.queries import (
    Granted,
    Priority,
    as_budget,
    budget_rows,
    lock_scheme,
    recognitions_of,
)


def asked_of(app: ApplicationRow) -> dict[FundingSource, int]:
    return {FundingSource(s): v for s, v in app.asked.items()}


async def record_grant(
    uow: UnitOfWork,
    scheme: SchemeRow,
    app: ApplicationRow,
    amounts: Mapping[FundingSource, int],
    recognition: Recognition | None,
    *,
    by: str,
    run_id: UUID | None = None,
) -> Granted:
    """Write the grant, its lines and its SupportGranted event; mark the application granted.
    The caller holds the budget rows locked and updates them."""
    now = datetime.now(UTC)
    lines = {s: v for s, v in amounts.items() if v}
    grant = GrantRow(
        id=uuid4(),
        scheme_id=scheme.id,
        application_id=app.id,
        facility_id=app.facility_id,
        product_id=app.product_id,
        total=model.total(lines),
        priority_certificate=recognition.certificate_number if recognition else None,
        priority_level=recognition.level if recognition else None,
        priority_mean=recognition.mean_score if recognition else None,
        allocation_run_id=run_id,
        granted_by=by,
        granted_at=now,
    )
    uow.session.add(grant)
    await uow.session.flush()  # the lines refer to it; there is no ORM relationship to order them
    uow.session.add_all(
        GrantLineRow(grant_id=grant.id, source=s, amount=v) for s, v in lines.items()
    )
    app.status = model.ApplicationStatus.GRANTED
    priority = Priority.of(recognition)
    uow.emit(
        SupportGranted.new(
            SupportGrantedData(
                grant_id=grant.id,
                scheme=SchemeRef(
                    id=scheme.id,
                    code=scheme.code,
                    kind=scheme.kind,
                    year=scheme.year,
                    scope_code=scheme.scope_code,
                ),
                facility_id=app.facility_id,
                product_id=app.product_id,
                amounts=lines,
                total=grant.total,
                priority_recognition=GrantRecognition(
                    certificate_number=priority.certificate_number,
                    level=priority.level,
                    mean_score=priority.mean_score,
                )
                if priority
                else None,
                granted_at=now,
            )
        )
    )
    return Granted(
        id=grant.id,
        scheme_id=scheme.id,
        application_id=app.id,
        facility_id=app.facility_id,
        product_id=app.product_id,
        amounts=lines,
        total=grant.total,
        priority_recognition=priority,
        allocation_run_id=run_id,
        granted_at=now,
    )


def store_budget(rows: list[BudgetRow], budget: Budget) -> None:
    for row in rows:
        row.granted = budget.granted.get(row.source, 0)


async def lock_application(uow: UnitOfWork, application_id: UUID) -> ApplicationRow:
    result = await uow.session.execute(
        select(ApplicationRow)
        .where(col(ApplicationRow.id) == application_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = result.scalar_one_or_none()
    if row is None:
        raise NotFound("application_not_found", f"không có đơn đề nghị {application_id}")
    return row


async def grant_application(
    uow: UnitOfWork, who: Principal, application_id: UUID, cmd: GrantApplication, today: date
) -> Granted:
    app = await uow.row(ApplicationRow, application_id, what="application", field="application_id")
    scheme = await lock_scheme(uow, app.scheme_id, share=True)
    # The money is the scheme's: a provincial scheme's officers (its applicants are of its
    # province), or for a national scheme the VN officers and the ministry.
    authorise(who, scheme.scope_code, field="application_id")
    model.check_grants_allowed(model.SchemeStatus(scheme.status))
    rows = await budget_rows(uow, scheme.id, lock=True)
    app = await lock_application(uow, application_id)
    model.check_not_granted(model.ApplicationStatus(app.status))
    asked = asked_of(app)
    amounts = model.amounts(cmd.amounts, field="amounts") if cmd.amounts is not None else asked
    model.check_within_request(amounts, asked)
    after = as_budget(rows).take(amounts)
    recognition = best_recognition(
        await recognitions_of(uow, [app.facility_id]), app.facility_id, app.product_id, today
    )
    grant = await record_grant(uow, scheme, app, amounts, recognition, by=who.subject)
    store_budget(rows, after)
    await uow.session.flush()
    return grant
