"""Evaluation's tables, all in the ``evaluation`` schema."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from cnnt_shared.contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_shared.db.tables import inbox_table, outbox_table
from cnnt_shared.db.types import enum_type

SCHEMA = "evaluation"
metadata = MetaData(schema=SCHEMA)
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass


class RoundRow(Table, table=True):
    """A round as registration announced it."""

    __tablename__ = "rounds"

    id: UUID = Field(primary_key=True)
    level: Level = Field(sa_type=enum_type(Level))
    scope_code: str = Field(max_length=40)
    year: int
    name: str = Field(default="", max_length=300)
    registration_closed: bool = False


class EntryRow(Table, table=True):
    """An entry to be judged, known only from ProductRegistered / EntryWithdrawn."""

    __tablename__ = "entries"

    id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    product_id: UUID
    product_name: str = Field(max_length=300)
    product_group: ProductGroup = Field(sa_type=enum_type(ProductGroup))
    is_set: bool = False
    facility_id: UUID = Field(index=True)
    facility_name: str = Field(max_length=300)
    facility_kind: FacilityKind = Field(sa_type=enum_type(FacilityKind))
    province_code: str = Field(max_length=10)
    registered_at: datetime = Field(sa_type=DateTime(timezone=True))
    withdrawn: bool = False
