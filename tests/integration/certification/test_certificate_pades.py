"""Certificates prove themselves: each PDF is signed (PAdES) with the issuing authority's key,
validates with pyHanko against the authority CA, fails on one changed byte, and a revocation
issues a new signed edition while the first stays intact and is reported revoked. The public
verification tells the file issued from any other by its SHA-256, and `cnnt certificate verify`
says the same offline and against the service."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from cnnt_runtime.auth import Role
from cnnt_runtime.settings import Settings
from cnnt_tools.cli.certificate import check_file
from tests.integration.certification.conftest import PROVINCE, decide, judged_round, publish_round
from tests.integration.certification.softhsm import make_token
from tests.support.stack import bearer, running_service

SCORES = [(36, 35, 9, 8), (34, 33, 8, 8)]
AUTHORITY = "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"


async def _issued(client: httpx.AsyncClient, settings: Settings, year: int) -> list[str]:
    judged = judged_round(SCORES, year=year)
    await publish_round(client, settings, judged)
    response = await decide(client, settings, judged.id, f"{year}-pades/QĐ-UBND")
    assert response.status_code == 201, response.text
    return list(response.json()["certificates"])


async def _pdf(
    client: httpx.AsyncClient, settings: Settings, number: str, version: int | None = None
) -> httpx.Response:
    response = await client.get(
        f"/api/v1/certificates/{number}/pdf",
        params={"version": version} if version else None,
        headers=bearer(settings, Role.PROVINCE_OFFICER, PROVINCE),
    )
    assert response.status_code == 200, response.text
    return response


def _context(settings: Settings) -> ValidationContext:
    root = load_cert_from_pemder(str(settings.authority_ca_dir / "ca.pem"))
    return ValidationContext(trust_roots=[root], allow_fetching=False)


async def _status(data: bytes, settings: Settings) -> Any:
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(signatures) == 1
    return await async_validate_pdf_signature(signatures[0], _context(settings))


async def _verify(client: httpx.AsyncClient, number: str, data: bytes) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    response = await client.get(f"/api/v1/verify/{number}", params={"sha256": digest})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_certificate_is_signed_by_its_issuing_authority_and_one_changed_byte_breaks_it(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    number = (await _issued(certification, stack, 2085))[0]
    first = await _pdf(certification, stack, number)
    again = await _pdf(certification, stack, number)
    data = first.content

    status = await _status(data, stack)
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (
        True,
        True,
        True,
        True,
    )
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == AUTHORITY
    assert status.signing_cert.subject.native["organizational_unit_name"] == PROVINCE
    signed_data = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].signed_data
    embedded = {c.chosen.subject.native["common_name"] for c in signed_data["certificates"]}
    assert embedded == {AUTHORITY, "CNNT Authority CA (development)"}  # the chain travels
    assert again.content == data  # signed once, then served as issued
    assert first.headers["CNNT-Document-SHA256"] == hashlib.sha256(data).hexdigest()
    assert number in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    verified = await _verify(certification, number, data)
    assert verified["status"] == "valid"
    assert verified["document"] | {"signed_at": None} == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "issued": True,
        "version": 1,
        "current": True,
        "signed_at": None,
    }

    signed_range = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].byte_range
    start, length = int(signed_range[0]), int(signed_range[1])
    inside = start + length // 2  # a byte of the page's content, inside the signed range
    tampered = bytearray(data)
    tampered[inside] ^= 0x01
    broken = await _status(bytes(tampered), stack)
    assert (broken.intact, broken.bottom_line) == (False, False)
    assert (await _verify(certification, number, bytes(tampered)))["document"]["issued"] is False

    base = str(certification.base_url)
    transport = certification._transport
    good = await check_file(data, stack, base_url=base, transport=transport)
    assert (good.ok, good.intact, good.trusted, good.number) == (True, True, True, number)
    assert (good.standing, good.issued_file, good.current_file) == ("valid", True, True)
    bad = await check_file(bytes(tampered), stack, base_url=base, transport=transport)
    assert (bad.ok, bad.intact, bad.standing) == (False, False, None)


async def test_a_revocation_issues_a_new_signed_edition_and_the_first_stays_intact(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    number = (await _issued(certification, stack, 2086))[1]
    original = (await _pdf(certification, stack, number)).content
    revoked = await certification.post(
        f"/api/v1/certificates/{number}/revocation",
        json={"number": "2086-thu-hoi/QĐ-UBND", "decided_on": "2022-03-01", "reason": "Vi phạm"},
        headers=bearer(stack, Role.CERTIFIER, PROVINCE),
    )
    assert revoked.status_code == 201, revoked.text

    latest = await _pdf(certification, stack, number)
    first = await _pdf(certification, stack, number, version=1)
    assert latest.headers["CNNT-Document-Version"] == "2"
    assert first.content == original  # never altered
    assert latest.content != original
    for data in (latest.content, first.content):
        status = await _status(data, stack)
        assert (status.intact, status.trusted, status.bottom_line) == (True, True, True)
        assert status.signing_cert.subject.native["common_name"] == AUTHORITY
    assert "ĐÃ THU HỒI" in PdfReader(io.BytesIO(latest.content)).pages[0].extract_text()
    assert "ĐÃ THU HỒI" not in PdfReader(io.BytesIO(original)).pages[0].extract_text()

    old = await _verify(certification, number, original)
    new = await _verify(certification, number, latest.content)
    assert old["status"] == new["status"] == "revoked"
    assert (old["document"]["issued"], old["document"]["current"]) == (True, False)
    assert (new["document"]["issued"], new["document"]["version"]) == (True, 2)
    held = await check_file(
        original, stack, base_url=str(certification.base_url), transport=certification._transport
    )
    assert (held.intact, held.standing, held.ok) == (True, "revoked", False)


@pytest.fixture
def token(tmp_path: Path) -> dict[str, Any]:
    """A SoftHSM2 token of the test's own holding Đắk Lắk's key and certificate."""
    return make_token(tmp_path, authority=PROVINCE, name=AUTHORITY, label="cnnt-test-pades")


async def test_a_softhsm2_token_signs_the_certificate(
    stack: Settings, token: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(token["conf"]))
    overrides = {
        "document_signing": "pkcs11",
        "pkcs11_module": token["module"],
        "pkcs11_token_label": token["label"],
        "pkcs11_pin": token["pin"],
        "pkcs11_chain": token["chain"],
    }
    async with running_service("certification", stack, **overrides) as client:
        number = (await _issued(client, stack, 2087))[0]
        data = (await _pdf(client, stack, number)).content
    root = load_cert_from_pemder(str(token["chain"]))
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = await async_validate_pdf_signature(
        signature, ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert (status.intact, status.trusted, status.bottom_line) == (True, True, True)
    assert status.signing_cert.subject.native["common_name"] == f"{AUTHORITY} (token)"
    assert status.signing_cert.serial_number == token["serial"]  # the token's certificate


async def test_the_decisions_are_signed_pdfs_naming_the_certificates_they_issue_or_revoke(
    stack: Settings, certification: httpx.AsyncClient
) -> None:
    province, authority = "gia-lai", "ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    judged = judged_round(SCORES, year=2085, province=province)
    await publish_round(certification, stack, judged)
    decided = await decide(certification, stack, judged.id, "2085-gl/QĐ-UBND", province=province)
    assert decided.status_code == 201, decided.text
    numbers = decided.json()["certificates"]
    reader = bearer(stack, Role.PROVINCE_OFFICER, province)
    url = f"/api/v1/decisions/{decided.json()['id']}/pdf"
    confirmation = await certification.get(url, headers=reader)
    assert confirmation.status_code == 200, confirmation.text
    revocation = await certification.post(
        f"/api/v1/certificates/{numbers[0]}/revocation",
        json={"number": "2085-gl-th/QĐ-UBND", "decided_on": "2022-02-01", "reason": "Vi phạm"},
        headers=bearer(stack, Role.CERTIFIER, province),
    )
    assert revocation.status_code == 201, revocation.text
    revoking = await certification.get(
        f"/api/v1/decisions/{revocation.json()['id']}/pdf", headers=reader
    )
    other_province = bearer(stack, Role.PROVINCE_OFFICER, PROVINCE)

    for document in (confirmation.content, revoking.content):
        status = await _status(document, stack)
        assert (status.intact, status.trusted, status.bottom_line) == (True, True, True)
        assert status.signing_cert.subject.native["common_name"] == authority
    issued = " ".join(PdfReader(io.BytesIO(confirmation.content)).pages[0].extract_text().split())
    assert "QUYẾT ĐỊNH" in issued
    assert "Về việc công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh" in issued
    assert all(n in issued for n in numbers)
    revoked = " ".join(PdfReader(io.BytesIO(revoking.content)).pages[0].extract_text().split())
    assert f"Thu hồi Giấy chứng nhận số {numbers[0]}" in revoked
    assert numbers[1] not in revoked
    assert (await certification.get(url, headers=reader)).content == confirmation.content
    assert (await certification.get(url, headers=other_province)).status_code == 403
