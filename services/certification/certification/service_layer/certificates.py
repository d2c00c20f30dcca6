"""Reading certificates: what one is, and what the public verification reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow, RoundRow
from certification.domain.certificates import CertificateStatus, certificate_status
from cnnt_contracts.vocabulary import NATION_SCOPE, Level, Region
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.reference import (
    is_known,
    province_name,
    province_of_unit,
    region_name,
    unit_name,
)

LEVEL_LABELS = {
    Level.COMMUNE: "cấp xã",
    Level.DISTRICT: "cấp huyện",
    Level.PROVINCIAL: "cấp tỉnh",
    Level.REGIONAL: "cấp khu vực",
    Level.NATIONAL: "cấp quốc gia",
}


@dataclass(frozen=True)
class Certificate:
    recognition: RecognitionRow
    round: RoundRow
    entry: EntryRow
    decision: DecisionRow
    revocation: DecisionRow | None


@dataclass(frozen=True)
class Verification:
    status: CertificateStatus
    certificate: Certificate | None


def scope_label(round_: RoundRow) -> str:
    if round_.scope_code == NATION_SCOPE:
        return "toàn quốc"
    if round_.scope_code in {r.value for r in Region}:
        return f"khu vực {region_name(round_.scope_code)}"
    if is_known(round_.scope_code):
        return f"tỉnh {province_name(round_.scope_code)}"
    if round_.level.is_local:  # "Phường Buôn Ma Thuột", "Thành phố Buôn Ma Thuột"
        return unit_name(round_.scope_code)
    return round_.scope_code


async def find_certificate(uow: UnitOfWork, number: str) -> Certificate | None:
    rows = await uow.session.execute(
        select(RecognitionRow, RoundRow, EntryRow, DecisionRow)
        .join(RoundRow, col(RoundRow.id) == col(RecognitionRow.round_id))
        .join(EntryRow, col(EntryRow.id) == col(RecognitionRow.entry_id))
        .join(DecisionRow, col(DecisionRow.id) == col(RecognitionRow.decision_id))
        .where(col(RecognitionRow.certificate_number) == number)
    )
    found = rows.first()
    if found is None:
        return None
    recognition, round_, entry, decision = found
    revocation = None
    if recognition.revoked_by is not None:
        revocation = await uow.session.get(DecisionRow, recognition.revoked_by)
    return Certificate(recognition, round_, entry, decision, revocation)


async def verify(uow: UnitOfWork, number: str, today: date) -> Verification:
    found = await find_certificate(uow, number)
    status = certificate_status(
        known=found is not None,
        revoked=found is not None and found.revocation is not None,
        valid_until=found.recognition.valid_until if found else None,
        today=today,
        decided_on=found.decision.decided_on if found else None,
    )
    return Verification(status, found)


def authority_name(round_: RoundRow) -> str:
    """The round's certifying authority by name, for decisions that recorded none."""
    if round_.level is Level.PROVINCIAL or round_.level.is_local:
        return f"ỦY BAN NHÂN DÂN {scope_label(round_).upper()}"
    return "BỘ CÔNG THƯƠNG"


def authority_place(round_: RoundRow) -> str:
    if round_.level is Level.PROVINCIAL and is_known(round_.scope_code):
        return province_name(round_.scope_code)
    province = province_of_unit(round_.scope_code) if round_.level.is_local else None
    if province is not None:
        return province_name(province)
    return "Hà Nội"
