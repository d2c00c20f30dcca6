"""Internal events: facts one of our services needs from another. Same envelope as the public
ones, but no promise to outside subscribers beyond what docs/contracts.md says of versioning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from cnnt_contracts.envelope import Contract, Envelope
from cnnt_contracts.events import RoundRef, Score
from cnnt_contracts.vocabulary import FacilityKind, ProductGroup


class ResultSettings(Contract):
    """Per-round settings of docs/domain.md "Results" (all configurable, defaults given there)."""

    threshold: Score = Field(default=Decimal(70), ge=0, le=100)
    quorum: Score = Field(default=Decimal("0.6667"), gt=0, le=1, description="Share of the jury")
    quota: int | None = Field(default=None, ge=0, description="Most recognised in the round")
    group_quotas: dict[ProductGroup, int] = Field(default_factory=dict)
    validity_years: int = Field(default=2, ge=0, description="Valid until 31 Dec of year + this")


class RoundOpenedData(Contract):
    round: RoundRef
    name: str
    opens_on: date
    closes_on: date
    settings: ResultSettings
    opened_at: AwareDatetime


class RoundOpened(Envelope):
    """A round opened for registration, with the settings evaluation and certification apply."""

    event_type: Literal["RoundOpened"] = "RoundOpened"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: RoundOpenedData
    levelled: ClassVar[bool] = True

    def carries_local_level(self) -> bool:
        return self.data.round.level.is_local


class RoundClosedData(Contract):
    round: RoundRef
    entries: int = Field(ge=0, description="Entries standing when registration closed")
    closed_at: AwareDatetime


class RoundClosed(Envelope):
    """Registration closed for a round: its list of entries is final, and ``entries`` says how
    many a consumer must hold (less withdrawals) before its picture of the round is whole."""

    event_type: Literal["RoundClosed"] = "RoundClosed"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: RoundClosedData
    levelled: ClassVar[bool] = True

    def carries_local_level(self) -> bool:
        return self.data.round.level.is_local


class EntryWithdrawnData(Contract):
    entry_id: UUID
    round_id: UUID
    reason: str
    withdrawn_at: AwareDatetime


class EntryWithdrawn(Envelope):
    """A facility withdrew an entry before its round closed."""

    event_type: Literal["EntryWithdrawn"] = "EntryWithdrawn"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: EntryWithdrawnData


class JudgingClosedData(Contract):
    """What judging ended with. The counts (added within v1, so absent from events published
    before them) let certification tell a whole tally from one whose events are still on the
    way: it holds the same standing entries, the same sheets that count, each at the same
    revision (hence the sum of revisions), and the same sheets set aside."""

    round_id: UUID
    jury_size: int = Field(ge=1)
    overridden_flags: int = Field(default=0, ge=0)
    closed_at: AwareDatetime
    entries: int | None = Field(default=None, ge=0, description="Standing entries judged")
    sheets: int | None = Field(
        default=None, ge=0, description="Score sheets that count (latest revisions, none set aside)"
    )
    sheet_revisions: int | None = Field(
        default=None, ge=0, description="Sum of the revision numbers of the sheets that count"
    )
    sheets_set_aside: int | None = Field(
        default=None, ge=0, description="Submitted sheets set aside (conflict or recusal)"
    )


class JudgingClosed(Envelope):
    """Judging closed for a round; certification applies the quorum to ``jury_size``."""

    event_type: Literal["JudgingClosed"] = "JudgingClosed"
    event_version: Literal[1] = 1
    producer: Literal["evaluation"] = "evaluation"
    data: JudgingClosedData


class SheetSetAsideData(Contract):
    sheet_id: UUID
    round_id: UUID
    entry_id: UUID
    judge_id: UUID
    reason: Literal["conflict_of_interest", "recusal"]
    set_aside_at: AwareDatetime


class SheetSetAside(Envelope):
    """A member's sheet no longer counts: they declared a conflict of interest with the entry's
    facility, or the chair recused them from it, after they had scored it."""

    event_type: Literal["SheetSetAside"] = "SheetSetAside"
    event_version: Literal[1] = 1
    producer: Literal["evaluation"] = "evaluation"
    data: SheetSetAsideData


class RecognitionRevokedData(Contract):
    certificate_number: str
    round_id: UUID
    entry_id: UUID
    product_id: UUID
    facility_id: UUID
    decision_number: str
    reason: str
    revoked_at: AwareDatetime


class RecognitionRevoked(Envelope):
    """A recognition was revoked by a new recorded decision."""

    event_type: Literal["RecognitionRevoked"] = "RecognitionRevoked"
    event_version: Literal[1] = 1
    producer: Literal["certification"] = "certification"
    data: RecognitionRevokedData


class FacilityRecordedData(Contract):
    facility_id: UUID
    name: str
    kind: FacilityKind
    province_code: str = Field(description="Province as recorded (may be a pre-2025 province)")
    current_province_code: str = Field(description="The current (2025) unit it rolls up under")
    commune_code: str | None = Field(
        default=None, description="Since 1.1: the facility's 2025 commune, if recorded"
    )
    recorded_at: AwareDatetime = Field(description="When this version of the record was saved")


class FacilityRecorded(Envelope):
    """A facility (cơ sở CNNT) was registered or its record changed; carries the record as it
    now stands, so a consumer keeps the one with the latest ``recorded_at``."""

    event_type: Literal["FacilityRecorded"] = "FacilityRecorded"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: FacilityRecordedData


class DossierReceivedData(Contract):
    entry_id: UUID
    round_id: UUID
    received_on: date = Field(description="The day the province's desk took the dossier in")
    received_by: str = Field(description="Who received it (the officer's name or account)")
    recorded_at: AwareDatetime


class DossierReceived(Envelope):
    """An entry's dossier (hồ sơ) was received at the province's desk."""

    event_type: Literal["DossierReceived"] = "DossierReceived"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: DossierReceivedData


class SampleRecordedData(Contract):
    entry_id: UUID
    round_id: UUID
    movement: Literal["received", "returned"] = Field(
        description="The physical sample arrived at the desk, or was handed back"
    )
    on: date
    by: str
    recorded_at: AwareDatetime


class SampleRecorded(Envelope):
    """The entry's physical sample (mẫu sản phẩm) was received or returned."""

    event_type: Literal["SampleRecorded"] = "SampleRecorded"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: SampleRecordedData


