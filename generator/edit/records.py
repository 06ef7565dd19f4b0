"""The inverse of opendata/flatten.py: the workbook's tables become the files of data/.

A CSV table's rows are written as they are, without the columns the workbook derives. A
record's row and its rows in the sheets of its lists (parties, IOP assessments, sources,
questions, sections) become one YAML record, in the canonical form of source/canonical.py.
The columns a record's row has, and what each stands for, are the ones flatten.py declares,
so a field added there comes back in here with no change.

Every value written is remembered with the cell it came from (``Where``), so that a problem
the validator finds in a file is reported against the cell an editor sees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..catalogue import KIND, UNKNOWN, Catalogue
from ..opendata.flatten import CHILD_TABLES, EXPANDED, Spec, record_columns
from ..source.canonical import csv_text, yaml_text
from .sheets import Row, Sheet, reasons

_WHOLE = re.compile(r"^[-+]?\d+$")


@dataclass(frozen=True)
class Where:
    sheet: Sheet
    row: Row | None
    column: str = ""

    def cell(self) -> str:
        return self.sheet.cell(self.row, self.column)

    def title(self) -> str:
        return self.sheet.title_of(self.column) if self.column else ""


@dataclass
class Written:
    files: dict[str, str]  # path in data/: its new text
    places: dict[str, dict[object, Where]]  # path: {field path, or CSV line: where it came from}
    strays: list[Where]  # rows of a list whose record is not on its sheet


def data_files(sheets: list[Sheet], catalogue: Catalogue, schemas: dict[str, dict]) -> Written:
    by_name = {s.name: s for s in sheets}
    out = Written({}, {}, [])
    for file in catalogue.files:
        sheet = by_name.get(file.removesuffix(".csv"))
        if sheet is not None:
            out.files[file], out.places[file] = _csv(sheet)
    for kind, folder in (("partnership", "partnerships"), ("question", "questions"),
                         ("document", "documents")):  # fmt: skip
        sheet = by_name.get(folder)
        if sheet is None:
            continue
        children = _children(kind, by_name, {r.cells.get("id", "") for r in sheet.rows}, out)
        schema = schemas.get(KIND[kind].schema, {})
        for row in sheet.rows:
            record = _Record(kind, catalogue, schema, sheet, row)
            record.fill(children)
            rel = f"{folder}/{row.cells.get('id', '')}.yaml"
            out.files[rel] = yaml_text(record.data, schema)
            out.places[rel] = record.places
    return out


def _csv(sheet: Sheet) -> tuple[str, dict[object, Where]]:
    header = [c.name for c in sheet.typed.table.columns if c.name != "basis"]
    rows = [[row.cells.get(name, "") for name in header] for row in sheet.rows]
    places: dict[object, Where] = {}
    line = 2  # the header is line 1; a cell with line breaks makes its row longer
    for row, cells in zip(sheet.rows, rows, strict=True):
        places[line] = Where(sheet, row)
        line += csv_text(cells, []).count("\n")
    return csv_text(header, rows), places


def _children(kind: str, by_name: dict[str, Sheet], ids: set[str], out: Written):
    """{table: {record id: [row, …] in the order of their position}}."""
    found: dict[str, dict[str, list[Row]]] = {}
    for table, parent, specs, _, _ in CHILD_TABLES:
        sheet = by_name.get(table)
        if parent != kind or sheet is None:
            continue
        owner = specs[0].name
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in sheet.rows:
            if row.cells.get(owner, "") in ids:
                grouped[row.cells[owner]].append(row)
            else:
                out.strays.append(Where(sheet, row, owner))
        found[table] = {k: sorted(v, key=_position) for k, v in grouped.items()}
    return found, by_name


def _position(row: Row) -> int:
    position = row.cells.get("position", "")
    return int(position) if _WHOLE.match(position) else 0


class _Record:
    """One YAML record being put together from its row and its lists' rows."""

    def __init__(self, kind: str, catalogue: Catalogue, schema: dict, sheet: Sheet, row: Row):
        self.kind, self.catalogue, self.schema = kind, catalogue, schema
        self.data: dict = {}
        self.places: dict[object, Where] = {"": Where(sheet, row, "id")}
        self.sheet, self.row = sheet, row
        specs = [s for s in record_columns(catalogue, kind) if s.name != "unknown_reasons"]
        self.specs = specs
        others = [name for name, columns in EXPANDED[kind].items() if not columns]
        candidates = [(s.name, catalogue.title(kind, s.path)) for s in specs
                      if not row.cells.get(s.name)]  # fmt: skip
        candidates += [(name, catalogue.title(kind, name)) for name in others]
        self.unknown = reasons(row.said, candidates)

    def fill(self, children) -> None:
        found, sheets = children
        for spec in self.specs:
            self._plain(spec)
        for name, columns in EXPANDED[self.kind].items():
            if columns:
                continue
            if name in self.unknown:
                self._put(name, {"unknown": self.unknown[name]}, Where(self.sheet, self.row, "id"))
            else:
                _LISTS[(self.kind, name)](self, found, sheets)
        for name in self.schema.get("required", []):
            field = self.catalogue.field(self.kind, name)
            if name not in self.data and field is not None and field.type == "array":
                self.data[name] = []

    def _plain(self, spec: Spec) -> None:
        where = Where(self.sheet, self.row, spec.name)
        if spec.name in self.unknown:
            path = self._unknown_path(spec.path)
            if path not in self.data:  # a group unknown as a whole is said once
                self._put(path, {"unknown": self.unknown[spec.name]}, where)
            return
        text = self.row.cells.get(spec.name, "")
        if text == "" or text == UNKNOWN or spec.path.split(".")[0] in self._whole_unknowns():
            return
        value = _split(text, spec.joined) if spec.joined else self._value(spec.path, text)
        self._put(spec.path, value, where)

    def _whole_unknowns(self) -> set[str]:
        return {k for k, v in self.data.items() if isinstance(v, dict) and "unknown" in v}

    def _unknown_path(self, path: str) -> str:
        """The field that is unknown: the value's own, or the group that may be unknown."""
        parts = path.split(".")
        for end in range(len(parts), 0, -1):
            field = self.catalogue.field(self.kind, ".".join(parts[:end]))
            if field is not None and field.unknown_allowed:
                return ".".join(parts[:end])
        return path

    def _value(self, path: str, text: str) -> object:
        field = self.catalogue.field(self.kind, path)
        kind = field.type if field else "string"
        if kind == "integer" and _WHOLE.match(text):
            return int(text)
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        return text

    def _put(self, path: str, value: object, where: Where) -> None:
        target = self.data
        parts = path.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
        self.places[path] = where

    def item(self, path: str, index: int, row: Row, specs, sheet: Sheet) -> dict:
        """A list item from its row: each column under its field's last name."""
        item: dict = {}
        self.places[f"{path}[{index}]"] = Where(sheet, row, specs[0].name)
        for spec in specs:
            leaf = spec.path.rsplit(".", 1)[-1]
            text = row.cells.get(spec.name, "")
            if spec.derived or (text == "" and not spec.joined):
                continue
            item[leaf] = _split(text, spec.joined) if spec.joined else self._value(spec.path, text)
            self.places[f"{path}[{index}].{leaf}"] = Where(sheet, row, spec.name)
        return item


