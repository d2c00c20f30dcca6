"""Terms of the programme shared by the contracts (docs/domain.md)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

LOCAL_LEVEL_CHANGE = date(2025, 7, 1)
"""Circular 38/2025/TT-BCT in force: rounds dated from this day are commune rounds, rounds dated
before it district rounds (the lowest level; docs/domain.md "Levels and scopes")."""


class Level(StrEnum):
    """Recognition level: cấp xã (from 1 July 2025) or cấp huyện (before) / cấp tỉnh /
    cấp khu vực / cấp quốc gia. ``commune`` and ``district`` came with contract version 1.1."""

    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCIAL = "provincial"
    REGIONAL = "regional"
    NATIONAL = "national"

    @property
    def rank(self) -> int:
        """Height of the level: commune and district share the lowest step."""
        return {"commune": 0, "district": 0, "provincial": 1, "regional": 2, "national": 3}[
            self.value
        ]

    @property
    def is_local(self) -> bool:
        """The level below the province: commune since 1 July 2025, district before."""
        return self in (Level.COMMUNE, Level.DISTRICT)

    @property
    def prior(self) -> Level | None:
        """The level whose recognition an entry at this level always needs (a provincial
        round's need of a local recognition is the round's own setting)."""
        return {"regional": Level.PROVINCIAL, "national": Level.REGIONAL}.get(self.value)

    def in_force_on(self, day: date) -> bool:
        """Whether a round of this level may be dated ``day``: commune rounds from 1 July 2025,
        district rounds before it; the upper levels always."""
        if self is Level.COMMUNE:
            return day >= LOCAL_LEVEL_CHANGE
        if self is Level.DISTRICT:
            return day < LOCAL_LEVEL_CHANGE
        return True


class CommuneKind(StrEnum):
    """A commune-level unit since 2025 (đơn vị hành chính cấp xã)."""

    XA = "xa"  # xã
    PHUONG = "phuong"  # phường
    DAC_KHU = "dac_khu"  # đặc khu


class Region(StrEnum):
    NORTH = "north"  # phía Bắc
    CENTRAL_HIGHLANDS = "central_highlands"  # miền Trung – Tây Nguyên
    SOUTH = "south"  # phía Nam


class FacilityKind(StrEnum):
    SME = "sme"
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    HOUSEHOLD_BUSINESS = "household_business"


class ProductGroup(StrEnum):
    HANDICRAFT = "handicraft"  # thủ công mỹ nghệ
    AGRO_FOOD = "agro_food"  # chế biến nông, lâm, thủy sản và thực phẩm
    MACHINERY = "machinery"  # thiết bị, máy móc, dụng cụ và phụ tùng cơ khí
    OTHER = "other"  # vật liệu xây dựng, mỹ phẩm, …


class SchemeKind(StrEnum):
    MACHINERY = "machinery"
    TRADE_FAIR = "trade_fair"
    SHOWROOM = "showroom"
    TRAINING = "training"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    CLEANER_PRODUCTION = "cleaner_production"
    BRANDING_PACKAGING = "branding_packaging"
    ECOMMERCE = "ecommerce"


class FundingSource(StrEnum):
    NATIONAL = "national"
    LOCAL = "local"
    COUNTERPART = "counterpart"


NATION_SCOPE = "VN"
