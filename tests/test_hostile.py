"""Whatever `portal validate` accepts, the build publishes safely.

A property test with Hypothesis: the synthetic fixture, mutated with values drawn from every
class of hostile or odd input (wrong shapes, numbers and dates that other tools read otherwise,
control and bidi characters, formula starts, markup and template text, identity numbers, ids
that cannot be addresses, arbitrary Unicode), either gets problems from `portal validate`, each
on one line with its path and line, exit status 1, no traceback; or it builds, and then every
output is strictly valid: JSON without NaN or Infinity, a workbook without a formula cell, an
SQLite file that checks out, CSV files that frictionless finds valid against the published
descriptor, pages without a live script, event handler or javascript: URL, and every record
page at an address of its own.

The examples are derived from the test's name (the same ones on every run, so CI is
reproducible); set PORTAL_HYPOTHESIS_EXAMPLES to run more, drawn afresh. Hypothesis keeps
failing examples in .hypothesis/ and replays them first.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml
from conftest import ROOT, build_dataset
from frictionless import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator import cli
from generator.build import Paths, generate
from generator.site.links import page_path

EXAMPLES = int(os.environ.get("PORTAL_HYPOTHESIS_EXAMPLES", "0"))
HOSTILE = [
    "016", "1_000", "١٢٣", "0", "-1", "99999999999999999999999", "1e400", "NaN", "Infinity",
    "-Infinity", "0.1", ".nan", "2024-9-3", "0000-01-01", "9999-12-31", "10000-01-01",
    "2024-02-30", "=1+1", "+46 8 123", "-5 kronor", "@SUM(A1)", "\t=1", "\r=1", "\x00",
    "a\x07b", "\u202eabc", "\u2066x\u2069", "line\nbreak", "a\u2028b", "\ufeffbom", "a\ufffeb",
    "\uffff",
    "PORTAL-RAW-HTML-0-BLOCK", "PORTALRAWHTML0X", "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">', "javascript:alert(1)", "[x](javascript:alert(1))",
    "{{ 7*7 }}", "{% raw %}", "</table><h1>x</h1>", "811218-9876", "811218\u20119876",
    "index", "a" * 120, "iop-checklista", "Ä", "", " ", "unknown", "true", "yes", "null", "~",
    "&#60;script&#62;", "\\", '"', "'", "#", ": ", "- x", "*x*", "_x_", "`x`", "<!-- x -->",
]  # fmt: skip
SCALARS = (
    st.sampled_from(HOSTILE)
    | st.text(max_size=24)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | st.none()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=5,
)
RECORDS = [
    "partnerships/test-iop.yaml",
    "partnerships/test-projekt.yaml",
    "questions/test-fraga.yaml",
]
TABLES = ["costs.csv", "results.csv", "decisions.csv", "organisations.csv"]


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in [(*path, k), *_paths(v, (*path, k))]]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in [(*path, i), *_paths(v, (*path, i))]]
    return []


def _set(document: object, path: tuple, value: object) -> None:
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = value


@st.composite
def mutation(draw):
    """One edit of a data folder: ('yaml', file, path, value), ('raw', file, line, text) or
    ('csv', file, row, column, text)."""
    kind = draw(st.sampled_from(["yaml", "raw", "csv"]))
    if kind == "csv":
        text = draw(st.sampled_from(HOSTILE) | st.text(max_size=24))
        return ("csv", draw(st.sampled_from(TABLES)), draw(st.integers(1, 3)),
                draw(st.integers(0, 12)), text)  # fmt: skip
    file = draw(st.sampled_from(RECORDS))
    if kind == "raw":
        text = draw(st.sampled_from(HOSTILE) | st.text(max_size=24))
        return ("raw", file, draw(st.integers(0, 40)), text, draw(st.booleans()))
    return ("yaml", file, draw(st.integers(0, 200)), draw(VALUES))


def _apply(root: Path, edit: tuple) -> None:
    if edit[0] == "csv":
        _, name, row, column, text = edit
        rows = list(csv.reader(io.StringIO((root / name).read_text(encoding="utf-8"))))
        row = min(row, len(rows) - 1)
        rows[row][column % len(rows[row])] = text
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (root / name).write_text(out.getvalue(), encoding="utf-8")
    elif edit[0] == "raw":
        _, name, number, text, quoted = edit
        lines = (root / name).read_text(encoding="utf-8").split("\n")
        keyed = [i for i, line in enumerate(lines) if re.match(r"\s*[a-z_]+: \S", line)]
        i = keyed[number % len(keyed)]
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {json.dumps(text, ensure_ascii=False) if quoted else text}"
        (root / name).write_text("\n".join(lines), encoding="utf-8")
    else:
        _, name, number, value = edit
        try:
            document = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        except yaml.YAMLError:
            return  # an earlier edit broke the file: the validator will say so
        paths = _paths(document)
        if not paths:
            return
        _set(document, paths[number % len(paths)], value)
        dumped = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        (root / name).write_text(dumped, encoding="utf-8")


def _validate(root: Path) -> tuple[int, list[str]]:
    """`portal validate` run as the command line runs it: exit status and printed lines."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["validate", str(root)])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return status, out.getvalue().splitlines()


