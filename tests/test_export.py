"""The downloads hold exactly the data: read each one back and compare with data/."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import sqlite3
import zipfile
from decimal import Decimal

import pytest
import yaml
from conftest import DATA, PUBLISHED_URL
from frictionless import Package
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.catalogue import UNKNOWN
from generator.catalogue.entries import Field
from generator.opendata.cells import typed
from generator.opendata.flatten import Column, Table
from generator.opendata.writers import indented, source_yaml, to_csv, to_json

CORE = ("organisations", "decisions", "costs", "results")


@pytest.fixture(scope="module")
def downloads(real_site):
    return real_site / "data"


@pytest.fixture(scope="module")
def descriptor(downloads):
    return json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_frictionless_accepts_the_published_package(downloads):
    report = Package(str(downloads / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_sizes_hashes_and_row_counts_match_the_files(downloads, descriptor):
    assert len(descriptor["resources"]) == 13
    for resource in descriptor["resources"]:
        content = (downloads / resource["path"]).read_bytes()
        assert resource["bytes"] == len(content)
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest()
        assert resource["rows"] == len(_rows(content.decode("utf-8"))) - 1


@pytest.mark.parametrize("name", CORE)
def test_csv_downloads_hold_exactly_the_data(downloads, name):
    published = _rows((downloads / f"{name}.csv").read_text(encoding="utf-8"))
    source = _rows((DATA / f"{name}.csv").read_text(encoding="utf-8"))
    if name == "costs":  # the one derived column: whether the amount is a proposal
        at = published[0].index("basis")
        assert {row[at] for row in published[1:]} == {"proposal"}
        published = [row[:at] + row[at + 1 :] for row in published]
    assert published == source
    assert (downloads / f"{name}.csv").read_bytes().count(b"\r\n") == len(source)


def test_flattened_records_hold_every_record(downloads):
    partnerships = {
        p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (DATA / "partnerships").glob("*.yaml")
    }
    rows = _rows((downloads / "partnerships.csv").read_text(encoding="utf-8"))
    header, body = rows[0], rows[1:]
    assert sorted(r[0] for r in body) == sorted(partnerships)
    for row in body:
        record = dict(zip(header, row, strict=True))
        assert record["title"] == partnerships[row[0]]["title"]
        assert record["description"] == partnerships[row[0]]["description"]
    parties = _rows((downloads / "partnership_parties.csv").read_text(encoding="utf-8"))[1:]
    expected = sum(
        len(p[key])
        for p in partnerships.values()
        for key in ("public_parties", "partners")
        if isinstance(p[key], list)
    )
    assert len(parties) == expected
    questions = [yaml.safe_load(q.read_text("utf-8")) for q in (DATA / "questions").glob("*.yaml")]
    items = _rows((downloads / "question_items.csv").read_text(encoding="utf-8"))[1:]
    assert len(items) == sum(len(q["questions"]) for q in questions)


def test_json_downloads_hold_the_same_rows_typed(downloads, descriptor):
    for resource in descriptor["resources"]:
        name = resource["name"]
        records = json.loads((downloads / f"{name}.json").read_text(encoding="utf-8"))
        rows = _rows((downloads / f"{name}.csv").read_text(encoding="utf-8"))
        assert len(records) == len(rows) - 1
        assert [list(r) for r in records] == [rows[0]] * len(records)
    costs = json.loads((downloads / "costs.json").read_text(encoding="utf-8"))
    assert {type(c["amount_sek"]) for c in costs} == {int}
    results = json.loads((downloads / "results.json").read_text(encoding="utf-8"))
    assert {type(r["suppressed"]) for r in results} == {bool}


def _sheet(book, title: str) -> tuple[list[str], list[dict[str, object]]]:
    sheet = book[title]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    return header, rows


def test_workbook_is_in_swedish_with_a_sheet_per_table_and_typed_cells(downloads, descriptor):
    book = load_workbook(downloads / "insyn-i-samverkan.xlsx")
    resources = descriptor["resources"]
    assert book.sheetnames == ["Kolumner", *(r["title"] for r in resources)]
    explained = {(r[0].value, r[3].value): r for r in book["Kolumner"].iter_rows(min_row=2)}
    for resource in resources:
        sheet = book[resource["title"]]
        assert sheet.max_row - 1 == resource["rows"]
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        # Every column of the CSV, in its order, with the derived columns of the workbook.
        titles = [f["title"] for f in resource["schema"]["fields"]]
        assert [h for h in header if h in titles] == titles
        columns = [k[1] for k in explained if k[0] == resource["title"]]
        assert [explained[(resource["title"], c)][2].value for c in columns] == header
        assert {f["name"] for f in resource["schema"]["fields"]} <= set(columns)
    costs = book["Kostnader"]
    amount = [c.value for c in costs[1]].index("Belopp") + 1
    cells = [costs.cell(r, amount) for r in range(2, costs.max_row + 1)]
    assert all(isinstance(c.value, int) and c.number_format == "#,##0" for c in cells)
    bases = {costs.cell(r, amount + 1).value for r in range(2, costs.max_row + 1)}
    assert bases == {"Föreslagen budget – nämndens beslut finns inte i underlaget"}
    kinds = {costs.cell(r, amount + 2).value for r in range(2, costs.max_row + 1)}
    assert kinds == {"Budget"}  # the Swedish label, not the code
    amount_row = explained[("Kostnader", "amount_sek")]
    assert [c.value for c in amount_row[1:3]] == ["Kostnader", "Belopp"]
    assert "Pågår (active)" in explained[("Partnerskap", "status")][6].value


def test_workbook_leaves_unknown_cells_empty_with_the_reason_beside(downloads):
    book = load_workbook(downloads / "insyn-i-samverkan.xlsx")
    source = {r["id"]: r for r in csv.DictReader(io.StringIO((DATA / "decisions.csv").read_text()))}
    _, decisions = _sheet(book, "Beslut och handlingar")
    dates = [d["Datum"] for d in decisions]
    assert dt.datetime(2024, 9, 3) in dates
    assert {type(d) for d in dates} <= {dt.datetime, type(None)}
    for row in decisions:
        if source[row["Id"]]["date"] == "unknown":
            assert row["Datum"] is None
            assert row["Skäl till okända värden"].startswith("Datum")
            assert row["Skäl till okända värden"].endswith(source[row["Id"]]["note"])
    sheet = book["Beslut och handlingar"]
    date = [c.value for c in sheet[1]].index("Datum") + 1
    assert sheet.cell(2, date).number_format == "yyyy-mm-dd"
    _, partnerships = _sheet(book, "Partnerskap")
    ages = {p["Id"]: p["Lägsta ålder"] for p in partnerships}
    assert ages["min-framtid"] == 15 and ages["jobbvagen"] is None
    jobbvagen = next(p for p in partnerships if p["Id"] == "jobbvagen")
    assert jobbvagen["Start"] == "2021"
    assert jobbvagen["Start, första möjliga dag"] == dt.datetime(2021, 1, 1)
    assert jobbvagen["Start, sista möjliga dag"] == dt.datetime(2021, 12, 31)
    assert "Lägsta ålder: " in jobbvagen["Skäl till okända värden"]
    values = {v for s in book.worksheets[1:] for r in s.iter_rows(values_only=True) for v in r}
    assert "unknown" not in values and "Uppgift saknas" not in values


def test_sqlite_has_every_row_enforces_keys_and_searches(downloads, descriptor):
    db = sqlite3.connect(downloads / "insyn-i-samverkan.sqlite")
    db.execute("PRAGMA foreign_keys = ON")
    for resource in descriptor["resources"]:
        (count,) = db.execute(f'SELECT count(*) FROM "{resource["name"]}"').fetchone()
        assert count == resource["rows"], resource["name"]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO costs (partnership_id, year, funder_id, amount_sek, basis, kind, "
            "category, decision_id, section) VALUES ('min-framtid', 2025, 'finns-inte', 1, "
            "'proposal', 'budget', 'x', 'tu-2025-11-11-iop-radda-barnen', 'arendet')"
        )
    hits = db.execute("SELECT id FROM search WHERE search MATCH 'läxläsning'").fetchall()
    assert hits == [("min-framtid",)]
    hits = db.execute(
        "SELECT id FROM partnerships WHERE rowid IN "
        "(SELECT rowid FROM partnerships_fts WHERE partnerships_fts MATCH 'läxläsning')"
    ).fetchall()
    assert hits == [("min-framtid",)]
    db.close()


def test_sqlite_stores_unknown_as_null_with_typed_numbers_and_dates(downloads, descriptor):
    db = sqlite3.connect(downloads / "insyn-i-samverkan.sqlite")
    for resource in descriptor["resources"]:
        for field in resource["schema"]["fields"]:
            (count,) = db.execute(
                f'SELECT count(*) FROM "{resource["name"]}" WHERE "{field["name"]}" = ?',
                ("unknown",),
            ).fetchone()
            assert count == 0, (resource["name"], field["name"])
    ages = db.execute("SELECT id FROM partnerships WHERE age_min > 9 ORDER BY id").fetchall()
    assert ages == [("inkludering-genom-foreningslivet",), ("min-framtid",),
                    ("radda-barnen-iop-unga",)]  # fmt: skip
    assert {t for (t,) in db.execute("SELECT typeof(age_min) FROM partnerships")} == {
        "integer",
        "null",
    }
    dated = db.execute("SELECT id FROM decisions WHERE date >= '2025-01-01'").fetchall()
    assert dated == [("tu-2025-11-11-iop-radda-barnen",)]
    reasons = dict(db.execute("SELECT id, unknown_reasons FROM decisions WHERE date IS NULL"))
    assert reasons and all(r.startswith("Datum") for r in reasons.values())
    (start,) = db.execute(
        "SELECT start_date || ' ' || start_date_from || ' ' || start_date_to FROM partnerships "
        "WHERE id = 'jobbvagen'"
    ).fetchone()
    assert start == "2021 2021-01-01 2021-12-31"
    view = db.execute(
        "SELECT partnership_title, funder_name, basis_label FROM costs_with_names"
    ).fetchall()
    assert view and all(funder == "Stockholms stad" for _, funder, _ in view)
    db.close()


def test_zip_holds_every_download(downloads):
    archive = zipfile.ZipFile(downloads / "insyn-i-samverkan.zip")
    names = set(archive.namelist())
    for resource in ("organisations", "partnerships", "question_items"):
        assert {f"{resource}.csv", f"{resource}.json"} <= names
    assert {
        "datapackage.json",
        "insyn-i-samverkan.xlsx",
        "insyn-i-samverkan.sqlite",
        "schemas/partnership.schema.json",
    } <= names
    assert archive.read("costs.csv") == (downloads / "costs.csv").read_bytes()


def test_download_page_states_row_counts(real_site, descriptor):
    page = html.unescape((real_site / "oppna-data" / "index.html").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        row = page.split(f"{resource['name']}.csv</a>")[0].rsplit("<tr>", 1)[1]
        assert f'<td class="portal-number">{resource["rows"]}</td>' in row


def test_data_dictionary_describes_every_column(real_site, descriptor):
    page = html.unescape((real_site / "oppna-data/kolumner/index.html").read_text("utf-8"))
    for resource in descriptor["resources"]:
        caption = f">Kolumnerna i tabellen {resource['title'].lower()}</caption>"
        section = page.split(caption)[1].split("</table>")[0]
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in section, (resource["name"], field["name"])
            assert field["title"] in section
            assert field["description"] in section and field["descriptionEn"] in section
            for category in field.get("categories", []):
                assert f"<code>{category['value']}</code>: {category['label']}" in section
    assert "Belopp i hela kronor" in page  # a Swedish description, from the descriptor


def test_download_page_carries_schema_org_dataset(real_site, descriptor):
    page = (real_site / "oppna-data" / "index.html").read_text(encoding="utf-8")
    block = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    dataset = json.loads(block)
    assert dataset["@type"] == "Dataset"
    assert dataset["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert dataset["version"] == descriptor["version"]
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert {f"{PUBLISHED_URL}data/{r['path']}" for r in descriptor["resources"]} <= urls
    publisher = dataset["publisher"]
    assert publisher["name"] == "Stockholms stad, arbetsmarknadsnämnden"
    assert publisher["identifier"]["value"] == "212000-0142"
    # No contact address is set in the data, so none is given; the report page is.
    assert publisher["contactPoint"] == {
        "@type": "ContactPoint",
        "name": "Arbetsmarknadsförvaltningen",
        "contactType": "Frågor",
        "url": f"{PUBLISHED_URL}rapportera-fel/",
    }


def test_full_json_holds_every_record_as_written(downloads):
    records = json.loads((downloads / "partnerships-full.json").read_text(encoding="utf-8"))
    source = {
        p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (DATA / "partnerships").glob("*.yaml")
    }
    assert {r["id"]: r for r in records} == source
    questions = json.loads((downloads / "questions-full.json").read_text(encoding="utf-8"))
    assert len(questions) == len(list((DATA / "questions").glob("*.yaml")))


_KINDS = {
    # Quotes, separators, line ends, control characters, and beyond Latin-1 and the BMP.
    "string": st.text(alphabet="a ,;\"'\\\r\n\t\x00\x1få€😀\u2028", max_size=10),
    "integer": st.integers(-(10**12), 10**12).map(str),
    "number": st.floats(allow_nan=False, allow_infinity=False).map(repr),
    "boolean": st.sampled_from(["true", "false"]),
}


@st.composite
def _tables(draw) -> Table:
    kinds = draw(st.lists(st.sampled_from(sorted(_KINDS)), min_size=1, max_size=5))
    columns = tuple(
        Column(f"c{i}", Field("test", f"c{i}", f"c{i}", "", "", kind))
        for i, kind in enumerate(kinds)
    )
    cell = [st.one_of(st.sampled_from(["", UNKNOWN]), _KINDS[kind]) for kind in kinds]
    rows = draw(st.lists(st.tuples(*cell), max_size=6))
    return Table("test", "Test", "", "", columns, tuple(rows), (), ())


@settings(max_examples=200, deadline=None)
@given(_tables())
def test_csv_and_json_are_written_as_the_standard_library_writes_a_whole_table(table):
    """Each row is written once and reused by every selection holding it: the files are what
    one csv.writer over the table and json.dumps(indent=2) of its typed rows give."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(c.name for c in table.columns)
    for row in table.rows:
        writer.writerow(
            Decimal(v) if c.type in ("integer", "number") and v not in ("", UNKNOWN) else v
            for c, v in zip(table.columns, row, strict=True)
        )
    assert to_csv(table) == out.getvalue().encode("utf-8")
    rows = [typed(table, row) for row in table.rows]
    expected = json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    assert to_json(table) == expected.encode("utf-8")


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    # Text beyond Latin-1 and the BMP, quotes, backslashes and control characters.
    | st.text(alphabet='aå€😀"\\\n\x00\u2028', max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        # Keys as a YAML file may have them: text, numbers, booleans, null.
        | st.dictionaries(
            st.text(alphabet='ab"å\n', max_size=4)
            | st.integers()
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.booleans()
            | st.none(),
            inner,
            max_size=3,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_descriptors_are_indented_as_json_dumps_indents(value):
    """The descriptors are written by the C encoder a value at a time, and indented as the
    standard library's indenting encoder does."""
    assert indented(value) == json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


_YAML = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.sampled_from(["\x85", "\u2028", "\ufeff", "\x00", "\t=1", "- x", ": ", "#", "~", "yes"])
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(_YAML)
def test_published_yaml_reads_back_as_the_checked_data(value):
    """The YAML downloads are written by libyaml's emitter: any checked value, whatever its
    text, reads back as itself."""
    assert yaml.safe_load(source_yaml(value)) == value


_CELLS = st.lists(
    st.one_of(
        st.text(st.sampled_from("ab 1\n\r\u2028"), max_size=80),
        st.text(st.sampled_from("ab"), min_size=55, max_size=62),  # about the widest
        st.text(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.dates(),
        st.booleans(),
        st.none(),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_CELLS)
@example(["a" * 57, "b" * 58])  # one character short of the widest, then the widest
@example(["a" * 5, "b\n" * 9, "c" * 4])  # a text of many short lines
def test_a_workbook_column_is_as_wide_as_its_longest_line(values):
    """A column is as wide as its longest line of text, amount (with its thousands separators)
    or date (as ÅÅÅÅ-MM-DD), and two characters more, but never narrower than 8 characters nor
    wider than 60."""
    from generator.opendata.workbook import DATE_FORMAT, _width

    def lines(value) -> list[str]:
        if isinstance(value, dt.date):
            return [DATE_FORMAT]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [f"{value:,}"]
        return str(value or "").splitlines()

    longest = max((len(line) for value in values for line in lines(value)), default=0)
    assert _width(values) == min(max(longest + 2, 8), 60)


def _workbook_as_text(book) -> str:
    """What a reader of the workbook sees, sheet by sheet: the frozen rows, the filter, each
    column's width and format, and every cell with its value, type and format."""
    lines = []
    for sheet in book.worksheets:
        lines.append(
            f"== {sheet.title}: frozen {sheet.freeze_panes}, filter {sheet.auto_filter.ref}"
        )
        for column in sheet.column_dimensions.values():
            lines.append(
                f"columns {column.min}-{column.max}: width {column.width}, "
                f"format {column.number_format}"
            )
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and cell.number_format == "General":
                    continue
                style = " bold" if cell.font.b else ""
                style += " quoted" if cell.quotePrefix else ""
                style += " wrapped" if cell.alignment.wrap_text else ""
                lines.append(f"{cell.coordinate} {cell.value!r} {cell.number_format}{style}")
    return "\n".join(lines) + "\n"


def test_golden_workbook(tmp_path, request):
    """The fixture data's workbook, cell by cell, as a golden file: a change to how the
    workbook is written (a faster writer, a new option) must change nothing a reader sees."""
    from conftest import GOLDEN, build_dataset

    from generator.edit.apply import workbook_of

    (tmp_path / "book.xlsx").write_bytes(workbook_of(build_dataset(tmp_path / "data")))
    shown = _workbook_as_text(load_workbook(tmp_path / "book.xlsx"))
    golden = GOLDEN / "workbook.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(shown, encoding="utf-8")
    assert shown == golden.read_text(encoding="utf-8")
