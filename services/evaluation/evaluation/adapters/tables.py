"""Evaluation's tables, all in the ``evaluation`` schema."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import DateTime, Index, Numeric, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_runtime.db.replicas import EntryReplicaColumns, RoundReplicaColumns
from cnnt_runtime.db.tables import service_tables
from cnnt_runtime.db.types import enum_type, table_of

SCHEMA = "evaluation"
metadata, outbox, inbox = service_tables(SCHEMA)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class RoundRow(RoundReplicaColumns, Table, table=True):
    """A round as registration announced it."""

    __tablename__ = "rounds"

    level: Level = Field(sa_type=enum_type(Level))
    # RoundClosed's count of standing entries: judging starts once evaluation holds them all.
    expected_entries: int | None = None
    # Evaluation's own per-round settings and the closing of judging (kết thúc chấm điểm).
    spread_threshold: Decimal = Field(default=Decimal(10), sa_type=Numeric(5, 1))
    judging_closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    judging_closed_by: str | None = Field(default=None, max_length=200)
    overridden_flags: int = 0
    override_by: str | None = Field(default=None, max_length=200)
    override_reason: str | None = Field(default=None, max_length=2000)


class EntryRow(EntryReplicaColumns, Table, table=True):
    """An entry to be judged, known only from ProductRegistered / EntryWithdrawn."""

    __tablename__ = "entries"

    product_group: ProductGroup = Field(sa_type=enum_type(ProductGroup))
    facility_id: UUID = Field(index=True)
    facility_kind: FacilityKind = Field(sa_type=enum_type(FacilityKind))


class JuryMemberRow(Table, table=True):
    """A jury member; ``id`` is the judge id their judge token carries as its scope.
    ``account_id`` is the person's console account: one person sits on many juries over the
    rounds and signs in once (their ``GET /juries/mine`` lists every membership)."""

    __tablename__ = "jury_members"
    __table_args__ = (
        Index(
            "ux_jury_members_one_chair",
            "round_id",
            unique=True,
            postgresql_where=text("is_chair"),
        ),
        Index(
            "ux_jury_members_one_seat_per_account",
            "round_id",
            "account_id",
            unique=True,
            postgresql_where=text("account_id IS NOT NULL"),
        ),
    )

    id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    organisation: str = Field(default="", max_length=300)
    is_chair: bool = False
    account_id: str | None = Field(default=None, max_length=80, index=True)
    appointed_by: str = Field(max_length=200)
    appointed_at: datetime = Field(sa_type=DateTime(timezone=True))


class ConflictRow(Table, table=True):
    """A member's declared conflict of interest (xung đột lợi ích) with a facility."""

    __tablename__ = "conflicts"

    member_id: UUID = Field(primary_key=True)
    facility_id: UUID = Field(primary_key=True)
    note: str = Field(default="", max_length=2000)
    declared_at: datetime = Field(sa_type=DateTime(timezone=True))


class RecusalRow(Table, table=True):
    """The chair's recusal of a member from one entry, with its reason."""

    __tablename__ = "recusals"

    member_id: UUID = Field(primary_key=True)
    entry_id: UUID = Field(primary_key=True)
    reason: str = Field(max_length=2000)
    recused_by: UUID
    recused_at: datetime = Field(sa_type=DateTime(timezone=True))


class ScoreSheetRow(Table, table=True):
    """One member's sheet for one entry, holding its latest revision (the one that counts)."""

    __tablename__ = "score_sheets"
    __table_args__ = (
        UniqueConstraint("entry_id", "member_id", name="uq_score_sheets_entry_member"),
    )

    id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    entry_id: UUID
    member_id: UUID = Field(index=True)
    revision: int = 0
    market: Decimal = Field(default=Decimal(0), sa_type=Numeric(3, 1))
    technical: Decimal = Field(default=Decimal(0), sa_type=Numeric(3, 1))
    culture: Decimal = Field(default=Decimal(0), sa_type=Numeric(3, 1))
    other: Decimal = Field(default=Decimal(0), sa_type=Numeric(3, 1))
    total: Decimal = Field(default=Decimal(0), sa_type=Numeric(4, 1))
    comment: str = Field(default="", max_length=4000)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class SheetRevisionRow(Table, table=True):
    """Every revision of every sheet, kept: the history of a member's scoring."""

    __tablename__ = "sheet_revisions"
    __table_args__ = (
        Index(
            "ux_sheet_revisions_request",
            "member_id",
            "request_id",
            unique=True,
            postgresql_where=text("request_id IS NOT NULL"),
        ),
    )

    sheet_id: UUID = Field(primary_key=True)
    revision: int = Field(primary_key=True)
    round_id: UUID
    entry_id: UUID
    member_id: UUID
    market: Decimal = Field(sa_type=Numeric(3, 1))
    technical: Decimal = Field(sa_type=Numeric(3, 1))
    culture: Decimal = Field(sa_type=Numeric(3, 1))
    other: Decimal = Field(sa_type=Numeric(3, 1))
    total: Decimal = Field(sa_type=Numeric(4, 1))
    comment: str = Field(default="", max_length=4000)
    request_id: str | None = Field(default=None, max_length=200)
    event_id: UUID
    submitted_at: datetime = Field(sa_type=DateTime(timezone=True))


# Core handles of the tables, for the statements built once (``statements``, ``batch_statements``).
members, rounds, entries = table_of(JuryMemberRow), table_of(RoundRow), table_of(EntryRow)
sheets, revisions = table_of(ScoreSheetRow), table_of(SheetRevisionRow)
conflicts, recusals = table_of(ConflictRow), table_of(RecusalRow)


class DossierStateRow(Table, table=True):
    """Where an entry's dossier stands at registration's desk (received, returned for
    supplement, accepted) and its physical sample, from registration's events: the judges'
    worklist shows it. Kept apart from the entry so a step arriving first is not lost."""

    __tablename__ = "dossier_states"

    entry_id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    status: str = Field(default="", max_length=20)
    status_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    sample: str = Field(default="", max_length=20)
    sample_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
