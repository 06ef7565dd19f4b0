"""Typed model of a validated dataset: parsed once, then only read.

``build`` turns loaded, valid data into frozen dataclasses. A value that the sources do not
state is an ``Unknown`` carrying the reason, never ``None``; ``None`` means "not applicable".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from ..source.load import Loaded

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Unknown:
    reason: str


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date at the precision a source gives: year, year and month, or a full date."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        parts = [int(p) for p in text.split("-")]
        return cls(*parts)

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        if self.day:
            return self.first
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def iso(self) -> str:
        return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(self.parts()))

    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]


@dataclass(frozen=True)
class Source:
    decision_id: str
    section: str = ""
    note: str = ""


@dataclass(frozen=True)
class Party:
    organisation_id: str
    role: str
    body: str = ""
    contribution: str = ""


@dataclass(frozen=True)
class Assessment:
    group: str  # "criteria" or "legal"
    key: str
    finding: str
    statement: str
    source: Source


@dataclass(frozen=True)
class Partnership:
    id: str
    title: str
    form: str | Unknown
    status: str | Unknown
    status_as_of: dt.date | None
    start_date: PartialDate | Unknown
    end_date: PartialDate | Unknown
    public_parties: tuple[Party, ...] | Unknown
    partners: tuple[Party, ...] | Unknown
    target_text: str | Unknown
    age_min: int | Unknown
    age_max: int | Unknown
    goal: str | Unknown
    description: str
    follow_up: str
    predecessor: str | None
    successor: str | None
    iop_assessment: tuple[Assessment, ...]
    sources: tuple[Source, ...]
    note: str
    file: str  # path of the record inside the data folder

    @property
    def parties(self) -> tuple[Party, ...]:
        return tuple(
            party
            for group in (self.public_parties, self.partners)
            if not isinstance(group, Unknown)
            for party in group
        )

    @property
    def years(self) -> tuple[int, ...]:
        """Calendar years the sources show the partnership running in: every year of its
        period where both ends are known; otherwise the known end's year, and the year of the
        source that calls it active."""
        start, end = self.start_date, self.end_date
        if not isinstance(start, Unknown) and not isinstance(end, Unknown):
            return tuple(range(start.year, end.year + 1))
        years = {d.year for d in (start, end) if not isinstance(d, Unknown)}
        if self.status == "active" and self.status_as_of:
            years.add(self.status_as_of.year)
        return tuple(sorted(years))


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    org_number: str
    org_id: str
    type: str
    website: str
    note: str


@dataclass(frozen=True)
class Decision:
    id: str
    date: dt.date | Unknown
    body: str | Unknown
    case_number: str | Unknown
    type: str
    title: str
    partnership_id: str
    question_id: str
    proposal: str
    outcome: str | Unknown | None
    document_url: str | Unknown | None
    summary: str
    note: str


@dataclass(frozen=True)
class Cost:
    partnership_id: str
    year: int
    funder_id: str
    amount_sek: int
    kind: str
    category: str
    decision_id: str
    note: str


@dataclass(frozen=True)
class Result:
    partnership_id: str
    period_start: dt.date | Unknown
    period_end: dt.date | Unknown
    indicator: str
    value: float | Unknown | None  # None when suppressed
    comparison: str
    target: float | None
    unit: str
    suppressed: bool
    source: str
    note: str


@dataclass(frozen=True)
class Answer:
    decision_id: str
    summary: str
    per_question: dict[int, str]


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    party: str
    date: dt.date | Unknown
    addressed_to: str | Unknown
    summary: str
    questions: tuple[tuple[int, str], ...]
    answer: Answer | Unknown
    partnerships: tuple[str, ...]
    sources: tuple[Source, ...]
    note: str
    file: str


@dataclass(frozen=True)
class Statement:
    text: str
    source: str  # id in Guide.sources
    confirm: bool


@dataclass(frozen=True)
class GuideSource:
    id: str
    title: str
    url: str
    decision_id: str


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    forms: tuple[str, ...]
    summary: str
    sections: tuple[tuple[str, tuple[Statement, ...]], ...]  # (field name, statements)


@dataclass(frozen=True)
class ChooserAnswer:
    text: str
    next: str | None
    routes: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class ChooserQuestion:
    id: str
    text: str
    help: str
    answers: tuple[ChooserAnswer, ...]


@dataclass(frozen=True)
class Guide:
    """Vägar till samverkan: the routes, the chooser and whom to contact."""

    contact: Statement
    contact_function: str
    sources: dict[str, GuideSource]
    routes: dict[str, Route]
    start: str
    questions: dict[str, ChooserQuestion]

    def route_for(self, form: object) -> Route | None:
        return next((r for r in self.routes.values() if form in r.forms), None)


ROUTE_SECTIONS = ("who_may", "decides", "conditions", "time_and_effort", "provide", "risks")


@dataclass(frozen=True)
class Dataset:
    version: str
    partnerships: dict[str, Partnership]
    organisations: dict[str, Organisation]
    decisions: dict[str, Decision]
    questions: dict[str, Question]
    costs: tuple[Cost, ...]
    results: tuple[Result, ...]
    # (group, key) -> (Swedish title, description) of each IOP criterion and legal check,
    # read from the partnership schema, so pages, guide and validator share one list.
    criteria: dict[tuple[str, str], tuple[str, str]]
    guide: Guide

    @cached_property
    def costs_by_partnership(self) -> dict[str, list[Cost]]:
        return _group(self.costs, lambda c: c.partnership_id)

    @cached_property
    def results_by_partnership(self) -> dict[str, list[Result]]:
        return _group(self.results, lambda r: r.partnership_id)

    @cached_property
    def decisions_by_partnership(self) -> dict[str, list[Decision]]:
        """Decisions that name the partnership, or that it cites as a source."""
        grouped: dict[str, dict[str, Decision]] = defaultdict(dict)
        for decision in self.decisions.values():
            if decision.partnership_id:
                grouped[decision.partnership_id][decision.id] = decision
        for partnership in self.partnerships.values():
            for source in partnership.sources:
                grouped[partnership.id][source.decision_id] = self.decisions[source.decision_id]
        return {pid: sorted(d.values(), key=decision_order) for pid, d in grouped.items()}

    @cached_property
    def questions_by_partnership(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = defaultdict(list)
        for question in self.questions.values():
            for pid in question.partnerships:
                grouped[pid].append(question)
        return dict(grouped)

    @cached_property
    def partnerships_by_organisation(self) -> dict[str, list[tuple[Partnership, Party]]]:
        grouped: dict[str, list[tuple[Partnership, Party]]] = defaultdict(list)
        for partnership in self.partnerships.values():
            for party in partnership.parties:
                grouped[party.organisation_id].append((partnership, party))
        return dict(grouped)


def decision_order(decision: Decision) -> tuple:
    """Dated decisions first, oldest first; then undated ones by title."""
    if isinstance(decision.date, Unknown):
        return (1, dt.date.max, decision.title)
    return (0, decision.date, decision.title)


def _group(items, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)


# --- building from loaded data ------------------------------------------------------------


def build(loaded: Loaded) -> Dataset:
    """The typed dataset. Call only on data that validated without problems."""
    tables = loaded.tables
    return Dataset(
        version=str(loaded.descriptor["version"]),
        partnerships={
            stem: _partnership(r.data, f"partnerships/{stem}.yaml")
            for stem, r in loaded.records["partnerships"].items()
        },
        organisations={row["id"]: _organisation(row) for row in tables["organisations"].rows},
        decisions={row["id"]: _decision(row) for row in tables["decisions"].rows},
        questions={
            stem: _question(r.data, f"questions/{stem}.yaml")
            for stem, r in loaded.records["questions"].items()
        },
        costs=tuple(_cost(row) for row in tables["costs"].rows),
        results=tuple(_result(row) for row in tables["results"].rows),
        criteria=criteria(loaded.schemas["partnership.schema.json"]),
        guide=_guide(loaded.routes.data),
    )


def _statement(data: dict) -> Statement:
    return Statement(data["text"], data["source"], bool(data.get("confirm", False)))


def _guide(data: dict) -> Guide:
    contact = data["contact"]
    return Guide(
        contact=Statement(contact["how"], contact["source"], bool(contact.get("confirm"))),
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
                tuple((key, tuple(_statement(x) for x in r[key])) for key in ROUTE_SECTIONS),
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


def criteria(schema: dict) -> dict[tuple[str, str], tuple[str, str]]:
    groups = schema["properties"]["iop_assessment"]["properties"]
    return {
        (group, key): (entry["title"], entry["description"])
        for group in ("criteria", "legal")
        for key, entry in groups[group]["properties"].items()
    }


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


def _partnership(data: dict, path: str) -> Partnership:
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
        note=row["note"],
    )
