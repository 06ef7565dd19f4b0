"""``portal import``: a workbook in the published format becomes data/, whole or not at all.

The workbook's tables are written as data files into a scratch copy of the data folder beside
it, and the copy is validated in full with the validator every build uses. Each problem it
finds is reported against the workbook's sheet, cell and column, with the validator's own code
and message. Only a valid copy replaces the data folder, by renaming it into place; a dry run,
or a workbook with problems, leaves the data folder as it was. The changes are told per record
in the words of the change history.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalogue import COLLECTIONS, Catalogue, read_files
from ..catalogue import build as build_catalogue
from ..checks.validate import validate
from ..history.diff import diff_file
from ..history.read import Commit
from ..model.build import build as build_model
from ..opendata.cells import Typed, typed_table
from ..opendata.flatten import tables
from ..opendata.workbook import to_xlsx
from ..problems import Problem, sort_problems
from ..site.changes import entry
from ..source.load import load
from .records import Where, Written, data_files
from .sheets import read_workbook


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # in Swedish, one line each
    changed_files: list[str] = field(default_factory=list)


def layout(data: Path) -> tuple[list[Typed], Catalogue, dict[str, dict]]:
    """The published workbook's sheets and columns for this data folder, its catalogue and its
    JSON Schemas by file name: from the descriptor and the schemas only, read once."""
    descriptor, schemas = read_files(data)
    catalogue = build_catalogue(descriptor, schemas)
    source = {
        name: ([f.path for f in catalogue.of(kind)], [])
        for name, kind in (
            (file.removesuffix(".csv"), kind) for file, kind in catalogue.files.items()
        )
    }
    empty = _EmptyData(catalogue)
    return [typed_table(t) for t in tables(empty, source)], catalogue, schemas


@dataclass(frozen=True)
class _EmptyData:
    """A dataset with no records, for the tables' layout."""

    catalogue: object
    partnerships: dict = field(default_factory=dict)
    questions: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    costs: tuple = ()


def workbook_of(data: Path, created: dt.datetime | None = None) -> bytes:
    """The workbook the site publishes for this data folder, made the way the build makes it
    (for tests, and to hand an editor a workbook without building the site)."""
    loaded = load(data, str(data))
    dataset = build_model(loaded)
    source = {name: (t.header, t.rows) for name, t in loaded.tables.items()}
    typed = [typed_table(t) for t in tables(dataset, source)]
    return to_xlsx(typed, created or dt.datetime(2000, 1, 1))


def import_workbook(workbook: Path, data: Path, dry_run: bool = False) -> Outcome:
    shown = workbook.name
    typed, catalogue, schemas = layout(data)
    sheets, problems = read_workbook(workbook, typed, shown)
    if problems:
        return Outcome(sort_problems(problems))
    written = data_files(sheets, catalogue, schemas)
    problems = [_stray(where, shown) for where in written.strays]
    if problems:
        return Outcome(sort_problems(problems))
    scratch = Path(tempfile.mkdtemp(prefix=".import-", dir=data.parent))
    try:
        copy = scratch / data.name
        _write(data, copy, written)
        found = validate(copy, str(data))
        if found:
            return Outcome(sort_problems([_on_cell(p, written, data, shown) for p in found]))
        changed = _changed(data, copy)
        outcome = Outcome(changes=_changes(data, copy, changed), changed_files=changed)
        if not dry_run and outcome.changed_files:
            _swap(data, copy, scratch)
        return outcome
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write(data: Path, copy: Path, written: Written) -> None:
    """The data folder with its records and tables replaced by the workbook's."""
    shutil.copytree(data, copy, symlinks=True)
    for collection in COLLECTIONS:
        for old in (copy / collection).glob("*.yaml"):
            old.unlink()
    for rel, text in written.files.items():
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def _swap(data: Path, copy: Path, scratch: Path) -> None:
    """The copy takes the data folder's place; the old one goes into the scratch folder."""
    old = scratch / "previous"
    data.rename(old)
    try:
        copy.rename(data)
    except OSError:
        old.rename(data)
        raise


def _stray(where: Where, shown: str) -> Problem:
    owner = where.row.cells.get(where.column, "") if where.row else ""
    message = (
        f"there is no record {owner!r} on its sheet, so this row belongs to nothing; write the id "
        "of a record on that sheet, or delete the row"
    )
    return Problem(f"{shown}!{where.cell()}", 0, where.title(), "unknown-reference", message)


def _on_cell(problem: Problem, written: Written, data: Path, shown: str) -> Problem:
    """The problem against the workbook's cell, where the value came from the workbook."""
    rel = (
        Path(problem.path).relative_to(data).as_posix()
        if problem.path.startswith(str(data))
        else ""
    )
    places = written.places.get(rel)
    if places is None:
        return problem
    if rel.endswith(".csv"):
        where = places.get(problem.line)
        if where is None:
            return replace(problem, path=f"{shown}!{next(iter(places.values())).sheet.title}")
        where = Where(where.sheet, where.row, problem.field)
    else:
        where = _nearest(places, problem.field)
    title = where.sheet.title_of(problem.field) if rel.endswith(".csv") else where.title()
    return Problem(f"{shown}!{where.cell()}", 0, title, problem.code, problem.message)


def _nearest(places: dict[object, Where], path: str) -> Where:
    """The place of the field, or of the nearest part of the record that holds it."""
    while path not in places and path:
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]
    return places.get(path, places[""])


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _changed(data: Path, copy: Path) -> list[str]:
    before, after = _files(data), _files(copy)
    return sorted(rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel))


def _changes(data: Path, copy: Path, changed: list[str]) -> list[str]:
    """Each changed record in the words of the change history: 'Ändrat: Kostnad för Min
    Framtid (2026, …): Belopp ändrades från 1 400 000 kr till 1 500 000 kr.'"""
    loaded = load(copy, str(copy))
    dataset = build_model(loaded)
    now = dt.datetime.now(dt.UTC)
    lines = []
    for rel in changed:
        before, after = (_text(root / rel) for root in (data, copy))
        for change in diff_file(rel, before, after, dataset.catalogue):
            told = entry(Commit("", now, "", "", (change,), (rel,)), change, dataset, shown=50)
            lines.append(f"{told.headline}: {' '.join(told.sentences)}")
    return lines


def _text(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None
