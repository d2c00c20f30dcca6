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

    pdf.set_y(24)
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
    return bytes(pdf.output())
