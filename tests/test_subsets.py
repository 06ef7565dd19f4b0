"""Filtered downloads: every organisation page and every selection page offers exactly the
partnerships, costs and results it lists, as CSV and JSON with a descriptor of their own."""

from __future__ import annotations

import csv
import io
import json
import re

from frictionless import Package

KEYS = {"partnerships": "id", "costs": "partnership_id", "results": "partnership_id"}


def _rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def _listed(page: str) -> set[str]:
    """The partnerships a page lists (its links to partnership pages, outside the nav)."""
    main = page.split("<article", 1)[1].split("</article>", 1)[0]
    return set(re.findall(r'href="(?:\.\./)+partnerskap/([a-z0-9-]+)/"', main))


def test_each_selection_page_offers_exactly_its_rows(real_site):
    data = real_site / "data"
    full = {name: _rows(data / f"{name}.csv") for name in KEYS}
    pages = sorted((real_site / "organisationer").glob("*/index.html"))
    pages += sorted(
        p
        for p in (real_site / "urval").glob("*/*/index.html")
        if "refresh" not in p.read_text("utf-8")
    )
    assert len(pages) > 10
    for page in pages:
        text = page.read_text("utf-8")
        folder = page.parent.relative_to(real_site).as_posix()
        ids = _listed(text)
        if not (data / folder).is_dir():
            assert not ids, page  # an organisation in no partnership offers nothing
            continue
        for name, key in KEYS.items():
            rows = _rows(data / folder / f"{name}.csv")
            expected = [r for r in full[name] if r[key] in ids]
            assert rows == expected, (folder, name)
            assert json.loads((data / folder / f"{name}.json").read_text("utf-8")).__len__() == len(
                rows
            )
            count = f"({len(rows)} {'rad' if len(rows) == 1 else 'rader'})"
            assert f'{count}: <a href="../../../data/{folder}/{name}.csv"' in text or (
                f'{count}: <a href="../../data/{folder}/{name}.csv"' in text
            ), (folder, name)


def test_a_selection_is_a_valid_data_package(real_site):
    descriptor = real_site / "data" / "organisationer" / "radda-barnen" / "datapackage.json"
    report = Package(str(descriptor)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == list(KEYS)
    assert package["title"].endswith(": Rädda Barnen")


def _csvkit(utility, *args: str) -> str:
    """A csvkit command run in this process, as a user runs it, with default settings."""
    out = io.StringIO()
    utility(list(args), out).run()
    return out.getvalue()


def test_csvkit_reads_every_csv_with_default_settings(real_site):
    """csvkit guesses the dialect from the start of a file; every published CSV, the
    selections' included, must come out with its own columns."""
    from csvkit.utilities.csvcut import CSVCut
    from csvkit.utilities.csvstat import CSVStat

    files = sorted((real_site / "data").rglob("*.csv"))
    assert len(files) > 20
    for file in files:
        header = next(csv.reader(io.StringIO(file.read_text("utf-8"))))
        assert len(_csvkit(CSVCut, "-n", str(file)).splitlines()) == len(header), file
        described = list(csv.DictReader(io.StringIO(_csvkit(CSVStat, "--csv", str(file)))))
        assert [row["column_name"] for row in described] == header, file


def test_the_csvkit_check_can_fail(tmp_path):
    """Without quotes around text, a quotation inside a note makes csvkit guess a space as
    the delimiter: the check above would catch a return to that form."""
    from csvkit.utilities.csvstat import CSVStat

    file = tmp_path / "results.csv"
    file.write_text(
        'id,value,note\r\nx,400,"Källan säger att det ""har gått bra"" men inte mer."\r\n',
        encoding="utf-8",
    )
    try:
        described = list(csv.DictReader(io.StringIO(_csvkit(CSVStat, "--csv", str(file)))))
    except ValueError:
        return
    assert [row["column_name"] for row in described] != ["id", "value", "note"]
