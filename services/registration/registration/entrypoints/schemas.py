"""HTTP schemas: the XBase / XCreate / XPublic family, apart from the tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_serializer
from pydantic_core.core_schema import SerializerFunctionWrapHandler

from cnnt_contracts import ResultSettings
from cnnt_contracts.vocabulary import CommuneKind, FacilityKind, Level, ProductGroup, Region
from cnnt_runtime import reference
from cnnt_runtime.http.fields import Email, Line, Name, Paragraphs, Phone, ProgrammeYear, TaxCode
from registration.domain.model import RoundStatus

PROVINCE_CODE = "Province slug, current or pre-2025 (e.g. dak-lak, bac-kan)"
COMMUNE_CODE = (
    "The facility's 2025 commune (xã, phường, đặc khu): its five-digit official code, of a commune "
    "of the facility's province (GET /api/v1/provinces/{code}/communes)"
)


class Contacts(BaseModel):
    """How to reach the facility (liên hệ): these four, each bounded; nothing else is kept."""

    model_config = ConfigDict(extra="forbid")
    phone: Phone | None = Field(default=None, max_length=30, examples=["0262 3852 123"])
    email: Email | None = Field(default=None, max_length=254, examples=["htx@example.vn"])
    address: Line | None = Field(default=None, max_length=500)
    person: Name | None = Field(default=None, max_length=200, description="Contact person")

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, str]:
        # Stored and shown as given: {"phone": "…"} rather than four keys, three of them null.
        return {k: v for k, v in handler(self).items() if v is not None}


class FacilityBase(BaseModel):
    name: Name = Field(min_length=1, max_length=300, examples=["HTX Dệt thổ cẩm Đắk Lắk"])
    kind: FacilityKind
    business_code: TaxCode = Field(
        min_length=1,
        max_length=40,
        description="Tax code (mã số thuế): 10 digits, or 10 digits, '-' and 3 digits",
        examples=["6001234567"],
    )
    province_code: Line = Field(min_length=1, max_length=40, description=PROVINCE_CODE)
    commune_code: str | None = Field(
        default=None,
        pattern=r"^[0-9]{5}$",
        description=COMMUNE_CODE,
        examples=["24133"],
    )
    address: Line = Field(default="", max_length=500)
    contacts: Contacts = Field(default_factory=Contacts)


class FacilityCreate(FacilityBase):
    pass


class FacilityUpdate(BaseModel):
    name: Name | None = Field(default=None, min_length=1, max_length=300)
    kind: FacilityKind | None = None
    province_code: Line | None = Field(default=None, min_length=1, max_length=40)
    commune_code: str | None = Field(default=None, pattern=r"^[0-9]{5}$", description=COMMUNE_CODE)
    address: Line | None = Field(default=None, max_length=500)
    contacts: Contacts | None = None


PRIVATE = "Null unless the reader's scope covers the facility's province (docs/read-policy.md)"


class FacilityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    kind: FacilityKind
    province_code: str = Field(description=PROVINCE_CODE)
    commune_code: str | None = Field(default=None, description=COMMUNE_CODE)
    business_code: str | None = Field(description=f"Tax / business code. {PRIVATE}")
    address: str | None = Field(description=PRIVATE)
    contacts: dict[str, Any] | None = Field(description=PRIVATE)

    def for_reader(self, sees_private: bool) -> FacilityPublic:
        """This facility as a reader may see it: without tax code, address and contacts for a
        reader from another province."""
        if sees_private:
            return self
        return self.model_copy(update={"business_code": None, "address": None, "contacts": None})

    @computed_field  # type: ignore[prop-decorator]
    @property
    def current_province_code(self) -> str:
        """The current (2025) unit the recorded province rolls up under."""
        return reference.current_unit(self.province_code).code


class ProductBase(BaseModel):
    name: Name = Field(
        min_length=1, max_length=300, examples=["Cà phê bột nguyên chất Buôn Ma Thuột"]
    )
    group: ProductGroup
    is_set: bool = False
    description: Paragraphs = Field(default="", max_length=4000)


class ProductCreate(ProductBase):
    facility_id: UUID


class ProductUpdate(BaseModel):
    name: Name | None = Field(default=None, min_length=1, max_length=300)
    group: ProductGroup | None = None
    is_set: bool | None = None
    description: Paragraphs | None = Field(default=None, max_length=4000)


class ProductPublic(ProductBase):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str  # as stored (see FacilityPublic)
    facility_id: UUID


class RoundBase(BaseModel):
    name: Name = Field(min_length=1, max_length=300)
    level: Level = Field(
        description="commune (rounds opening from 1 July 2025), district (before it), "
        "provincial, regional, national"
    )
    scope_code: Line = Field(
        min_length=1,
        max_length=40,
        description="Province slug, region, VN; a commune's five-digit official code; a "
        "district's three-digit official code",
    )
    year: ProgrammeYear
    opens_on: date
    closes_on: date
    requires_local_recognition: bool = Field(
        default=False,
        description="Provincial rounds only: an entry needs a commune (or, before July 2025, "
        "district) recognition from the province, in force on its registration day",
    )


class RoundEdit(BaseModel):
    """What a draft round's organiser may correct: its name and registration window."""

    name: Name = Field(min_length=1, max_length=300)
    opens_on: date
    closes_on: date


