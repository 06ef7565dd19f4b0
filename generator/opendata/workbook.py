"""The Excel workbook: one sheet per table, in Swedish, and a sheet that explains the columns.

Sheets are named by the tables' Swedish titles and headed by the columns' Swedish titles, with
the header row frozen, a filter on it and columns wide enough to read. Coded values are written
as their Swedish labels, numbers as numbers (amounts with a thousands separator) and dates as
dates in the format ÅÅÅÅ-MM-DD (see cells.py). A value that the sources do not state is an empty
cell, and the row's column "Skäl till okända värden" says which it is and why. The sheet
"Kolumner" gives, for every column, the name it has in the CSV, JSON and SQLite files, its type,
its description and its allowed values. Text is always stored as text, never as a formula, a
number or a link.

XlsxWriter writes it (openpyxl reads workbooks back in, see edit/sheets.py): it writes a large
workbook in less than half the time openpyxl takes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import xlsxwriter

from ..catalogue import TYPE_NAMES
from ..checks.spreadsheet import FORMULA_START
from .archive import stable_zip
from .cells import Typed
from .flatten import Column, Table

COLUMNS_SHEET = "Kolumner"
_HEADER = ["Tabell", "Blad", "Kolumn", "Namn i CSV, JSON och SQLite", "Typ", "Beskrivning",
           "Tillåtna värden"]  # fmt: skip
_ABOUT_WIDTHS = [20, 24, 28, 28, 20, 60, 40]
# Excel's format codes; a Swedish Excel shows them as ÅÅÅÅ-MM-DD and 1 400 000.
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0"
_FORMATS = {"date": DATE_FORMAT, "integer": AMOUNT_FORMAT}
# Excel's dates start in 1900, and its 1900 has a 29 February: earlier dates are written as text.
_FIRST_DATE = dt.date(1900, 3, 1)
_WIDTH = (8, 60)  # narrowest and widest column, in characters
# Text stays text: no formulas, numbers or links made from it.
_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False}  # fmt: skip


def sheet_name(table: Table) -> str:
    """The table's Swedish title as a sheet name (at most 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31]


class _Styles:
    """The workbook's few cell formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        # Text that would start a formula keeps a quote prefix, so that it stays text when
        # Excel edits the cell (the validator refuses such text in the data; a second guard).
        self.quoted = book.add_format({"quote_prefix": True})
        self.number = {
            kind: book.add_format({"num_format": code}) for kind, code in _FORMATS.items()
        }


def to_xlsx(typed: list[Typed], created: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    book.set_properties({"author": "Insyn i samverkan", "created": created})
    styles = _Styles(book)
    rows = [_explained(table, column) for table in typed for column in table.columns]
    about = _sheet(book, COLUMNS_SHEET, _HEADER, len(rows), _ABOUT_WIDTHS, styles)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            style = styles.wrap if c >= 5 else None
            if value:
                about.write_string(r, c, value, style)
            elif style:
                about.write_blank(r, c, None, style)
    for table in typed:
        _data_sheet(book, table, styles)
    book.close()
    # Written anew with fixed times and order, so the same data gives the same bytes.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return stable_zip({info.filename: source.read(info) for info in source.infolist()})


def _explained(table: Typed, column: Column) -> list[str]:
    meaning = column.meaning
    kind = TYPE_NAMES.get(meaning.format or column.type, column.type)
    allowed = "; ".join(f"{c.label} ({c.value})" for c in meaning.categories)
    return [table.table.title, sheet_name(table.table), meaning.title, column.name, kind,
            meaning.description, allowed]  # fmt: skip


def _data_sheet(book: xlsxwriter.Workbook, table: Typed, styles: _Styles) -> None:
    header = [c.meaning.title for c in table.columns]
    values = [[_shown(c, v) for c, v in zip(table.columns, row, strict=True)] for row in table.rows]
    widths = [_width([title, *(row[i] for row in values)]) for i, title in enumerate(header)]
    number = [styles.number.get(column.type) for column in table.columns]
    sheet = _sheet(book, sheet_name(table.table), header, len(values), widths, styles, number)
    for r, row in enumerate(values, start=1):
        for c, value in enumerate(row):
            if value is None or value == "":
                # A value the sources do not state, or no text: an empty cell, in the
                # column's format, so a date or amount typed into it reads as one.
                if number[c]:
                    sheet.write_blank(r, c, None, number[c])
                continue
            if isinstance(value, str):
                sheet.write_string(
                    r, c, value, styles.quoted if FORMULA_START.match(value) else None
                )
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, dt.date) and value < _FIRST_DATE:
                sheet.write_string(r, c, value.isoformat())  # Excel has no such date
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, number[c])
            else:
                sheet.write_number(r, c, value, number[c])


def _sheet(book, name, header: list[str], rows: int, widths: list[int], styles, formats=()):
    """A sheet with its header row in bold, frozen, a filter on every column, the columns'
    widths and their formats (for rows an editor adds)."""
    sheet = book.add_worksheet(name)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width, formats[index] if formats else None)
    sheet.write_row(0, 0, header, styles.bold)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, len(header) - 1)
    return sheet


def _shown(column: Column, value: object) -> object:
    """A value as Excel shows it: a label for a code, a date, a number, text or empty."""
    if value is not None and column.meaning.categories:
        return column.meaning.label(str(value))
    return value


def _width(values: list[object]) -> int:
    """Wide enough for the header and the longest value, within _WIDTH."""
    narrowest, widest = _WIDTH
    longest = 0
    for value in values:
        if longest + 2 >= widest:  # no value can make the column wider
            break
        if isinstance(value, str) and len(value) <= longest:  # nor can any line of this one
            continue
        if isinstance(value, dt.date):
            size = len(DATE_FORMAT)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            size = len(f"{value:,}")
        else:
            size = max((len(line) for line in str(value or "").splitlines()), default=0)
        longest = max(longest, size)
    return min(max(longest + 2, narrowest), widest)
