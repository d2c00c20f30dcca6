"""Signing a certificate PDF with the file authority CA, checking it with `cnnt certificate
verify --offline` (exit status and report), a timestamp from a time-stamping authority when
CNNT_TSA_URL names one (a TSA of the test's own on loopback), and production's refusal of the
file CA."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from typer.testing import CliRunner

from certification.adapters.certificate_pdf import render_certificate
from certification.adapters.document_signing import authority_keys, sign_pdf
from cnnt_runtime.authority_ca import load_authority_ca
from cnnt_runtime.errors import Unavailable
from cnnt_runtime.settings import Settings
from cnnt_tools.cli.certificate import check_signature, trust_roots
from cnnt_tools.cli.main import app
from tests.unit.certification.test_certificate_layout import TEXT

AUTHORITY = "BỘ CÔNG THƯƠNG"


def _settings(folder: Path, **values: object) -> Settings:
    return Settings(_env_file=None, environment="test", authority_ca_dir=folder, **values)  # type: ignore[arg-type]


async def _signed(settings: Settings) -> bytes:
    signed = await sign_pdf(
        authority_keys(settings),
        settings,
        render_certificate(TEXT),
        authority="VN",
        name=AUTHORITY,
        reason=f"Giấy chứng nhận số {TEXT.certificate_number}",
        location="Hà Nội",
    )
    return signed.pdf


def test_verify_offline_passes_the_signed_file_and_fails_a_changed_one(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "authority")
    data = asyncio.run(_signed(settings))  # the CA is made on first use outside production
    genuine, changed = tmp_path / "gcn.pdf", tmp_path / "sua.pdf"
    genuine.write_bytes(data)
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x01
    changed.write_bytes(bytes(tampered))
    ca = str(tmp_path / "authority" / "ca.pem")

    runner = CliRunner()
    good = runner.invoke(app, ["certificate", "verify", str(genuine), "--offline", "--trust", ca])
    bad = runner.invoke(app, ["certificate", "verify", str(changed), "--offline", "--trust", ca])

    assert good.exit_code == 0, good.output
    assert f"Người ký: Common Name: {AUTHORITY}" in good.output
    assert f"Số giấy chứng nhận: {TEXT.certificate_number}" in good.output
    assert "KẾT LUẬN: HỢP LỆ" in good.output
    assert bad.exit_code == 1, bad.output
    assert "Chữ ký nguyên vẹn (không bị sửa): không" in bad.output
    assert "KẾT LUẬN: KHÔNG HỢP LỆ" in bad.output


async def test_another_ca_is_not_trusted(tmp_path: Path) -> None:
    data = await _signed(_settings(tmp_path / "authority"))
    other = _settings(tmp_path / "other")
    await _signed(other)  # makes another CA
    check = await check_signature(data, trust_roots(other, None))
    assert (check.intact, check.trusted, check.signature_ok) == (True, False, False)


def test_production_refuses_the_file_ca_unless_it_is_a_demo(tmp_path: Path) -> None:
    production = _settings(tmp_path).model_copy(update={"environment": "production"})
    with pytest.raises(Unavailable) as refused:
        authority_keys(production)
    assert refused.value.code == "signing_refused"
    demo = production.model_copy(update={"document_signing_demo": True})
    assert authority_keys(demo) is not None


class _Tsa(BaseHTTPRequestHandler):
    stamper: DummyTimeStamper

    def do_POST(self) -> None:
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[str]:
    """A time-stamping authority on loopback, its certificate from the test's authority CA."""
    settings = _settings(tmp_path / "authority")
    from cnnt_runtime.authority_ca import generate_authority_ca

    generate_authority_ca(settings.authority_ca_dir)
    ca = load_authority_ca(settings.authority_ca_dir)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CNNT test TSA")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    handler = type(
        "Tsa",
        (_Tsa,),
        {
            "stamper": DummyTimeStamper(
                tsa_cert=asn1_x509.Certificate.load(
                    certificate.public_bytes(serialization.Encoding.DER)
                ),
                tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
            )
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_configured_tsa_timestamps_every_signature(tmp_path: Path, tsa: str) -> None:
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    settings = _settings(tmp_path / "authority", tsa_url=tsa)
    data = await _signed(settings)
    untimed = await _signed(_settings(tmp_path / "authority"))

    roots = trust_roots(settings, None)
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    status = await async_validate_pdf_signature(
        signature, ValidationContext(trust_roots=roots, allow_fetching=False)
    )
    assert status.bottom_line
    assert status.timestamp_validity is not None
    assert (status.timestamp_validity.intact, status.timestamp_validity.trusted) == (True, True)
    assert (await check_signature(data, roots)).timestamped is True
    assert (await check_signature(untimed, roots)).timestamped is False  # off by default
