"""Read a workbook in the published format back into the downloads' tables, as text cells.

The workbook (opendata/workbook.py) names its sheets and columns by their Swedish titles,
shows coded values by their Swedish labels, dates as dates and a value the sources do not state
as an empty cell, with the field and the reason in the column "Skäl till okända värden". Here
each cell becomes the text the CSV files hold: the code for a label, ISO dates, whole numbers
without separators, ``unknown`` for an unknown value (its reason kept beside it).

Excel's habits are taken as they come: a date typed as a serial number, a number stored as
text, spaces around text, empty rows and columns in another order. A sheet or a column that is
missing or renamed is a problem against the sheet and its header, with the names expected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel

from ..catalogue import UNKNOWN
from ..opendata.cells import REASONS, Typed
from ..opendata.flatten import Column
from ..opendata.workbook import COLUMNS_SHEET, sheet_name
from ..problems import Problem

_WHOLE = re.compile(r"^[-+]?\d+$")


@dataclass
class Row:
    number: int  # the row in the sheet, as Excel numbers it
    cells: dict[str, str]  # by column name: the text the CSV holds ("unknown" where unknown)
    said: str = ""  # a record's row: its column Skäl till okända värden


@dataclass
class Sheet:
    typed: Typed  # the table's layout as published
    title: str  # the sheet's name
    letters: dict[str, str]  # column name: its letter in this sheet
    rows: list[Row]

    @property
    def name(self) -> str:
        return self.typed.name

    def cell(self, row: Row | None, column: str = "") -> str:
        """'Blad!B7': where an editor finds a value (the row's first cell when no column)."""
        letter = self.letters.get(column) or min(self.letters.values(), default="A")
        return f"{self.title}!{letter}{row.number if row else 1}"

    def title_of(self, column: str) -> str:
        return next((c.meaning.title for c in self.typed.columns if c.name == column), column)


def read_workbook(path: Path, layout: list[Typed], shown: str) -> tuple[list[Sheet], list[Problem]]:
    """The sheets of ``layout`` as found in the workbook, and the problems with its shape."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        problem = Problem(shown, 0, "", "workbook-unreadable", _unreadable(exc))
        return [], [problem]
    sheets, problems = [], []
    known = {sheet_name(t.table) for t in layout} | {COLUMNS_SHEET}
    strangers = [name for name in book.sheetnames if name not in known]
    for typed in layout:
        title = sheet_name(typed.table)
        if title not in book.sheetnames:
            hint = (
                f"; the workbook has a sheet {strangers[0]!r}: rename it back" if strangers else ""
            )
            message = (
                f"the sheet {title!r} is missing; keep every sheet of the published workbook, "
                f"empty if need be{hint}"
            )
            problems.append(Problem(f"{shown}!{title}", 0, "", "workbook-sheet-missing", message))
            continue
        sheet, found = _sheet(book[title], typed, title, shown)
        problems += found
        if sheet is not None:
            sheets.append(sheet)
    book.close()
    return sheets, problems


def _unreadable(exc: Exception) -> str:
    csv = " (a CSV file is not one)" if "zip" in str(exc).lower() else ""
    return (
        "the file cannot be read as an Excel workbook (.xlsx); save it in Excel as "
        f"'Excel-arbetsbok (*.xlsx)'{csv}"
    )


def _sheet(ws, typed: Typed, title: str, shown: str) -> tuple[Sheet | None, list[Problem]]:
    rows = ws.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    by_title = {c.meaning.title: c for c in typed.columns}
    problems, letters = [], {}
    for index, heading in enumerate(header, start=1):
        column = by_title.get(heading)
        if column is not None and column.name not in letters:
            letters[column.name] = get_column_letter(index)
        elif heading:
            expected = ", ".join(repr(t) for t in by_title if t not in header)
            message = f"the column {heading!r} is not one of this sheet's" + (
                f"; rename it back to one of: {expected}" if expected else "; delete it"
            )
            where = f"{shown}!{title}!{get_column_letter(index)}1"
            problems.append(Problem(where, 0, heading, "workbook-column-unknown", message))
    derived = derived_columns(typed)
    for column in typed.columns:
        if column.name not in letters and column.name not in derived:
            message = (
                f"the column {column.meaning.title!r} is missing; add it back with that heading"
            )
            problems.append(
                Problem(
                    f"{shown}!{title}", 0, column.meaning.title, "workbook-column-missing", message
                )
            )
    if problems:
        return None, problems
    index = {name: column_index_from_string(letter) - 1 for name, letter in letters.items()}
    sheet = Sheet(typed, title, letters, [])
    for number, values in enumerate(rows, start=2):
        cells = {
            c.name: _text(c, values[index[c.name]] if index[c.name] < len(values) else None)
            for c in typed.columns
            if c.name in index and c.name not in derived
        }
        if any(cells.values()):
            sheet.rows.append(_with_unknowns(Row(number, cells), typed))
    return sheet, []


def derived_columns(typed: Typed) -> set[str]:
    """The columns the workbook derives from others, which an import reads past: the costs'
    basis and the first and last day of a partial date."""
    published = {c.name for c in typed.table.columns}
    added = {c.name for c in typed.columns if c.name not in published and c.name != REASONS}
    return added | {"basis"}


def _text(column: Column, value: object) -> str:
    """A cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        if column.type in ("integer", "year") and _WHOLE.match(value.replace("\u00a0", "")):
            return value.lstrip("+")  # a number stored as text
        return _code(column, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.isoformat()
    if isinstance(value, int | float):
        if column.type == "date":  # a date typed as Excel's serial number
            return from_excel(value).date().isoformat()
        if column.type == "boolean" and value in (0, 1):
            return "true" if value else "false"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value)


def _code(column: Column, text: str) -> str:
    """A Swedish label as its code; anything else as it is, for the validator to judge."""
    meaning = column.meaning
    for category in meaning.categories:
        if text in (category.label, category.value):
            return category.value
    if meaning.type == "boolean":
        return {"Ja": "true", "Nej": "false", "TRUE": "true", "FALSE": "false"}.get(text, text)
    return text


def _with_unknowns(row: Row, typed: Typed) -> Row:
    """Mark a CSV table's unknown cells ``unknown``, from the column Skäl till okända värden
    ('Title, Title: the row's note'). A record's row keeps what the column says in ``said``,
    for the record's own fields to read (see records.py)."""
    said = row.cells.pop(REASONS, "")
    if not said or any(c.name == REASONS for c in typed.table.columns):
        row.said = said
        return row
    note = row.cells["note"]
    said = said.removesuffix(f": {note}") if note else said
    for column in typed.columns:
        empty = column.name in row.cells and not row.cells[column.name]
        if empty and said.startswith(column.meaning.title):
            row.cells[column.name] = UNKNOWN
            said = said[len(column.meaning.title) :].removeprefix(", ")
    return row


def reasons(said: str, candidates: list[tuple[str, str]]) -> dict[str, str]:
    """'Title: reason; Title: reason', with the titles in the order of ``candidates``
    ((name, title) of every field that may be unknown), as {name: reason}."""
    found: dict[str, str] = {}
    for i, (name, title) in enumerate(candidates):
        start = f"{title}: "
        if not said.startswith(start):
            continue
        rest = said[len(start) :]
        ends = [rest.find(f"; {t}: ") for _, t in candidates[i + 1 :]]
        end = min((e for e in ends if e >= 0), default=len(rest))
        found[name] = rest[:end]
        said = rest[end:].removeprefix("; ")
    return found
