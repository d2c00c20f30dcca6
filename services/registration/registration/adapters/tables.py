"""Registration's tables, all in the ``registration`` schema."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import BigInteger, Column, DateTime, Identity, LargeBinary, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup, Region
from cnnt_runtime.db.tables import created_at, service_tables
from cnnt_runtime.db.types import enum_type
from registration.domain.dossier_parts import DossierStatus
from registration.domain.model import RoundStatus

SCHEMA = "registration"
metadata, outbox, inbox = service_tables(SCHEMA)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class FacilityRow(Table, table=True):
    __tablename__ = "facilities"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    name: str = Field(max_length=300)
    kind: FacilityKind = Field(sa_type=enum_type(FacilityKind))
    name_folded: str = Field(default="", max_length=300, index=True)
    business_code: str = Field(max_length=40, unique=True)
    province_code: str = Field(max_length=40, index=True)
    commune_code: str | None = Field(default=None, max_length=5, index=True)
    address: str = Field(default="", max_length=500)
    contacts: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    created_at: datetime | None = Field(default=None, sa_column=created_at())


class ProductRow(Table, table=True):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("facility_id", "name", name="uq_product_facility_name"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    facility_id: UUID = Field(foreign_key="registration.facilities.id", index=True)
    name: str = Field(max_length=300)
    name_folded: str = Field(default="", max_length=300, index=True)
    group: ProductGroup = Field(sa_type=enum_type(ProductGroup))
    is_set: bool = False
    description: str = Field(default="", max_length=4000)
    created_at: datetime | None = Field(default=None, sa_column=created_at())


class RoundRow(Table, table=True):
    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("level", "scope_code", "year", name="uq_round_level_scope_year"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    name: str = Field(max_length=300)
    level: Level = Field(sa_type=enum_type(Level))
    scope_code: str = Field(max_length=40)
    year: int
    opens_on: date
    closes_on: date
    status: RoundStatus = Field(default=RoundStatus.DRAFT, sa_type=enum_type(RoundStatus))
    threshold: Decimal = Field(default=Decimal(70), max_digits=5, decimal_places=2)
    quorum: Decimal = Field(default=Decimal("0.6667"), max_digits=5, decimal_places=4)
    quota: int | None = None
    group_quotas: dict[str, int] = Field(default_factory=dict, sa_type=JSONB)
    validity_years: int = 2
    requires_local_recognition: bool = False
    opened_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime | None = Field(default=None, sa_column=created_at())


class EntryRow(Table, table=True):
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("round_id", "product_id", name="uq_entry_round_product"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    round_id: UUID = Field(foreign_key="registration.rounds.id", index=True)
    product_id: UUID = Field(foreign_key="registration.products.id", index=True)
    facility_id: UUID = Field(foreign_key="registration.facilities.id", index=True)
    declarations: dict[str, bool] = Field(default_factory=dict, sa_type=JSONB)
    withdrawn_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    withdrawal_reason: str = Field(default="", max_length=1000)
    registered_at: datetime = Field(sa_type=DateTime(timezone=True))
    # Registration order: rows of one import share ``registered_at``, and ranking ties are
    # broken by registration order, so each entry takes the next number as it is stored.
    sequence: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(), nullable=False, unique=True),
    )


class ProvinceRegionRow(Table, table=True):
    """The region of each current unit, for regional rounds; operators change it as data."""

    __tablename__ = "province_regions"

    unit_code: str = Field(primary_key=True, max_length=40)
    region: Region = Field(sa_type=enum_type(Region))
    updated_at: datetime | None = Field(default=None, sa_column=created_at())


class RecognitionRow(Table, table=True):
    """A recognition (công nhận) recorded from ProductRecognized, one per recognised entry."""

    __tablename__ = "recognitions"

    entry_id: UUID = Field(primary_key=True)
    certificate_number: str = Field(max_length=80)
    round_id: UUID
    level: Level = Field(sa_type=enum_type(Level))
    scope_code: str = Field(max_length=40)
    year: int
    product_id: UUID = Field(index=True)
    facility_id: UUID
    valid_until: date
    recognized_at: datetime = Field(sa_type=DateTime(timezone=True))


class RevocationRow(Table, table=True):
    """A revoked recognition, kept apart so a revocation arriving first is not lost."""

    __tablename__ = "revocations"

    entry_id: UUID = Field(primary_key=True)
    certificate_number: str = Field(max_length=80)
    product_id: UUID = Field(index=True)
    decision_number: str = Field(max_length=80)
    reason: str = Field(default="", max_length=1000)
    revoked_at: datetime = Field(sa_type=DateTime(timezone=True))


class DossierRow(Table, table=True):
    """An entry's dossier at the receiving desk; an entry without a row has an empty, open one
    (entries entered through the API or an import before any file arrives)."""

    __tablename__ = "dossiers"

    entry_id: UUID = Field(primary_key=True, foreign_key="registration.entries.id")
    status: DossierStatus = Field(default=DossierStatus.OPEN, sa_type=enum_type(DossierStatus))
    received_on: date | None = None
    received_by: str = Field(default="", max_length=200)
    sample_received_on: date | None = None
    sample_received_by: str = Field(default="", max_length=200)
    sample_returned_on: date | None = None
    sample_returned_by: str = Field(default="", max_length=200)
    return_reasons: dict[str, str] = Field(default_factory=dict, sa_type=JSONB)
    return_deadline: date | None = None
    returned_by: str = Field(default="", max_length=200)
    accepted_by: str = Field(default="", max_length=200)
    accepted_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    updated_at: datetime | None = Field(default=None, sa_column=created_at())


class DossierStepRow(Table, table=True):
    """Every step at the desk: who did what, when (the dossier's history)."""

    __tablename__ = "dossier_steps"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    entry_id: UUID = Field(foreign_key="registration.entries.id", index=True)
    step: str = Field(max_length=40)
    actor: str = Field(max_length=200)
    at: datetime = Field(sa_type=DateTime(timezone=True))
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)