class RoundCreate(RoundBase):
    settings: ResultSettings = Field(default_factory=ResultSettings)


class RoundPublic(RoundBase):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str  # as stored (see FacilityPublic)
    status: RoundStatus
    threshold: Decimal
    quorum: Decimal
    quota: int | None
    group_quotas: dict[str, int]
    validity_years: int
    opened_at: datetime | None
    closed_at: datetime | None


class EntryCreate(BaseModel):
    product_id: UUID
    declarations: dict[Annotated[str, Field(max_length=40)], bool] = Field(
        default_factory=dict,
        max_length=10,
        description="self_produced, no_ip_infringement, meets_standards, mass_producible",
    )
    registered_on: date | None = Field(
        default=None,
        description="Ministry and operator tokens only, to record historical entries: the "
        "registration date, inside the round's window; eligibility is checked as of that day. "
        "Others register today.",
    )


class EntryWithdraw(BaseModel):
    reason: Paragraphs = Field(default="", max_length=1000)


class EntryPublic(BaseModel):
    id: UUID
    round_id: UUID
    product_id: UUID
    product_name: str
    product_group: ProductGroup
    is_set: bool
    facility_id: UUID
    facility_name: str
    facility_kind: FacilityKind
    province_code: str = Field(description="Province as recorded")
    current_province_code: str = Field(description="The current unit it is counted under")
    registered_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str


class ProvinceRegionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    unit_code: str
    region: Region

    @computed_field  # type: ignore[prop-decorator]
    @property
    def name(self) -> str:
        return reference.province_name(self.unit_code)


class ProvinceRegionUpdate(BaseModel):
    region: Region


class EarlierUnitPublic(BaseModel):
    """An earlier commune-level unit a 2025 commune was formed from, and its district."""

    code: str = Field(description="Official five-digit code of the earlier ward or commune")
    name: str
    district_code: str = Field(description="Official three-digit code of its district")
    district_name: str | None


class CommunePublic(BaseModel):
    """A commune-level unit since 1 July 2025 (xã, phường, đặc khu)."""

    code: str = Field(description="Official five-digit code: the commune's scope code")
    name: str
    type: CommuneKind = Field(description="xa (xã), phuong (phường), dac_khu (đặc khu)")
    province_code: str
    formed_from: list[EarlierUnitPublic] = Field(
        description="The earlier wards and communes it was formed from (2025 reorganisation)"
    )


class DistrictPublic(BaseModel):
    """A district-level unit before 1 July 2025 (quận, huyện, thị xã, thành phố thuộc tỉnh)."""

    code: str = Field(description="Official three-digit code: the district's scope code")
    name: str
    type: str = Field(description="quan, huyen, thi_xa, thanh_pho")
    province_code: str = Field(description="The earlier province it belonged to")
    current_province_code: str = Field(description="The 2025 unit it rolls up under")


class ProvincePublic(BaseModel):
    """A province code the records may name: a current unit, or an earlier province."""

    code: str
    name: str
    current: bool = Field(description="True for a 2025 unit, false for an earlier province")
    successor: str = Field(description="The current unit it rolls up under")
