"""A consumer's local copy of what another service announced: rounds and entries from
registration, recognitions and their revocations from certification. Each consumer keeps the
columns its own table has; every write is idempotent by itself (keyed by the record's id), so a
redelivery, a replay with fresh event ids or events out of order change nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, Table, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, SQLModel

from cnnt_contracts import (
    EntryWithdrawn,
    ProductRecognized,
    ProductRegistered,
    ProductRegisteredData,
    RecognitionRevoked,
    RoundClosed,
    RoundClosedData,
    RoundOpened,
    RoundOpenedData,
    RoundRef,
)
from cnnt_runtime.db.unit_of_work import UnitOfWork, apply_once

RecognitionEvent = ProductRecognized | RecognitionRevoked
RegistrationEvent = RoundOpened | ProductRegistered | EntryWithdrawn | RoundClosed


# The columns every consumer's copy of registration's rounds and entries has: a consumer's
# table class takes them (they come first in its table), then adds its own. A column of an enum
# (``enum_type``: a VARCHAR and its CHECK) stays in each table class: its type is a schema
# object that joins the MetaData, and takes the schema, of the first table it is attached to, so
# two services' tables must not share one.


class RoundReplicaColumns(SQLModel):
    """A round as registration announces it; with the table's own ``level`` column."""

    id: UUID = Field(primary_key=True)
    scope_code: str = Field(max_length=40)
    year: int
    name: str = Field(default="", max_length=300)
    registration_closed: bool = False


class EntryReplicaColumns(SQLModel):
    """An entry as ProductRegistered / EntryWithdrawn announce it (``entry_record``); with the
    table's own ``product_group``, ``facility_id`` and ``facility_kind`` columns."""

    id: UUID = Field(primary_key=True)
    round_id: UUID = Field(index=True)
    product_id: UUID
    product_name: str = Field(max_length=300)
    is_set: bool = False
    facility_name: str = Field(max_length=300)
    province_code: str = Field(max_length=40)
    registered_at: datetime = Field(sa_type=DateTime(timezone=True))
    withdrawn: bool = False


def _columns_of(table: Table, record: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in record.items() if name in table.c}


async def keep_first(uow: UnitOfWork, table: Table, record: Mapping[str, Any]) -> None:
    """Store the record (the columns ``table`` has); a row with the same key stays as it was."""
    values = _columns_of(table, record)
    await uow.session.execute(insert(table).values(**values).on_conflict_do_nothing())


async def know_round(
    uow: UnitOfWork,
    rounds: Table,
    ref: RoundRef,
    *,
    defaults: Mapping[str, Any],
    known: Mapping[str, Any],
) -> None:
    """The round, whether or not its opening has arrived (an entry may overtake it): created
    from its reference with ``defaults``; what an event tells of it (``known``: its name,
    settings…) is stored whenever an event carries it, and never undone by one that does not."""
    identity = {"level": ref.level, "scope_code": ref.scope_code, "year": ref.year}
    stmt = insert(rounds).values(id=ref.id, **identity, **{**defaults, **known})
    await uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[rounds.c.id],
            set_={**identity, **{name: stmt.excluded[name] for name in known}},
        )
    )


def entry_record(data: ProductRegisteredData) -> dict[str, Any]:
    """An entry as ProductRegistered announces it, flat, keyed by ``id``."""
    return {
        "id": data.entry_id,
        "round_id": data.round.id,
        "product_id": data.product.id,
        "product_name": data.product.name,
        "product_group": data.product.group,
        "is_set": data.product.is_set,
        "facility_id": data.facility.id,
        "facility_name": data.facility.name,
        "facility_kind": data.facility.kind,
        "province_code": data.facility.province_code,
        "current_province_code": data.facility.current_province_code,
        "registered_at": data.registered_at,
        "registration_sequence": data.registration_sequence,
    }


@dataclass(frozen=True)
class RoundReplica:
    """A consumer's copy of registration's rounds and entries. ``defaults`` fill a round known
    only by reference (an entry overtook its opening); ``opened`` and ``closed`` say what the
    consumer keeps of RoundOpened and RoundClosed."""

    rounds: Table
    entries: Table
    defaults: Mapping[str, Any]
    opened: Callable[[RoundOpenedData], Mapping[str, Any]]
    closed: Callable[[RoundClosedData], Mapping[str, Any]]

    async def apply(self, uow: UnitOfWork, consumer: str, event: RegistrationEvent) -> None:
        """Apply the event once per consumer."""
        await apply_once(uow, consumer, event, lambda u: self._keep(u, event))

    async def _keep(self, uow: UnitOfWork, event: RegistrationEvent) -> None:
        match event:
            case RoundOpened(data=data):
                await self._know(uow, data.round, self.opened(data))
            case ProductRegistered(data=data):
                await self._know(uow, data.round, {})
                await keep_first(uow, self.entries, entry_record(data))
            case EntryWithdrawn(data=data):
                await uow.session.execute(
                    update(self.entries)
                    .where(self.entries.c.id == data.entry_id)
                    .values(withdrawn=True)
                )
            case RoundClosed(data=data):
                await self._know(uow, data.round, self.closed(data))

    async def _know(self, uow: UnitOfWork, ref: RoundRef, known: Mapping[str, Any]) -> None:
        await know_round(uow, self.rounds, ref, defaults=self.defaults, known=known)


@dataclass(frozen=True)
class RecognitionReplica:
    """A consumer's copy of recognitions and their revocations: two tables keyed by entry. A
    re-sent recognition changes nothing, and a revocation that overtakes its recognition is
    kept in its own table and still applies when the recognition arrives."""

    recognitions: Table
    revocations: Table

    async def apply(self, uow: UnitOfWork, consumer: str, event: RecognitionEvent) -> None:
        """Keep the recognition or the revocation, once per consumer."""
        await apply_once(uow, consumer, event, lambda u: self._keep(u, event))

    async def _keep(self, uow: UnitOfWork, event: RecognitionEvent) -> None:
        match event:
            case ProductRecognized(data=data):
                record = {
                    **data.model_dump(exclude={"product", "facility"}),
                    "product_id": data.product.id,
                    "facility_id": data.facility.id,
                }
                await keep_first(uow, self.recognitions, record)
            case RecognitionRevoked(data=data):
                await keep_first(uow, self.revocations, data.model_dump())
