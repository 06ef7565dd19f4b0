"""Tables with typed cells, for the clients that filter, sort and compare: SQLite and Excel.

The CSV and JSON files write a value that the sources do not state as ``unknown``, which the
descriptor declares a missing value. A database or a spreadsheet that finds that text in a
number or date column sorts and compares it as text: a filter "older than 9" returns the
unknown rows, and a sort by date puts them first. So here an unknown value is empty (NULL),
numbers are numbers, full dates are dates, and each row says in its column ``unknown_reasons``
which of its fields are unknown and why. The record tables have that column already; the four
CSV tables get it here, made from the row's unknown cells and its note.

A partial date ("2021", "2025-12") stays text as the source gives it, and two date columns
beside it give the first and the last day it can mean, to sort and compare by.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..catalogue import UNKNOWN, Catalogue, Field
from ..model.records import PartialDate
from .flatten import Column, Table

REASONS = "unknown_reasons"
_NOTE = "note"
# Said of every column that only the workbook and the database have.
_ONLY_HERE = " Kolumnen finns bara i arbetsboken och databasen, inte i CSV- och JSON-filerna."
_ONLY_HERE_EN = " Only in the workbook and the database, not in the CSV and JSON files."
# The two days a partial date can mean: (suffix, title, description, English description);
# {title} is the partial date's Swedish title, {name} its column.
_BOUNDS = (
    (
        "_from",
        "{title}, första möjliga dag",
        "Den första dag som {lower} kan avse, som ett datum att sortera och jämföra med: för "
        "”2021” är det 2021-01-01, för ”2025-12” 2025-12-01. Tom när uppgiften saknas.",
        "The first day that {name} can mean, as a date to sort and compare by: 2021-01-01 for "
        "2021, 2025-12-01 for 2025-12. Empty where the value is unknown.",
    ),
    (
        "_to",
        "{title}, sista möjliga dag",
        "Den sista dag som {lower} kan avse, som ett datum att sortera och jämföra med: för "
        "”2021” är det 2021-12-31, för ”2025-12” 2025-12-31. Tom när uppgiften saknas.",
        "The last day that {name} can mean, as a date to sort and compare by: 2021-12-31 for "
        "2021, 2025-12-31 for 2025-12. Empty where the value is unknown.",
    ),
)

Getter = Callable[[tuple[str, ...]], object]


@dataclass(frozen=True)
class Typed:
    """A table as SQLite and the workbook hold it: its columns, with those added here, and
    its rows as Python values (None, int, float, bool, date or text)."""

    table: Table
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]

    @property
    def name(self) -> str:
        return self.table.name


def typed(table: Table, row: tuple[str, ...]) -> dict[str, object]:
    """A row with Table Schema types: numbers as numbers, booleans as booleans, empty as
    None. Dates stay ISO text; 'unknown' stays as it is."""
    return {c.name: typed_cell(c, cell) for c, cell in zip(table.columns, row, strict=True)}


def typed_cell(column: Column, cell: str) -> object:
    if cell == "":
        return None
    if cell == UNKNOWN:
        return cell
    if column.type in ("integer", "year"):
        return int(cell)
    if column.type == "number":
        number = float(cell)
        return int(number) if number.is_integer() else number
    if column.type == "boolean":
        return cell == "true"
    return cell


def typed_table(table: Table) -> Typed:
    plan: list[tuple[Column, Getter]] = []
    for index, column in enumerate(table.columns):
        plan.append((column, _cell(column, index)))
        if column.meaning.format == "partial-date":
            plan += [_bound(column, index, bound) for bound in _BOUNDS]
    known = {c.name for c in table.columns}
    if _NOTE in known and REASONS not in known:  # a CSV table: the note gives the reasons
        plan.append(_reasons(table))
    return Typed(
        table,
        tuple(column for column, _ in plan),
        tuple(tuple(get(row) for _, get in plan) for row in table.rows),
    )


def value(column: Column, cell: str) -> object:
    """A cell as a typed value: None where it is empty or unknown, a date for a full date."""
    if cell in ("", UNKNOWN):
        return None
    if column.type == "date":
        return dt.date.fromisoformat(cell)
    return typed_cell(column, cell)


def _cell(column: Column, index: int) -> Getter:
    return lambda row: value(column, row[index])


def _bound(column: Column, index: int, bound: tuple[str, str, str, str]) -> tuple[Column, Getter]:
    suffix, title, description, english = bound
    meaning = column.meaning
    words = {"title": meaning.title, "lower": meaning.title.lower(), "name": column.name}
    field = Field(
        meaning.kind,
        column.name + suffix,
        title.format(**words),
        description.format(**words) + _ONLY_HERE,
        english.format(**words) + _ONLY_HERE_EN,
        "date",
    )

    def get(row: tuple[str, ...]) -> object:
        if row[index] in ("", UNKNOWN):
            return None
        day = PartialDate.parse(row[index])
        return day.first if suffix == "_from" else day.last

    return Column(field.path, field), get


def _reasons(table: Table) -> tuple[Column, Getter]:
    """The derived column unknown_reasons of a CSV table: the Swedish titles of the row's
    unknown fields, and the row's note, which gives the reason."""
    meaning = Catalogue().derived(REASONS, table.columns[0].meaning.kind)
    meaning = dataclasses.replace(
        meaning,
        description=meaning.description + " Skälet är radens kommentar." + _ONLY_HERE,
        description_en=meaning.description_en + " The reason is the row's note." + _ONLY_HERE_EN,
    )
    note = [c.name for c in table.columns].index(_NOTE)

    def get(row: tuple[str, ...]) -> str | None:
        titles = [c.meaning.title for c, cell in zip(table.columns, row, strict=True)
                  if cell == UNKNOWN]  # fmt: skip
        if not titles:
            return None
        return ", ".join(titles) + (f": {row[note]}" if row[note] else "")

    return Column(REASONS, meaning), get
