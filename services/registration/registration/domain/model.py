"""Registration's domain: rounds, and the eligibility of an entry (docs/domain.md, "Eligibility").

Pure: standard library and the shared vocabulary only. Every refusal is an ``EligibilityError``
whose code names the rule and whose field names what the caller must correct.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cnnt_contracts.vocabulary import LOCAL_LEVEL_CHANGE, NATION_SCOPE, Level, Region
from cnnt_runtime.errors import Conflict, DomainError
from cnnt_runtime.reference import current_unit, is_commune, is_district, province_name
from cnnt_runtime.scope import MERGER_DATE, dissolved_on


class EligibilityError(DomainError):
    """An entry refused by one of the rules of docs/domain.md."""


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


DECLARATIONS: dict[str, str] = {
    "self_produced": "the product is made by the facility itself",
    "no_ip_infringement": "the product does not breach intellectual property rights",
    "meets_standards": (
        "the product meets quality, safety, food-hygiene and environmental standards"
    ),
    "mass_producible": "the product can be mass-produced (not a one-off piece)",
}
# The same declarations as the dossier words them (a refusal's message).
PROMISES: dict[str, str] = {
    "self_produced": "sản phẩm do cơ sở tự sản xuất",
    "no_ip_infringement": "sản phẩm không vi phạm quyền sở hữu trí tuệ",
    "meets_standards": "sản phẩm đáp ứng tiêu chuẩn chất lượng, an toàn, vệ sinh thực phẩm và "
    "môi trường",
    "mass_producible": "sản phẩm có khả năng sản xuất hàng loạt (không phải sản phẩm đơn chiếc)",
}


@dataclass
class Round:
    """A selection round (đợt bình chọn) at one level, for one scope, in one year."""

    level: Level
    scope_code: str
    year: int
    opens_on: date
    closes_on: date
    status: RoundStatus = RoundStatus.DRAFT
    requires_local_recognition: bool = False

    def __post_init__(self) -> None:
        if self.closes_on < self.opens_on:
            raise DomainError(
                "window_inverted", "ngày đóng đăng ký không được trước ngày mở", field="closes_on"
            )
        if self.level is Level.NATIONAL and self.scope_code != NATION_SCOPE:
            raise DomainError(
                "scope_mismatch",
                f"đợt bình chọn cấp quốc gia có phạm vi {NATION_SCOPE}",
                field="scope_code",
            )
        if self.level is Level.REGIONAL and self.scope_code not in set(Region):
            regions = ", ".join(r.value for r in Region)
            raise DomainError(
                "scope_mismatch",
                f"phạm vi của đợt bình chọn cấp khu vực là một trong: {regions}",
                field="scope_code",
            )
        if self.level is Level.COMMUNE and not is_commune(self.scope_code):
            raise DomainError(
                "scope_mismatch",
                "phạm vi của đợt cấp xã là mã năm chữ số của một xã, phường, đặc khu (từ 2025)",
                field="scope_code",
            )
        if self.level is Level.DISTRICT and not is_district(self.scope_code):
            raise DomainError(
                "scope_mismatch",
                "phạm vi của đợt cấp huyện là mã ba chữ số của một huyện, quận, thị xã, "
                "thành phố thuộc tỉnh (trước 01/07/2025)",
                field="scope_code",
            )
        if self.requires_local_recognition and self.level is not Level.PROVINCIAL:
            raise DomainError(
                "setting_not_applicable",
                "chỉ đợt cấp tỉnh mới có thể yêu cầu sản phẩm đã được công nhận cấp xã/huyện",
                field="requires_local_recognition",
            )

    def check_level_in_force(self) -> None:
        """Commune rounds exist from 1 July 2025 (Circular 38/2025/TT-BCT), district rounds
        before it; the day that counts is the round's opening."""
        if self.level.in_force_on(self.opens_on):
            return
        if self.level is Level.COMMUNE:
            rule = f"cấp xã chỉ có từ ngày {LOCAL_LEVEL_CHANGE:%d/%m/%Y}"
        else:
            rule = f"cấp huyện chỉ có trước ngày {LOCAL_LEVEL_CHANGE:%d/%m/%Y} (nay là cấp xã)"
        raise DomainError(
            "level_not_in_force",
            f"đợt bình chọn mở ngày {self.opens_on:%d/%m/%Y}: {rule}",
            field="level",
        )

    def check_unit_in_force(self) -> None:
        """Since the 2025 merger a new provincial round is for a current unit; a round of a
        dissolved province only records history, so it must open before the merger."""
        if self.level is Level.PROVINCIAL and dissolved_on(self.scope_code, self.opens_on):
            successor = current_unit(self.scope_code)
            raise DomainError(
                "province_dissolved",
                f"{province_name(self.scope_code)} đã sáp nhập vào {successor.name} từ ngày "
                f"{MERGER_DATE:%d/%m/%Y}: đợt bình chọn mở ngày {self.opens_on:%d/%m/%Y} "
                f"phải mở cho {successor.name} ({successor.code})",
                field="scope_code",
            )

    def check_editable(self) -> None:
        """A round is corrected while it is a draft: once open, facilities register against
        its name and window, and the other services hold it as announced."""
        if self.status is not RoundStatus.DRAFT:
            raise Conflict(
                "round_not_draft",
                f"chỉ sửa được đợt bình chọn ở trạng thái nháp; hiện là {self.status}",
            )

    def open(self) -> None:
        if self.status is not RoundStatus.DRAFT:
            raise Conflict(
                "round_not_draft",
                f"chỉ đợt bình chọn ở trạng thái nháp mới mở được; hiện là {self.status}",
            )
        self.status = RoundStatus.OPEN

    def close(self) -> None:
        if self.status is not RoundStatus.OPEN:
            raise Conflict(
                "round_not_open", f"chỉ đợt bình chọn đang mở mới đóng được; hiện là {self.status}"
            )
        self.status = RoundStatus.CLOSED

    def check_may_withdraw(self, *, already_withdrawn: bool) -> None:
        """An entry is withdrawn once, while its round is still open."""
        if self.status is not RoundStatus.OPEN:
            raise Conflict(
                "round_not_open",
                "chỉ rút được hồ sơ khi đợt bình chọn đang mở",
                field="entry_id",
            )
        if already_withdrawn:
            raise Conflict("entry_withdrawn", "hồ sơ đã được rút", field="entry_id")

    def check_registration_window(self, on: date) -> None:
        """Entries are taken while the round is open, on a day inside its window."""
        if self.status is not RoundStatus.OPEN:
            raise EligibilityError(
                "round_not_open",
                f"đợt bình chọn đang ở trạng thái {self.status}, không mở đăng ký",
                field="round_id",
            )
        if not self.opens_on <= on <= self.closes_on:
            raise EligibilityError(
                "outside_registration_window",
                f"đăng ký mở từ {self.opens_on:%d/%m/%Y} đến {self.closes_on:%d/%m/%Y}, "
                f"không nhận ngày {on:%d/%m/%Y}",
                field="round_id",
            )


@dataclass(frozen=True)
class Dossier:
    """What the facility declares in its dossier (hồ sơ)."""

    declarations: dict[str, bool] = field(default_factory=dict)

    def check(self) -> None:
        for refused in self.refusals():
            raise refused

    def refusals(self) -> list[EligibilityError]:
        """One refusal per declaration the dossier lacks."""
        return [
            EligibilityError(
                "declaration_missing",
                f"hồ sơ phải có cam kết: {PROMISES[key]}",
                field=f"declarations.{key}",
            )
            for key in DECLARATIONS
            if not self.declarations.get(key, False)
        ]


def duplicate_entry() -> EligibilityError:
    return EligibilityError(
        "duplicate_entry", "sản phẩm này đã được đăng ký trong đợt bình chọn", field="product_id"
    )


def check_not_entered_twice(already_entered: bool) -> None:
    if already_entered:
        raise duplicate_entry()