def _strict_json(text: bytes) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


class _Live(HTMLParser):
    """What would run in a browser: script elements, event handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        data_only = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if tag in ("script", "iframe", "object", "embed") and not data_only:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or re.match(r"\s*javascript:", value or "", re.I):
                self.found.append(f"{tag} {name}")


def _check_outputs(files: dict[str, str | bytes], tmp: Path) -> None:
    data = {rel[5:]: c for rel, c in files.items() if rel.startswith("data/")}
    for name, content in data.items():
        if name.endswith(".json"):
            _strict_json(content)
    book = load_workbook(io.BytesIO(data["insyn-i-samverkan.xlsx"]))
    formulas = [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    (tmp / "db.sqlite").write_bytes(data["insyn-i-samverkan.sqlite"])
    db = sqlite3.connect(tmp / "db.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    published = tmp / "published"
    for name, content in data.items():
        if name.endswith((".csv", "datapackage.json")):
            (published / name).parent.mkdir(parents=True, exist_ok=True)
            (published / name).write_bytes(content)
    report = Package(str(published / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    extensions = ["tables", "toc", "attr_list", "def_list", "md_in_html", "admonition"]
    for page, text in files.items():
        if page.endswith(".md"):
            parser = _Live()
            parser.feed(markdown.markdown(str(text), extensions=extensions))
            assert parser.found == [], page


def _record_pages_are_their_own(files: dict, root: Path) -> None:
    """Every record has its page, and no page of a list or guide was replaced by one."""
    records = json.loads(files["data/partnerships.json"]) + json.loads(files["data/questions.json"])
    for kind, table in (("organisation", "organisations"), ("decision", "decisions")):
        records += [{**r, "kind": kind} for r in json.loads(files[f"data/{table}.json"])]
    paths = []
    for record in records:
        kind = record.get("kind") or ("question" if "party" in record else "partnership")
        paths.append(page_path(kind, record["id"]))
    assert len(paths) == len(set(paths))
    assert all(p in files for p in paths)
    for section_list in ("partnerskap/index.md", "organisationer/index.md", "beslut/index.md"):
        assert "<caption>Alla " in str(files[section_list]), section_list


@settings(
    max_examples=EXAMPLES or 200,
    derandomize=not EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(mutation(), min_size=1, max_size=3))
def test_whatever_validates_is_published_safely(edits):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        root = build_dataset(tmp / "data")
        for edit in edits:
            _apply(root, edit)
        status, lines = _validate(root)
        if lines:
            assert status == 1
            for line in lines:
                assert re.match(rf"{re.escape(str(root))}/[^:]+(:\d+)?: ", line), line
            return
        assert status == 0
        paths = Paths(root, ROOT / "content", ROOT / "mkdocs.yml", tmp / "site", tmp / "build")
        files = generate(paths, parallel=False)
        _check_outputs(files, tmp)
        _record_pages_are_their_own(files, root)
        shutil.rmtree(tmp / "build", ignore_errors=True)
