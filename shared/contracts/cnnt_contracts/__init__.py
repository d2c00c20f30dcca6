"""Event contracts: the envelope, the public v1 events and our internal events."""

from cnnt_contracts.envelope import Contract, Envelope
from cnnt_contracts.events import (
    CriterionScores,
    FacilityRef,
    GrantRecognition,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    RoundRef,
    SchemeRef,
    ScoreSubmitted,
    ScoreSubmittedData,
    SupportGranted,
    SupportGrantedData,
)
from cnnt_contracts.internal import (
    EntryWithdrawn,
    EntryWithdrawnData,
    FacilityRecorded,
    FacilityRecordedData,
    JudgingClosed,
    JudgingClosedData,
    RecognitionRevoked,
    RecognitionRevokedData,
    ResultSettings,
    RoundClosed,
    RoundClosedData,
    RoundOpened,
    RoundOpenedData,
    SheetSetAside,
    SheetSetAsideData,
)

PUBLIC_EVENTS: tuple[type[Envelope], ...] = (
    ProductRegistered,
    ScoreSubmitted,
    ProductRecognized,
    SupportGranted,
)
INTERNAL_EVENTS: tuple[type[Envelope], ...] = (
    RoundOpened,
    RoundClosed,
    EntryWithdrawn,
    JudgingClosed,
    SheetSetAside,
    RecognitionRevoked,
    FacilityRecorded,
)
ALL_EVENTS: dict[str, type[Envelope]] = {
    e.model_fields["event_type"].default: e for e in (*PUBLIC_EVENTS, *INTERNAL_EVENTS)
}

__all__ = [
    "ALL_EVENTS",
    "INTERNAL_EVENTS",
    "PUBLIC_EVENTS",
    "Contract",
    "CriterionScores",
    "EntryWithdrawn",
    "EntryWithdrawnData",
    "Envelope",
    "FacilityRecorded",
    "FacilityRecordedData",
    "FacilityRef",
    "GrantRecognition",
    "JudgingClosed",
    "JudgingClosedData",
    "ProductRecognized",
    "ProductRecognizedData",
    "ProductRef",
    "ProductRegistered",
    "ProductRegisteredData",
    "RecognitionRevoked",
    "RecognitionRevokedData",
    "ResultSettings",
    "RoundClosed",
    "RoundClosedData",
    "RoundOpened",
    "RoundOpenedData",
    "RoundRef",
    "SchemeRef",
    "ScoreSubmitted",
    "ScoreSubmittedData",
    "SheetSetAside",
    "SheetSetAsideData",
    "SupportGranted",
    "SupportGrantedData",
]
