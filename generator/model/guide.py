"""The typed guide, Vägar till samverkan: the routes, the chooser and whom to contact."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    text: str
    source: str  # id in Guide.sources
    confirm: bool
    section: str = ""  # section of the source's document text, where it has one


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
