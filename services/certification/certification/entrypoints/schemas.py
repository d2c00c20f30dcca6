"""Certification's HTTP schemas."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from certification.adapters.tables import DecisionRow
from certification.domain.certificates import CertificateStatus
from certification.domain.decisions import DecisionKind
from certification.domain.results import Outcome, Reason
from certification.domain.tally import Tally
from cnnt_contracts import ResultSettings
from cnnt_contracts.vocabulary import FacilityKind, Level, ProductGroup
from cnnt_runtime.http.fields import Name, Paragraphs


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
    tally: TallyPublic


class TallyPublic(BaseModel):
    """Whether certification holds everything judging closed with (kiểm phiếu đầy đủ). A
    decision is refused with 409 `tally_incomplete` while `complete` is false."""

    complete: bool
    judging_closed: bool = Field(description="Certification has received JudgingClosed")
    checked: bool = Field(
        description="False for a round whose JudgingClosed carried no counts (before they "
        "existed): its tally cannot be checked and counts as complete"
    )
    entries_expected: int | None
    entries_received: int
    sheets_expected: int | None
    sheets_received: int
    sheet_revisions_expected: int | None
    sheet_revisions_received: int
    sheets_set_aside_expected: int | None
    sheets_set_aside_received: int


class Exclusion(BaseModel):
    entry_id: UUID
    reason: Paragraphs = Field(min_length=1, max_length=2000)


class DecisionCreate(BaseModel):
    """Confirm a round's results (Quyết định công nhận)."""

    number: Name = Field(min_length=1, max_length=100, examples=["1234/QĐ-UBND"])
    decided_on: date
    exclusions: list[Exclusion] = Field(
        default_factory=list,
        max_length=5000,
        description="Passed entries the council declines, with reasons",
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

    number: Name = Field(min_length=1, max_length=100)
    decided_on: date
    reason: Paragraphs = Field(min_length=1, max_length=2000)
    recognise: list[UUID] = Field(
        min_length=1, max_length=5000, description="Entries that passed but were left out"
    )


class RevocationCreate(BaseModel):
    """Revoke a certificate (Quyết định thu hồi)."""

    number: Name = Field(min_length=1, max_length=100)
    decided_on: date
    reason: Paragraphs = Field(min_length=1, max_length=2000)


class RevocationPublic(BaseModel):
    decision_number: str
    decided_on: date
    reason: str

    @classmethod
    def of(cls, decision: DecisionRow | None) -> RevocationPublic | None:
        """The revoking decision of a certificate, if one revoked it."""
        if decision is None:
            return None
        return cls(
            decision_number=decision.number, decided_on=decision.decided_on, reason=decision.reason
        )


class DocumentCheck(BaseModel):
    """Whether a file (by its SHA-256) is a signed edition certification issued of this
    certificate: ``current`` is the latest edition (the stamped one once revoked); an earlier
    edition is genuine but superseded."""

    sha256: str
    issued: bool
    version: int | None = None
    current: bool = False
    signed_at: datetime | None = None


class VerificationPublic(BaseModel):
    """What a buyer or another agency learns about a certificate number (and, given a file's
    SHA-256, whether that file is the one issued)."""

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
    document: DocumentCheck | None = None


def tally_public(tally: Tally) -> TallyPublic:
    expected, received = tally.expected, tally.received
    figures: dict[str, int | None] = {}
    for name in ("entries", "sheets", "sheet_revisions", "sheets_set_aside"):
        figures[f"{name}_expected"] = getattr(expected, name) if expected else None
        figures[f"{name}_received"] = getattr(received, name)
    return TallyPublic(
        complete=tally.complete,
        judging_closed=tally.judging_closed,
        checked=tally.checked,
        **figures,
    )


class CertificateListed(BaseModel):
    """A certificate with its round, product, facility, granting decision and standing."""

    certificate_number: str
    status: CertificateStatus = Field(
        description="valid, not_yet_valid, revoked or expired, as /verify says"
    )
    level: Level
    scope_code: str
    year: int
    round_id: UUID
    round_name: str
    entry_id: UUID
    product_id: UUID
    product_name: str
    product_group: ProductGroup
    facility_id: UUID
    facility_name: str
    facility_kind: FacilityKind
    province_code: str = Field(description="The facility's province as recorded")
    current_province_code: str = Field(description="The current (2025) unit it rolls up under")
    rank: int
    mean: Decimal
    decision_number: str = Field(description="The decision that granted it")
    decided_on: date
    valid_until: date
    recognized_at: datetime
    revocation: RevocationPublic | None = None
