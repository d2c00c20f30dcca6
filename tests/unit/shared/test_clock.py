"""Vietnam's calendar: "today" is the date in Asia/Ho_Chi_Minh, whatever the servers' clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from cnnt_runtime.clock import Clock, vietnam_date


def test_at_23_30_utc_it_is_already_tomorrow_in_vietnam() -> None:
    clock = Clock(datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    assert clock.today() == date(2026, 11, 28)
    assert clock.now() == datetime(2026, 11, 27, 23, 30, tzinfo=UTC)


def test_vietnam_changes_date_at_17_00_utc() -> None:
    assert vietnam_date(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert vietnam_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_a_frozen_clock_reads_in_utc_whatever_zone_it_was_given() -> None:
    plus_seven = timezone(timedelta(hours=7))
    clock = Clock(datetime(2026, 11, 28, 6, 30, tzinfo=plus_seven))
    assert clock.now() == datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert clock.now().tzinfo is UTC


def test_an_unfrozen_clock_follows_the_real_time() -> None:
    before = datetime.now(UTC)
    now = Clock().now()
    assert before <= now <= datetime.now(UTC)
    assert Clock().today() in {vietnam_date(before), vietnam_date(datetime.now(UTC))}
