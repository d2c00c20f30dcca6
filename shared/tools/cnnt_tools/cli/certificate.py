"""``cnnt certificate verify FILE.pdf``: is this certificate genuine?

Offline, with pyHanko: the signature is intact (not one byte of the signed range changed), it
covers the whole file, and its signer's certificate chains to a trusted root (the authority CA,
``CNNT_DOCUMENT_TRUST_ROOTS`` or ``--trust``). Then, when certification answers, the number's
standing (valid, revoked, expired) and whether this very file is the edition issued (by its
SHA-256). pyHanko is imported when the command runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer

from cnnt_runtime.settings import Settings, get_settings

certificate_app = typer.Typer(help="Certificates (giấy chứng nhận)", no_args_is_help=True)

NUMBER = re.compile(r"Giấy chứng nhận (\S+)")
STANDING = {
    "valid": "còn hiệu lực",
    "revoked": "ĐÃ THU HỒI",
    "expired": "đã hết hiệu lực",
    "unknown": "không có trong hệ thống",
}


@dataclass
class Check:
    sha256: str
    signed: bool = False
    intact: bool = False
    whole_file: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: str = ""
    timestamped: bool = False
    number: str = ""
    standing: str | None = None  # None: the service was not asked or did not answer
    issued_file: bool | None = None
    current_file: bool | None = None
    revocation: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def signature_ok(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.trusted

    @property
    def ok(self) -> bool:
        if not self.signature_ok:
            return False
        if self.standing is None:
            return True  # offline: the signature is all that can be said
        return bool(self.standing == "valid" and self.issued_file and self.current_file)


def trust_roots(settings: Settings, trust: Path | None) -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder

    path = trust or settings.document_trust_roots or settings.authority_ca_dir / "ca.pem"
    if not path.exists():
        raise typer.BadParameter(f"không có tệp chứng thư gốc tin cậy {path}", param_hint="--trust")
    return list(load_certs_from_pemder([str(path)]))


async def check_signature(data: bytes, roots: list[Any]) -> Check:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    check = Check(sha256=hashlib.sha256(data).hexdigest())
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:  # not a PDF at all
        check.notes.append(f"không đọc được tệp PDF: {exc}")
        return check
    info = reader.trailer_view.get("/Info")
    title = str(info.get_object().get("/Title", "")) if info is not None else ""
    if found := NUMBER.search(title):
        check.number = found.group(1)
    signatures = reader.embedded_signatures
    if not signatures:
        check.notes.append("tệp không có chữ ký số")
        return check
    check.signed = True
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = await async_validate_pdf_signature(signatures[-1], context)
    check.intact = bool(status.intact and status.valid)
    check.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    check.trusted = bool(status.trusted)
    check.signer = str(status.signing_cert.subject.human_friendly)
    if status.signer_reported_dt is not None:
        check.signed_at = status.signer_reported_dt.isoformat()
    check.timestamped = status.timestamp_validity is not None
    return check


async def standing(
    check: Check, base_url: str, transport: httpx.AsyncBaseTransport | None = None
) -> None:
    """The number's standing and whether this file is the one issued, from certification's
    public verification; left unknown (with a note) when it does not answer."""
    if not check.number:
        check.notes.append("không đọc được số giấy chứng nhận trong tệp")
        return
    url = f"{base_url.rstrip('/')}/api/v1/verify/{quote(check.number, safe='')}"
    try:
        async with httpx.AsyncClient(timeout=5, transport=transport) as client:
            answer = await client.get(url, params={"sha256": check.sha256})
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        check.notes.append(f"không liên lạc được dịch vụ công nhận ({exc}); chỉ kiểm tra chữ ký")
        return
    body = answer.json()
    check.standing = str(body["status"])
    document = body.get("document") or {}
    check.issued_file = bool(document.get("issued"))
    check.current_file = bool(document.get("current"))
    check.revocation = body.get("revocation")


def _yes(value: bool | None) -> str:
    return "có" if value else "không"


def report(check: Check) -> list[str]:
    lines = [
        f"Tệp: SHA-256 {check.sha256}",
        f"Số giấy chứng nhận: {check.number or '(không rõ)'}",
        f"Có chữ ký số: {_yes(check.signed)}",
    ]
    if check.signed:
        lines += [
            f"Chữ ký nguyên vẹn (không bị sửa): {_yes(check.intact)}",
            f"Chữ ký bao trùm toàn bộ tệp: {_yes(check.whole_file)}",
            f"Người ký: {check.signer}",
            f"Chứng thư người ký tin cậy: {_yes(check.trusted)}",
            f"Thời điểm ký: {check.signed_at or '(không ghi)'}"
            + (" (có dấu thời gian)" if check.timestamped else ""),
        ]
    if check.standing is not None:
        lines.append(f"Tình trạng: {STANDING.get(check.standing, check.standing)}")
        if check.revocation:
            lines.append(
                f"Thu hồi theo Quyết định số {check.revocation['decision_number']} "
                f"ngày {check.revocation['decided_on']}"
            )
        if check.issued_file and check.current_file:
            lines.append("Tệp này đúng là bản đã cấp (bản hiện hành).")
        elif check.issued_file:
            lines.append("Tệp này là bản đã cấp trước đây, nay đã có bản mới thay thế.")
        else:
            lines.append("Tệp này KHÔNG phải bản do hệ thống cấp.")
    lines += check.notes
    lines.append("KẾT LUẬN: HỢP LỆ" if check.ok else "KẾT LUẬN: KHÔNG HỢP LỆ")
    return lines


async def check_file(
    data: bytes,
    settings: Settings,
    *,
    trust: Path | None = None,
    offline: bool = False,
    base_url: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Check:
    """The signature offline, then (unless ``offline``) the number's standing from
    certification at ``base_url`` (default: where the settings say it runs)."""
    check = await check_signature(data, trust_roots(settings, trust))
    if not offline and check.signature_ok:
        await standing(check, base_url or settings.base_url("certification"), transport)
    return check


@certificate_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The PDF to check")],
    trust: Annotated[
        Path | None,
        typer.Option(help="Trusted root certificates (PEM); default: CNNT_DOCUMENT_TRUST_ROOTS"),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Check the signature only, ask no service")
    ] = False,
) -> None:
    """Check a certificate PDF: signature intact, signer, and (when certification answers)
    the number's standing and whether this is the file issued. Exit 0 only if genuine."""
    check = asyncio.run(check_file(file.read_bytes(), get_settings(), trust=trust, offline=offline))
    for line in report(check):
        typer.echo(line)
    raise typer.Exit(0 if check.ok else 1)
