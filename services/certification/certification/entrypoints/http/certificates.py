"""Routes for certificates (giấy chứng nhận): the list, with filters and pages like the other
lists, and a certificate as an A4 PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from certification.domain.certificates import CertificateStatus
from certification.entrypoints.schemas import CertificateListed, RevocationPublic
from certification.service_layer import documents
from certification.service_layer.queries import (
    CertificateFilters,
    ListedCertificate,
    list_certificates,
)
from cnnt_contracts.vocabulary import Level
from cnnt_runtime.auth import CurrentPrincipal
from cnnt_runtime.http.fields import FIRST_YEAR
from cnnt_runtime.http.pages import Page, PageDep
from cnnt_runtime.service import RuntimeDep

router = APIRouter(prefix="/api/v1", tags=["certificates"])


def _listed(c: ListedCertificate, status: CertificateStatus) -> CertificateListed:
    r, e = c.recognition, c.entry
    revocation = RevocationPublic.of(c.revocation)
    return CertificateListed(
        certificate_number=r.certificate_number,
        status=status,
        level=c.round.level,
        scope_code=c.round.scope_code,
        year=c.round.year,
        round_id=c.round.id,
        round_name=c.round.name,
        entry_id=e.id,
        product_id=e.product_id,
        product_name=e.product_name,
        product_group=e.product_group,
        facility_id=e.facility_id,
        facility_name=e.facility_name,
        facility_kind=e.facility_kind,
        province_code=e.province_code,
        current_province_code=e.current_province_code,
        rank=r.rank,
        mean=r.mean,
        decision_number=c.decision.number,
        decided_on=c.decision.decided_on,
        valid_until=r.valid_until,
        recognized_at=r.recognized_at,
        revocation=revocation,
    )


@router.get("/certificates")
async def certificates(
    page: PageDep,
    runtime: RuntimeDep,
    _: CurrentPrincipal,
    province: Annotated[
        str | None,
        Query(max_length=40, description="Province as recorded, or a current unit"),
    ] = None,
    level: Level | None = None,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, description="Round year")] = None,
    status: CertificateStatus | None = None,
) -> Page[CertificateListed]:
    """Certificates, newest rounds first, each with its standing (valid, revoked, expired)."""
    today = runtime.clock.today()  # Vietnam's date, as /verify judges it
    filters = CertificateFilters(province, level, year, status)
    async with runtime.uow() as uow:
        found, total = await list_certificates(uow, filters, page, today)
    items = [_listed(c, c.status(today)) for c in found]
    return Page.of(items, total, page)


@router.get("/certificates/{number}/pdf")
async def certificate_pdf(
    number: str,
    runtime: RuntimeDep,
    who: CurrentPrincipal,
    version: Annotated[
        int | None,
        Query(ge=1, le=2, description="1: as issued; 2: the revocation's edition; none: latest"),
    ] = None,
) -> Response:
    """The certificate (giấy chứng nhận) as an A4 PDF signed by the issuing authority (PAdES).
    A revoked certificate's latest edition carries the stamp; its first stays as issued."""
    async with runtime.uow() as uow:
        edition = await documents.certificate_pdf(uow, runtime.settings, who, number, version)
    headers = {
        "Content-Disposition": f'inline; filename="{number}.pdf"',
        "CNNT-Document-Version": str(edition.version),
        "CNNT-Document-SHA256": edition.sha256,
    }
    return Response(edition.content, media_type="application/pdf", headers=headers)
