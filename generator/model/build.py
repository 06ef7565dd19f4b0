"""Build the typed dataset from loaded data that has passed every check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from .. import catalogue
from ..kept import Kept
from ..source.load import Loaded
from .dataset import Dataset
from .guide import (
    ChooserAnswer,
    ChooserQuestion,
    Guide,
    GuideSource,
    Route,
    Statement,
)
from .publisher import publisher
from .records import (
    UNKNOWN,
    Answer,
    Assessment,
    Cost,
    Decision,
    Document,
    Organisation,
    PartialDate,
    Partnership,
    Party,
    Question,
    Result,
    Section,
    Source,
    Unknown,
)

# Schema fields that the model keeps under other names.
MODELLED_AS = {"partnership": {"target_group": ("target_text", "age_min", "age_max")}}
_RECORDS = {"partnership": Partnership, "question": Question, "document": Document}


def unmodelled(fields: catalogue.Catalogue) -> list[str]:
    """The records' top-level schema fields that the typed model does not carry, as
    'kind.field'. A build stops on them rather than leave a value out of the pages and
    downloads without a word."""
    missing = []
    for kind, record in _RECORDS.items():
        known = {f.name for f in dataclasses.fields(record)} | set(MODELLED_AS.get(kind, {}))
        missing += [
            f"{kind}.{f.path}" for f in fields.of(kind) if "." not in f.path and f.path not in known
        ]
    return missing


def build(loaded: Loaded, kept: Kept | None = None) -> Dataset:
    """The typed dataset. Call only on data that validated without problems. Given ``kept``,
    a record whose file has not changed since the build that filled it is the same object."""
    kept = kept or Kept()
    tables = loaded.tables
    fields = catalogue.build(loaded.descriptor, loaded.schemas)
    routes, sections = loaded.routes.data, route_sections(fields)

    def each(name: str, make: Callable, records) -> dict:
        return {
            stem: kept.get((name, stem, r.key), make, r.data, f"{name}/{stem}.yaml")
            for stem, r in records
        }

    def table(name: str, make: Callable):
        return kept.get((name, tables[name].key), make, tables[name].rows)

    decisions = table("decisions", lambda rows: {row["id"]: _decision(row) for row in rows})
    dataset = Dataset(
        version=str(loaded.descriptor["version"]),
        partnerships={
            stem: _dated(kept, stem, r, decisions)
            for stem, r in loaded.records["partnerships"].items()
        },
        organisations=table(
            "organisations", lambda rows: {row["id"]: _organisation(row) for row in rows}
        ),
        decisions=decisions,
        questions=each("questions", _question, loaded.records["questions"].items()),
        documents=each("documents", _document, sorted(loaded.records.get("documents", {}).items())),
        costs=table("costs", lambda rows: tuple(_cost(row) for row in rows)),
        results=table("results", lambda rows: tuple(_result(row) for row in rows)),
        guide=kept.get(("guide", loaded.routes.key, sections), _guide, routes, sections),
        catalogue=fields,
        publisher=publisher(loaded.descriptor),
    )
    kept.done()
    return dataset


def _dated(kept: Kept, stem: str, record, decisions: dict[str, Decision]) -> Partnership:
    """A partnership, with the years of the dated documents among its sources."""
    cited = (s["decision_id"] for s in record.data["sources"])
    dates = (decisions[d].date for d in cited if d in decisions)
    years = tuple(sorted({d.year for d in dates if isinstance(d, dt.date)}))
    path = f"partnerships/{stem}.yaml"
    return kept.get(
        ("partnerships", stem, record.key, years), _partnership, record.data, path, years
    )


def route_sections(fields: catalogue.Catalogue) -> tuple[str, ...]:
    """The parts of a route that are lists of statements (who may use it, who decides, …),
    in the order of the routes schema."""
    return tuple(
        f.path.rsplit(".", 1)[1]
        for f in fields.children("guide", "routes")
        if f.type == "array" and fields.field("guide", f"{f.path}.text") is not None
    )


def _statement(data: dict) -> Statement:
    return Statement(
        data["text"], data["source"], bool(data.get("confirm", False)), data.get("section", "")
    )


def _guide(data: dict, sections: tuple[str, ...]) -> Guide:
    contact = data["contact"]
    return Guide(
        contact=Statement(
            contact["how"],
            contact["source"],
            bool(contact.get("confirm")),
            contact.get("section", ""),
        ),
        contact_function=contact["function"],
        sources={
            s["id"]: GuideSource(s["id"], s["title"], s.get("url", ""), s.get("decision_id", ""))
            for s in data["sources"]
        },
        routes={
            r["id"]: Route(
                r["id"],
                r["title"],
                tuple(r["forms"]),
                r["summary"],
                tuple((key, tuple(_statement(x) for x in r[key])) for key in sections),
            )
            for r in data["routes"]
        },
        start=data["chooser"]["start"],
        questions={
            q["id"]: ChooserQuestion(
                q["id"],
                q["text"],
                q.get("help", ""),
                tuple(
                    ChooserAnswer(
                        a["text"], a.get("next"), tuple(a.get("routes", [])), a.get("why", "")
                    )
                    for a in q["answers"]
                ),
            )
            for q in data["chooser"]["questions"]
        },
    )


def _known(value, convert=lambda v: v):
    if isinstance(value, dict) and "unknown" in value:
        return Unknown(value["unknown"])
    return convert(value)


def _cell(row: dict[str, str], name: str, convert=lambda v: v, empty=None):
    value = row[name].strip()
    if value == UNKNOWN:
        return Unknown(row.get("note", "").strip())
    if value == "":
        return empty
    return convert(value)


def _source(data: dict) -> Source:
    return Source(data["decision_id"], data.get("section", ""), data.get("note", ""))


def _party(data: dict) -> Party:
    return Party(
        data["organisation_id"], data["role"], data.get("body", ""), data.get("contribution", "")
    )


def _partnership(data: dict, path: str, years: tuple[int, ...] = ()) -> Partnership:
    target = data["target_group"]
    assessment = data.get("iop_assessment") or {}
    return Partnership(
        id=data["id"],
        title=data["title"],
        form=_known(data["form"]),
        status=_known(data["status"]),
        status_as_of=dt.date.fromisoformat(data["status_as_of"])
        if "status_as_of" in data
        else None,
        start_date=_known(data["start_date"], PartialDate.parse),
        end_date=_known(data["end_date"], PartialDate.parse),
        public_parties=_known(data["public_parties"], lambda ps: tuple(_party(p) for p in ps)),
        partners=_known(data["partners"], lambda ps: tuple(_party(p) for p in ps)),
        target_text=_known(target["text"]),
        age_min=_known(target["age_min"]),
        age_max=_known(target["age_max"]),
        goal=_known(data["goal"]),
        description=data["description"],
        follow_up=data.get("follow_up", ""),
        predecessor=data.get("predecessor"),
        successor=data.get("successor"),
        iop_assessment=tuple(
            Assessment(group, key, entry["finding"], entry["statement"], _source(entry["source"]))
            for group in ("criteria", "legal")
            for key, entry in assessment.get(group, {}).items()
        ),
        sources=tuple(_source(s) for s in data["sources"]),
        source_years=years,
        note=data.get("note", ""),
        file=path,
    )


def _question(data: dict, path: str) -> Question:
    def answer(value: dict) -> Answer:
        per = {item["number"]: item["summary"] for item in value.get("per_question", [])}
        return Answer(value["decision_id"], value["summary"], per)

    return Question(
        id=data["id"],
        title=data["title"],
        party=data["party"],
        date=_known(data["date"], dt.date.fromisoformat),
        addressed_to=_known(data["addressed_to"]),
        summary=data["summary"],
        questions=tuple((q["number"], q["text"]) for q in data["questions"]),
        answer=_known(data["answer"], answer),
        partnerships=tuple(data["partnerships"]),
        sources=tuple(_source(s) for s in data["sources"]),
        note=data.get("note", ""),
        file=path,
    )


def _document(data: dict, path: str) -> Document:
    return Document(
        id=data["id"],
        title=data["title"],
        transcription=data["transcription"],
        sections=tuple(
            Section(s["id"], s["heading"], s.get("level"), tuple(s["paragraphs"]))
            for s in data["sections"]
        ),
        footnotes=tuple(data.get("footnotes", [])),
        note=data.get("note", ""),
        file=path,
    )


def _organisation(row: dict[str, str]) -> Organisation:
    return Organisation(
        row["id"],
        row["name"],
        row["org_number"],
        row["org_id"],
        row["type"],
        row["website"],
        row["note"],
    )


def _decision(row: dict[str, str]) -> Decision:
    return Decision(
        id=row["id"],
        date=_cell(row, "date", dt.date.fromisoformat),
        body=_cell(row, "body"),
        case_number=_cell(row, "case_number", empty=""),
        type=row["type"],
        title=row["title"],
        partnership_id=row["partnership_id"],
        question_id=row["question_id"],
        proposal=row["proposal"],
        proposal_section=row["proposal_section"],
        outcome=_cell(row, "outcome"),
        document_url=_cell(row, "document_url"),
        summary=row["summary"],
        note=row["note"],
    )


def _cost(row: dict[str, str]) -> Cost:
    return Cost(
        row["partnership_id"],
        int(row["year"]),
        row["funder_id"],
        int(row["amount_sek"]),
        row["kind"],
        row["category"],
        row["decision_id"],
        row["section"],
        row["note"],
    )


def _result(row: dict[str, str]) -> Result:
    return Result(
        partnership_id=row["partnership_id"],
        period_start=_cell(row, "period_start", dt.date.fromisoformat),
        period_end=_cell(row, "period_end", dt.date.fromisoformat),
        indicator=row["indicator"],
        value=_cell(row, "value", float),
        comparison=row["comparison"],
        target=_cell(row, "target", float),
        unit=row["unit"],
        suppressed=row["suppressed"].strip().lower() == "true",
        source=row["source"],
        section=row["section"],
        note=row["note"],
    )
