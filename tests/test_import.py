"""portal import: the published workbook goes back into data/, losslessly, whole or not at all,
with every problem against the sheet and cell an editor sees."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, folder_files
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.catalogue import read
from generator.cli import main
from generator.edit.apply import import_workbook, workbook_of
from generator.edit.format import formatted

BOOK = "insyn-i-samverkan.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the real data folder."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


@pytest.fixture
def book(tmp_path: Path, real_site: Path) -> Path:
    """A copy of the workbook the built site publishes."""
    return Path(shutil.copy(real_site / "data" / BOOK, tmp_path / BOOK))


def _edit(book: Path, edits: dict[tuple[str, str], object]) -> Path:
    workbook = load_workbook(book)
    for (sheet, cell), value in edits.items():
        workbook[sheet][cell] = value
    workbook.save(book)
    return book


def test_the_data_folder_is_in_the_canonical_form():
    assert formatted(DATA) == {}


def test_the_unchanged_published_workbook_changes_no_byte(data, book):
    before = folder_files(data)
    outcome = import_workbook(book, data)
    assert outcome.problems == [] and outcome.changed_files == [] and outcome.changes == []
    assert folder_files(data) == before


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "file", "old", "new"),
    [
        ("Kostnader", "D3", 1500000, "costs.csv", ",1400000,budget", ",1500000,budget"),
        ("Partnerskap", "B4", "Min framtid", "partnerships/min-framtid.yaml",
         "title: Min Framtid", "title: Min framtid"),
        ("Parter i partnerskapen", "F3", "Förvaltningen", "partnerships/min-framtid.yaml",
         "body: Arbetsmarknadsförvaltningen", "body: Förvaltningen"),
        ("Organisationer", "B3", "Rädda barnen", "organisations.csv",
         "radda-barnen,Rädda Barnen,", "radda-barnen,Rädda barnen,"),
    ],
)  # fmt: skip
def test_one_changed_cell_changes_exactly_that_value_in_one_file(
    data, book, sheet, cell, value, file, old, new
):
    before = folder_files(data)
    outcome = import_workbook(_edit(book, {(sheet, cell): value}), data)
    assert outcome.problems == []
    after = folder_files(data)
    assert [rel for rel in after if after[rel] != before.get(rel)] == [file]
    old_lines = before[file].decode().splitlines()
    new_lines = after[file].decode().splitlines()
    diff = list(difflib.unified_diff(old_lines, new_lines, n=0, lineterm=""))[2:]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    assert len(removed) == len(added) == 1
    assert old in removed[0] and new in added[0]
    assert removed[0].replace(old, new) == added[0]


def test_a_workbook_saved_by_libreoffice_imports_with_no_change(tmp_path, data, book):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: libreoffice-calc-nogui; .ci/run installs it)"
    out = tmp_path / "saved"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    saved = out / BOOK
    assert saved.read_bytes() != book.read_bytes()  # really written anew by LibreOffice
    before = folder_files(data)
    outcome = import_workbook(saved, data)
    assert outcome.problems == [] and outcome.changed_files == []
    assert folder_files(data) == before


def test_excels_habits_change_nothing(data, book):
    """A date typed as a serial number, a number stored as text, spaces around text, empty
    rows and columns in another order read as the values they stand for."""
    workbook = load_workbook(book)
    decisions = workbook["Beslut och handlingar"]
    dated = next(c for c in decisions["B"][1:] if c.value is not None)
    dated.value = (dated.value - __import__("datetime").datetime(1899, 12, 30)).days
    dated.number_format = "General"
    costs = workbook["Kostnader"]
    costs["D2"] = "1400000"
    costs["G2"] = f"  {costs['G2'].value}  "
    costs.insert_rows(3, 2)
    organisations = workbook["Organisationer"]
    columns = [[c.value for c in column] for column in organisations.iter_cols()]
    columns[0], columns[1] = columns[1], columns[0]
    for index, values in enumerate(columns, start=1):
        for row, value in enumerate(values, start=1):
            organisations.cell(row, index, value)
    workbook.save(book)
    before = folder_files(data)
    outcome = import_workbook(book, data)
    assert outcome.problems == [] and outcome.changed_files == []
    assert folder_files(data) == before


def test_a_rejected_edit_names_sheet_cell_and_column_and_writes_nothing(data, book, capsys):
    _edit(book, {("Kostnader", "D3"): "1 500 000 kr"})
    before = folder_files(data)
    assert main(["import", str(book), "--data", str(data)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{BOOK}!Kostnader!D3: Belopp: '1 500 000 kr' is written the Swedish Excel way; write a "
        "whole number without spaces, decimals or 'kr', e.g. 1400000. In Excel, format the "
        "column as Text or save as 'CSV UTF-8' [csv-excel-number]"
    ]
    assert err == f"1 problem in {book}; {data} was left as it was\n"
    assert folder_files(data) == before


def test_a_problem_in_a_record_points_at_its_cell(data, book):
    title = read(DATA).title("partnership", "target_group.age_min")
    headers = [c.value for c in load_workbook(book)["Partnerskap"][1]]
    age = f"{get_column_letter(headers.index(title) + 1)}4"
    _edit(book, {("Parter i partnerskapen", "E4"): "Ägare", ("Partnerskap", age): "femton"})
    found = [p.format() for p in import_workbook(book, data).problems]
    assert (
        f"{BOOK}!Parter i partnerskapen!E4: Roll: 'Ägare' is not allowed; use one of: "
        in " ".join(found)
    )
    assert (
        f"{BOOK}!Partnerskap!{age}: {title}: expected a whole number, found 'femton' [wrong-type]"
        in found
    )


def test_dry_run_tells_each_change_in_swedish_and_writes_nothing(data, book, capsys):
    _edit(book, {("Kostnader", "D3"): 1500000})
    before = folder_files(data)
    assert main(["import", str(book), "--data", str(data), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "Ändrat: Kostnad för Idéburet offentligt partnerskap mellan arbetsmarknadsnämnden och "
        "Rädda Barnen (2027, Stockholms stad, Budget, ”Två processledare”): Belopp ändrades från "
        "1\u00a0400\u00a0000 till 1\u00a0500\u00a0000.\n"
    )
    assert err == f"dry run: 1 file(s) of {data} would change; nothing written\n"
    assert folder_files(data) == before


def _rename_header(book: Path) -> None:
    _edit(book, {("Kostnader", "D1"): "Belopp (kr)"})


def _drop_sheet(book: Path) -> None:
    workbook = load_workbook(book)
    workbook["Resultat"].title = "Utfall"
    workbook.save(book)


def _not_a_workbook(book: Path) -> None:
    book.write_text("partnership_id,year\n", encoding="utf-8")


def _stray_row(book: Path) -> None:
    workbook = load_workbook(book)
    sheet = workbook["Parter i partnerskapen"]
    sheet.append(["min-framtidd", 9, "radda-barnen", "Övrig part", "Genomför verksamheten"])
    workbook.save(book)


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [
        (_rename_header, [
            f"{BOOK}!Kostnader: Belopp: the column 'Belopp' is missing; add it back with that "
            "heading [workbook-column-missing]",
            f"{BOOK}!Kostnader!D1: Belopp (kr): the column 'Belopp (kr)' is not one of this "
            "sheet's; rename it back to one of: 'Belopp' [workbook-column-unknown]",
        ]),
        (_drop_sheet, [
            f"{BOOK}!Resultat: the sheet 'Resultat' is missing; keep every sheet of the published "
            "workbook, empty if need be; the workbook has a sheet 'Utfall': rename it back "
            "[workbook-sheet-missing]",
        ]),
        (_not_a_workbook, [
            f"{BOOK}: the file cannot be read as an Excel workbook (.xlsx); save it in Excel as "
            "'Excel-arbetsbok (*.xlsx)' (a CSV file is not one) [workbook-unreadable]",
        ]),
        (_stray_row, [
            f"{BOOK}!Parter i partnerskapen!A10: Partnerskap: there is no record 'min-framtidd' "
            "on its sheet, so this row belongs to nothing; write the id of a record on that "
            "sheet, or delete the row [unknown-reference]",
        ]),
    ],
)  # fmt: skip
def test_a_workbook_of_another_shape_is_refused_with_the_names_expected(
    data, book, spoil, expected
):
    spoil(book)
    before = folder_files(data)
    outcome = import_workbook(book, data)
    assert [p.format() for p in outcome.problems] == expected
    assert folder_files(data) == before


def test_the_blank_template_filled_in_imports_like_the_published_workbook(
    tmp_path, real_site, data
):
    """The template has the published workbook's sheets and headings and no rows; with the rows
    pasted in, as an editor would, it imports with no change."""
    template = load_workbook(real_site / "data" / "insyn-i-samverkan-mall.xlsx")
    published = load_workbook(real_site / "data" / BOOK)
    assert template.sheetnames == published.sheetnames
    for name in template.sheetnames:
        rows = list(published[name].iter_rows(values_only=True))
        if name == "Kolumner":  # the sheet that explains the columns is the same in both
            assert list(template[name].iter_rows(values_only=True)) == rows
            continue
        assert list(template[name].iter_rows(values_only=True)) == rows[:1]
        for row in rows[1:]:
            template[name].append(row)
    filled = tmp_path / "mall.xlsx"
    template.save(filled)
    before = folder_files(data)
    outcome = import_workbook(filled, data)
    assert outcome.problems == [] and outcome.changed_files == []
    assert folder_files(data) == before


def test_format_rewrites_only_the_form(tmp_path, data, capsys):
    record = data / "partnerships" / "min-framtid.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("title: Min Framtid", "title: 'Min Framtid'"), "utf-8")
    assert main(["format", str(data), "--check"]) == 1
    assert main(["format", str(data)]) == 0
    assert record.read_text(encoding="utf-8") == text
    assert main(["format", str(data), "--check"]) == 0
    capsys.readouterr()


def test_the_workbook_made_in_process_is_the_published_one(data, book):
    made = workbook_of(data)
    assert (
        load_workbook(book).sheetnames == load_workbook(__import__("io").BytesIO(made)).sheetnames
    )
