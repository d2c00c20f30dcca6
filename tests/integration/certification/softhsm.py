"""A SoftHSM2 token for a test, made as an operator makes one for an official: a token in a
folder of the test's own (SOFTHSM2_CONF), a key pair generated on the token with pkcs11-tool,
a certificate for it from a CA of the test's own, written back to the token under the key's
label (the authority's code)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from cnnt_runtime.authority_ca import generate_authority_ca, load_authority_ca

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
PIN = "246810"
SO_PIN = "13579135"


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, env=env, timeout=60)


def make_token(folder: Path, *, authority: str, name: str, label: str) -> dict[str, Any]:
    tokens = folder / "tokens"
    tokens.mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    _run(env, "softhsm2-util", "--init-token", "--free", "--label", label,
         "--so-pin", SO_PIN, "--pin", PIN)  # fmt: skip
    tool = ["pkcs11-tool", "--module", str(MODULE), "--token-label", label, "--login", "--pin", PIN]
    _run(env, *tool, "--keypairgen", "--key-type", "EC:prime256v1", "--id", "01",
         "--label", authority)  # fmt: skip
    public_der = folder / "public.der"
    _run(env, *tool, "--read-object", "--type", "pubkey", "--id", "01", "-o", str(public_der))
    public_key = serialization.load_der_public_key(public_der.read_bytes())

    ca_pem = generate_authority_ca(folder / "ca", "CNNT token test CA")
    ca = load_authority_ca(folder / "ca")
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, authority),
                    x509.NameAttribute(NameOID.COMMON_NAME, f"{name} (token)"),
                ]
            )
        )
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca.key, hashes.SHA256())
    )
    cert_der = folder / "cert.der"
    cert_der.write_bytes(certificate.public_bytes(serialization.Encoding.DER))
    _run(env, *tool, "--write-object", str(cert_der), "--type", "cert", "--id", "01",
         "--label", authority)  # fmt: skip
    return {
        "conf": conf,
        "module": MODULE,
        "label": label,
        "pin": SecretStr(PIN),
        "chain": ca_pem,
        "serial": certificate.serial_number,
    }
