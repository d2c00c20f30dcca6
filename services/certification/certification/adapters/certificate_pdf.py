"""The certificate (giấy chứng nhận) as an A4 PDF, laid out as a Vietnamese administrative paper
(Nghị định 30/2020/NĐ-CP): the issuing authority and the number top left, the Quốc hiệu and motto
top right with the place and date under them, the title, the body, then the verification QR code
bottom left and the signatory bottom right.

The font is DejaVu Serif as matplotlib ships it, embedded (subset) in the file: it covers
Vietnamese, and the PDF renders the same on any machine with no system font involved.
fpdf2 and matplotlib are imported when a certificate is first rendered, not when the service
starts: together they add seconds to every start-up on a small machine.

Where each block sits is in ``LAYOUT`` (millimetres from the page's top left), so a test can
check that the revocation stamp leaves the QR code and the signatory's name readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

FONT = "DejaVuSerif"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập – Tự do – Hạnh phúc"  # en dashes, as the form prints it
REVOKED = "ĐÃ THU HỒI"


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in millimetres from the top left."""

    x: float
    y: float
    w: float
    h: float

    def intersects(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.w and self.y <= y <= self.y + self.h


@dataclass(frozen=True)
class Layout:
    authority: Box  # top left: the issuing authority, its rule, the number
    national: Box  # top right: Quốc hiệu, motto, rule, place and date
    body: Box  # the title and what is certified
    stamp: Box  # "ĐÃ THU HỒI" with the revoking decision, on a revoked certificate
    qr: Box  # the verification QR code
    qr_caption: Box  # the address under it
    signatory_title: Box
    signatory_name: Box


LAYOUT = Layout(
    authority=Box(14, 16, 72, 30),
    national=Box(88, 16, 108, 30),
    body=Box(20, 54, 170, 118),
    stamp=Box(30, 176, 150, 28),
    qr=Box(22, 212, 36, 36),
    qr_caption=Box(16, 249, 76, 12),
    signatory_title=Box(100, 212, 96, 20),
    signatory_name=Box(100, 254, 96, 8),
)


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
def _fonts() -> dict[str, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {
        "": folder / "DejaVuSerif.ttf",
        "B": folder / "DejaVuSerif-Bold.ttf",
        "I": folder / "DejaVuSerif-Italic.ttf",
    }


def vn_date(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def new_page(title: str) -> Any:
    """An A4 page with the fonts registered and the certificate's double frame drawn."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_author("CNNT")
    for style, path in _fonts().items():
        pdf.add_font(FONT, style, str(path))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    return pdf


def header(pdf: Any, issuer: str, number_line: str, place_date: str) -> None:
    """The heading of an administrative paper: the issuing authority in bold capitals with a
    short rule under it and the paper's number, left; the Quốc hiệu, the motto with a rule under
    it, and the place and date in italics, right."""
    from fpdf.enums import XPos, YPos

    left, right = LAYOUT.authority, LAYOUT.national
    pdf.set_xy(left.x, left.y)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(
        left.w, 5.5, _authority_lines(issuer), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
    )
    rule_y = pdf.get_y() + 1
    pdf.set_line_width(0.3)
    pdf.line(left.x + left.w / 2 - 12, rule_y, left.x + left.w / 2 + 12, rule_y)
    pdf.set_xy(left.x, rule_y + 3)
    size = 10.5
    pdf.set_font(FONT, "", size)
    while pdf.get_string_width(number_line) > left.w - 2 and size > 7:
        size -= 0.5  # a long number (a region's) stays on one line
        pdf.set_font(FONT, "", size)
    pdf.multi_cell(left.w, 5.5, number_line, align="C")

    pdf.set_xy(right.x, right.y)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(right.w, 5.5, NATIONAL_NAME, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(right.w, 6, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    half = pdf.get_string_width(MOTTO) / 2
    rule_y = pdf.get_y() + 0.8
    pdf.line(right.x + right.w / 2 - half, rule_y, right.x + right.w / 2 + half, rule_y)
    pdf.set_xy(right.x, rule_y + 5)
    pdf.set_font(FONT, "I", 11)
    pdf.multi_cell(right.w, 5.5, place_date, align="C")


def _authority_lines(issuer: str) -> str:
    """The authority in capitals, its kind on the first line and the place on the second, as
    papers print it: "ỦY BAN NHÂN DÂN" / "TỈNH ĐẮK LẮK"."""
    upper = " ".join(issuer.upper().split())
    kind = "ỦY BAN NHÂN DÂN "
    return f"{kind.strip()}\n{upper[len(kind) :]}" if upper.startswith(kind) else upper


def render_certificate(text: CertificateText) -> bytes:
    from fpdf.enums import XPos, YPos

    pdf = new_page(f"Giấy chứng nhận {text.certificate_number}")
    pdf.set_line_width(0.8)
    pdf.rect(8, 8, 194, 281)
    pdf.set_line_width(0.3)
    pdf.rect(10, 10, 190, 277)
    place = f"{text.place}, {vn_date(text.decided_on)}" if text.place else vn_date(text.decided_on)
    header(pdf, text.issuer, f"Số: {text.certificate_number}", place)

    body = LAYOUT.body

    def line(value: str, size: float, style: str = "", gap: float = 3) -> None:
        pdf.set_x(body.x)
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(body.w, size * 0.5, value, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.set_y(body.y)
    line("GIẤY CHỨNG NHẬN", 24, "B", 3)
    line(f"SẢN PHẨM CÔNG NGHIỆP NÔNG THÔN TIÊU BIỂU {text.level_label.upper()}", 12, "B", 1)
    line(f"{text.scope_label} năm {text.year}", 12, "", 6)
    line(f"Căn cứ Quyết định số {text.decision_number} {vn_date(text.decided_on)},", 11, "I", 4)
    line("CHỨNG NHẬN sản phẩm:", 11, "", 1)
    line(text.product_name, 17, "B", 5)
    line("của cơ sở sản xuất:", 11, "", 1)
    line(text.facility_name, 14, "B", 1)
    if text.province_name:
        line(text.province_name, 12, "", 3)
    line(
        "là sản phẩm công nghiệp nông thôn tiêu biểu "
        f"{text.level_label} năm {text.year}. Có giá trị đến {vn_date(text.valid_until)}.",
        11,
        "",
        0,
    )
    _signature_block(pdf, text)
    _qr_code(pdf, text.verify_url)
    if text.revoked_by is not None:
        _stamp_revoked(pdf, *text.revoked_by)
    return bytes(pdf.output())


def _stamp_revoked(pdf: Any, number: str, decided_on: date) -> None:
    """A revoked certificate must not pass for a valid one, printed or on screen: a red
    "ĐÃ THU HỒI" with the revoking decision across the page (between the body and the
    QR code and signature, covering neither), and in the title."""
    box = LAYOUT.stamp
    pdf.set_title(f"{pdf.title} - {REVOKED}")
    pdf.set_draw_color(200, 0, 0)
    pdf.set_text_color(200, 0, 0)
    pdf.set_line_width(1.2)
    pdf.rect(box.x, box.y, box.w, box.h)
    pdf.set_xy(box.x, box.y + 2)
    pdf.set_font(FONT, "B", 24)
    pdf.cell(box.w, 12, REVOKED, align="C")
    pdf.set_xy(box.x, box.y + 16)
    pdf.set_font(FONT, "", 11)
    pdf.cell(box.w, 8, f"theo Quyết định số {number}, {vn_date(decided_on)}", align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)


def signatory(pdf: Any, title: str, name: str) -> None:
    """Bottom right, as an official paper signs: the signatory's title in bold capitals, room
    for the signature and seal, then the name in bold."""
    from fpdf.enums import XPos, YPos

    box = LAYOUT.signatory_title
    pdf.set_xy(box.x, box.y)
    pdf.set_font(FONT, "B", 11.5)
    if title:
        pdf.multi_cell(box.w, 5.5, title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    named = LAYOUT.signatory_name
    if name:
        pdf.set_xy(named.x, named.y)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(named.w, named.h, name, align="C")


def _signature_block(pdf: Any, text: CertificateText) -> None:
    signatory(pdf, text.signatory_title, text.signatory_name)


def _qr_code(pdf: Any, url: str) -> None:
    """The verification address as a QR code drawn as vector squares (sharp at any zoom),
    with the address printed under it for someone without a phone."""
    import segno

    box, caption = LAYOUT.qr, LAYOUT.qr_caption
    qr = segno.make_qr(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=0))
    module = box.w / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(box.x + c * module, box.y + r * module, module, module, style="F")
    pdf.set_font(FONT, "", 7)
    pdf.set_xy(caption.x, caption.y)
    pdf.multi_cell(caption.w, 3, f"Tra cứu: {url}", align="C")


@dataclass(frozen=True)
class DecisionLine:
    certificate_number: str
    product_name: str
    facility_name: str
    mean: str  # as printed, e.g. "88,50"


@dataclass(frozen=True)
class DecisionText:
    """A decision (quyết định) as the authority issues it."""

    number: str
    kind: str  # confirmation, correction, revocation
    decided_on: date
    issuer: str
    place: str
    subject: str  # "Về việc …"
    articles: tuple[str, ...]  # Điều 1 before the table, then the others
    lines: tuple[DecisionLine, ...]
    signatory_title: str
    signatory_name: str


def render_decision(text: DecisionText) -> bytes:
    """The decision on A4 pages in the same administrative form as the certificate: heading,
    "QUYẾT ĐỊNH" and its subject, the articles with the list of certificates it issues (or the
    one it revokes), and the signatory under the last article."""
    from fpdf.enums import XPos, YPos

    pdf = new_page(f"Quyết định {text.number}")
    pdf.set_auto_page_break(auto=True, margin=18)
    place = f"{text.place}, {vn_date(text.decided_on)}" if text.place else vn_date(text.decided_on)
    header(pdf, text.issuer, f"Số: {text.number}", place)
    pdf.set_y(LAYOUT.body.y)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, "QUYẾT ĐỊNH", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, text.subject, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    first, *others = text.articles
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 6, first, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if text.lines:
        pdf.set_font(FONT, "", 9.5)
        with pdf.table(
            col_widths=(10, 48, 52, 52, 18),
            text_align=("CENTER", "LEFT", "LEFT", "LEFT", "RIGHT"),
            line_height=5,
        ) as table:
            table.row(["STT", "Số giấy chứng nhận", "Sản phẩm", "Cơ sở sản xuất", "Điểm"])
            for i, line in enumerate(text.lines, 1):
                table.row(
                    [str(i), line.certificate_number, line.product_name, line.facility_name,
                     line.mean]
                )  # fmt: skip
        pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    for article in others:
        pdf.multi_cell(0, 6, article, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    if pdf.get_y() > 240:
        pdf.add_page()
    y = pdf.get_y() + 6
    box = LAYOUT.signatory_title
    pdf.set_xy(box.x, y)
    pdf.set_font(FONT, "B", 11.5)
    if text.signatory_title:
        pdf.multi_cell(
            box.w, 5.5, text.signatory_title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT
        )
    if text.signatory_name:
        pdf.set_xy(box.x, pdf.get_y() + 22)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(box.w, 8, text.signatory_name, align="C")
    return bytes(pdf.output())
