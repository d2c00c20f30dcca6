"""HTTP schemas: the XBase / XCreate / XPublic family, apart from the tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cnnt_shared.contracts import ResultSettings
from cnnt_shared.contracts.vocabulary import FacilityKind, Level, ProductGroup
from registration.domain.model import RoundStatus


class FacilityBase(BaseModel):
    name: str = Field(min_length=1, max_length=300, examples=["HTX Dệt thổ cẩm Đắk Lắk"])
    kind: FacilityKind
    business_code: str = Field(min_length=1, max_length=40, description="Tax / business code")
    province_code: str = Field(min_length=1, max_length=10)
    address: str = Field(default="", max_length=500)
    contacts: dict[str, Any] = Field(default_factory=dict)


class FacilityCreate(FacilityBase):
    pass


class FacilityPublic(FacilityBase):
    model_config = ConfigDict(from_attributes=True)
    id: UUID


class ProductBase(BaseModel):
    name: str = Field(
        min_length=1, max_length=300, examples=["Cà phê bột nguyên chất Buôn Ma Thuột"]
    )
    group: ProductGroup
    is_set: bool = False
    description: str = Field(default="", max_length=4000)


class ProductCreate(ProductBase):
    facility_id: UUID


class ProductPublic(ProductBase):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    facility_id: UUID


class RoundBase(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    level: Level
    scope_code: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=2000, le=2100)
    opens_on: date
    closes_on: date


class RoundCreate(RoundBase):
    settings: ResultSettings = Field(default_factory=ResultSettings)


class RoundPublic(RoundBase):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    status: RoundStatus
    threshold: Decimal
    quorum: Decimal
    quota: int | None
    group_quotas: dict[str, int]
    validity_years: int


class EntryCreate(BaseModel):
    product_id: UUID
    declarations: dict[str, bool] = Field(
        default_factory=dict,
        description="self_produced, no_ip_infringement, meets_standards, mass_producible",
    )


class EntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    round_id: UUID
    product_id: UUID
    facility_id: UUID
    registered_at: datetime
    withdrawn_at: datetime | None
