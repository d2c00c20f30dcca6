"""The published contract: envelope fields, routing keys, JSON round-trips with Vietnamese text."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cnnt_contracts import (
    ALL_EVENTS,
    PUBLIC_EVENTS,
    CriterionScores,
    FacilityRef,
    GrantRecognition,
    ProductRecognized,
    ProductRecognizedData,
    ProductRef,
    ProductRegistered,
    ProductRegisteredData,
    RoundRef,
    SchemeRef,
    ScoreSubmitted,
    ScoreSubmittedData,
    SupportGranted,
    SupportGrantedData,
)
from cnnt_contracts.score_sheet import CRITERIA, MAXIMA
from cnnt_runtime.context import bind_flow, clear_flow
from cnnt_runtime.db.unit_of_work import outbox_row

NOW = datetime(2021, 11, 5, 8, 30, tzinfo=UTC)
PRODUCT = ProductRef(
    id=uuid.uuid4(), name="Cà phê bột nguyên chất Buôn Ma Thuột", group="agro_food", is_set=False
)
FACILITY = FacilityRef(
    id=uuid.uuid4(),
    name="HTX Dệt thổ cẩm Đắk Lắk",
    kind="cooperative",
    province_code="bac-kan",
    current_province_code="thai-nguyen",
)
ROUND = RoundRef(id=uuid.uuid4(), level="provincial", scope_code="dak-lak", year=2021)


def samples() -> list[ProductRegistered | ScoreSubmitted | ProductRecognized | SupportGranted]:
    return [
        ProductRegistered.new(
            ProductRegisteredData(
                entry_id=uuid.uuid4(),
                round=ROUND,
                product=PRODUCT,
                facility=FACILITY,
                registered_at=NOW,
            )
        ),
        ScoreSubmitted.new(
            ScoreSubmittedData(
                sheet_id=uuid.uuid4(),
                revision=2,
                entry_id=uuid.uuid4(),
                round_id=ROUND.id,
                judge_id=uuid.uuid4(),
                scores=CriterionScores(
                    market=Decimal("35.5"), technical=30, culture=8, other=Decimal("7.5")
                ),
                total=Decimal("81"),
                submitted_at=NOW,
            )
        ),
        ProductRecognized.new(
            ProductRecognizedData(
                certificate_number="66-2021-001",
                level="provincial",
                scope_code="dak-lak",
                year=2021,
                round_id=ROUND.id,
                entry_id=uuid.uuid4(),
                product=PRODUCT,
                facility=FACILITY,
                mean_score=Decimal("78.25"),
                rank=1,
                valid_until=date(2023, 12, 31),
                decision_number="1234/QĐ-UBND",
                recognized_at=NOW,
            )
        ),
        SupportGranted.new(
            SupportGrantedData(
                grant_id=uuid.uuid4(),
                scheme=SchemeRef(
                    id=uuid.uuid4(),
                    code="KC-2021-07",
                    kind="trade_fair",
                    year=2021,
                    scope_code="VN",
                ),
                facility_id=FACILITY.id,
                amounts={"national": 1_056_000_000, "counterpart": 1_044_000_000},
                total=2_100_000_000,
                priority_recognition=GrantRecognition(
                    certificate_number="66-2021-001",
                    level="provincial",
                    mean_score=Decimal("78.25"),
                ),
                granted_at=NOW,
            )
        ),
    ]


@pytest.mark.parametrize("event", samples(), ids=lambda e: e.event_type)
def test_events_round_trip_through_json_with_vietnamese_text_unchanged(event) -> None:
    # The relay publishes the outbox payload as UTF-8 JSON, not as \\u escapes.
    body = json.dumps(outbox_row(event)["payload"], ensure_ascii=False).encode()
    assert "Buôn Ma Thuột".encode() in body or event.event_type in (
        "ScoreSubmitted",
        "SupportGranted",
    )
    again = type(event).model_validate_json(body)
    assert again == event


def test_routing_keys_follow_producer_event_version() -> None:
    assert ProductRegistered.routing_key() == "registration.product_registered.v1"
    assert ScoreSubmitted.routing_key() == "evaluation.score_submitted.v1"
    assert ProductRecognized.routing_key() == "certification.product_recognized.v1"
    assert SupportGranted.routing_key() == "support.support_granted.v1"
    assert len({e.routing_key() for e in ALL_EVENTS.values()}) == len(ALL_EVENTS)


def test_envelope_carries_the_flows_correlation_id_and_a_utc_time() -> None:
    flow = uuid.uuid4()
    bind_flow(flow)
    try:
        event = samples()[0]
    finally:
        clear_flow()
    assert event.correlation_id == flow
    assert event.occurred_at.utcoffset() is not None
    assert event.occurred_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    payload = event.model_dump(mode="json")
    assert set(payload) == {
        "event_id",
        "event_type",
        "event_version",
        "occurred_at",
        "producer",
        "correlation_id",
        "data",
    }


def test_consumers_ignore_fields_added_later_within_a_version() -> None:
    event = samples()[0]
    payload = event.model_dump(mode="json")
    payload["data"]["product"]["barcode"] = "8938505974191"
    payload["added_later"] = True
    assert ProductRegistered.model_validate(payload) == event


def test_a_score_above_its_maximum_is_not_a_valid_event() -> None:
    with pytest.raises(ValidationError):
        CriterionScores(market=41, technical=30, culture=8, other=7)


def test_the_event_carries_exactly_the_sheets_criteria_each_up_to_its_maximum() -> None:
    assert (
        tuple(CriterionScores.model_fields)
        == CRITERIA
        == ("market", "technical", "culture", "other")
    )
    assert sum(MAXIMA.values()) == 100
    at_maxima = CriterionScores(**MAXIMA)
    assert {c: getattr(at_maxima, c) for c in CRITERIA} == dict(MAXIMA)
    for criterion, maximum in MAXIMA.items():
        with pytest.raises(ValidationError):
            CriterionScores(**{**MAXIMA, criterion: maximum + Decimal("0.5")})


def test_scores_travel_as_json_numbers() -> None:
    payload = samples()[1].model_dump(mode="json")
    assert payload["data"]["scores"]["market"] == 35.5
    assert payload["data"]["total"] == 81.0


def test_every_public_event_has_a_json_schema() -> None:
    for event in PUBLIC_EVENTS:
        schema = event.model_json_schema()
        assert "data" in schema["properties"]
