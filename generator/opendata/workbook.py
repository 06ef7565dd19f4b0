"""The Excel workbook: one sheet per table, in Swedish, and a sheet that explains the columns.

Sheets are named by the tables' Swedish titles and headed by the columns' Swedish titles, with
the header row frozen, a filter on it and columns wide enough to read. Coded values are written
as their Swedish labels, numbers as numbers (amounts with a thousands separator) and dates as
dates in the format ÅÅÅÅ-MM-DD (see cells.py). A value that the sources do not state is an empty
cell, and the row's column "Skäl till okända värden" says which it is and why. The sheet
"Kolumner" gives, for every column, the name it has in the CSV, JSON and SQLite files, its type,
its description and its allowed values. Text that would start a formula is stored as text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..catalogue import TYPE_NAMES
from ..checks.spreadsheet import FORMULA_START
from .archive import stable_zip
from .cells import Typed
from .flatten import Column, Table

COLUMNS_SHEET = "Kolumner"
_HEADER = ["Tabell", "Blad", "Kolumn", "Namn i CSV, JSON och SQLite", "Typ", "Beskrivning",
           "Tillåtna värden"]  # fmt: skip
# Excel's format codes; a Swedish Excel shows them as ÅÅÅÅ-MM-DD and 1 400 000.
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0"
_FORMATS = {"date": DATE_FORMAT, "integer": AMOUNT_FORMAT}
_WIDTH = (8, 60)  # narrowest and widest column, in characters
_BOLD = Font(bold=True)


def sheet_name(table: Table) -> str:
    """The table's Swedish title as a sheet name (at most 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31]


def to_xlsx(typed: list[Typed], created: dt.datetime) -> bytes:
    book = Workbook()
    book.properties.created = book.properties.modified = created
    book.properties.creator = "Insyn i samverkan"
    about = book.active
    about.title = COLUMNS_SHEET
    about.append(_HEADER)
    for table in typed:
        for column in table.columns:
            about.append(_explained(table, column))
        _data_sheet(book, table)
    _header(about)
    _widths(about, [20, 24, 28, 28, 20, 60, 40])
    for cells in about.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # ExcelWriter rather than book.save(), which would stamp the current time as 'modified'.
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return stable_zip({info.filename: source.read(info) for info in source.infolist()})


def _explained(table: Typed, column: Column) -> list[str]:
    meaning = column.meaning
    kind = TYPE_NAMES.get(meaning.format or column.type, column.type)
    allowed = "; ".join(f"{c.label} ({c.value})" for c in meaning.categories)
    return [table.table.title, sheet_name(table.table), meaning.title, column.name, kind,
            meaning.description, allowed]  # fmt: skip


def _data_sheet(book: Workbook, table: Typed) -> None:
    sheet = book.create_sheet(sheet_name(table.table))
    sheet.append([c.meaning.title for c in table.columns])
    for row in table.rows:
        sheet.append([_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and FORMULA_START.match(cell.value):
                # Text is text: never a formula, and kept as text when Excel edits the cell
                # (the validator refuses such text in the data; this is the second guard).
                cell.data_type = "s"
                cell.quotePrefix = True
    for index, column in enumerate(table.columns, start=1):
        style = _FORMATS.get(column.type)
        if style:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = style
    _header(sheet)
    _widths(sheet, [_width(sheet, i) for i in range(1, len(table.columns) + 1)])


def _cell(column: Column, value: object) -> object:
    """A value as Excel shows it: a label for a code, a date, a number, text or empty."""
    if value is not None and column.meaning.categories:
        return column.meaning.label(str(value))
    return value


def _header(sheet: Worksheet) -> None:
    """The header row in bold, frozen, with a filter on every column."""
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _width(sheet: Worksheet, index: int) -> int:
    """Wide enough for the header and the longest value, within _WIDTH."""
    longest = 0
    for (cell,) in sheet.iter_rows(min_col=index, max_col=index):
        if isinstance(cell.value, dt.date):
            size = len(DATE_FORMAT)
        elif isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            size = len(f"{cell.value:,}")
        else:
            size = max((len(line) for line in str(cell.value or "").splitlines()), default=0)
        longest = max(longest, size)
    return min(max(longest + 2, _WIDTH[0]), _WIDTH[1])


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