class DossierReturnedData(Contract):
    entry_id: UUID
    round_id: UUID
    reasons: dict[str, str] = Field(description="Per dossier part code, what to supplement")
    deadline: date = Field(description="The day the supplement is due")
    returned_by: str
    returned_at: AwareDatetime


class DossierReturned(Envelope):
    """The dossier was returned for supplement (bổ sung hồ sơ), with a reason per part."""

    event_type: Literal["DossierReturned"] = "DossierReturned"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: DossierReturnedData


class DossierAcceptedData(Contract):
    entry_id: UUID
    round_id: UUID
    accepted_by: str
    accepted_at: AwareDatetime


class DossierAccepted(Envelope):
    """The dossier is complete and accepted by the province's desk; its files are closed."""

    event_type: Literal["DossierAccepted"] = "DossierAccepted"
    event_version: Literal[1] = 1
    producer: Literal["registration"] = "registration"
    data: DossierAcceptedData


class JuryMemberAppointedData(Contract):
    member_id: UUID = Field(description="The judge id a seat's token carries as its scope")
    round_id: UUID
    account_id: str | None = Field(description="The person's console account, when linked")
    is_chair: bool
    appointed_at: AwareDatetime


class JuryMemberAppointed(Envelope):
    """A member took a seat on a round's jury (registration lets the round's jury read its
    entries' dossiers)."""

    event_type: Literal["JuryMemberAppointed"] = "JuryMemberAppointed"
    event_version: Literal[1] = 1
    producer: Literal["evaluation"] = "evaluation"
    data: JuryMemberAppointedData
