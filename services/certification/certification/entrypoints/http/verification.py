"""The public verification of a certificate number: no token needed (a buyer, another agency).
Given a file's SHA-256 too, it says whether that file is a signed edition issued of it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from certification.entrypoints.schemas import DocumentCheck, RevocationPublic, VerificationPublic
from certification.service_layer import certificates, documents
from cnnt_runtime.service import RuntimeDep

router = APIRouter(prefix="/api/v1", tags=["verification"])

Sha256 = Annotated[
    str | None,
    Query(
        pattern="^[0-9a-fA-F]{64}$",
        description="The SHA-256 of a PDF a person holds (64 hexadecimal digits)",
    ),
]


@router.get("/verify/{number}")
async def verify(number: str, runtime: RuntimeDep, sha256: Sha256 = None) -> VerificationPublic:
    """``valid``, ``revoked`` (with the revoking decision), ``expired`` or ``unknown``; with
    ``sha256``, whether that file is an edition issued of this certificate."""
    async with runtime.uow() as uow:
        found = await certificates.verify(uow, number, runtime.clock.today())
        matched = await documents.match(uow, sha256) if sha256 else None
    document = None
    if sha256:
        ours = (
            matched is not None
            and matched.kind == documents.CERTIFICATE
            and found.certificate is not None
            and matched.subject == found.certificate.recognition.certificate_number
        )
        document = DocumentCheck(
            sha256=sha256.lower(),
            issued=ours,
            version=matched.version if ours and matched else None,
            current=bool(ours and matched and matched.current),
            signed_at=matched.signed_at if ours and matched else None,
        )
    c = found.certificate
    if c is None:
        return VerificationPublic(certificate_number=number, status=found.status, document=document)
    revocation = RevocationPublic.of(c.revocation)
    return VerificationPublic(
        certificate_number=c.recognition.certificate_number,
        status=found.status,
        product_name=c.entry.product_name,
        facility_name=c.entry.facility_name,
        province_code=c.entry.province_code,
        level=c.round.level,
        scope_code=c.round.scope_code,
        year=c.round.year,
        decision_number=c.decision.number,
        valid_until=c.recognition.valid_until,
        revocation=revocation,
        document=document,
    )
