"""Reading certificates: the public verification and the printable certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from sqlalchemy import select
from sqlmodel import col

from certification.adapters.certificate_pdf import CertificateText, render_certificate
from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow, RoundRow
from certification.domain.certificates import CertificateStatus, certificate_status
from certification.service_layer.access import require_reader
from cnnt_contracts.vocabulary import NATION_SCOPE, Level, Region
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from cnnt_runtime.reference import is_known, province_name, region_name

LEVEL_LABELS = {
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
    )
    return Verification(status, found)


def _issuer(round_: RoundRow) -> str:
    """The round's certifying authority by name, for decisions that recorded none."""
    if round_.level is Level.PROVINCIAL:
        return f"ỦY BAN NHÂN DÂN {scope_label(round_).upper()}"
    return "BỘ CÔNG THƯƠNG"


def _place(round_: RoundRow) -> str:
    if round_.level is Level.PROVINCIAL and is_known(round_.scope_code):
        return province_name(round_.scope_code)
    return "Hà Nội"


async def certificate_pdf(
    uow: UnitOfWork, who: Principal, number: str, verify_base_url: str
) -> bytes:
    found = await find_certificate(uow, number)
    if found is None:
        raise NotFound(
            "certificate_unknown", f"không có giấy chứng nhận số {number!r}", field="number"
        )
    require_reader(who, found.round)
    entry = found.entry
    province = province_name(entry.province_code) if is_known(entry.province_code) else ""
    return render_certificate(
        CertificateText(
            certificate_number=found.recognition.certificate_number,
            product_name=entry.product_name,
            facility_name=entry.facility_name,
            province_name=province,
            level_label=LEVEL_LABELS[found.round.level],
            scope_label=scope_label(found.round),
            year=found.round.year,
            decision_number=found.decision.number,
            decided_on=found.decision.decided_on,
            valid_until=found.recognition.valid_until,
            issuer=found.decision.issuer or _issuer(found.round),
            place=found.decision.place or _place(found.round),
            signatory_title=found.decision.signatory_title,
            signatory_name=found.decision.signatory_name,
            verify_url=f"{verify_base_url.rstrip('/')}/verify/{quote(number, safe='')}",
            revoked_by=(found.revocation.number, found.revocation.decided_on)
            if found.revocation
            else None,
        )
    )
