"""Evaluation's commands: what a route or a client asks the service layer to do, as
frozen dataclasses (a route maps its body to one; the use case carries it out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class Member:
    """A member as the organiser names them; ``account_id`` is the person's console account."""

    name: str
    title: str = ""
    organisation: str = ""
    is_chair: bool = False
    account_id: str | None = None


@dataclass(frozen=True)
class FormJury:
    """Form a round's jury (hội đồng bình chọn) with its one chair."""

    members: tuple[Member, ...]


@dataclass(frozen=True)
class SeatEdit:
    """A seat of the jury as edited: ``member_id`` keeps an existing seat (its judge id, so
    the judge's token and declarations stay), ``None`` is a new one."""

    member: Member
    member_id: UUID | None = None


@dataclass(frozen=True)
class EditJury:
    """The jury as it is to be before judging starts: seats kept, changed, added; a seat not
    named is removed."""

    seats: tuple[SeatEdit, ...]


@dataclass(frozen=True)
class DeclareConflict:
    """The acting member declares a conflict of interest with a facility."""

    facility_id: UUID
    note: str = ""


@dataclass(frozen=True)
class Recuse:
    """The chair recuses a member from an entry, with the reason."""

    member_id: UUID
    entry_id: UUID
    reason: str


@dataclass(frozen=True)
class Configure:
    """The round's judging settings: totals further apart than the threshold are flagged."""

    spread_threshold: Decimal


@dataclass(frozen=True)
class CloseJudging:
    """Close judging (kết thúc chấm điểm); the chair may override open spread flags."""

    override: bool = False
    reason: str = ""


@dataclass(frozen=True)
class SubmitSheet:
    """A new revision of the acting member's sheet (phiếu chấm điểm) for an entry; a retry with
    the same ``request_id`` is answered with the revision it stored."""

    entry_id: UUID
    scores: Mapping[str, Decimal]
    comment: str = ""
    request_id: str | None = None
