"""Signed documents as issued: a certificate's editions and a decision's PDF, each signed with
the issuing authority's key and kept byte for byte (``documents``), so that

- the PDF a person downloads is the same file every time (it is signed once, then served);
- a revocation issues a new, stamped and signed edition (version 2) and never touches the
  first one, which stays intact and verifiable as what was issued;
- a file a person holds is told apart by its SHA-256: the current edition, a superseded one,
  or not ours.

A certificate's first edition is signed when it is first asked for (issuing hundreds of
certificates in the decision's transaction would hold the round's lock for seconds); it is
rendered from the granting decision alone, so it reads the same whenever that is. A revocation
signs both editions in its own transaction, so the first always predates the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col

from certification.adapters.certificate_pdf import (
    CertificateText,
    DecisionLine,
    DecisionText,
    render_certificate,
    render_decision,
)
from certification.adapters.document_signing import authority_keys, sign_pdf
from certification.adapters.tables import (
    DecisionRow,
    DocumentRow,
    EntryRow,
    RecognitionRow,
    RoundRow,
)
from certification.domain.certificates import RoundIdentity
from certification.domain.decisions import DecisionKind, issuing_authority
from certification.service_layer.access import require_reader
from certification.service_layer.certificates import (
    LEVEL_LABELS,
    Certificate,
    authority_name,
    authority_place,
    find_certificate,
    scope_label,
)
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import NotFound
from cnnt_runtime.reference import is_known, province_name
from cnnt_runtime.settings import Settings

CERTIFICATE = "certificate"
DECISION = "decision"
ISSUED = 1  # the certificate as the granting decision issued it
REVOKED = 2  # the edition a revocation issues, stamped "ĐÃ THU HỒI"


@dataclass(frozen=True)
class Match:
    """What a SHA-256 is among the documents issued."""

    kind: str
    subject: str
    version: int
    current: bool  # the latest edition of its subject
    signed_at: datetime


def authority_of(round_: RoundRow) -> str:
    return issuing_authority(RoundIdentity(round_.level, round_.scope_code, round_.year))


async def stored(
    uow: UnitOfWork, kind: str, subject: str, version: int | None = None
) -> DocumentRow | None:
    """The document's given edition, or its latest."""
    query = select(DocumentRow).where(
        col(DocumentRow.kind) == kind, col(DocumentRow.subject) == subject
    )
    if version is not None:
        query = query.where(col(DocumentRow.version) == version)
    found = await uow.session.execute(query.order_by(col(DocumentRow.version).desc()).limit(1))
    return found.scalar_one_or_none()


async def _sign_and_keep(
    uow: UnitOfWork,
    settings: Settings,
    *,
    kind: str,
    subject: str,
    version: int,
    pdf: bytes,
    round_: RoundRow,
    reason: str,
) -> DocumentRow:
    """Sign and keep an edition; when two requests make the same one at once, the first one
    kept is the edition (the other's signature is dropped) and both answer it."""
    signed = await sign_pdf(
        authority_keys(settings),
        settings,
        pdf,
        authority=authority_of(round_),
        name=authority_name(round_),
        reason=reason,
        location=authority_place(round_),
    )
    await uow.session.execute(
        insert(DocumentRow)
        .values(
            sha256=signed.sha256,
            kind=kind,
            subject=subject,
            version=version,
            content=signed.pdf,
            signer=signed.signer[:500],
            signed_at=datetime.now(UTC),
        )
        .on_conflict_do_nothing()
    )
    kept = await stored(uow, kind, subject, version)
    assert kept is not None
    return kept


def certificate_text(found: Certificate, verify_base_url: str, *, stamped: bool) -> CertificateText:
    entry, round_ = found.entry, found.round
    number = found.recognition.certificate_number
    province = province_name(entry.province_code) if is_known(entry.province_code) else ""
    revoked_by = None
    if stamped:
        assert found.revocation is not None
        revoked_by = (found.revocation.number, found.revocation.decided_on)
    return CertificateText(
        certificate_number=number,
        product_name=entry.product_name,
        facility_name=entry.facility_name,
        province_name=province,
        level_label=LEVEL_LABELS[round_.level],
        scope_label=scope_label(round_),
        year=round_.year,
        decision_number=found.decision.number,
        decided_on=found.decision.decided_on,
        valid_until=found.recognition.valid_until,
        issuer=found.decision.issuer or authority_name(round_),
        place=found.decision.place or authority_place(round_),
        signatory_title=found.decision.signatory_title,
        signatory_name=found.decision.signatory_name,
        verify_url=f"{verify_base_url.rstrip('/')}/verify/{quote(number, safe='')}",
        revoked_by=revoked_by,
    )


async def certificate_edition(
    uow: UnitOfWork, settings: Settings, found: Certificate, version: int | None = None
) -> DocumentRow:
    """The certificate's signed edition: the latest (the stamped one once revoked), or the
    one asked for. The first edition is signed on first request."""
    number = found.recognition.certificate_number
    latest = REVOKED if found.revocation is not None else ISSUED
    wanted = latest if version is None else version
    if wanted not in (ISSUED, latest):
        raise NotFound(
            "certificate_version_unknown",
            f"giấy chứng nhận {number!r} không có bản số {wanted}",
            field="version",
        )
    kept = await stored(uow, CERTIFICATE, number, wanted)
    if kept is not None:
        return kept
    if wanted == REVOKED:
        return await issue_revoked_edition(uow, settings, found)
    return await _sign_and_keep(
        uow,
        settings,
        kind=CERTIFICATE,
        subject=number,
        version=ISSUED,
        pdf=render_certificate(certificate_text(found, settings.console_public_url, stamped=False)),
        round_=found.round,
        reason=f"Giấy chứng nhận số {number}",
    )


