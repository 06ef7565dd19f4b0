"""Privacy guard: no personnummer or samordningsnummer may appear anywhere in the data.

A match is a run of 10 or 12 digits (with or without a separator before the last four) that
forms a real date, or a samordningsnummer's date (day plus 60), and whose last digit is the
Luhn check digit. The message never repeats the number, so it does not leak into logs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from stdnum import luhn

from .load import Loaded
from .problems import Problem
from .yamlload import dotted

_CANDIDATE = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+ ]?(\d{4})(?!\d)")


def is_identity_number(birth: str, serial: str) -> bool:
    """True for a valid personnummer or samordningsnummer (birth part YYMMDD or YYYYMMDD)."""
    if len(birth) == 8:
        if birth[:2] not in ("18", "19", "20"):
            return False
        centuries, birth = [int(birth[:2])], birth[2:]
    else:
        centuries = [19, 20]
    year, month, day = int(birth[:2]), int(birth[2:4]), int(birth[4:6])
    if day > 60:
        day -= 60  # samordningsnummer
    if not any(_is_date(c * 100 + year, month, day) for c in centuries):
        return False
    return luhn.is_valid(birth + serial)


def contains_identity_number(text: str) -> bool:
    return any(is_identity_number(m.group(1), m.group(2)) for m in _CANDIDATE.finditer(text))


def check_privacy(loaded: Loaded) -> list[Problem]:
    problems = []
    message = (
        "contains what looks like a personnummer or samordningsnummer (a real date and a "
        "valid check digit); personal identity numbers must never be published: remove it"
    )
    for collection in loaded.records.values():
        for record in collection.values():
            for path, text in _strings(record.data, ()):
                if contains_identity_number(text):
                    problems.append(
                        Problem(
                            record.path,
                            record.doc.line(path),
                            dotted(path),
                            "personal-identity-number",
                            message,
                        )
                    )
    for table in loaded.tables.values():
        for row, line in zip(table.rows, table.lines, strict=True):
            for name, cell in row.items():
                if contains_identity_number(cell):
                    problems.append(
                        Problem(table.path, line, name, "personal-identity-number", message)
                    )
    return problems


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
    elif isinstance(value, str | int):
        yield path, str(value)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
