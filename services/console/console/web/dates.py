"""Dates as the console's people write them, and today as Vietnam's clock has it.

Every date field of the console is the same control (``macros.html``'s ``date_field``: typed
dd/mm/yyyy), read back here into the services' ISO form; a default date is Vietnam's today
(``cnnt_runtime.clock``), never the machine's: on a UTC server ``date.today()`` is still
yesterday until 07:00 in Vietnam.
"""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Request

from cnnt_runtime.clock import Clock

DATE_FORMAT = "%d/%m/%Y"


def today(request: Request) -> date:
    """Today in Vietnam, by the clock the services judge dates by (frozen in drills)."""
    return Clock(request.app.state.settings.clock_at).today()


def typed(day: date) -> str:
    """A date as the date fields show it: ``dd/mm/yyyy``."""
    return day.strftime(DATE_FORMAT)


def iso(day: str) -> str:
    """A date typed as dd/mm/yyyy (or a browser's yyyy-mm-dd) in the API's ISO form; anything
    else is passed on as typed, for the service to refuse next to its field."""
    for pattern in (DATE_FORMAT, "%Y-%m-%d"):
        try:
            return datetime.strptime(day.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return day.strip()


def shown(day: str | None) -> str:
    """A date sent back into its field after a refusal: ISO turned to dd/mm/yyyy, anything else
    as the person typed it."""
    if not day:
        return ""
    try:
        return typed(date.fromisoformat(day))
    except ValueError:
        return day
