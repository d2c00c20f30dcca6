"""The demo's programme, read from ``data/demo_programme.yaml`` (what it holds and why is said
at the top of that file): facilities, products, rounds with each entry's target mean, and the
khuyến công schemes. Deterministic: the same plan every run.

The loader checks what the demo relies on before any request is made: every key it refers to
exists, and a regional or national entry is a product recognised in a round below it (the
services would refuse it with ``prior_recognition_required`` half-way through the cycle).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = "demo_programme.yaml"
DAK_LAK, GIA_LAI, HA_NOI = "dak-lak", "gia-lai", "ha-noi"
REGION = "central_highlands"
THRESHOLD = Decimal(70)
LEVELS = ("provincial", "regional", "national")
# The console account of the demo's judge (JUDGES[0], chair of every demo jury): fixed, so the
# juries formed here name the account the console's `cnnt user demo` creates.
DEMO_JUDGE_ACCOUNT = str(uuid.uuid5(uuid.NAMESPACE_URL, "cnnt-demo/accounts/giamkhao.ha"))
JUDGES = [
    "TS. Nguyễn Thị Thu Hà",
    "ThS. Y Khuê Niê",
    "KS. Trần Quốc Việt",
    "TS. Lê Minh Châu",
    "ThS. Phạm Thị Ngọc Ánh",
    "KS. H'Yâo Kbuôr",
    "TS. Võ Đình Quang",
]


class ScenarioError(ValueError):
    """The data file does not describe a programme the demo can drive."""


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
    signatory_title: str = ""  # who signs the decision and its certificates
    signatory_name: str = ""

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
        return [e for e in ranked[: self.quota] if e.mean >= THRESHOLD]


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


def _lookup(table: dict[str, Any], key: object, what: str, where: str) -> Any:
    if not isinstance(key, str) or key not in table:
        raise ScenarioError(f"{where}: no {what} with key {key!r} in {DATA_FILE}")
    return table[key]


def _mean(value: object, where: str) -> Decimal:
    try:
        mean = Decimal(str(value))
    except InvalidOperation as exc:
        raise ScenarioError(f"{where}: mean {value!r} is not a number") from exc
    if not Decimal(0) <= mean <= Decimal(100):
        raise ScenarioError(f"{where}: mean {mean} is outside 0–100")
    return mean


def _signatory(document: dict[str, Any], row: dict[str, Any], where: str) -> tuple[str, str]:
    """Who signs a round's decision: the province's people's committee for its own rounds,
    the ministry (``VN``) for regional and national ones."""
    authority = row["scope"] if row["level"] == "provincial" else "VN"
    signer = document.get("signatories", {}).get(authority)
    if signer is None:
        raise ScenarioError(f"{where}: no signatory for {authority!r} under 'signatories'")
    return str(signer["title"]), str(signer["name"])


def parse(document: dict[str, Any]) -> Plan:
    """The plan a loaded data file describes; ScenarioError names what is wrong and where."""
    facilities: dict[str, Facility] = {}
    for row in document["facilities"]:
        facilities[row["key"]] = Facility(
            row["key"], row["province"], row["name"], row["kind"], str(row["business_code"])
        )
    products: dict[str, Product] = {}
    for row in document["products"]:
        owner = _lookup(facilities, row["facility"], "facility", f"product {row['key']}")
        products[row["key"]] = Product(row["key"], owner, row["name"], row["group"])
    rounds: list[RoundPlan] = []
    for row in document["rounds"]:
        where = f"round {row['name']!r}"
        if row["level"] not in LEVELS:
            raise ScenarioError(f"{where}: level {row['level']!r} is not one of {LEVELS}")
        entries = [
            Entry(_lookup(products, e["product"], "product", where), _mean(e["mean"], where))
            for e in row["entries"]
        ]
        plan = RoundPlan(
            row["level"],
            row["scope"],
            int(row["year"]),
            row["name"],
            int(row["quota"]),
            row["decision"],
            row["decided_on"],
            entries,
            *_signatory(document, row, where),
        )
        _check_prior_recognition(plan, rounds)
        rounds.append(plan)
    schemes = [
        Scheme(
            row["code"],
            row["title"],
            row["kind"],
            int(row["year"]),
            row["scope"],
            {source: int(amount) for source, amount in row["budget"].items()},
            [
                _lookup(facilities, k, "facility", f"scheme {row['code']}")
                for k in row["applicants"]
            ],
            {source: int(amount) for source, amount in row["asked"].items()},
        )
        for row in document["schemes"]
    ]
    return Plan(
        list(facilities.values()),
        list(products.values()),
        rounds,
        schemes,
        int(document.get("jury_size", 5)),
    )


def _check_prior_recognition(plan: RoundPlan, earlier: list[RoundPlan]) -> None:
    """A regional entry was recognised in a provincial round before it, a national one in a
    regional round (rounds are listed in the order the demo runs them)."""
    if plan.level == "provincial":
        return
    below = LEVELS[LEVELS.index(plan.level) - 1]
    recognised = {
        e.product.key
        for r in earlier
        if r.level == below and r.year <= plan.year
        for e in r.recognised
    }
    for entry in plan.entries:
        if entry.product.key not in recognised:
            raise ScenarioError(
                f"round {plan.name!r}: product {entry.product.key} was not recognised in a "
                f"{below} round before it"
            )


@cache
def _document() -> dict[str, Any]:
    text = (Path(__file__).parent / "data" / DATA_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def build() -> Plan:
    """A fresh plan (callers may change it) from the packaged data file."""
    return parse(_document())


# What the province report must show for Đắk Lắk, 2017–2021 (the seeds' figures).
DAK_LAK_FIGURES: dict[str, dict[str, int]] = {
    level: dict(figures) for level, figures in _document()["report"]["figures"].items()
}
