"""The typed records of a validated dataset: parsed once, then only read.

A value that the sources do not state is an ``Unknown`` carrying the reason, never ``None``;
``None`` means "not applicable". Attribute names are the schemas' field names, so the field
catalogue describes each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self.parts()))

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
    # The years of the dated documents among its sources (derived when the dataset is built).
    source_years: tuple[int, ...] = ()

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
        period where both ends are known. Where only the end is known, every year from that of
        the earliest document among its sources (which describes it as running then) to the
        end. Otherwise the known end's year, and the year of the source that calls it active."""
        start, end = self.start_date, self.end_date
        if not isinstance(start, Unknown) and not isinstance(end, Unknown):
            return tuple(range(start.year, end.year + 1))
        if isinstance(start, Unknown) and not isinstance(end, Unknown):
            earlier = [year for year in self.source_years if year <= end.year]
            if earlier:
                return tuple(range(min(earlier), end.year + 1))
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
    proposal_section: str
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
    section: str
    note: str

    @property
    def cited(self) -> Source:
        return Source(self.decision_id, self.section)


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
    section: str
    note: str

    @property
    def cited(self) -> Source:
        return Source(self.source, self.section)


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
class Section:
    id: str
    heading: str
    level: int | None  # 2 a heading, 3 a subheading; None where the record does not say (2)
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """The text of a public document, by sections; its id is the decision's."""

    id: str
    title: str
    transcription: str
    sections: tuple[Section, ...]
    footnotes: tuple[str, ...]
    note: str
    file: str

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def text(self) -> str:
        """The document as plain text: title, sections with their headings, footnotes."""
        parts = [self.title, "=" * len(self.title), "", self.transcription, ""]
        for s in self.sections:
            parts += [s.heading, ("~" if s.level == 3 else "-") * len(s.heading), ""]
            parts += [line for p in s.paragraphs for line in (p, "")]
        if self.footnotes:
            parts += ["Fotnoter", "--------", ""] + [
                line for f in self.footnotes for line in (f, "")
            ]
        return "\n".join(parts).rstrip() + "\n"


@dataclass(frozen=True)
class Publisher:
    """Who publishes the data and how to reach them. Each channel is "" until the
    authority has given one."""

    name: str
    organisation: str
    org_number: str
    contact_name: str
    email: str = ""
    phone: str = ""
    form_url: str = ""
    registry_name: str = ""
    registry_email: str = ""

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone or self.form_url)


def decision_order(decision: Decision) -> tuple:
    """Dated decisions first, oldest first; then undated ones by title."""
    if isinstance(decision.date, Unknown):
        return (1, dt.date.max, decision.title)
    return (0, decision.date, decision.title)
