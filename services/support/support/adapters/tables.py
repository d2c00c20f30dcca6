"""Support's tables, all in the ``support`` schema.

Money columns are BIGINT whole VND. ``scheme_budgets`` carries one row per scheme and funding
source with what has been granted from it; a CHECK keeps ``granted <= amount`` as the database's
own backstop for the rule the grant handlers enforce under row locks.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, CheckConstraint, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from cnnt_contracts.vocabulary import FacilityKind, FundingSource, Level, SchemeKind
from cnnt_runtime.db.tables import created_at, service_tables
from cnnt_runtime.db.types import enum_type, table_of
from support.domain.model import ApplicationStatus, SchemeStatus

SCHEMA = "support"
metadata, outbox, inbox = service_tables(SCHEMA)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class SchemeRow(Table, table=True):
    """A support scheme (đề án khuyến công)."""

    __tablename__ = "schemes"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    code: str = Field(max_length=60, unique=True)
    title: str = Field(max_length=500)
    kind: SchemeKind = Field(sa_type=enum_type(SchemeKind))
    year: int = Field(index=True)
    scope_code: str = Field(max_length=40, index=True)
    status: SchemeStatus = Field(default=SchemeStatus.DRAFT, sa_type=enum_type(SchemeStatus))
    created_by: str = Field(max_length=200)
    created_at: datetime | None = Field(default=None, sa_column=created_at())


class BudgetRow(Table, table=True):
    """A scheme's budget from one funding source, and the sum granted from it so far."""

    __tablename__ = "scheme_budgets"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="ck_budget_amount_not_negative"),
        CheckConstraint("granted >= 0 AND granted <= amount", name="ck_budget_granted_within"),
    )

    scheme_id: UUID = Field(foreign_key="support.schemes.id", primary_key=True)
    source: FundingSource = Field(sa_type=enum_type(FundingSource), primary_key=True)
    amount: int = Field(sa_type=BigInteger)
    granted: int = Field(default=0, sa_type=BigInteger)


class ApplicationRow(Table, table=True):
    """A facility's application to a scheme (hồ sơ đề nghị hỗ trợ)."""

    __tablename__ = "applications"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    scheme_id: UUID = Field(foreign_key="support.schemes.id", index=True)
    facility_id: UUID = Field(index=True)
    facility_name: str = Field(max_length=300)
    province_code: str = Field(max_length=40)
    product_id: UUID | None = Field(default=None, index=True)
    purpose: str = Field(default="", max_length=2000)
    asked: dict[str, int] = Field(default_factory=dict, sa_type=JSONB)
    status: ApplicationStatus = Field(
        default=ApplicationStatus.PENDING, sa_type=enum_type(ApplicationStatus)
    )
    applied_at: datetime = Field(sa_type=DateTime(timezone=True))


class GrantRow(Table, table=True):
    """A grant (quyết định hỗ trợ); at most one per application."""

    __tablename__ = "grants"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    scheme_id: UUID = Field(foreign_key="support.schemes.id", index=True)
    application_id: UUID = Field(foreign_key="support.applications.id", unique=True)
    facility_id: UUID = Field(index=True)
    product_id: UUID | None = None
    total: int = Field(sa_type=BigInteger)
    priority_certificate: str | None = Field(default=None, max_length=60)
    priority_level: Level | None = Field(default=None, sa_type=enum_type(Level))
    priority_mean: Decimal | None = Field(default=None, max_digits=5, decimal_places=2)
    allocation_run_id: UUID | None = Field(default=None, index=True)
    granted_by: str = Field(max_length=200)
    granted_at: datetime = Field(sa_type=DateTime(timezone=True))


class GrantLineRow(Table, table=True):
    """The amount of one grant from one funding source."""

    __tablename__ = "grant_lines"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_grant_line_positive"),)

    grant_id: UUID = Field(foreign_key="support.grants.id", primary_key=True)
    source: FundingSource = Field(sa_type=enum_type(FundingSource), primary_key=True)
    amount: int = Field(sa_type=BigInteger)


class AllocationRunRow(Table, table=True):
    """A committed allocation run and the decisions it took, in priority order."""

    __tablename__ = "allocation_runs"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    scheme_id: UUID = Field(foreign_key="support.schemes.id", index=True)
    as_of: date
    decisions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB)
    run_by: str = Field(max_length=200)
    run_at: datetime = Field(sa_type=DateTime(timezone=True))


class RecognitionRow(Table, table=True):
    """A recognition known from ProductRecognized; keyed by the recognised entry."""

    __tablename__ = "recognitions"

    entry_id: UUID = Field(primary_key=True)
    certificate_number: str = Field(max_length=60)
    level: Level = Field(sa_type=enum_type(Level))
    scope_code: str = Field(max_length=40)
    year: int
    facility_id: UUID = Field(index=True)
    product_id: UUID = Field(index=True)
    mean_score: Decimal = Field(max_digits=5, decimal_places=2)
    valid_until: date
    recognized_at: datetime = Field(sa_type=DateTime(timezone=True))


class RevocationRow(Table, table=True):
    """A revocation known from RecognitionRevoked; kept apart so one arriving before its
    recognition still counts when the recognition comes."""

    __tablename__ = "revocations"

    entry_id: UUID = Field(primary_key=True)
    certificate_number: str = Field(max_length=60)
    decision_number: str = Field(max_length=100)
    reason: str = Field(default="", max_length=2000)
    revoked_at: datetime = Field(sa_type=DateTime(timezone=True))


class FacilityRow(Table, table=True):
    """A facility (cơ sở CNNT) known from registration's FacilityRecorded: only these may apply.
    Keeps the latest version of the record (by ``recorded_at``)."""

    __tablename__ = "facilities"

    id: UUID = Field(primary_key=True)
    name: str = Field(max_length=300)
    kind: FacilityKind = Field(sa_type=enum_type(FacilityKind))
    province_code: str = Field(max_length=40)
    current_province_code: str = Field(max_length=40)
    recorded_at: datetime = Field(sa_type=DateTime(timezone=True))


class IdempotencyRow(Table, table=True):
    """A command's client request id (Idempotency-Key) and the result it produced."""

    __tablename__ = "idempotency_keys"

    subject: str = Field(max_length=200, primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    command: str = Field(max_length=80)
    fingerprint: str = Field(max_length=64)
    status_code: int = 0
    response: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    created_at: datetime | None = Field(default=None, sa_column=created_at())


idempotency_keys = table_of(IdempotencyRow)
"""The table ``cnnt_runtime.db.idempotency.run_once`` keeps support's commands' answers in."""
