"""Flatten the typed dataset into the tables of the downloads.

The four CSV resources are published as they are. The YAML records become tables of their own:
one row per partnership and per skrivelse, and their lists (parties, IOP assessments,
questions) tables of their own. Each column is declared once, as (column, source path, how to
get the value); its title, descriptions, type and allowed values come from the field catalogue
through the source path. A partnership's or skrivelse's plain fields need no declaration: every
top-level field of the schema that holds a single value becomes a column of the same name, so a
new field reaches every download with only the schema and the model changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, partial
from itertools import chain

from ..catalogue import KIND, UNKNOWN, Catalogue, Field
from ..kept import Kept
from ..model.dataset import Dataset
from ..model.records import Document, PartialDate, Partnership, Question, Unknown

# Table Schema types of the columns, by the catalogue's type of the source field.
_COLUMN_TYPE = {"array": "string", "object": "string"}


@dataclass(frozen=True)
class Column:
    name: str
    meaning: Field  # title, descriptions and allowed values, from the catalogue

    @cached_property  # read for every cell written
    def type(self) -> str:
        partial = self.meaning.format == "partial-date"
        return "string" if partial else _COLUMN_TYPE.get(self.meaning.type, self.meaning.type)


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # Swedish
    description: str  # Swedish
    description_en: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]  # cells as text, exactly as in the CSV
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (column, table, column)

    @property
    def count(self) -> int:  # how many rows the table has
        return len(self.rows)


@dataclass(frozen=True)
class Spec:
    """One declared column: its name, where its meaning is in the catalogue (a path in the
    record kind's schema, or a name in the catalogue's DERIVED), and how to get its value."""

    name: str
    path: str
    get: Callable[[object], object]
    derived: bool = False
    joined: str = ""  # a list in one cell: the text between its items


def tables(
    data: Dataset,
    source: dict[str, tuple[list[str], list[dict[str, str]]]],
    kept: Kept | None = None,
) -> list[Table]:
    """Every table of the downloads. ``source`` holds the CSV resources as validated
    ({name: (header, rows)}), in the order of the descriptor. Given ``kept`` (the preview's),
    a record's rows, or a CSV file's table, are made again only when the record, or the file's
    rows, are not the same object as when they were made."""
    catalogue = data.catalogue
    if kept is not None:
        kept.based_on(catalogue)  # the columns, and the titles in the reasons, come from it
    result = [
        _resource(catalogue, name, header, rows)
        if kept is None  # else made again only when the file's table is another
        else kept.of(f"{name}.csv", rows, partial(_resource, catalogue, name, header))
        for name, (header, rows) in source.items()
    ]
    result = [_with_basis(data, t) if t.name == "costs" else t for t in result]
    partnerships = sorted(data.partnerships.values(), key=lambda p: p.id)
    questions = sorted(data.questions.values(), key=lambda q: q.id)
    documents = sorted(data.documents.values(), key=lambda d: d.id)
    items = {"partnership": partnerships, "question": questions, "document": documents}
    kinds = {"partnerships": "partnership", "questions": "question", "documents": "document"}
    for name, kind in kinds.items():
        specs = record_columns(catalogue, kind)
        rows = _rows(kept, name, specs, items[kind], lambda record: [record])
        result.append(_table(catalogue, name, kind, specs, rows, ("id",), ()))
        for child, parent, specs, key, links in CHILD_TABLES:
            if parent == kind:
                rows = _rows(kept, child, specs, items[kind], _ROWS[child])
                result.append(_table(catalogue, child, kind, specs, rows, key, links))
    if kept is not None:
        kept.done()
    return result


def _rows(kept: Kept | None, name: str, specs: tuple[Spec, ...], items: list, rows_of) -> tuple:
    """The rows of table ``name`` made from each record of ``items``."""

    def made(item) -> tuple:
        return tuple(tuple(text(spec.get(row)) for spec in specs) for row in rows_of(item))

    if kept is None:  # a build: nothing is kept for a next one
        return tuple(chain.from_iterable(map(made, items)))
    return tuple(chain.from_iterable(kept.of(name, item, made) for item in items))


def _resource(catalogue: Catalogue, name: str, header: list[str], rows: list) -> Table:
    kind = catalogue.files.get(f"{name}.csv", "")
    columns = tuple(
        Column(c, catalogue.field(kind, c) or Field(kind, c, c, "", "", "string")) for c in header
    )
    foreign = tuple(
        (column.name, _table_of(column.meaning.references), "id")
        for column in columns
        if column.meaning.references
    )
    return Table(
        name,
        *catalogue.tables.get(name, (name, "", "")),
        columns,
        tuple(tuple(row[c] for c in header) for row in rows),
        catalogue.keys.get(kind, ()),
        foreign,
    )


def _with_basis(data: Dataset, table: Table) -> Table:
    """The costs with the derived column basis after the amount: whether each amount is an
    outcome, a decided budget or a proposal (rows in the order of data.costs)."""
    at = [c.name for c in table.columns].index("amount_sek") + 1
    column = Column("basis", data.catalogue.derived("basis"))
    rows = tuple(
        (*row[:at], data.basis(cost), *row[at:])
        for row, cost in zip(table.rows, data.costs, strict=True)
    )
    columns = (*table.columns[:at], column, *table.columns[at:])
    return replace(table, columns=columns, rows=rows)


def _table_of(kind: str) -> str:
    """The download table that holds the records of a kind."""
    return KIND[kind].folder or KIND[kind].schema


def _table(catalogue, name, kind, specs, rows, key, links) -> Table:
    columns = tuple(
        Column(s.name, catalogue.derived(s.name) if s.derived else catalogue.field(kind, s.path))
        for s in specs
    )
    return Table(name, *catalogue.tables[name], columns, rows, key, links)


def text(value: object) -> str:
    """A value as its CSV cell."""
    if value is None:
        return ""
    if isinstance(value, Unknown):
        return UNKNOWN
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- the declared columns ------------------------------------------------------------------


def record_columns(catalogue: Catalogue, kind: str) -> tuple[Spec, ...]:
    """The columns of a record kind's row: each top-level field of its schema that holds a
    single value, under its own name; the others as EXPANDED gives them."""
    expanded = EXPANDED[kind]
    specs: list[Spec] = []
    for field in catalogue.of(kind):
        if "." in field.path:
            continue
        if field.path in expanded:
            specs += expanded[field.path]
        elif field.type not in ("array", "object"):
            specs.append(Spec(field.path, field.path, _attribute(field.path)))
    reasons = _reasons(catalogue, kind, list(specs), expanded)
    specs.append(Spec("unknown_reasons", "unknown_reasons", reasons, True))
    return tuple(specs)


def _attribute(name: str) -> Callable[[object], object]:
    return lambda record: getattr(record, name)


def _reasons(catalogue: Catalogue, kind: str, specs: list[Spec], expanded: dict):
    """'Field: reason', the field by its Swedish title, for every value of the row that the
    sources do not state, and for lists kept in tables of their own."""
    others = [name for name, columns in expanded.items() if not columns]
    titles = {s.name: catalogue.title(kind, s.path) for s in specs}
    titles |= {name: catalogue.title(kind, name) for name in others}

    def get(record) -> str:
        pairs = [(s.name, s.get(record)) for s in specs]
        pairs += [(name, getattr(record, name, None)) for name in others]
        return "; ".join(
            f"{titles[name]}: {v.reason}" for name, v in pairs if isinstance(v, Unknown)
        )

    return get


IDS = "; "  # between the ids of a list of references in one cell


def _ids(items) -> str:
    return IDS.join(items)


def _answer(attribute: str, unknown: object = None) -> Callable[[Question], object]:
    """A part of the reply; an unknown reply is unknown in its first column only."""

    def get(q: Question) -> object:
        if isinstance(q.answer, Unknown):
            return q.answer if unknown is None else unknown
        return getattr(q.answer, attribute)

    return get


# The top-level fields of a record that do not hold a single value, and the columns that stand
# for them in the record's row (none, for those with a table of their own).
EXPANDED: dict[str, dict[str, tuple[Spec, ...]]] = {
    "partnership": {
        "public_parties": (),
        "partners": (),
        "iop_assessment": (),
        "target_group": (
            Spec("target_group", "target_group.text", lambda p: p.target_text),
            Spec("age_min", "target_group.age_min", lambda p: p.age_min),
            Spec("age_max", "target_group.age_max", lambda p: p.age_max),
        ),
        "sources": (),
    },
    "question": {
        "questions": (),
        "answer": (
            Spec("answer_decision_id", "answer.decision_id", _answer("decision_id")),
            Spec("answer_summary", "answer.summary", _answer("summary", "")),
        ),
        "partnerships": (
            Spec("partnerships", "partnerships", lambda q: _ids(q.partnerships), joined=IDS),
        ),
        "sources": (),
    },
    "document": {
        "sections": (),
        "footnotes": (
            Spec("footnotes", "footnotes", lambda d: "\n".join(d.footnotes), joined="\n"),
        ),
    },
}


def undeclared(catalogue: Catalogue) -> list[str]:
    """Fields the downloads cannot show: a top-level field of a record that holds a list or
    a group of fields and has no columns declared here, or a declared column whose source
    field the schema lacks. A build stops on them rather than leave data out."""
    missing = []
    for kind, expanded in EXPANDED.items():
        for field in catalogue.of(kind):
            structured = field.type in ("array", "object")
            if "." not in field.path and structured and field.path not in expanded:
                missing.append(f"{kind}.{field.path}")
        specs = [s for columns in expanded.values() for s in columns]
        missing += [f"{kind}.{s.path}" for s in specs if catalogue.field(kind, s.path) is None]
    for kind, specs in ((k, s) for _, k, s, _, _ in CHILD_TABLES):
        missing += [
            f"{kind}.{s.path}"
            for s in specs
            if not s.derived and catalogue.field(kind, s.path) is None
        ]
    return missing


def _party_rows(p: Partnership) -> list[tuple]:
    """(partnership, position, party, whether a public party): the public parties come first
    in ``parties``."""
    public = 0 if isinstance(p.public_parties, Unknown) else len(p.public_parties)
    return [(p, i, party, i <= public) for i, party in enumerate(p.parties, start=1)]


_PARTY_SPECS = (
    Spec("partnership_id", "partnership_id", lambda r: r[0].id, True),
    Spec("position", "position", lambda r: r[1], True),
    Spec("organisation_id", "partners.organisation_id", lambda r: r[2].organisation_id),
    Spec("side", "side", lambda r: "public" if r[3] else "partner", True),
    Spec("role", "partners.role", lambda r: r[2].role),
    Spec("body", "partners.body", lambda r: r[2].body),
    Spec("contribution", "partners.contribution", lambda r: r[2].contribution),
)
_PARTY_KEY = ("partnership_id", "position")
_PARTY_FK = (("partnership_id", "partnerships", "id"), ("organisation_id", "organisations", "id"))

_ENTRY = "iop_assessment.criteria.own_initiative"  # every entry's parts mean the same
_IOP_SPECS = (
    Spec("partnership_id", "partnership_id", lambda r: r[0].id, True),
    Spec("group", "group", lambda r: r[1].group, True),
    Spec("criterion", "criterion", lambda r: r[1].key, True),
    Spec("finding", f"{_ENTRY}.finding", lambda r: r[1].finding),
    Spec("statement", f"{_ENTRY}.statement", lambda r: r[1].statement),
    Spec("decision_id", f"{_ENTRY}.source.decision_id", lambda r: r[1].source.decision_id),
    Spec("section", f"{_ENTRY}.source.section", lambda r: r[1].source.section),
    Spec("source_note", f"{_ENTRY}.source.note", lambda r: r[1].source.note),
)
_IOP_KEY = ("partnership_id", "group", "criterion")
_IOP_FK = (("partnership_id", "partnerships", "id"), ("decision_id", "decisions", "id"))


def _question_rows(q: Question) -> list[tuple]:
    answers = {} if isinstance(q.answer, Unknown) else q.answer.per_question
    return [(q, number, question, answers.get(number, "")) for number, question in q.questions]


_ITEM_SPECS = (
    Spec("question_id", "question_id", lambda r: r[0].id, True),
    Spec("number", "questions.number", lambda r: r[1]),
    Spec("text", "questions.text", lambda r: r[2]),
    Spec("answer_summary", "answer.per_question.summary", lambda r: r[3]),
)
_ITEM_KEY = ("question_id", "number")
_ITEM_FK = (("question_id", "questions", "id"),)

_SECTION_SPECS = (
    Spec("document_id", "document_id", lambda r: r[0].id, True),
    Spec("position", "position", lambda r: r[1], True),
    Spec("section", "sections.id", lambda r: r[2].id),
    Spec("heading", "sections.heading", lambda r: r[2].heading),
    Spec("level", "sections.level", lambda r: r[2].level),
    Spec("text", "sections.paragraphs", lambda r: "\n\n".join(r[2].paragraphs), joined="\n\n"),
)
_SECTION_KEY = ("document_id", "position")
_SECTION_FK = (("document_id", "documents", "id"),)


def _section_rows(d: Document) -> list[tuple]:
    return [(d, i, s) for i, s in enumerate(d.sections, start=1)]


def _source_specs(owner: str) -> tuple[Spec, ...]:
    """The sources of a partnership or a skrivelse, one row each, in the record's order."""
    return (
        Spec(owner, owner, lambda r: r[0].id, True),
        Spec("position", "position", lambda r: r[1], True),
        Spec("decision_id", "sources.decision_id", lambda r: r[2].decision_id),
        Spec("section", "sources.section", lambda r: r[2].section),
        Spec("note", "sources.note", lambda r: r[2].note),
    )


def _source_rows(record) -> list[tuple]:
    return [(record, i, s) for i, s in enumerate(record.sources, start=1)]


_SOURCE_FK = (("decision_id", "decisions", "id"),)

CHILD_TABLES = (
    ("partnership_parties", "partnership", _PARTY_SPECS, _PARTY_KEY, _PARTY_FK),
    (
        "partnership_sources",
        "partnership",
        _source_specs("partnership_id"),
        ("partnership_id", "position"),
        (("partnership_id", "partnerships", "id"), *_SOURCE_FK),
    ),
    ("iop_assessments", "partnership", _IOP_SPECS, _IOP_KEY, _IOP_FK),
    ("question_items", "question", _ITEM_SPECS, _ITEM_KEY, _ITEM_FK),
    (
        "question_sources",
        "question",
        _source_specs("question_id"),
        ("question_id", "position"),
        (("question_id", "questions", "id"), *_SOURCE_FK),
    ),
    ("document_sections", "document", _SECTION_SPECS, _SECTION_KEY, _SECTION_FK),
)
_ROWS: dict[str, Callable[[object], list]] = {
    "partnership_parties": _party_rows,
    "iop_assessments": lambda p: [(p, a) for a in p.iop_assessment],
    "question_items": _question_rows,
    "partnership_sources": _source_rows,
    "question_sources": _source_rows,
    "document_sections": _section_rows,
}
