"""One row of a round's dossier list (danh sách hồ sơ) as provinces keep it in spreadsheets:
a facility, one of its products and the dossier's declarations. Parsing is pure; every problem
is reported with its row number, column, code and message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from cnnt_contracts.identifiers import RULES, Kind, refusal
from cnnt_contracts.vocabulary import FacilityKind, ProductGroup
from cnnt_runtime.errors import DomainError
from registration.domain.eligibility import Provinces
from registration.domain.model import DECLARATIONS

COLUMNS: dict[str, str] = {
    "business_code": "tax / business registration code (mã số thuế); identifies the facility",
    "facility_name": "facility name, as registered",
    "facility_kind": "sme | cooperative | cooperative_group | household_business",
    "province_code": "province slug, current or pre-2025 (e.g. dak-lak, bac-kan)",
    "address": "facility address (optional)",
    "phone": "contact phone (optional)",
    "email": "contact e-mail (optional)",
    "product_name": "product or product-set name; identifies the product within the facility",
    "product_group": "handicraft | agro_food | machinery | other",
    "is_set": "yes if the entry is a product set (bộ sản phẩm), else no",
    "description": "product description (optional)",
    **{key: f"yes if {meaning}" for key, meaning in DECLARATIONS.items()},
}
REQUIRED = ("business_code", "facility_name", "facility_kind", "province_code", "product_name")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "có", "co"}
FALSE_WORDS = {"no", "n", "false", "0", "", "không", "khong"}
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class DossierRow:
    row: int
    business_code: str
    facility_name: str
    facility_kind: FacilityKind
    province_code: str
    address: str
    contacts: dict[str, str]
    product_name: str
    product_group: ProductGroup
    is_set: bool
    description: str
    declarations: dict[str, bool] = field(default_factory=dict)


class _Row:
    def __init__(self, number: int, raw: Mapping[str, str]) -> None:
        self.number = number
        self.raw = raw
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        value = (self.raw.get(key) or "").strip()
        if not value and key in REQUIRED:
            self.fail(key, "value_missing", f"cột {key} cần có giá trị")
        return value

    def choice(self, key: str, enum: type[E]) -> E | None:
        value = self.text(key).lower()
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.fail(key, "invalid_choice", f"{value!r} không thuộc các giá trị: {allowed}")
            return None

    def flag(self, key: str) -> bool:
        value = self.text(key).lower()
        if value in TRUE_WORDS or value in FALSE_WORDS:
            return value in TRUE_WORDS
        self.fail(key, "invalid_flag", f"{value!r} không phải có hoặc không")
        return False

    def checked(self, key: str, kind: Kind) -> str:
        """The cell, refused unless it follows its rule (``cnnt_contracts.identifiers``, which
        the API and the console's form apply too); an empty optional cell passes."""
        value = self.text(key)
        if value and (code := refusal(kind, value)) is not None:
            self.fail(key, code, RULES[kind])
        return value

    def fail(self, key: str, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, key, code, message))


def parse_row(
    number: int, raw: Mapping[str, str], provinces: Provinces
) -> DossierRow | list[RowError]:
    """The row as a typed record, or every problem found in it."""
    parsed, errors = read_row(number, raw, provinces)
    return errors or parsed


def read_row(
    number: int, raw: Mapping[str, str], provinces: Provinces
) -> tuple[DossierRow, list[RowError]]:
    """The row as a record (a cell in error read as its default) and every problem of its
    cells, so a refused row still shows what it names (tax code, product) and what else is
    wrong with it."""
    row = _Row(number, raw)
    kind = row.choice("facility_kind", FacilityKind)
    group = row.choice("product_group", ProductGroup)
    province = row.text("province_code").lower()
    if province:
        try:
            provinces.current(province)
        except DomainError as exc:
            row.fail("province_code", exc.code, exc.message)
    contacts = {k: v for k, kind_ in CONTACTS.items() if (v := row.checked(k, kind_))}
    parsed = DossierRow(
        row=number,
        business_code=row.checked("business_code", "tax_code"),
        facility_name=row.text("facility_name"),
        facility_kind=kind or FacilityKind.SME,
        province_code=province,
        address=row.text("address"),
        contacts=contacts,
        product_name=row.text("product_name"),
        product_group=group or ProductGroup.OTHER,
        is_set=row.flag("is_set"),
        description=row.text("description"),
        declarations={key: row.flag(key) for key in DECLARATIONS},
    )
    return parsed, row.errors


CONTACTS: dict[str, Kind] = {"phone": "phone", "email": "email"}


def row_error(number: int, exc: DomainError) -> RowError:
    """A refusal by an eligibility rule, reported against the row's column it concerns."""
    column = (exc.field or "").removeprefix("declarations.")
    return RowError(number, _API_FIELD_COLUMNS.get(column, column), exc.code, exc.message)


_API_FIELD_COLUMNS = {"product_id": "product_name"}
