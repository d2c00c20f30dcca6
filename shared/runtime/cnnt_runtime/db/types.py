"""Column types shared by the services' tables."""

from __future__ import annotations

from enum import Enum
from typing import Any

import sqlalchemy as sa


def enum_type(enum: type[Enum]) -> sa.Enum:
    """Store an enum by its value in a VARCHAR with a CHECK, not as a PostgreSQL ENUM type:
    adding a value then needs no type migration, and the stored text is the contract's word."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda e: [member.value for member in e],
        name=f"{enum.__name__.lower()}_value",
        validate_strings=True,
    )


def table_of(model: type[Any]) -> sa.Table:
    """The Core table of a SQLModel table class, for statements that need no ORM objects."""
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table)
    return table
