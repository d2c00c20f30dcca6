"""Bulk import of a round's dossier list: a dry run reports every row; a commit stores all rows
or none, and importing the same file again creates nothing new (facilities are matched by
business code, products by facility and name, entries by round and product)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from uuid import UUID

from cnnt_runtime.auth import Principal
from cnnt_runtime.db.unit_of_work import UnitOfWork
from cnnt_runtime.errors import DomainError
from registration.adapters.spreadsheets import Rows
from registration.domain.dossier_list import REQUIRED, DossierRow, RowError, read_row, row_error
from registration.domain.eligibility import Provinces, Recognition, entry_refusals
from registration.domain.model import Dossier, Round, duplicate_entry
from registration.service_layer import provinces as province_data
from registration.service_layer import rounds
from registration.service_layer.access import require_importer, require_province
from registration.service_layer.entries import (
    recognitions_of,
    registration_date,
)
from registration.service_layer.import_store import KnownRecords, store_rows

Status = Literal["accepted", "existing", "refused"]


@dataclass
class RowOutcome:
    row: int
    status: Status
    business_code: str = ""
    product_name: str = ""
    errors: list[RowError] = field(default_factory=list)
    # What the row refers to: known records, or after a commit the ones it created.
    facility_id: UUID | None = None
    product_id: UUID | None = None
    entry_id: UUID | None = None
    created: list[str] = field(default_factory=list)  # "facility", "product", "entry"


@dataclass
class ImportReport:
    dry_run: bool
    outcomes: list[RowOutcome]
    committed: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


async def import_dossier_list(
    uow: UnitOfWork,
    who: Principal,
    round_id: UUID,
    header: list[str],
    rows: Rows,
    *,
    dry_run: bool,
    registered_on: date | None,
    today: date,
) -> ImportReport:
    require_importer(who)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError(
            "columns_missing", f"tệp thiếu các cột: {', '.join(missing)}", field="file"
        )
    on = registration_date(who, registered_on, today)
    provinces = await province_data.load(uow)
    round_row = await rounds.lock(uow, round_id, shared=True)
    round_ = rounds.model(round_row)
    round_.check_registration_window(on)
    parsed = [read_row(number, raw, provinces) for number, raw in rows]
    good = [p for p, errors in parsed if not errors]
    known = KnownRecords()
    await known.load(uow, round_id, {p.business_code for p in good})
    held = await recognitions_of(uow, [p.id for p in known.products.values()])
    report = ImportReport(dry_run, [])
    seen: set[tuple[str, str]] = set()
    for item, errors in parsed:
        outcome = RowOutcome(item.row, "accepted", item.business_code, item.product_name)
        report.outcomes.append(outcome)
        refusals: list[DomainError] = []
        if (item.business_code, item.product_name) in seen:
            refusals.append(duplicate_entry())
        seen.add((item.business_code, item.product_name))
        try:
            refusals += _row_refusals(who, item, round_, known, held, on, provinces, errors)
        except DomainError as exc:  # the province is not the officer's: nothing else matters
            refusals.append(exc)
        errors = [*errors, *(row_error(item.row, exc) for exc in refusals)]
        if errors:
            outcome.status, outcome.errors = "refused", errors
            continue
        if _entered(item, known):
            outcome.status = "existing"
        _refer(outcome, item, known)
    if dry_run or report.count("refused"):
        return report
    status = {o.row: o.status for o in report.outcomes}
    accepted = [p for p in good if status[p.row] == "accepted"]
    stored = await store_rows(uow, round_row, accepted, known, on, provinces)
    for outcome in report.outcomes:
        if (done := stored.get(outcome.row)) is not None:
            outcome.facility_id, outcome.product_id = done.facility_id, done.product_id
            outcome.entry_id = done.entry_id
            outcome.created = [
                *(["facility"] if done.facility_created else []),
                *(["product"] if done.product_created else []),
                "entry",
            ]
    report.committed = True
    return report


def _refer(outcome: RowOutcome, row: DossierRow, known: KnownRecords) -> None:
    """The ids of the records a row names that exist already (all three for an existing entry)."""
    facility = known.facilities.get(row.business_code)
    product = known.product(row)
    outcome.facility_id = facility.id if facility else None
    outcome.product_id = product.id if product else None
    outcome.entry_id = known.entered.get(product.id) if product else None


def _row_refusals(
    who: Principal,
    row: DossierRow,
    round_: Round,
    known: KnownRecords,
    held: dict[UUID, list[Recognition]],
    on: date,
    provinces: Provinces,
    cell_errors: list[RowError],
) -> list[DomainError]:
    """Every eligibility refusal of the row (beside its cells' own problems, ``cell_errors``:
    a province already refused is not checked again); raises when the officer may not act on
    the row's province at all."""
    facility = known.facilities.get(row.business_code)
    province = facility.province_code if facility else row.province_code
    if any(e.field == "province_code" for e in cell_errors) and facility is None:
        return list(Dossier(row.declarations).refusals())
    product = known.product(row)
    require_province(who, province)
    recognitions = held.get(product.id, []) if product else []
    return entry_refusals(round_, Dossier(row.declarations), province, recognitions, on, provinces)


def _entered(row: DossierRow, known: KnownRecords) -> bool:
    """True when the row's entry exists already (nothing to do)."""
    product = known.product(row)
    return product is not None and product.id in known.entered
