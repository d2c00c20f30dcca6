"""Certification's HTTP schemas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from certification.domain.certificates import CertificateStatus
from certification.domain.decisions import DecisionKind
from certification.domain.results import Outcome, Reason
from cnnt_shared.contracts import ResultSettings
from cnnt_shared.contracts.vocabulary import Level, ProductGroup


class ResultLine(BaseModel):
    entry_id: UUID
    product_name: str
    facility_name: str
    province_code: str
    group: ProductGroup
    rank: int | None
    judges: int
    mean: Decimal | None
    market: Decimal | None
    technical: Decimal | None
    culture: Decimal | None
    other: Decimal | None
    outcome: Outcome
    reason: Reason | None
    note: str = Field(description="The council's reason for declining, if it did")
    certificate_number: str | None


class DecisionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    round_id: UUID
    kind: DecisionKind
    number: str
    decided_on: date
    reason: str
    decided_by: str
    recorded_at: datetime
    issuer: str = ""
    place: str = ""
    signatory_title: str = ""
    signatory_name: str = ""


class ResultsPreview(BaseModel):
    """A round's results: what the decision would confirm, or what it confirmed."""

    round_id: UUID
    level: Level
    scope_code: str
    year: int
    name: str
    jury_size: int
    members_needed: int = Field(description="Members who must have scored an entry (quorum)")
    settings: ResultSettings
    decision: DecisionPublic | None
    results: list[ResultLine]


class Exclusion(BaseModel):
    entry_id: UUID
    reason: str = Field(min_length=1, max_length=2000)


class DecisionCreate(BaseModel):
    """Confirm a round's results (Quyết định công nhận)."""

    number: str = Field(min_length=1, max_length=100, examples=["1234/QĐ-UBND"])
    decided_on: date
    exclusions: list[Exclusion] = Field(
        default_factory=list, description="Passed entries the council declines, with reasons"
    )
    issuer: str = Field(
        default="",
        max_length=300,
        description="The issuing authority as printed; blank: the round's authority by name",
        examples=["ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"],
    )
    place: str = Field(
        default="",
        max_length=100,
        description="Where it was signed; blank: the province, or Hà Nội",
        examples=["Đắk Lắk"],
    )
    signatory_title: str = Field(default="", max_length=200, examples=["KT. CHỦ TỊCH"])
    signatory_name: str = Field(default="", max_length=200, examples=["Nguyễn Văn A"])


class DecisionIssued(DecisionPublic):
    certificates: list[str]


class CorrectionCreate(BaseModel):
    """Correct confirmed results (Quyết định điều chỉnh): recognise entries left out."""

    number: str = Field(min_length=1, max_length=100)
    decided_on: date
    reason: str = Field(min_length=1, max_length=2000)
    recognise: list[UUID] = Field(min_length=1, description="Entries that passed but were left out")


class RevocationCreate(BaseModel):
    """Revoke a certificate (Quyết định thu hồi)."""

    number: str = Field(min_length=1, max_length=100)
    decided_on: date
    reason: str = Field(min_length=1, max_length=2000)


class RevocationPublic(BaseModel):
    decision_number: str
    decided_on: date
    reason: str


class VerificationPublic(BaseModel):
    """What a buyer or another agency learns about a certificate number."""

    certificate_number: str
    status: CertificateStatus
    product_name: str | None = None
    facility_name: str | None = None
    province_code: str | None = None
    level: Level | None = None
    scope_code: str | None = None
    year: int | None = None
    decision_number: str | None = None
    valid_until: date | None = None
    revocation: RevocationPublic | None = None
