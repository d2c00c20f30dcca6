"""The demo's programme, shaped on the seeds (../shared/seeds): Đắk Lắk 2017–2021 with
provincial rounds 2017, 2019, 2021 (42 facilities / 61 products entered, 29 recognised),
regional rounds 2018, 2020 (10 entered, 7 recognised) and national rounds 2019, 2021 (7 entered,
5 recognised); Gia Lai and Hà Nội run provincial rounds too, and Gia Lai's recognised products
compete in the same regional and national rounds. Deterministic: the same plan every run.

Each entry has a target mean; the jury's sheets average exactly to it, and each round's quota
is its number of recognitions, so who is recognised follows from the scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

DAK_LAK, GIA_LAI, HA_NOI = "dak-lak", "gia-lai", "ha-noi"
REGION = "central_highlands"

PRODUCT_TYPES = [
    ("Cà phê bột nguyên chất", "agro_food"),
    ("Khăn thổ cẩm Ê Đê", "handicraft"),
    ("Rượu cần", "agro_food"),
    ("Mật ong hoa cà phê", "agro_food"),
    ("Hồ tiêu sạch", "agro_food"),
    ("Bộ bàn ghế gỗ mỹ nghệ", "handicraft"),
    ("Máy sấy nông sản", "machinery"),
    ("Tranh gỗ khảm xà cừ", "handicraft"),
    ("Sầu riêng sấy giòn", "agro_food"),
    ("Gùi mây tre đan", "handicraft"),
    ("Máy bóc vỏ cà phê", "machinery"),
    ("Ca cao nguyên chất", "agro_food"),
    ("Gạch không nung", "other"),
    ("Xà phòng thảo dược", "other"),
    ("Bơ sáp sấy lạnh", "agro_food"),
    ("Chiêng đồng", "handicraft"),
    ("Nông cụ rèn thủ công", "machinery"),
    ("Trà mãng cầu", "agro_food"),
    ("Nước mắm truyền thống", "agro_food"),
    ("Bộ ấm chén gốm", "handicraft"),
]
PLACES = {
    DAK_LAK: ["Buôn Ma Thuột", "Buôn Đôn", "Krông Năng", "Ea Kar", "Cư M'gar", "Lắk", "Krông Pắc"],
    GIA_LAI: ["Pleiku", "Chư Sê", "Ia Grai", "Đak Đoa"],
    HA_NOI: ["Bát Tràng", "Vạn Phúc", "Phú Vinh", "Chuyên Mỹ"],
}
FACILITY_PREFIXES = [
    ("HTX", "cooperative"),
    ("Công ty TNHH", "sme"),
    ("Hộ kinh doanh", "household_business"),
    ("Tổ hợp tác", "cooperative_group"),
]
PEOPLE = [
    "Ama Kông",
    "H'Hen Niê",
    "Nguyễn Văn An",
    "Y Moan",
    "Trần Thị Hoa",
    "Lê Văn Bình",
    "H'Luyến",
    "Phạm Minh Đức",
    "Ksor Nguyên",
    "Võ Thị Lan",
    "Đinh Văn Tú",
    "Rơ Châm Xuân",
]


@dataclass
class Facility:
    key: str
    province: str
    name: str
    kind: str
    business_code: str


@dataclass
class Product:
    key: str
    facility: Facility
    name: str
    group: str


@dataclass
class Entry:
    product: Product
    mean: Decimal  # the jury's mean this entry gets


@dataclass
class RoundPlan:
    level: str
    scope: str
    year: int
    name: str
    quota: int
    decision: str
    decided_on: date
    entries: list[Entry] = field(default_factory=list)

    @property
    def opens_on(self) -> date:
        return date(self.year, 3, 1)

    @property
    def closes_on(self) -> date:
        return date(self.year, 5, 31)

    @property
    def registered_on(self) -> date:
        return date(self.year, 4, 15)

    @property
    def recognised(self) -> list[Entry]:
        ranked = sorted(self.entries, key=lambda e: e.mean, reverse=True)
        return [e for e in ranked[: self.quota] if e.mean >= 70]


@dataclass
class Scheme:
    code: str
    title: str
    kind: str
    year: int
    scope: str
    budget: dict[str, int]
    applicants: list[Facility]
    asked: dict[str, int]


@dataclass
class Plan:
    facilities: list[Facility]
    products: list[Product]
    rounds: list[RoundPlan]
    schemes: list[Scheme]
    jury_size: int = 5


TRADES = {
    "cooperative": ["Dệt thổ cẩm", "Nông nghiệp", "Mây tre đan", "Cà phê", "Chế biến nông sản"],
    "sme": ["Cà phê", "Cơ khí", "Thực phẩm", "Gỗ mỹ nghệ", "Nông sản"],
    "cooperative_group": ["Rèn", "Dệt", "Đan lát", "Làm gốm"],
}


def _facilities(province: str, count: int, start: int) -> list[Facility]:
    places, names, result = PLACES[province], set(), []
    for i in range(count):
        prefix, kind = FACILITY_PREFIXES[(start + i) % len(FACILITY_PREFIXES)]
        if kind == "household_business":
            name = f"{prefix} {PEOPLE[(start + i) // 4 % len(PEOPLE)]}"
        else:
            trades = TRADES[kind]
            name = f"{prefix} {trades[(i // 4) % len(trades)]} {places[i % len(places)]}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} số {n}", n + 1
        names.add(name)
        result.append(
            Facility(f"{province}-{i}", province, name, kind, f"{6000000000 + start * 1000 + i}")
        )
    if province == DAK_LAK:
        result[0].name = "HTX Dệt thổ cẩm Đắk Lắk"
    return result


def _products(facilities: list[Facility], count: int, offset: int = 0) -> list[Product]:
    products = []
    for i in range(count):
        facility = facilities[i % len(facilities)]
        kind, group = PRODUCT_TYPES[(i + offset) % len(PRODUCT_TYPES)]
        place = PLACES[facility.province][(i + offset) % len(PLACES[facility.province])]
        products.append(
            Product(f"{facility.key}-p{i // len(facilities)}", facility, f"{kind} {place}", group)
        )
    return products


def _means(recognised: int, passed_outside_quota: int, below: int, top: Decimal) -> list[Decimal]:
    """Distinct means: the recognised ones from ``top`` down, then some that pass the
    threshold but fall outside the quota, then some below the threshold."""
    means = [top - Decimal("1.5") * i for i in range(recognised)]
    means += [Decimal("74.5") - Decimal("0.5") * i for i in range(passed_outside_quota)]
    means += [Decimal("68") - Decimal("2.5") * i for i in range(below)]
    return means


def _round(
    level: str,
    scope: str,
    year: int,
    name: str,
    quota: int,
    decision: str,
    decided_on: date,
    products: list[Product],
    means: list[Decimal],
) -> RoundPlan:
    assert len(products) == len(means), (name, len(products), len(means))
    return RoundPlan(
        level,
        scope,
        year,
        name,
        quota,
        decision,
        decided_on,
        [Entry(p, m) for p, m in zip(products, means, strict=True)],
    )


def build() -> Plan:
    dl_facilities = _facilities(DAK_LAK, 42, 0)
    gl_facilities = _facilities(GIA_LAI, 10, 100)
    hn_facilities = _facilities(HA_NOI, 4, 200)
    dl = _products(dl_facilities, 61)  # 42 facilities, 19 of them with a second product
    gl = _products(gl_facilities, 10, offset=5)
    hn = _products(hn_facilities, 4, offset=9)
    prov = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu"
    rounds = [
        _round(
            "provincial",
            DAK_LAK,
            2017,
            f"{prov} tỉnh Đắk Lắk năm 2017",
            9,
            "2961/QĐ-UBND",
            date(2017, 10, 20),
            dl[0:20],
            _means(9, 6, 5, Decimal(90)),
        ),
        _round(
            "provincial",
            GIA_LAI,
            2017,
            f"{prov} tỉnh Gia Lai năm 2017",
            2,
            "812/QĐ-UBND",
            date(2017, 10, 25),
            gl[0:5],
            _means(2, 1, 2, Decimal("86.5")),
        ),
        _round(
            "provincial",
            DAK_LAK,
            2019,
            f"{prov} tỉnh Đắk Lắk năm 2019",
            10,
            "2310/QĐ-UBND",
            date(2019, 9, 30),
            dl[20:41],
            _means(10, 7, 4, Decimal("91.5")),
        ),
        _round(
            "provincial",
            GIA_LAI,
            2019,
            f"{prov} tỉnh Gia Lai năm 2019",
            2,
            "705/QĐ-UBND",
            date(2019, 9, 25),
            gl[5:10],
            _means(2, 2, 1, Decimal(85)),
        ),
        _round(
            "provincial",
            DAK_LAK,
            2021,
            f"{prov} tỉnh Đắk Lắk năm 2021",
            10,
            "2755/QĐ-UBND",
            date(2021, 10, 15),
            dl[41:61],
            _means(10, 6, 4, Decimal(92)),
        ),
        _round(
            "provincial",
            HA_NOI,
            2021,
            f"{prov} thành phố Hà Nội năm 2021",
            2,
            "4120/QĐ-UBND",
            date(2021, 10, 28),
            hn,
            _means(2, 1, 1, Decimal(88)),
        ),
    ]
    by_name = {r.year * 100 + (0 if r.scope == DAK_LAK else 1): r for r in rounds}
    dl17, gl17 = by_name[201700].recognised, by_name[201701].recognised
    dl19, gl19 = by_name[201900].recognised, by_name[201901].recognised
    reg = "Bình chọn sản phẩm CNNT tiêu biểu khu vực miền Trung – Tây Nguyên"
    regional_2018 = _round(
        "regional",
        REGION,
        2018,
        f"{reg} năm 2018",
        5,
        "88/QĐ-BCT",
        date(2018, 11, 12),
        [e.product for e in dl17[:5] + gl17[:2]],
        [
            Decimal(88),
            Decimal("86.5"),
            Decimal(85),
            Decimal("83.5"),
            Decimal("72.5"),
            Decimal(82),
            Decimal("71.5"),
        ],
    )
    regional_2020 = _round(
        "regional",
        REGION,
        2020,
        f"{reg} năm 2020",
        4,
        "97/QĐ-BCT",
        date(2020, 11, 16),
        [e.product for e in dl19[:5] + gl19[:2]],
        [
            Decimal("89.5"),
            Decimal(87),
            Decimal("85.5"),
            Decimal("73.5"),
            Decimal(66),
            Decimal(84),
            Decimal("72.5"),
        ],
    )
    nat = "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia"
    national_2019 = _round(
        "national",
        "VN",
        2019,
        f"{nat} năm 2019",
        4,
        "3421/QĐ-BCT",
        date(2019, 12, 10),
        [e.product for e in regional_2018.recognised if e.product.facility.province == DAK_LAK]
        + [e.product for e in regional_2018.recognised if e.product.facility.province == GIA_LAI],
        [Decimal("90.5"), Decimal(88), Decimal("86.5"), Decimal(69), Decimal("84.5")],
    )
    national_2021 = _round(
        "national",
        "VN",
        2021,
        f"{nat} năm 2021",
        2,
        "2987/QĐ-BCT",
        date(2021, 12, 8),
        [e.product for e in regional_2020.recognised if e.product.facility.province == DAK_LAK]
        + [e.product for e in regional_2020.recognised if e.product.facility.province == GIA_LAI],
        [Decimal(91), Decimal("87.5"), Decimal("74.5"), Decimal("80.5")],
    )
    rounds[3:3] = [regional_2018]
    rounds.insert(5, national_2019)
    rounds[7:7] = [regional_2020]
    rounds.append(national_2021)
    rounds.sort(key=lambda r: (r.year, {"provincial": 0, "regional": 1, "national": 2}[r.level]))
    schemes = [
        Scheme(
            "KC-DL-2019-HC01",
            "Hội chợ triển lãm hàng công nghiệp nông thôn tiêu biểu khu vực "
            "miền Trung – Tây Nguyên",
            "trade_fair",
            2019,
            DAK_LAK,
            {"national": 1_056_000_000, "counterpart": 1_044_000_000},
            dl_facilities[0:3],
            {"national": 352_000_000, "counterpart": 348_000_000},
        ),
        Scheme(
            "KC-DL-2021-MM02",
            "Hỗ trợ cơ sở công nghiệp nông thôn ứng dụng máy móc tiên tiến",
            "machinery",
            2021,
            DAK_LAK,
            {"local": 1_200_000_000},
            dl_facilities[20:26],
            {"local": 300_000_000},
        ),
    ]
    return Plan(dl_facilities + gl_facilities + hn_facilities, dl + gl + hn, rounds, schemes)


# What the province report must show for Đắk Lắk, 2017–2021 (the seeds' figures).
DAK_LAK_FIGURES = {
    "provincial": {"rounds": 3, "facilities": 42, "products": 61, "recognised": 29},
    "regional": {"rounds": 2, "facilities": 10, "products": 10, "recognised": 7},
    "national": {"rounds": 2, "facilities": 7, "products": 7, "recognised": 5},
}
