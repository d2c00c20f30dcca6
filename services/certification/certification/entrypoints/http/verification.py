"""The public verification of a certificate number: no token needed (a buyer, another agency)."""

from __future__ import annotations

from fastapi import APIRouter

from certification.entrypoints.schemas import RevocationPublic, VerificationPublic
from certification.service_layer import certificates
from cnnt_runtime.service import RuntimeDep

router = APIRouter(prefix="/api/v1", tags=["verification"])


@router.get("/verify/{number}")
async def verify(number: str, runtime: RuntimeDep) -> VerificationPublic:
    """``valid``, ``revoked`` (with the revoking decision), ``expired`` or ``unknown``."""
    async with runtime.uow() as uow:
        found = await certificates.verify(uow, number, runtime.clock.today())
    c = found.certificate
    if c is None:
        return VerificationPublic(certificate_number=number, status=found.status)
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
    )
