"""The Excel workbook: one sheet per table, in Swedish, and a sheet that explains the columns.

Sheets are named by the tables' Swedish titles and headed by the columns' Swedish titles;
coded values are written as their Swedish labels, numbers as numbers and dates as dates. The
sheet "Kolumner" gives, for every column, the name it has in the CSV, JSON and SQLite files,
its type, its description and its allowed values.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..catalogue import TYPE_NAMES, UNKNOWN, UNKNOWN_LABEL
from ..checks.spreadsheet import FORMULA_START
from .archive import stable_zip
from .flatten import Column, Table, typed_cell

COLUMNS_SHEET = "Kolumner"
_HEADER = ["Tabell", "Blad", "Kolumn", "Namn i CSV, JSON och SQLite", "Typ", "Beskrivning",
           "Tillåtna värden"]  # fmt: skip


def sheet_name(table: Table) -> str:
    """The table's Swedish title as a sheet name (at most 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31]


def to_xlsx(all_tables: list[Table], created: dt.datetime) -> bytes:
    book = Workbook()
    book.properties.created = book.properties.modified = created
    book.properties.creator = "Insyn i samverkan"
    about = book.active
    about.title = COLUMNS_SHEET
    about.append(_HEADER)
    for table in all_tables:
        for column in table.columns:
            about.append(_explained(table, column))
        _data_sheet(book, table)
    about.freeze_panes = "A2"
    # ExcelWriter rather than book.save(), which would stamp the current time as 'modified'.
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    return stable_zip({info.filename: source.read(info) for info in source.infolist()})


def _explained(table: Table, column: Column) -> list[str]:
    meaning = column.meaning
    kind = TYPE_NAMES.get(meaning.format or column.type, column.type)
    allowed = "; ".join(f"{c.label} ({c.value})" for c in meaning.categories)
    return [table.title, sheet_name(table), meaning.title, column.name, kind,
            meaning.description, allowed]  # fmt: skip


def _data_sheet(book: Workbook, table: Table) -> None:
    sheet = book.create_sheet(sheet_name(table))
    sheet.append([c.meaning.title for c in table.columns])
    for row in table.rows:
        sheet.append([_cell(c, cell) for c, cell in zip(table.columns, row, strict=True)])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and FORMULA_START.match(cell.value):
                # Text is text: never a formula, and kept as text when Excel edits the cell
                # (the validator refuses such text in the data; this is the second guard).
                cell.data_type = "s"
                cell.quotePrefix = True
    for index, column in enumerate(table.columns, start=1):
        style = {"date": "yyyy-mm-dd", "integer": "#,##0"}.get(column.type)
        if style:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = style
    sheet.freeze_panes = "A2"


def _cell(column: Column, cell: str) -> object:
    """A cell as Excel shows it: a label for a code, a date, a number or text."""
    if cell == "":
        return None
    if cell == UNKNOWN:
        return UNKNOWN_LABEL
    if column.meaning.categories:
        return column.meaning.label(cell)
    if column.type == "date":
        return dt.date.fromisoformat(cell)
    return typed_cell(column, cell)
