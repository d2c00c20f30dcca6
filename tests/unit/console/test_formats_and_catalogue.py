"""Vietnamese formats, the sign-in throttle, the dossier template's translation, and a catalogue
that covers every text of the console."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from openpyxl import load_workbook

from cnnt_runtime.http.fields import FIRST_YEAR, LAST_YEAR
from console.adapters.dossier_files import COLUMNS, template_xlsx, to_service_csv
from console.domain.throttle import SignInThrottles, Throttle
from console.web import i18n
from console.web.errors import error_message

CONSOLE = Path(i18n.LOCALE_DIR).parent


@pytest.fixture
def vietnamese() -> None:
    i18n.language.set("vi")


def test_money_is_written_the_vietnamese_way_with_a_no_break_space(vietnamese: None) -> None:
    assert i18n.money(1234567) == "1.234.567\xa0₫"


def test_dates_are_dd_mm_yyyy_in_vietnam_time(vietnamese: None) -> None:
    assert i18n.day(date(2026, 3, 1)) == "01/03/2026"
    # 20:00 UTC on 31 December is already 1 January in Hà Nội.
    assert i18n.day(datetime(2025, 12, 31, 20, 0, tzinfo=UTC)) == "01/01/2026"
    assert i18n.number("81.5") == "81,5"


def test_error_codes_read_as_vietnamese_and_unknown_codes_stay_visible(vietnamese: None) -> None:
    assert error_message("declaration_missing").startswith("Hồ sơ thiếu cam kết")
    assert "(some_new_code)" in error_message("some_new_code", "details")


def test_the_year_message_names_the_programme_years_bounds(vietnamese: None) -> None:
    # The catalogue cannot interpolate the bounds, so it must spell the ones the services check.
    assert error_message("year_out_of_range") == f"Nhập năm từ {FIRST_YEAR} đến {LAST_YEAR}."


def test_repeated_failures_slow_the_next_attempt_down_exponentially_up_to_the_cap() -> None:
    # Issue 29: failures no longer lock an account (anyone could lock anyone out); each
    # failure past the free ones doubles the wait before the next attempt, up to the cap.
    throttle = Throttle(free=3, cap=timedelta(minutes=15))
    last = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert [throttle.wait(n) for n in range(3)] == [timedelta(0)] * 3
    assert throttle.retry_at(2, last) is None
    assert [throttle.wait(n).total_seconds() for n in range(3, 8)] == [30, 60, 120, 240, 480]
    assert throttle.wait(8) == timedelta(minutes=15)
    assert throttle.wait(10_000) == timedelta(minutes=15)
    assert throttle.retry_at(5, last) == last + timedelta(minutes=2)


def test_a_username_under_attack_from_many_addresses_waits_a_minute_at_most() -> None:
    throttles = SignInThrottles.of(5, timedelta(minutes=15), 20)
    assert throttles.per_account.wait(10_000) == timedelta(minutes=1)
    assert throttles.per_pair.wait(10_000) == timedelta(minutes=15)
    assert throttles.per_address.free == 20


def test_the_vietnamese_template_becomes_the_registration_services_csv_row_for_row() -> None:
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == [vi for _, vi in COLUMNS]
    sheet.append([None] * len(COLUMNS))  # a blank row keeps the numbering of the rows below
    sheet.append(
        ["6000000001", "HTX Mây tre", "Tổ hợp tác", "dak-lak", *[""] * 4, "khác", "có", *[""] * 5]
    )
    out = io.BytesIO()
    book.save(out)
    rows = list(csv.reader(io.StringIO(to_service_csv("list.xlsx", out.getvalue()).decode())))
    assert rows[0] == [key for key, _ in COLUMNS]
    assert rows[1][2:4] == ["cooperative", "dak-lak"]  # the example row
    assert rows[1][8] == "handicraft"
    assert not any(rows[2])
    assert rows[3][2] == "cooperative_group"
    assert rows[3][8] == "other"


def _messages_in_use() -> set[str]:
    """Every msgid the console's code and templates use, extracted with the project's own
    babel.cfg and the keywords `make messages` passes (Babel's defaults and ``N_``)."""
    with (CONSOLE.parent / "babel.cfg").open() as cfg:
        method_map, options = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    return {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(CONSOLE.parent), method_map, options, keywords={**DEFAULT_KEYWORDS, "N_": None}
        )
    }


def _catalogue(path: Path) -> dict[str, str]:
    with path.open("rb") as po:
        return {m.id: str(m.string or "") for m in read_po(po) if isinstance(m.id, str) and m.id}


def test_every_text_of_the_console_has_a_vietnamese_translation() -> None:
    found = _messages_in_use()
    catalogue = _catalogue(i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po")
    untranslated = sorted(m for m in found if not catalogue.get(m))
    assert untranslated == []
    assert sorted(set(catalogue) - found) == []  # no translation left for a text now gone
    assert len(found) > 150


def test_the_catalogue_template_is_in_step_with_the_code() -> None:
    """messages.pot is what `make messages` extracts: run it when a text changes."""
    assert set(_catalogue(i18n.LOCALE_DIR / "messages.pot")) == _messages_in_use()


def test_the_console_addresses_its_reader_one_way() -> None:
    """ "ông/bà" throughout, never "bạn" (README: the console's readers are officials at work)."""
    catalogue = _catalogue(i18n.LOCALE_DIR / "vi" / "LC_MESSAGES" / "messages.po")
    informal = sorted(t for t in catalogue.values() if re.search(r"\b[Bb]ạn\b", t))
    assert informal == []
    assert any("ông/bà" in t.lower() for t in catalogue.values())
