"""Certification's tables, all in the ``certification`` schema."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, DateTime, LargeBinary, Numeric, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from certification.domain.decisions import DecisionKind
from certification.domain.results import Outcome, Reason
from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_runtime.db.replicas import EntryReplicaColumns, RoundReplicaColumns
from cnnt_runtime.db.tables import service_tables
from cnnt_runtime.db.types import enum_type

SCHEMA = "certification"
metadata, outbox, inbox = service_tables(SCHEMA)

SCORE = Numeric(5, 1)
MEAN = Numeric(6, 2)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class RoundRow(RoundReplicaColumns, Table, table=True):
    """A round as registration announced it, with its certificate counter."""

    __tablename__ = "rounds"

    level: Level = Field(sa_type=enum_type(Level))
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    decision_id: UUID | None = None
    certificates_issued: int = 0


class JudgingRow(Table, table=True):
    """Judging closed for a round (JudgingClosed), with the jury size the quorum applies to."""

    __tablename__ = "judging"

    round_id: UUID = Field(primary_key=True)
    jury_size: int
    closed_at: datetime = Field(sa_type=DateTime(timezone=True))
    # What judging ended with, to tell a whole tally from one still arriving (None: a
    # JudgingClosed published before it carried these counts).
    entries: int | None = None
    sheets: int | None = None
    sheet_revisions: int | None = None
    sheets_set_aside: int | None = None


class EntryRow(EntryReplicaColumns, Table, table=True):
    """An entry, known only from ProductRegistered / EntryWithdrawn."""

    __tablename__ = "entries"

    product_group: ProductGroup = Field(sa_type=enum_type(ProductGroup))
    facility_id: UUID
    facility_kind: FacilityKind = Field(sa_type=enum_type(FacilityKind))
    current_province_code: str = Field(max_length=40)
    registration_sequence: int | None = Field(
        default=None, sa_type=BigInteger, description="Registration order (ties in ranking)"
    )


class SheetRow(Table, table=True):
    """The tally: each member's latest revision of their sheet for an entry. A sheet set aside
    (the member declared a conflict or was recused after scoring) stays, marked, and does not
    count; if that news overtakes the sheet itself, the row holds the mark at revision 0."""

    __tablename__ = "sheets"

    entry_id: UUID = Field(primary_key=True)
    judge_id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    sheet_id: UUID
    revision: int
    market: Decimal = Field(sa_type=SCORE)
    technical: Decimal = Field(sa_type=SCORE)
    culture: Decimal = Field(sa_type=SCORE)
    other: Decimal = Field(sa_type=SCORE)
    submitted_at: datetime = Field(sa_type=DateTime(timezone=True))
    set_aside_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    set_aside_reason: str | None = Field(default=None, max_length=40)


class DecisionRow(Table, table=True):
    """A recorded decision (quyết định) of the certifying authority."""

    __tablename__ = "decisions"
    # Numbers restart each year at each authority: 123/QĐ-UBND of Đắk Lắk in 2021 is not
    # 123/QĐ-UBND of Đồng Tháp, nor of Đắk Lắk in 2022.
    __table_args__ = (UniqueConstraint("authority", "year", "number"),)

    id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    kind: DecisionKind = Field(sa_type=enum_type(DecisionKind))
    authority: str = Field(max_length=40, description="Province code, or VN for the ministry")
    year: int
    number: str = Field(max_length=100)
    decided_on: date
    reason: str = Field(default="", max_length=2000)
    decided_by: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_type=DateTime(timezone=True))
    # As printed on the certificate: the issuing body, where it signed, and who signed.
    issuer: str = Field(default="", max_length=300)
    place: str = Field(default="", max_length=100)
    signatory_title: str = Field(default="", max_length=200)
    signatory_name: str = Field(default="", max_length=200)


class ResultRow(Table, table=True):
    """A round's results as the confirming decision published them; they never change."""

    __tablename__ = "results"

    round_id: UUID = Field(primary_key=True)
    entry_id: UUID = Field(primary_key=True)
    decision_id: UUID
    position: int
    rank: int | None = None
    judges: int
    mean: Decimal | None = Field(default=None, sa_type=MEAN)
    market: Decimal | None = Field(default=None, sa_type=MEAN)
    technical: Decimal | None = Field(default=None, sa_type=MEAN)
    culture: Decimal | None = Field(default=None, sa_type=MEAN)
    other: Decimal | None = Field(default=None, sa_type=MEAN)
    outcome: Outcome = Field(sa_type=enum_type(Outcome))
    reason: Reason | None = Field(default=None, sa_type=enum_type(Reason))
    note: str = Field(default="", max_length=2000)


class CertificateSeriesRow(Table, table=True):
    """The counter of a certificate series; locked by the decision that takes numbers."""

    __tablename__ = "certificate_series"

    series: str = Field(primary_key=True, max_length=100)
    issued: int = 0


class RecognitionRow(Table, table=True):
    """A recognition and its certificate (giấy chứng nhận)."""

    __tablename__ = "recognitions"
    __table_args__ = (UniqueConstraint("series", "sequence"),)

    certificate_number: str = Field(primary_key=True, max_length=100)
    round_id: UUID = Field(index=True)
    series: str = Field(max_length=100)
    sequence: int
    entry_id: UUID = Field(unique=True)
    decision_id: UUID
    rank: int
    mean: Decimal = Field(sa_type=MEAN)
    valid_until: date
    recognized_at: datetime = Field(sa_type=DateTime(timezone=True))
    revoked_by: UUID | None = None


class DocumentRow(Table, table=True):
    """A signed PDF as issued (a certificate's edition, a decision): kept byte for byte, never
    changed, so a file a person holds can be told apart by its SHA-256. A revoked certificate
    gets a new edition (version 2, stamped); its first edition stays as it was signed."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("kind", "subject", "version"),)

    sha256: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=20, description="certificate or decision")
    subject: str = Field(max_length=100, description="The certificate number or decision id")
    version: int
    content: bytes = Field(sa_type=LargeBinary)
    signer: str = Field(max_length=500)
    signed_at: datetime = Field(sa_type=DateTime(timezone=True))