class FileBlobRow(Table, table=True):
    """A stored content, named by its SHA-256: one per distinct content, whoever uploaded it.
    ``last_used_at`` is renewed by every upload that needs it, so the orphan cleaner (which
    removes blobs no file references) never takes one an upload is about to reference."""

    __tablename__ = "file_blobs"

    sha256: str = Field(primary_key=True, min_length=64, max_length=64)
    size: int = Field(sa_type=BigInteger)
    content_type: str = Field(max_length=100)
    # The backend holding the bytes ("" until written): a blob stored by one backend is written
    # again after a switch to another, not assumed present there.
    stored_in: str = Field(default="", max_length=20)
    created_at: datetime | None = Field(default=None, sa_column=created_at())
    last_used_at: datetime = Field(sa_type=DateTime(timezone=True))


class FileChunkRow(Table, table=True):
    """The PostgreSQL adapter's bytes: a blob in chunks of 1 MiB, read and written one at a
    time."""

    __tablename__ = "file_chunks"

    sha256: str = Field(primary_key=True, max_length=64)
    seq: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class DossierFileRow(Table, table=True):
    """A file in a dossier's part: its name as uploaded, its blob and its thumbnail's."""

    __tablename__ = "dossier_files"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    entry_id: UUID = Field(foreign_key="registration.entries.id", index=True)
    part: str = Field(max_length=40)
    file_name: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    content_type: str = Field(max_length=100)
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(foreign_key="registration.file_blobs.sha256", index=True, max_length=64)
    thumbnail_sha256: str | None = Field(
        default=None, foreign_key="registration.file_blobs.sha256", index=True, max_length=64
    )
    width: int | None = None
    height: int | None = None
    uploaded_by: str = Field(max_length=200)
    uploaded_at: datetime = Field(sa_type=DateTime(timezone=True))


class JurySeatRow(Table, table=True):
    """A seat on a round's jury, from evaluation's JuryMemberAppointed: a judge's token (scoped
    to the seat's member id, or to the person's account) reads that round's dossiers."""

    __tablename__ = "jury_seats"

    member_id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    account_id: str | None = Field(default=None, max_length=80, index=True)
    appointed_at: datetime = Field(sa_type=DateTime(timezone=True))
