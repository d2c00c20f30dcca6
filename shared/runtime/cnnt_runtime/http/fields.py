"""Annotated types for HTTP schemas and parameters.

Text normalised at the edge (``cnnt_runtime.text``): use ``Name`` for anything people look things
up by (facility, product, round, member names), ``Line`` for other one-line values (codes,
numbers, reasons) and ``Paragraphs`` for free text. Bound each with ``Field(max_length=...)``
where it is used; the bound applies to what arrives.

The programme year, bounded once by ``FIRST_YEAR`` and ``LAST_YEAR``: ``ProgrammeYear`` for a
field of a body model, ``YearQuery`` for a query parameter (``YearQuery | None = None`` when it
may be left out). The event contracts carry a year without bounds, so the bounds live here.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Query
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from cnnt_contracts.identifiers import RULES, Kind, refusal
from cnnt_runtime.text import normalise_line, normalise_name, normalise_paragraphs

Name = Annotated[str, AfterValidator(normalise_name)]
Line = Annotated[str, AfterValidator(normalise_line)]
Paragraphs = Annotated[str, AfterValidator(normalise_paragraphs)]


def _checked(kind: Kind) -> AfterValidator:
    """The rule of ``cnnt_contracts.identifiers`` for ``kind``: refused as ``invalid_<kind>``
    with its Vietnamese rule (the import and the console's form apply the same one)."""

    def check(value: str) -> str:
        if refusal(kind, value) is not None:
            raise PydanticCustomError(kind, RULES[kind])
        return value

    return AfterValidator(check)


TaxCode = Annotated[str, AfterValidator(normalise_line), _checked("tax_code")]
Phone = Annotated[str, AfterValidator(normalise_line), _checked("phone")]
Email = Annotated[str, AfterValidator(normalise_line), _checked("email")]

FIRST_YEAR: Final = 2000
LAST_YEAR: Final = 2100
_YEAR = f"Programme year, {FIRST_YEAR} to {LAST_YEAR}"

ProgrammeYear = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description=_YEAR)]
YearQuery = Annotated[int, Query(ge=FIRST_YEAR, le=LAST_YEAR, description=_YEAR)]
