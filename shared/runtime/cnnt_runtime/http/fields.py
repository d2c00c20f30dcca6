"""Annotated string types for HTTP schemas: text normalised at the edge (``cnnt_runtime.text``).

Use ``Name`` for anything people look things up by (facility, product, round, member names),
``Line`` for other one-line values (codes, numbers, reasons) and ``Paragraphs`` for free text.
Bound each with ``Field(max_length=...)`` where it is used; the bound applies to what arrives.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from cnnt_runtime.text import normalise_line, normalise_name, normalise_paragraphs

Name = Annotated[str, AfterValidator(normalise_name)]
Line = Annotated[str, AfterValidator(normalise_line)]
Paragraphs = Annotated[str, AfterValidator(normalise_paragraphs)]
