"""Scores as Vietnamese judges type them: ``30,5`` (or a pasted ``30.5``) read as 30.5, the
sheet's rules said in Vietnamese next to the criterion, and a stored score shown back as
``30,5``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from console.service_layer.judging import (
    WorkItem,
    read_score,
    read_scores,
    sheets_to_send,
    typed_form,
)
from console.web import i18n

CRITERIA = ("market", "technical", "culture", "other")


@pytest.fixture(autouse=True)
def vietnamese() -> None:
    i18n.language.set("vi")


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("30", Decimal(30)),
        ("30,5", Decimal("30.5")),
        ("30.5", Decimal("30.5")),
        (" 7,5 ", Decimal("7.5")),
        ("0", Decimal(0)),
        ("-1", Decimal(-1)),
    ],
)
def test_a_comma_or_a_dot_is_the_decimal_separator(typed: str, value: Decimal) -> None:
    assert i18n.parse_number(typed) == value


@pytest.mark.parametrize("typed", ["", "abc", "30,5,5", "1.000,5", "3 0", "NaN", "1e3", "30,"])
def test_anything_else_is_not_a_number(typed: str) -> None:
    # Babel's parse_decimal(locale="vi") would read "1.000,5" as 1000.5 and "30.5" as 305.
    assert i18n.parse_number(typed) is None


@pytest.mark.parametrize("typed", ["30", "30,5", "30.5", "0"])
def test_the_inputs_pattern_takes_what_the_console_reads(typed: str) -> None:
    assert re.fullmatch(i18n.DECIMAL_PATTERN, typed)
    assert i18n.parse_number(typed) is not None


@pytest.mark.parametrize(
    ("criterion", "typed", "message"),
    [
        ("market", "abc", "Hãy nhập một số."),
        ("market", "41", "Điểm này vượt quá điểm tối đa của tiêu chí."),
        ("culture", "10,5", "Điểm này vượt quá điểm tối đa của tiêu chí."),
        ("market", "-1", "Điểm không được là số âm."),
        ("market", "20,3", "Điểm chấm theo bước 0,5 điểm (ví dụ 7 hoặc 7,5)."),
        ("market", " ", "Trường này là bắt buộc."),
    ],
)
def test_a_score_against_the_sheets_rules_is_refused_in_vietnamese(
    criterion: str, typed: str, message: str
) -> None:
    assert read_score(criterion, typed) == (None, message)


def test_the_maximum_and_half_points_are_taken() -> None:
    assert read_score("market", "40") == (Decimal(40), None)
    assert read_score("other", "9,5") == (Decimal("9.5"), None)
    scores, errors = read_scores({"market": "30,5", "technical": "abc", "culture": "8"})
    assert scores == {"market": Decimal("30.5"), "culture": Decimal(8)}
    assert set(errors) == {"technical", "other"}


def test_a_stored_score_shows_as_the_judge_types_it() -> None:
    assert typed_form(30.5) == "30,5"
    assert typed_form("32.0") == "32"
    assert typed_form(Decimal(8)) == "8"


def item(status: str, latest: dict[str, Any] | None = None) -> WorkItem:
    return WorkItem({"id": "e1", "facility_id": "f1"}, status, latest)


def typed(values: tuple[str, ...], comment: str = "") -> dict[str, str]:
    return {**{f"{c}-e1": v for c, v in zip(CRITERIA, values, strict=True)}, "comment-e1": comment}


def test_the_worklist_sends_commas_as_decimals_and_refuses_the_rest_on_its_line() -> None:
    rows, body = sheets_to_send([item("to_score")], typed(("30,5", "30.5", "8", "7,5")), CRITERIA)
    assert body == [
        {
            "entry_id": "e1",
            "scores": {"market": "30.5", "technical": "30.5", "culture": "8", "other": "7.5"},
            "comment": "",
        }
    ]
    rows, body = sheets_to_send([item("to_score")], typed(("abc", "41", "8", "7,5")), CRITERIA)
    assert body == []
    assert rows[0].outcome == "refused"
    assert rows[0].errors == {
        "market": "Hãy nhập một số.",
        "technical": "Điểm này vượt quá điểm tối đa của tiêu chí.",
    }


def test_a_scored_line_shown_with_commas_and_left_alone_is_not_sent_again() -> None:
    latest = {"market": 30.5, "technical": 30, "culture": 8, "other": 7.5, "comment": ""}
    rows, body = sheets_to_send(
        [item("scored", latest)], typed(("30,5", "30", "8", "7,5")), CRITERIA
    )
    assert (len(rows), body) == (1, [])
