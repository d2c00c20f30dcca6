"""The certificate is laid out as a Vietnamese administrative paper, and the revocation stamp
leaves the QR code and the signatory's name readable: checked on the layout's boxes and on
where the rendered PDF actually draws the texts."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from certification.adapters.certificate_pdf import (
    LAYOUT,
    MOTTO,
    NATIONAL_NAME,
    Box,
    CertificateText,
    render_certificate,
)

MM = 72 / 25.4  # points per millimetre
A4_HEIGHT = 297.0

TEXT = CertificateText(
    certificate_number="MIEN-TRUNG-TAY-NGUYEN-2087-KV-001",
    product_name="Cà phê bột nguyên chất Buôn Ma Thuột",
    facility_name="Hợp tác xã Nông nghiệp Công bằng Ea Kiết",
    province_name="Đắk Lắk",
    level_label="cấp khu vực",
    scope_label="khu vực Miền Trung – Tây Nguyên",
    year=2087,
    decision_number="88/QĐ-BCT",
    decided_on=date(2087, 11, 12),
    valid_until=date(2089, 12, 31),
    issuer="BỘ CÔNG THƯƠNG",
    place="Hà Nội",
    signatory_title="KT. BỘ TRƯỞNG – THỨ TRƯỞNG",
    signatory_name="Phạm Quang Huy",
    verify_url="https://cnnt.example.vn/verify/MIEN-TRUNG-TAY-NGUYEN-2087-KV-001",
    revoked_by=("97/QĐ-BCT", date(2088, 3, 1)),
)


def _drawn(pdf: bytes) -> dict[str, tuple[float, float]]:
    """Each text run's starting point in millimetres from the page's top left."""
    runs: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.setdefault(text.strip(), (x / MM, A4_HEIGHT - y / MM))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_the_stamp_covers_neither_the_qr_code_nor_the_signatory() -> None:
    for other in (LAYOUT.qr, LAYOUT.qr_caption, LAYOUT.signatory_title, LAYOUT.signatory_name):
        assert not LAYOUT.stamp.intersects(other), other
    assert LAYOUT.stamp.intersects(Box(0, 0, 210, 297))  # the check can fail


def test_the_rendered_stamp_and_name_sit_in_their_boxes() -> None:
    runs = _drawn(render_certificate(TEXT))
    assert LAYOUT.stamp.contains(*runs["ĐÃ THU HỒI"])
    assert LAYOUT.signatory_name.contains(*runs["Phạm Quang Huy"])
    assert not LAYOUT.stamp.contains(*runs["Phạm Quang Huy"])


def test_the_heading_follows_the_administrative_form() -> None:
    runs = _drawn(render_certificate(TEXT))
    authority_x, authority_y = runs["BỘ CÔNG THƯƠNG"]
    national_x, national_y = runs[NATIONAL_NAME]
    _, motto_y = runs[MOTTO]
    assert MOTTO == "Độc lập \u2013 Tự do \u2013 Hạnh phúc"  # en dashes
    assert LAYOUT.authority.contains(authority_x, authority_y)  # top left
    assert LAYOUT.national.contains(national_x, national_y)  # top right
    assert authority_x < LAYOUT.authority.x + LAYOUT.authority.w < national_x
    assert abs(authority_y - national_y) < 6
    assert motto_y > national_y
    place_x, place_y = runs["Hà Nội, ngày 12 tháng 11 năm 2087"]
    assert LAYOUT.national.contains(place_x, place_y)
    assert place_y > motto_y
    assert "Số: MIEN-TRUNG-TAY-NGUYEN-2087-KV-001" in runs
