"""The events certification announces, built from its own rows."""

from __future__ import annotations

from certification.adapters.tables import DecisionRow, EntryRow, RecognitionRow, RoundRow
from cnnt_contracts import (
    FacilityRef,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
)
from cnnt_runtime.reference import province_of_unit


def product_ref(entry: EntryRow) -> ProductRef:
    return ProductRef(
        id=entry.product_id, name=entry.product_name, group=entry.product_group, is_set=entry.is_set
    )


def facility_ref(entry: EntryRow) -> FacilityRef:
    return FacilityRef(
        id=entry.facility_id,
        name=entry.facility_name,
        kind=entry.facility_kind,
        province_code=entry.province_code,
        current_province_code=entry.current_province_code,
    )


def recognized(
    round_: RoundRow, entry: EntryRow, recognition: RecognitionRow, decision: DecisionRow
) -> ProductRecognized:
    return ProductRecognized.new(
        ProductRecognizedData(
            certificate_number=recognition.certificate_number,
            level=round_.level,
            scope_code=round_.scope_code,
            year=round_.year,
            round_id=round_.id,
            entry_id=entry.id,
            product=product_ref(entry),
            facility=facility_ref(entry),
            mean_score=recognition.mean,
            rank=recognition.rank,
            valid_until=recognition.valid_until,
            decision_number=decision.number,
            recognized_at=recognition.recognized_at,
            province_code=province_of_unit(round_.scope_code),
        )
    )
