"""The SQLite download works in Datasette as journalists use it: the built database and its
metadata file, served by Datasette itself (through its Python API, no server), give a search
box that narrows the rows, filters and sorts that treat unknown values as empty, and Swedish
titles, descriptions and labels from the field catalogue."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import DATA
from datasette.app import Datasette

from generator.catalogue import BASES, COLLECTIONS, read
from generator.model.build import build
from generator.opendata.database import SEARCHED
from generator.opendata.flatten import tables
from generator.opendata.writers import DATABASE, DATASETTE_METADATA, downloads
from generator.source.load import load

NAME = DATABASE.removesuffix(".sqlite")
CREATED = dt.datetime(2025, 1, 1)


def make_downloads(data: Path) -> dict[str, bytes]:
    """The downloads of a data folder, made as the build makes them but without the pages."""
    loaded = load(data, data.name)
    dataset = build(loaded)
    source = {name: (t.header, t.rows) for name, t in loaded.tables.items()}
    records = {
        name: [loaded.records[name][stem].data for stem in sorted(loaded.records[name])]
        for name in COLLECTIONS
    }
    schemas = dict(sorted(loaded.schemas.items()))
    return downloads(tables(dataset, source), loaded.descriptor, schemas, CREATED, records, {})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("downloads")
    for rel, content in make_downloads(DATA).items():
        if rel.startswith("data/") and "/" not in rel[5:]:
            (target / rel[5:]).write_bytes(content)
    return target


@pytest.fixture(scope="module")
def metadata(folder) -> dict:
    return json.loads((folder / DATASETTE_METADATA).read_text(encoding="utf-8"))


def fetch(folder: Path, metadata: dict, *paths: str) -> list:
    """Datasette's answers to ``paths`` (under the database), as JSON where they are JSON."""
    datasette = Datasette([str(folder / DATABASE)], metadata=metadata)

    async def run() -> list:
        answers = []
        for path in paths:
            response = await datasette.client.get(f"/{NAME}/{path}")
            assert response.status_code == 200, (path, response.text[:500])
            json_answer = ".json" in path.split("?")[0]
            answers.append(response.json() if json_answer else response.text)
        return answers

    return asyncio.run(run())


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / f"{name}.csv").read_text("utf-8"))))


def test_the_partnerships_have_a_search_box_that_narrows_the_rows(folder, metadata):
    page, found = fetch(
        folder, metadata, "partnerships", "partnerships.json?_search=Rädda&_shape=array"
    )
    assert 'name="_search"' in page
    word = re.compile(r"\brädda\b", re.IGNORECASE)
    rows = _csv(folder, "partnerships")
    expected = {r["id"] for r in rows if any(word.search(r[c]) for c in SEARCHED["partnerships"])}
    assert {r["id"] for r in found} == expected
    assert 0 < len(expected) < len(rows)


@pytest.mark.parametrize("table", sorted(SEARCHED))
def test_every_searched_table_has_its_search_box(folder, metadata, table):
    (answer,) = fetch(folder, metadata, f"{table}.json?_search=xyzzyx")
    assert answer["rows"] == []  # a search that is applied, not ignored


def test_a_number_filter_leaves_out_unknown_ages(folder, metadata):
    (found,) = fetch(folder, metadata, "partnerships.json?age_min__gt=9&_shape=array")
    records = json.loads((folder / "partnerships.json").read_text(encoding="utf-8"))
    expected = {r["id"] for r in records if isinstance(r["age_min"], int) and r["age_min"] > 9}
    assert {r["id"] for r in found} == expected
    assert "unknown" in {r["age_min"] for r in records}  # the JSON keeps the published form
    assert all(isinstance(r["age_min"], int) for r in found)


def test_dates_sort_and_compare_as_dates_with_unknown_dates_last(folder, metadata):
    newest, recent = fetch(
        folder,
        metadata,
        "decisions.json?_sort_desc=date&_shape=array",
        "decisions.json?date__gte=2025-01-01&_shape=array",
    )
    dates = [r["date"] for r in newest]
    known = [d for d in dates if d is not None]
    assert known and len(known) < len(dates)
    assert dates == sorted(known, reverse=True) + [None] * (len(dates) - len(known))
    source = _csv(folder, "decisions")
    assert {r["id"] for r in recent} == {
        r["id"] for r in source if r["date"] != "unknown" and r["date"] >= "2025-01-01"
    }


def test_partial_dates_have_first_and_last_days_to_sort_by(folder, metadata):
    (rows,) = fetch(folder, metadata, "partnerships.json?_sort_desc=end_date_to&_shape=array")
    by_id = {r["id"]: r for r in rows}
    assert by_id["jobbvagen"]["start_date"] == "2021"
    assert (by_id["jobbvagen"]["start_date_from"], by_id["jobbvagen"]["start_date_to"]) == (
        "2021-01-01",
        "2021-12-31",
    )
    assert by_id["min-framtid"]["end_date_to"] == "2025-12-31"
    ends = [r["end_date_to"] for r in rows]
    assert ends[0] == max(e for e in ends if e) and ends[-1] is None


def test_titles_descriptions_and_labels_are_swedish_from_the_catalogue(folder, metadata):
    catalogue = read(DATA)
    page, costs, view = fetch(
        folder,
        metadata,
        "partnerships",
        "costs.json?_labels=on&_shape=array",
        "costs_with_names.json?_shape=array",
    )
    assert "<h1>Partnerskap</h1>" in page
    age = catalogue.field("partnership", "target_group.age_min")
    assert f"<dd>{age.title}: {age.description}</dd>" in page
    proposal = dict(BASES)["proposal"]
    names = {r["id"]: r["name"] for r in _csv(folder, "organisations")}
    for row in costs:
        assert row["basis"] == {"value": "proposal", "label": proposal}
        assert row["funder_id"]["label"] == names[row["funder_id"]["value"]]
        assert row["kind"]["label"] == catalogue.label("cost", "kind", row["kind"]["value"])
    assert view and all(r["funder_name"] == names[r["funder_id"]] for r in view)


def test_metadata_describes_every_table_view_and_column(folder, metadata):
    db = sqlite3.connect(folder / DATABASE)
    described = metadata["databases"][NAME]["tables"]
    shown = db.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE '%_fts%' AND name NOT LIKE 'search_%'"
    ).fetchall()
    for (name,) in shown:
        spec = described[name]
        assert spec["title"] and spec["description"], name
        columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
        assert list(spec["columns"]) == columns, name
        titles = [text.split(":")[0] for text in spec["columns"].values()]
        assert len(set(titles)) == len(titles), (name, titles)  # no two columns read the same
        assert spec.get("label_column") in (None, *columns)
    assert metadata["license"] == "CC0-1.0"
    assert metadata["databases"][NAME]["title"] == metadata["title"]
    assert described["partnerships"]["label_column"] == "title"
    assert described["label_partnerships_status"]["hidden"] is True


def test_the_same_data_gives_the_same_database_and_metadata(folder):
    again = make_downloads(DATA)
    for name in (DATABASE, DATASETTE_METADATA):
        assert again[f"data/{name}"] == (folder / name).read_bytes()
