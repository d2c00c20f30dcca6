"""The parts of an entry's dossier (hồ sơ đăng ký bình chọn), as data per level, and the rules an
uploaded file meets before anything of it is stored.

What a facility files (the consolidated circular's forms): the registration form, the product
description (bản thuyết minh), photos, the business registration, quality/standard papers; a
regional or national entry adds the lower level's recognition decision and certificate (the
Ministry's letter 413/CTĐP-TTCN). Each part is required or optional and says which kinds of file
it takes and how many; the limits are shown before upload (``GET /api/v1/dossier-parts``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cnnt_contracts.vocabulary import Level
from cnnt_runtime.errors import Conflict, DomainError


class FileKind(StrEnum):
    """The file types a dossier takes, judged by content (magic bytes), never by name."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"


CONTENT_TYPES: dict[FileKind, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.WEBP: "image/webp",
}
IMAGES = frozenset({FileKind.JPEG, FileKind.PNG, FileKind.WEBP})
DOCUMENTS = frozenset({FileKind.PDF, *IMAGES})  # a scan may be a PDF or a photo of the page


class PartCode(StrEnum):
    REGISTRATION_FORM = "registration_form"
    DESCRIPTION = "description"
    PHOTOS = "photos"
    BUSINESS_REGISTRATION = "business_registration"
    QUALITY_PAPERS = "quality_papers"
    PRIOR_RECOGNITION = "prior_recognition"
    OTHER = "other"


@dataclass(frozen=True)
class PartSpec:
    code: PartCode
    title: str  # Vietnamese, as the console shows it
    required: bool
    kinds: frozenset[FileKind]
    min_files: int
    max_files: int
    hint: str = ""


class DossierStatus(StrEnum):
    """Where a dossier stands at the receiving desk."""

    OPEN = "open"  # being filled (or refilled after a return)
    RECEIVED = "received"  # the province's officer took it in
    RETURNED = "returned"  # sent back for supplement (bổ sung hồ sơ)
    ACCEPTED = "accepted"  # complete and accepted


def parts_for(level: Level, *, max_photos: int) -> tuple[PartSpec, ...]:
    """The dossier's parts at a level: the lower-level recognition only above provincial."""
    parts = [
        PartSpec(
            PartCode.REGISTRATION_FORM,
            "Phiếu đăng ký tham gia bình chọn",
            True,
            DOCUMENTS,
            1,
            1,
        ),
        PartSpec(
            PartCode.DESCRIPTION,
            "Bản thuyết minh sản phẩm",
            True,
            frozenset({FileKind.PDF}),
            1,
            1,
            "Thị trường, năng lực sản xuất; kỹ thuật, môi trường; giá trị văn hóa, thẩm mỹ",
        ),
        PartSpec(
            PartCode.PHOTOS,
            "Ảnh sản phẩm",
            True,
            IMAGES,
            1,
            max_photos,
            "Ảnh chụp sản phẩm, không kèm thông tin vị trí (được xoá khi tải lên)",
        ),
        PartSpec(
            PartCode.BUSINESS_REGISTRATION,
            "Giấy chứng nhận đăng ký kinh doanh",
            True,
            DOCUMENTS,
            1,
            2,
        ),
        PartSpec(
            PartCode.QUALITY_PAPERS,
            "Giấy tờ về chất lượng, tiêu chuẩn sản phẩm",
            False,
            DOCUMENTS,
            0,
            5,
            "Công bố chất lượng, chứng nhận tiêu chuẩn, an toàn thực phẩm …",
        ),
    ]
    if level is not Level.PROVINCIAL:
        parts.append(
            PartSpec(
                PartCode.PRIOR_RECOGNITION,
                "Quyết định và giấy chứng nhận cấp dưới",
                True,
                DOCUMENTS,
                1,
                2,
                "Bản sao quyết định công nhận và giấy chứng nhận còn hiệu lực của cấp dưới",
            )
        )
    parts.append(PartSpec(PartCode.OTHER, "Tài liệu khác", False, DOCUMENTS, 0, 5))
    return tuple(parts)


def part_of(level: Level, code: str, *, max_photos: int) -> PartSpec:
    for part in parts_for(level, max_photos=max_photos):
        if part.code == code:
            return part
    raise DomainError(
        "dossier_part_unknown",
        f"hồ sơ cấp {level} không có thành phần {code!r}",
        field="part",
    )


@dataclass(frozen=True)
class PartState:
    spec: PartSpec
    files: int

    @property
    def complete(self) -> bool:
        return self.files >= self.spec.min_files