async def issue_revoked_edition(
    uow: UnitOfWork, settings: Settings, found: Certificate
) -> DocumentRow:
    """A revocation's edition of the certificate, signed, after the first edition (signed
    now if it never was), which stays as it is."""
    number = found.recognition.certificate_number
    assert found.revocation is not None
    await certificate_edition(uow, settings, found, ISSUED)
    return await _sign_and_keep(
        uow,
        settings,
        kind=CERTIFICATE,
        subject=number,
        version=REVOKED,
        pdf=render_certificate(certificate_text(found, settings.console_public_url, stamped=True)),
        round_=found.round,
        reason=f"Thu hồi giấy chứng nhận số {number} theo Quyết định số {found.revocation.number}",
    )


async def certificate_pdf(
    uow: UnitOfWork, settings: Settings, who: Principal, number: str, version: int | None = None
) -> DocumentRow:
    """The certificate's signed PDF for a reader of its round (the latest edition unless one
    is named)."""
    found = await find_certificate(uow, number)
    if found is None:
        raise NotFound(
            "certificate_unknown", f"không có giấy chứng nhận số {number!r}", field="number"
        )
    require_reader(who, found.round)
    edition = await certificate_edition(uow, settings, found, version)
    await uow.commit()
    return edition


async def match(uow: UnitOfWork, digest: str) -> Match | None:
    """Which issued document has this SHA-256, and whether it is its subject's latest."""
    found = await uow.session.get(DocumentRow, digest.lower())
    if found is None:
        return None
    latest = await stored(uow, found.kind, found.subject)
    current = latest is not None and latest.version == found.version
    return Match(found.kind, found.subject, found.version, current, found.signed_at)


def _mean(value: object) -> str:
    return f"{value:.2f}".replace(".", ",")


async def _decision_text(uow: UnitOfWork, decision: DecisionRow, round_: RoundRow) -> DecisionText:
    """What the decision decides, from the recognitions it issued or revoked."""
    column = (
        RecognitionRow.revoked_by
        if decision.kind is DecisionKind.REVOCATION
        else (RecognitionRow.decision_id)
    )
    rows = await uow.session.execute(
        select(RecognitionRow, EntryRow)
        .join(EntryRow, col(EntryRow.id) == col(RecognitionRow.entry_id))
        .where(col(column) == decision.id)
        .order_by(col(RecognitionRow.sequence))
    )
    found = list(rows.tuples())
    lines = tuple(
        DecisionLine(r.certificate_number, e.product_name, e.facility_name, _mean(r.mean))
        for r, e in found
    )
    level = LEVEL_LABELS[round_.level]
    scope = scope_label(round_)
    # A province's decision needs no scope (the province issues it); a region's names it.
    where = "" if round_.level is Level.PROVINCIAL else f" {scope}"
    title = f"sản phẩm công nghiệp nông thôn tiêu biểu {level}{where} năm {round_.year}"
    if decision.kind is DecisionKind.REVOCATION:
        subject = f"Về việc thu hồi Giấy chứng nhận {title}"
        numbers = ", ".join(line.certificate_number for line in lines)
        articles: tuple[str, ...] = (
            f"Điều 1. Thu hồi Giấy chứng nhận số {numbers} của sản phẩm dưới đây. "
            f"Lý do: {decision.reason}",
            "Điều 2. Giấy chứng nhận bị thu hồi không còn giá trị kể từ ngày ký Quyết định này.",
        )
    elif decision.kind is DecisionKind.CORRECTION:
        subject = f"Về việc điều chỉnh kết quả công nhận {title}"
        articles = (
            f"Điều 1. Công nhận bổ sung {len(lines)} sản phẩm công nghiệp nông thôn tiêu biểu "
            f"{level} năm {round_.year} và cấp Giấy chứng nhận theo danh sách dưới đây. "
            f"Lý do: {decision.reason}",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        )
    else:
        subject = f"Về việc công nhận {title}"
        articles = (
            f"Điều 1. Công nhận {len(lines)} sản phẩm công nghiệp nông thôn tiêu biểu {level} "
            f"năm {round_.year} và cấp Giấy chứng nhận theo danh sách dưới đây.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Giấy chứng nhận có giá trị "
            "theo thời hạn ghi trên từng giấy.",
        )
    return DecisionText(
        number=decision.number,
        kind=decision.kind.value,
        decided_on=decision.decided_on,
        issuer=decision.issuer or authority_name(round_),
        place=decision.place or authority_place(round_),
        subject=subject,
        articles=articles,
        lines=lines,
        signatory_title=decision.signatory_title,
        signatory_name=decision.signatory_name,
    )


async def decision_pdf(
    uow: UnitOfWork, settings: Settings, who: Principal, decision_id: UUID
) -> DocumentRow:
    """The decision's signed PDF, for a reader of its round; signed on first request (a
    decision never changes, so neither does its document)."""
    decision = await uow.session.get(DecisionRow, decision_id)
    if decision is None:
        raise NotFound(
            "decision_unknown", f"không có quyết định {decision_id}", field="decision_id"
        )
    round_ = await uow.session.get(RoundRow, decision.round_id)
    assert round_ is not None  # a decision is recorded for a round certification holds
    require_reader(who, round_)
    subject = str(decision.id)
    kept = await stored(uow, DECISION, subject, ISSUED)
    if kept is None:
        text = await _decision_text(uow, decision, round_)
        kept = await _sign_and_keep(
            uow,
            settings,
            kind=DECISION,
            subject=subject,
            version=ISSUED,
            pdf=render_decision(text),
            round_=round_,
            reason=f"Quyết định số {decision.number}",
        )
        await uow.commit()
    return kept
