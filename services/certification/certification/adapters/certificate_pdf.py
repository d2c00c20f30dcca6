"""The certificate (giấy chứng nhận) as an A4 PDF.

The font is DejaVu Sans as matplotlib ships it, embedded (subset) in the file: it covers
Vietnamese, and the PDF renders the same on any machine with no system font involved.
fpdf2 and matplotlib are imported when a certificate is first rendered, not when the service
starts: together they add seconds to every start-up on a small machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

FONT = "DejaVu"


@dataclass(frozen=True)
class CertificateText:
    certificate_number: str
    product_name: str
    facility_name: str
    province_name: str
    level_label: str  # e.g. "cấp tỉnh"
    scope_label: str  # e.g. "tỉnh Đắk Lắk"
    year: int
    decision_number: str
    decided_on: date
    valid_until: date
    issuer: str  # e.g. "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"
    place: str  # e.g. "Đắk Lắk"
    signatory_title: str  # e.g. "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    signatory_name: str
    verify_url: str  # the QR code opens it: the console's public verification page
    revoked_by: tuple[str, date] | None = None  # the revoking decision's number and date


@cache
def _fonts() -> tuple[Path, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _vn_date(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def render_certificate(text: CertificateText) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    regular, bold = _fonts()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"Giấy chứng nhận {text.certificate_number}")
    pdf.set_author("CNNT")
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.rect(10, 10, 190, 277)

    def line(value: str, size: float, style: str = "", gap: float = 4) -> None:
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(0, size * 0.5, value, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.set_y(18)
    line(text.issuer.upper(), 11, "B", 3)
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "B", 1)
    line("Độc lập - Tự do - Hạnh phúc", 11, "", 14)
    line("GIẤY CHỨNG NHẬN", 24, "B", 4)
    line(f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {text.level_label.upper()}", 13, "B", 2)
    line(f"{text.scope_label} năm {text.year}", 12, "", 14)
    line("Sản phẩm:", 11, "", 1)
    line(text.product_name, 18, "B", 8)
    line("Cơ sở sản xuất:", 11, "", 1)
    line(text.facility_name, 14, "B", 2)
    line(text.province_name, 12, "", 14)
    line(f"Số giấy chứng nhận: {text.certificate_number}", 12, "B", 3)
    line(f"Quyết định số {text.decision_number}, {_vn_date(text.decided_on)}", 11, "", 3)
    line(f"Có giá trị đến {_vn_date(text.valid_until)}", 11, "", 3)
    _signature_block(pdf, text)
    _qr_code(pdf, text.verify_url, x=20, y=222, size=40)
    if text.revoked_by is not None:
        _stamp_revoked(pdf, *text.revoked_by)
    return bytes(pdf.output())


def _stamp_revoked(pdf: Any, number: str, decided_on: date) -> None:
    """A revoked certificate must not pass for a valid one, printed or on screen: a red
    "ĐÃ THU HỒI" with the revoking decision across the page, and in the title."""
    pdf.set_title(f"{pdf.title} - ĐÃ THU HỒI")
    pdf.set_draw_color(200, 0, 0)
    pdf.set_text_color(200, 0, 0)
    pdf.set_line_width(1.2)
    pdf.rect(25, 232, 160, 40)
    pdf.set_xy(25, 236)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(160, 14, "ĐÃ THU HỒI", align="C")
    pdf.set_xy(25, 254)
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(160, 6, f"theo Quyết định số {number}, {_vn_date(decided_on)}", align="C")
    pdf.set_text_color(0, 0, 0)


def _signature_block(pdf: Any, text: CertificateText) -> None:
    """Bottom right, as an official paper signs: place and date, the signatory's title, room
    for the signature and seal, then the name."""
    from fpdf.enums import XPos, YPos

    pdf.set_xy(100, 222)
    pdf.set_font(FONT, "", 11)
    place = (
        f"{text.place}, {_vn_date(text.decided_on)}" if text.place else _vn_date(text.decided_on)
    )
    pdf.multi_cell(95, 6, place, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 12)
    if text.signatory_title:
        pdf.multi_cell(
            95, 6, text.signatory_title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
    pdf.set_y(pdf.get_y() + 20)
    pdf.set_x(100)
    if text.signatory_name:
        pdf.multi_cell(95, 6, text.signatory_name, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)


def _qr_code(pdf: Any, url: str, *, x: float, y: float, size: float) -> None:
    """The verification address as a QR code drawn as vector squares (sharp at any zoom),
    with the address printed under it for someone without a phone."""
    import segno

    qr = segno.make_qr(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + c * module, y + r * module, module, module, style="F")
    pdf.set_font(FONT, "", 7)
    pdf.set_xy(x, y + size + 1)
    pdf.multi_cell(100 - x - 2, 3, f"Tra cứu: {url}", align="L")