def completeness(level: Level, counts: dict[str, int], *, max_photos: int) -> tuple[PartState, ...]:
    """Each part with the files it holds; a required part is complete at its minimum."""
    return tuple(
        PartState(spec, counts.get(spec.code, 0))
        for spec in parts_for(level, max_photos=max_photos)
    )


def missing_parts(states: tuple[PartState, ...]) -> list[str]:
    return [s.spec.code for s in states if s.spec.required and not s.complete]


def check_room(part: PartSpec, held: int) -> None:
    if held >= part.max_files:
        raise Conflict(
            "dossier_part_full",
            f"thành phần “{part.title}” nhận tối đa {part.max_files} tệp",
            field="part",
            details={"max_files": part.max_files},
        )


def check_kind(part: PartSpec, kind: FileKind) -> None:
    if kind not in part.kinds:
        allowed = ", ".join(sorted(k.upper() for k in part.kinds))
        raise DomainError(
            "file_kind_not_allowed",
            f"thành phần “{part.title}” chỉ nhận tệp {allowed}",
            field="file",
        )


MAX_NAME = 200


def check_file_name(name: str) -> str:
    """A file's name as shown and offered on download: no path, no control characters."""
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise DomainError("file_name_missing", "tệp tải lên phải có tên", field="file")
    if any(sep in cleaned for sep in ("/", "\\")) or cleaned in (".", ".."):
        raise DomainError(
            "file_name_path",
            "tên tệp không được chứa đường dẫn (ký tự / hoặc \\)",
            field="file",
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for ch in cleaned):
        raise DomainError(
            "file_name_control",
            "tên tệp không được chứa ký tự điều khiển",
            field="file",
        )
    if len(cleaned) > MAX_NAME:
        raise DomainError(
            "file_name_too_long",
            f"tên tệp dài tối đa {MAX_NAME} ký tự",
            field="file",
        )
    return cleaned


def check_open_for_files(status: DossierStatus) -> None:
    """Files are added or removed while the dossier is with the facility or at the desk; an
    accepted dossier is closed."""
    if status is DossierStatus.ACCEPTED:
        raise Conflict(
            "dossier_accepted",
            "hồ sơ đã được tiếp nhận chính thức, không thể thay đổi tệp",
            field="entry_id",
        )


# The desk's steps: open → received → (returned → received …) → accepted.
def check_may_receive(status: DossierStatus) -> None:
    if status not in (DossierStatus.OPEN, DossierStatus.RETURNED):
        raise Conflict(
            "dossier_not_receivable",
            f"hồ sơ đang ở trạng thái “{STATUS_TITLES[status]}”, không thể tiếp nhận lại",
            field="entry_id",
        )


def check_received(status: DossierStatus, action: str) -> None:
    if status is not DossierStatus.RECEIVED:
        raise Conflict(
            "dossier_not_received",
            f"chỉ hồ sơ đã tiếp nhận mới có thể {action}; hồ sơ đang “{STATUS_TITLES[status]}”",
            field="entry_id",
        )


def check_return_reasons(
    level: Level, reasons: dict[str, str], *, max_photos: int
) -> dict[str, str]:
    """Each reason names a part of the level's dossier and says what to supplement."""
    cleaned = {code: text.strip() for code, text in reasons.items() if text.strip()}
    if not cleaned:
        raise DomainError(
            "return_reason_missing",
            "cần ghi lý do bổ sung cho ít nhất một thành phần hồ sơ",
            field="reasons",
        )
    for code in cleaned:
        part_of(level, code, max_photos=max_photos)
    return cleaned


def check_complete(states: tuple[PartState, ...]) -> None:
    missing = missing_parts(states)
    if missing:
        titles = ", ".join(s.spec.title for s in states if s.spec.code in missing)
        raise Conflict(
            "dossier_incomplete",
            f"hồ sơ còn thiếu: {titles}",
            field="entry_id",
            details={"missing": missing},
        )


STATUS_TITLES = {
    DossierStatus.OPEN: "đang lập hồ sơ",
    DossierStatus.RECEIVED: "đã tiếp nhận",
    DossierStatus.RETURNED: "trả lại để bổ sung",
    DossierStatus.ACCEPTED: "đã chấp nhận",
}


def check_sample_movement(movement: str, *, received: bool) -> None:
    if movement == "returned" and not received:
        raise Conflict(
            "sample_not_received",
            "chưa ghi nhận mẫu sản phẩm được tiếp nhận, không thể ghi trả mẫu",
            field="movement",
        )


def check_deadline(deadline: date, today: date) -> None:
    if deadline < today:
        raise DomainError(
            "deadline_in_past",
            f"hạn bổ sung phải từ hôm nay ({today:%d/%m/%Y}) trở đi",
            field="deadline",
        )
