"""Certification's tables, all in the ``certification`` schema."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from cnnt_shared.db.tables import inbox_table, outbox_table

SCHEMA = "certification"
metadata = MetaData(schema=SCHEMA)
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)


class Table(SQLModel, registry=registry(metadata=metadata)):
    pass
