"""Registration's commands: what a route or a client asks the service layer to do, as
frozen dataclasses (a route maps its body to one; the use case carries it out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from cnnt_contracts import ResultSettings
from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup


@dataclass(frozen=True)
class CreateRound:
    """A draft round (đợt bình chọn) with the result settings its decision will apply."""

    name: str
    level: Level
    scope_code: str
    year: int
    opens_on: date
    closes_on: date
    settings: ResultSettings = field(default_factory=ResultSettings)
    requires_local_recognition: bool = False


@dataclass(frozen=True)
class RegisterEntry:
    """Enter a product in a round; ``registered_on`` (ministry and operators only) records a
    historical entry under its own date."""

    product_id: UUID
    declarations: dict[str, bool] = field(default_factory=dict)
    registered_on: date | None = None


@dataclass(frozen=True)
class WithdrawEntry:
    reason: str = ""


@dataclass(frozen=True)
class CreateFacility:
    """Record a facility (cơ sở CNNT); ``contacts`` holds only the fields given."""

    name: str
    kind: FacilityKind
    business_code: str
    province_code: str
    address: str = ""
    contacts: dict[str, str] = field(default_factory=dict)
    commune_code: str | None = None


@dataclass(frozen=True)
class UpdateFacility:
    """Change what is given (None: left as it is)."""

    name: str | None = None
    kind: FacilityKind | None = None
    province_code: str | None = None
    address: str | None = None
    contacts: dict[str, str] | None = None
    commune_code: str | None = None


@dataclass(frozen=True)
class CreateProduct:
    facility_id: UUID
    name: str
    group: ProductGroup
    is_set: bool = False
    description: str = ""


@dataclass(frozen=True)
class UpdateProduct:
    """Change what is given (None: left as it is)."""

    name: str | None = None
    group: ProductGroup | None = None
    is_set: bool | None = None
    description: str | None = None


@dataclass(frozen=True)
class EditRound:
    """A draft round's name and registration window, corrected."""

    name: str
    opens_on: date
    closes_on: date