def _split(text: str, joined: str) -> list[str]:
    return text.split(joined) if text else []


def _specs(table: str):
    return next(specs for name, _, specs, _, _ in CHILD_TABLES if name == table)


def _rows(record: _Record, found, table: str) -> list[Row]:
    return found.get(table, {}).get(record.data.get("id") or record.row.cells.get("id", ""), [])


def _parties(record: _Record, found, sheets) -> None:
    if "public_parties" in record.data or "partners" in record.data:
        return  # both lists come from the same sheet: made once
    specs, sheet = _specs("partnership_parties"), sheets["partnership_parties"]
    lists: dict[str, list] = {"public_parties": [], "partners": []}
    for row in _rows(record, found, "partnership_parties"):
        name = "public_parties" if row.cells.get("side") == "public" else "partners"
        item = record.item(name, len(lists[name]), row, specs, sheet)
        lists[name].append({k: item[k] for k in ("organisation_id", "body", "role",
                                                 "contribution") if k in item})  # fmt: skip
    for name, items in lists.items():
        if name not in record.unknown:
            record.data[name] = items


def _iop(record: _Record, found, sheets) -> None:
    sheet = sheets.get("iop_assessments")
    assessment: dict = {}
    for row in _rows(record, found, "iop_assessments"):
        group, key = row.cells.get("group", ""), row.cells.get("criterion", "")
        path = f"iop_assessment.{group}.{key}"
        entry: dict = {}
        for name, leaf in (("finding", "finding"), ("statement", "statement")):
            if row.cells.get(name):
                entry[leaf] = row.cells[name]
                record.places[f"{path}.{leaf}"] = Where(sheet, row, name)
        source = {leaf: row.cells[name] for name, leaf in
                  (("decision_id", "decision_id"), ("section", "section"), ("source_note", "note"))
                  if row.cells.get(name)}  # fmt: skip
        if source:
            entry["source"] = source
        for name, leaf in (("decision_id", "decision_id"), ("section", "section")):
            record.places[f"{path}.source.{leaf}"] = Where(sheet, row, name)
        record.places[path] = Where(sheet, row, "criterion")
        assessment.setdefault(group, {})[key] = entry
    if assessment:
        record.data["iop_assessment"] = assessment


def _sources(table: str):
    def fill(record: _Record, found, sheets) -> None:
        rows = _rows(record, found, table)
        specs, sheet = _specs(table), sheets.get(table)
        record.data["sources"] = [
            record.item("sources", i, row, specs, sheet) for i, row in enumerate(rows)
        ]

    return fill


def _questions(record: _Record, found, sheets) -> None:
    specs, sheet = _specs("question_items"), sheets.get("question_items")
    items, answers = [], []
    for i, row in enumerate(_rows(record, found, "question_items")):
        items.append(record.item("questions", i, row, specs[:3], sheet))
        if row.cells.get("answer_summary"):
            number = record._value("questions.number", row.cells.get("number", ""))
            answers.append({"number": number, "summary": row.cells["answer_summary"]})
            where = Where(sheet, row, "answer_summary")
            record.places[f"answer.per_question[{len(answers) - 1}]"] = where
    record.data["questions"] = items
    answer = record.data.get("answer")
    if answers and isinstance(answer, dict) and "unknown" not in answer:
        answer["per_question"] = answers


def _sections(record: _Record, found, sheets) -> None:
    specs, sheet = _specs("document_sections"), sheets.get("document_sections")
    rows = _rows(record, found, "document_sections")
    record.data["sections"] = [
        record.item("sections", i, r, specs, sheet) for i, r in enumerate(rows)
    ]


_LISTS = {
    ("partnership", "public_parties"): _parties,
    ("partnership", "partners"): _parties,
    ("partnership", "iop_assessment"): _iop,
    ("partnership", "sources"): _sources("partnership_sources"),
    ("question", "questions"): _questions,
    ("question", "sources"): _sources("question_sources"),
    ("document", "sections"): _sections,
}
