"""Dates as the rules read them: partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) as the first and
last day they can mean, and a partnership's period."""

from __future__ import annotations

import calendar
import datetime as dt
import re

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def period(data: dict) -> tuple[dt.date | None, dt.date | None] | None:
    """(first day, last day) of a partnership; a side is None where the date is unknown.
    None when both are unknown or the period is inverted (reported as date-order)."""
    start, end = (data.get(key) for key in ("start_date", "end_date"))
    starts, ends = (span(v) if isinstance(v, str) else None for v in (start, end))
    first = starts[0] if starts else None
    last = ends[1] if ends else None
    if (first is None and last is None) or (first and last and last < first):
        return None
    return first, last


def outside(period, first: dt.date, last: dt.date) -> bool:
    """Whether [first, last] reaches outside the partnership's period."""
    return bool(period) and (
        (period[0] is not None and first < period[0])
        or (period[1] is not None and last > period[1])
    )


def describe_period(period, years: bool = False) -> str:
    def side(day):
        return "?" if day is None else str(day.year if years else day)

    return f"{side(period[0])}–{side(period[1])}"


def span(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD) can mean."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return (dt.date(year, month, day),) * 2
        if month:
            return dt.date(year, month, 1), dt.date(
                year, month, calendar.monthrange(year, month)[1]
            )
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
