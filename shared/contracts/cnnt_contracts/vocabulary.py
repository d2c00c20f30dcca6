"""Terms of the programme shared by the contracts (docs/domain.md)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Recognition level: cấp tỉnh / cấp khu vực / cấp quốc gia."""

    PROVINCIAL = "provincial"
    REGIONAL = "regional"
    NATIONAL = "national"

    @property
    def rank(self) -> int:
        return {"provincial": 1, "regional": 2, "national": 3}[self.value]

    @property
    def prior(self) -> Level | None:
        """The level whose recognition an entry at this level needs."""
        return {"regional": Level.PROVINCIAL, "national": Level.REGIONAL}.get(self.value)


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
