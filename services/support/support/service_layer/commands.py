"""Support's commands: what a route or a client asks the service layer to do, as
frozen dataclasses (a route maps its body to one; the use case carries it out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from cnnt_contracts.vocabulary import FundingSource, SchemeKind


@dataclass(frozen=True)
class CreateScheme:
    """A khuyến công scheme (đề án) with its budget per funding source."""

    code: str
    title: str
    kind: SchemeKind
    year: int
    scope_code: str
    budget: Mapping[FundingSource, int]


@dataclass(frozen=True)
class Apply:
    """A facility's application to a scheme, with the amount it asks per funding source."""

    facility_id: UUID
    facility_name: str
    province_code: str
    asked: Mapping[FundingSource, int]
    product_id: UUID | None = None
    purpose: str = ""


@dataclass(frozen=True)
class GrantApplication:
    """Grant an application (a support officer's manual grant); ``amounts`` per funding source,
    or what the application asks when None."""

    amounts: Mapping[FundingSource, int] | None = None


@dataclass(frozen=True)
class RunAllocation:
    """Grant the pending applications by priority; ``expected_digest`` (the preview's) refuses a
    run whose plan changed since."""

    expected_digest: str | None = None
