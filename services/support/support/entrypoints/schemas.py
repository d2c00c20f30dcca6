"""HTTP schemas: the XBase / XCreate / XPublic family, apart from the tables.

Money is whole VND: strict JSON integers (a float, even 1.0, is refused), never negative.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cnnt_contracts.vocabulary import FacilityKind, FundingSource, Level, SchemeKind
from cnnt_runtime.http.fields import Line, Name, Paragraphs, ProgrammeYear
from support.domain.model import ApplicationStatus, SchemeStatus
from support.service_layer.queries import SchemeView

Vnd = Annotated[int, Field(strict=True, ge=0, le=10**15, description="Whole VND (đồng)")]
PerSource = dict[FundingSource, Vnd]


class SchemeBase(BaseModel):
    code: Name = Field(min_length=1, max_length=60, examples=["KC-DL-2016-HC01"])
    title: Name = Field(
        min_length=1,
        max_length=500,
        examples=["Hội chợ hàng CNNT tiêu biểu khu vực miền Trung – Tây Nguyên 2016"],
    )
    kind: SchemeKind
    year: ProgrammeYear
    scope_code: Line = Field(
        min_length=1, max_length=40, description="Province code (earlier ones too) or VN"
    )


class SchemeCreate(SchemeBase):
    budget: PerSource = Field(description="Budget per funding source, whole VND")


class SchemePublic(SchemeBase):
    id: UUID
    # Shown as stored: rows written before input was normalised must still read.
    code: str
    title: str
    status: SchemeStatus
    budget: dict[FundingSource, int]
    granted: dict[FundingSource, int]
    remaining: dict[FundingSource, int]

    @classmethod
    def of(cls, view: SchemeView) -> SchemePublic:
        scheme, budget = view.scheme, view.budget
        return cls(
            id=scheme.id,
            code=scheme.code,
            title=scheme.title,
            kind=scheme.kind,
            year=scheme.year,
            scope_code=scheme.scope_code,
            status=scheme.status,
            budget={s: budget.allotted.get(s, 0) for s in FundingSource},
            granted={s: budget.granted.get(s, 0) for s in FundingSource},
            remaining={s: budget.remaining(s) for s in FundingSource},
        )


class FacilityPublic(BaseModel):
    """A facility as support knows it from registration (the facilities that may apply)."""

    model_config = ConfigDict(from_attributes=True)
    id: UUID
    name: str
    kind: FacilityKind
    province_code: str
    current_province_code: str
    recorded_at: datetime


class ApplicationCreate(BaseModel):
    facility_id: UUID
    facility_name: Name = Field(min_length=1, max_length=300, examples=["HTX Dệt thổ cẩm Buôn Đôn"])
    province_code: Line = Field(min_length=1, max_length=40)
    product_id: UUID | None = None
    purpose: Paragraphs = Field(default="", max_length=2000)
    asked: PerSource = Field(description="Amount asked per funding source, whole VND")


class ApplicationPublic(ApplicationCreate):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    facility_name: str  # as stored (see SchemePublic)
    scheme_id: UUID
    status: ApplicationStatus
    applied_at: datetime


class GrantCreate(BaseModel):
    amounts: PerSource | None = Field(
        default=None, description="Per source; defaults to what the application asks"
    )


class PriorityRecognition(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    certificate_number: str
    level: Level
    mean_score: Decimal


class GrantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    scheme_id: UUID
    application_id: UUID
    facility_id: UUID
    product_id: UUID | None
    amounts: dict[FundingSource, int]
    total: int
    priority_recognition: PriorityRecognition | None
    allocation_run_id: UUID | None
    granted_at: datetime


class DecisionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    rank: int
    application_id: UUID
    facility_id: UUID
    facility_name: str
    applied_at: datetime
    asked: dict[FundingSource, int]
    priority_band: str = Field(
        description="national, regional, provincial, local (commune or district) or none"
    )
    priority_recognition: PriorityRecognition | None
    outcome: str = Field(description="granted or skipped")
    reason: str = Field(description="within_budget or budget_exhausted")
    short_source: FundingSource | None


class AllocationPlanPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    scheme_id: UUID
    as_of: date
    digest: str = Field(description="Pass it back to the run to refuse a plan that changed")
    decisions: list[DecisionPublic]
    budget: dict[FundingSource, int]
    granted_before: dict[FundingSource, int]
    granted_after: dict[FundingSource, int]


class AllocationRunCreate(BaseModel):
    expected_digest: Line | None = Field(
        default=None,
        max_length=200,
        description="The preview's digest; the run is refused if the plan changed",
    )


class AllocationRunPublic(AllocationPlanPublic):
    id: UUID
    grants: list[GrantPublic]
