"""The four public events, version 1.1 (docs/contracts.md). Additive changes only within a version:
1.1 adds the commune and district levels, whose events travel on the ``….v1.1`` routing key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, PlainSerializer

from cnnt_contracts.envelope import Contract, Envelope
from cnnt_contracts.score_sheet import MAXIMA
from cnnt_contracts.vocabulary import (
    FacilityKind,
    FundingSource,
    Level,
    ProductGroup,
    SchemeKind,
)

# Scores travel as JSON numbers (halves are exact; means are rounded by their producer).
Score = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class RoundRef(Contract):
    id: UUID
    level: Level
    scope_code: str = Field(
        description="Province code, region code, VN for the nation; since 1.1 a commune's "
        "five-digit official code or a district's three-digit one"
    )
    year: int
    province_code: str | None = Field(
        default=None,
        description="Since 1.1: the province a commune, district or provincial round belongs "
        "to (a district's is the province as it was); null for regional and national rounds",
    )


class ProductRef(Contract):
    id: UUID
    name: str
    group: ProductGroup
    is_set: bool = Field(description="True for a product set (bộ sản phẩm)")


class FacilityRef(Contract):
    id: UUID
    name: str
    kind: FacilityKind
    province_code: str = Field(description="Province as recorded (may be a pre-2025 province)")
    current_province_code: str = Field(description="The current (2025) unit it rolls up under")
    commune_code: str | None = Field(
        default=None, description="Since 1.1: the facility's 2025 commune, if recorded"
    )


class ProductRegisteredData(Contract):
    entry_id: UUID
    round: RoundRef
    product: ProductRef
    facility: FacilityRef
    registered_at: AwareDatetime
    registration_sequence: int | None = Field(
        default=None,
        ge=1,
        description="Registration order kept by registration: increases with every entry "
        "stored, and separates entries with the same registered_at (the rows of one import). "
        "Ranking ties are broken by registered_at, then this. Absent from earlier events.",
    )


class ProductRegistered(Envelope):
    """An entry was accepted into a round."""

    public: ClassVar[bool] = True
    event_type: Literal["ProductRegistered"] = "ProductRegistered"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: ProductRegisteredData
    levelled: ClassVar[bool] = True

    def carries_local_level(self) -> bool:
        return self.data.round.level.is_local


# One score per criterion of the sheet, each from 0 to its maximum (``score_sheet``).
class CriterionScores(Contract):
    market: Score = Field(ge=0, le=MAXIMA["market"])
    technical: Score = Field(ge=0, le=MAXIMA["technical"])
    culture: Score = Field(ge=0, le=MAXIMA["culture"])
    other: Score = Field(ge=0, le=MAXIMA["other"])


class ScoreSubmittedData(Contract):
    sheet_id: UUID
    revision: int = Field(ge=1)
    entry_id: UUID
    round_id: UUID
    judge_id: UUID
    scores: CriterionScores
    total: Score
    submitted_at: AwareDatetime


class ScoreSubmitted(Envelope):
    """A jury member submitted or revised a score sheet."""

    public: ClassVar[bool] = True
    event_type: Literal["ScoreSubmitted"] = "ScoreSubmitted"
    event_version: Literal[1] = 1
    producer: Literal["evaluation"] = "evaluation"
    data: ScoreSubmittedData


class ProductRecognizedData(Contract):
    certificate_number: str
    level: Level
    scope_code: str
    year: int
    round_id: UUID
    entry_id: UUID
    product: ProductRef
    facility: FacilityRef
    mean_score: Score
    rank: int = Field(ge=1)
    valid_until: date
    decision_number: str
    recognized_at: AwareDatetime
    province_code: str | None = Field(
        default=None,
        description="Since 1.1: the province the round belongs to (as in RoundRef)",
    )


class ProductRecognized(Envelope):
    """An entry was recognised and its certificate issued."""

    public: ClassVar[bool] = True
    event_type: Literal["ProductRecognized"] = "ProductRecognized"
    event_version: Literal[1] = 1
    producer: Literal["certification"] = "certification"
    data: ProductRecognizedData
    levelled: ClassVar[bool] = True

    def carries_local_level(self) -> bool:
        return self.data.level.is_local


class SchemeRef(Contract):
    id: UUID
    code: str
    kind: SchemeKind
    year: int
    scope_code: str = Field(description="Province code, or VN for a national scheme")


class GrantRecognition(Contract):
    certificate_number: str
    level: Level
    mean_score: Score


class SupportGrantedData(Contract):
    grant_id: UUID
    scheme: SchemeRef
    facility_id: UUID
    product_id: UUID | None = None
    amounts: dict[FundingSource, int] = Field(description="Whole VND per funding source")
    total: int = Field(ge=0, description="Whole VND")
    priority_recognition: GrantRecognition | None = None
    granted_at: AwareDatetime


class SupportGranted(Envelope):
    """A grant was made to a facility."""

    public: ClassVar[bool] = True
    event_type: Literal["SupportGranted"] = "SupportGranted"
    event_version: Literal[1] = 1
    producer: Literal["support"] = "support"
    data: SupportGrantedData
    levelled: ClassVar[bool] = True

    def carries_local_level(self) -> bool:
        given = self.data.priority_recognition
        return given is not None and given.level.is_local
