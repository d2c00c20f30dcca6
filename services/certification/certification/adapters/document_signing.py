"""Signing the PDFs certification issues (PAdES, with pyHanko) with the issuing authority's key.

Two key stores (docs/signatures.md):
- ``file``: the authority CA in a folder issues each authority's signing certificate (in memory,
  on first use in the process); for development and the demo, refused in production.
- ``pkcs11``: the authority's key and certificate on a PKCS#11 token (the official's token or
  an HSM), both labelled with the authority's code (``dak-lak``, ``VN``); the token is selected
  by its label, since slot numbers change.

Each signature embeds the signer's certificate chain and, when ``CNNT_TSA_URL`` names a
time-stamping authority, a timestamp token (PAdES B-T). pyHanko and python-pkcs11 are imported
on first use, not when the service starts.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass
from typing import Any, Protocol

from cnnt_runtime.errors import Unavailable
from cnnt_runtime.settings import Settings

FIELD_NAME = "ChuKyCoQuanBanHanh"  # the issuing authority's signature


@dataclass(frozen=True)
class Signed:
    pdf: bytes
    sha256: str
    signer: str  # the signing certificate's subject, as a reader sees it


class AuthorityKeys(Protocol):
    async def signer(self, authority: str, name: str) -> Any:
        """A pyHanko ``Signer`` for the authority (its code and its name)."""
        ...


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _asn1(certificate: Any) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class FileKeys:
    """The development and demo authority CA: one signing certificate per authority, issued
    in memory the first time the process signs for it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._signers: dict[tuple[str, str], Any] = {}

    async def signer(self, authority: str, name: str) -> Any:
        if (authority, name) not in self._signers:
            self._signers[authority, name] = self._make(authority, name)
        return self._signers[authority, name]

    def _make(self, authority: str, name: str) -> Any:
        from asn1crypto import keys as asn1_keys
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign.signers import SimpleSigner
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        from cnnt_runtime.authority_ca import (
            ensure_development_ca,
            issue_signing_certificate,
            load_authority_ca,
        )

        ensure_development_ca(self._settings)  # never in production: `make env` made it
        ca = load_authority_ca(self._settings.authority_ca_dir)
        certificate, key = issue_signing_certificate(ca, authority, name)
        der_key = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return SimpleSigner(
            signing_cert=_asn1(certificate),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(ca.certificate)]),
        )


class Pkcs11Keys:
    """The authority's keys on a PKCS#11 token: one session per process, opened on first use,
    one signature at a time (a token session is not for concurrent use)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._session: Any = None
        self._chain: list[Any] | None = None
        self._signers: dict[str, Any] = {}
        self.lock = asyncio.Lock()

    def _open(self) -> Any:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session

        if self._session is None:
            self._session = open_pkcs11_session(
                str(self._settings.pkcs11_module),
                token_criteria=TokenCriteria(label=self._settings.pkcs11_token_label),
                user_pin=self._settings.pkcs11_pin.get_secret_value() or None,
            )
        return self._session

    def _ca_chain(self) -> list[Any]:
        if self._chain is None:
            from pyhanko.keys import load_certs_from_pemder

            path = self._settings.pkcs11_chain
            self._chain = list(load_certs_from_pemder([str(path)])) if path else []
        return self._chain

    async def signer(self, authority: str, name: str) -> Any:
        from pyhanko.sign.pkcs11 import PKCS11Signer

        if authority not in self._signers:
            session = self._open()
            chain = self._ca_chain()
            probe = PKCS11Signer(session, cert_label=authority, ca_chain=chain)
            await probe.ensure_objects_loaded()
            # SoftHSM and many tokens offer ECDSA only as the raw mechanism (hash, then sign).
            raw = probe.signing_cert.public_key.algorithm == "ec"
            signer = (
                PKCS11Signer(session, cert_label=authority, ca_chain=chain, use_raw_mechanism=True)
                if raw
                else probe
            )
            self._signers[authority] = signer
        return self._signers[authority]


_KEYS: dict[tuple[object, ...], AuthorityKeys] = {}


def authority_keys(settings: Settings) -> AuthorityKeys:
    """The process's key store for these settings (one token session, one set of signers)."""
    refusal = settings.document_signing_refusal()
    if refusal:
        raise Unavailable("signing_refused", refusal)
    key = (
        settings.document_signing,
        settings.authority_ca_dir,
        settings.pkcs11_module,
        settings.pkcs11_token_label,
        settings.pkcs11_chain,
    )
    if key not in _KEYS:
        _KEYS[key] = (
            Pkcs11Keys(settings) if settings.document_signing == "pkcs11" else FileKeys(settings)
        )
    return _KEYS[key]


def _subject(signer: Any) -> str:
    return str(signer.signing_cert.subject.human_friendly)


async def sign_pdf(
    keys: AuthorityKeys,
    settings: Settings,
    pdf: bytes,
    *,
    authority: str,
    name: str,
    reason: str,
    location: str,
) -> Signed:
    """``pdf`` signed for the authority: PAdES (ETSI.CAdES.detached), SHA-256, the chain
    embedded, a timestamp when a TSA is configured."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    try:
        signer = await keys.signer(authority, name)
    except Exception as exc:  # a token away, a key missing: nothing is issued unsigned
        raise Unavailable(
            "signing_unavailable",
            f"khóa ký của {authority!r} không sẵn sàng: {exc}",
        ) from exc
    timestamper = None
    if settings.tsa_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(settings.tsa_url)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=name,
    )
    lock = getattr(keys, "lock", None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    try:
        if lock is not None:
            async with lock:
                out = await signers.async_sign_pdf(writer, meta, signer, timestamper=timestamper)
        else:
            out = await signers.async_sign_pdf(writer, meta, signer, timestamper=timestamper)
    except SigningError as exc:
        raise Unavailable("signing_unavailable", f"ký số không thành công: {exc}") from exc
    data = out.getvalue()
    return Signed(data, sha256(data), _subject(signer))
