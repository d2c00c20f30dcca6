"""Evaluation's HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cnnt_contracts.events import Score
from cnnt_contracts.vocabulary import Level, ProductGroup
from cnnt_runtime.http.fields import Line, Name, Paragraphs
from evaluation.domain.progress import WorkStatus


class EntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    round_id: UUID
    product_id: UUID
    product_name: str
    product_group: ProductGroup
    facility_id: UUID
    facility_name: str
    province_code: str
    registered_at: datetime


class WorklistEntry(EntryPublic):
    """An entry in a jury member's worklist, with where it stands for them."""

    status: WorkStatus = Field(
        description="to_score; scored (the latest revision counts); set_aside (scored, then a "
        "conflict or recusal: the sheet does not count)"
    )
    flagged: bool = Field(description="The members' totals lie too far apart: to be discussed")
    sheet_id: UUID | None = Field(default=None, description="The member's sheet, once scored")
    revision: int | None = None
    total: Score | None = Field(default=None, description="Total of the latest revision")
    submitted_at: datetime | None = None


class MemberCreate(BaseModel):
    name: Name = Field(min_length=1, max_length=200, examples=["PGS.TS. Nguyễn Văn Hùng"])
    title: Line = Field(default="", max_length=200, examples=["Phó Giám đốc Sở Công Thương"])
    organisation: Line = Field(default="", max_length=300, examples=["Sở Công Thương Đắk Lắk"])
    is_chair: bool = False
    account_id: str | None = Field(
        default=None,
        max_length=80,
        description="The person's console account: a judge signs in once and acts in every "
        "jury they sit on (at most one seat per account in a jury)",
    )


class JuryCreate(BaseModel):
    members: list[MemberCreate] = Field(max_length=100)


class MemberEdit(MemberCreate):
    id: UUID | None = Field(
        default=None, description="An existing member (kept, with its judge id); none: a new seat"
    )


class JuryEdit(BaseModel):
    """The whole jury as it is to be: members without an id are added, members not listed are
    removed. Only before the jury's first score sheet."""

    members: list[MemberEdit] = Field(max_length=100)


class MemberPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID = Field(description="The judge id: the scope of this member's judge token")
    round_id: UUID
    name: str
    title: str
    organisation: str
    is_chair: bool
    account_id: str | None = None
    appointed_at: datetime


class MyJuryPublic(BaseModel):
    """One seat of the signed-in judge: the round and the member they are in it. Act in that
    round with a judge token scoped to ``member.id``."""

    member: MemberPublic
    round_id: UUID
    round_name: str
    level: Level
    scope_code: str
    year: int
    judging_closed: bool


class ConflictCreate(BaseModel):
    facility_id: UUID
    note: Paragraphs = Field(default="", max_length=2000)


class ConflictPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    member_id: UUID
    facility_id: UUID
    note: str
    declared_at: datetime


class RecusalCreate(BaseModel):
    member_id: UUID
    entry_id: UUID
    reason: Paragraphs = Field(max_length=2000)


class RecusalPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    member_id: UUID
    entry_id: UUID
    reason: str
    recused_by: UUID
    recused_at: datetime


class JuryPublic(BaseModel):
    round_id: UUID
    members: list[MemberPublic]
    conflicts: list[ConflictPublic] = []
    recusals: list[RecusalPublic] = []


class ScoresIn(BaseModel):
    """The four criteria; limits and steps are checked by the domain, with a code per rule."""

    market: Decimal
    technical: Decimal
    culture: Decimal
    other: Decimal


class SheetSubmit(BaseModel):
    entry_id: UUID
    scores: ScoresIn
    comment: Paragraphs = Field(default="", max_length=4000)
    request_id: Line | None = Field(
        default=None,
        max_length=200,
        description="Client request id; the Idempotency-Key header does the same",
    )


class SheetRevisionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    sheet_id: UUID
    revision: int
    round_id: UUID
    entry_id: UUID
    member_id: UUID
    market: Score
    technical: Score
    culture: Score
    other: Score
    total: Score
    comment: str
    request_id: str | None
    submitted_at: datetime


class SheetHistory(BaseModel):
    sheet_id: UUID
    member_id: UUID
    latest: SheetRevisionPublic
    revisions: list[SheetRevisionPublic]


class JudgingSettings(BaseModel):
    spread_threshold: Decimal = Field(description="Points; totals further apart are flagged")


class JudgingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    spread_threshold: Score
    judging_closed_at: datetime | None
    judging_closed_by: str | None
    overridden_flags: int
    override_by: str | None
    override_reason: str | None


class CloseJudging(BaseModel):
    override: bool = Field(default=False, description="The chair overrides open spread flags")
    reason: Paragraphs = Field(default="", max_length=2000)


class EntryProgressPublic(BaseModel):
    entry_id: UUID
    product_name: str
    eligible_members: int
    sheets: int
    complete: bool
    spread: Score
    flagged: bool


class MemberProgressPublic(BaseModel):
    member_id: UUID
    name: str
    assigned: int
    scored: int
    remaining: int


class ProgressPublic(BaseModel):
    round_id: UUID
    jury_size: int
    spread_threshold: Score
    open_flags: int
    judging_closed: bool
    registration_closed: bool = Field(description="Evaluation has received RoundClosed")
    entries_expected: int | None = Field(
        description="Standing entries registration closed with (null until RoundClosed arrives)"
    )
    entries_held: int = Field(description="Standing entries evaluation holds")
    entries_complete: bool = Field(
        description="Evaluation holds every standing entry: the jury can be formed and judging "
        "closed without `entries_still_arriving`"
    )
    entries: list[EntryProgressPublic]
    members: list[MemberProgressPublic]
