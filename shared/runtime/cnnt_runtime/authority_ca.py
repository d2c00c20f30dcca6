"""The development and demo authority CA: a certificate authority kept in a folder (``ca.pem``,
``ca-key.pem``) that issues each issuing authority's signing certificate. Production signs with
the authority's PKCS#11 token instead (docs/signatures.md); ``make env`` makes this folder with
openssl for a demo stack, a developer machine or a test run gets one on first use.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cnnt_runtime.settings import Settings

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CA_NAME = "CNNT Authority CA (development)"
VALIDITY = timedelta(days=3650)


@dataclass(frozen=True)
class AuthorityCa:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,  # non-repudiation: the authority stands by what it signed
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_once(path: Path, data: bytes) -> bool:
    """Write ``path`` only if it does not exist yet (another process may be making it at the
    same moment: the first one wins, whole)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)


def generate_authority_ca(directory: Path, common_name: str = CA_NAME) -> Path:
    """A new CA in ``directory`` (EC P-256, ten years); refuses to replace one."""
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    name = _name(common_name, "CNNT")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # The key first: a reader that finds ca.pem finds its key beside it.
    if not _write_once(directory / CA_KEY, key_pem):
        raise FileExistsError(directory / CA_KEY)
    os.chmod(directory / CA_KEY, 0o600)
    _write_once(directory / CA_CERT, certificate.public_bytes(serialization.Encoding.PEM))
    return directory / CA_CERT


def ensure_development_ca(settings: Settings) -> None:
    """A developer machine or a test run gets an authority CA on first use; production never
    does (its operator places the authority's certificates, RUNBOOK)."""
    folder = settings.authority_ca_dir
    if settings.environment == "production" or (folder / CA_CERT).exists():
        return
    try:
        generate_authority_ca(folder)
    except FileExistsError:
        return  # another process made it meanwhile


def load_authority_ca(folder: Path) -> AuthorityCa:
    certificate = x509.load_pem_x509_certificate((folder / CA_CERT).read_bytes())
    key = serialization.load_pem_private_key((folder / CA_KEY).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{folder / CA_KEY}: the authority CA's key must be an EC key")
    return AuthorityCa(certificate, key)


def issue_signing_certificate(
    ca: AuthorityCa, authority: str, name: str
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A signing key and certificate for one issuing authority: its name (as the certificate
    prints it) is the subject, its code (``dak-lak``, ``VN``) the organisational unit."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, authority),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(min(now + VALIDITY, ca.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return certificate, key
