"""Render stage: the typed dataset into Markdown pages, with one Jinja environment.

``render_pages`` is a pure function from the dataset to ``{path: markdown}``; writing files is
the build stage's job. Every value a template prints is escaped for Markdown and HTML unless a
filter has marked it safe (see ``fmt.finalize``).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections import Counter, defaultdict
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import charts, fmt
from ..history.changes import ACTION_LABELS, KIND_LABELS, History, RecordChange
from ..model.records import Assessment, Cost, Dataset, Decision, Partnership, Result, Unknown, decision_order

TEMPLATES = Path(__file__).parent / "templates"

# Where each kind of record lives on the site.
SECTIONS = {
    "partnership": "partnerskap",
    "organisation": "organisationer",
    "decision": "beslut",
    "question": "skrivelser",
    "route": "vagar",
}

_NOT_STATED = {"form": "Formen anges inte i källorna", "status": "Status anges inte i källorna"}

AGE_BANDS = {
    "unga": ("Unga upp till 29 år", 0, 29),
    "vuxna": ("Vuxna 30 år och äldre", 30, 200),
}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES / "pages"),
        undefined=StrictUndefined,
        # Every printed value passes fmt.finalize, which escapes it for Markdown and HTML and
        # marks it safe; autoescape then makes macro output safe too, so nothing is escaped twice.
        autoescape=True,
        finalize=fmt.finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        label=lambda value, kind: fmt.label(kind, value),
        sek=fmt.sek,
        mnkr=fmt.mnkr,
        number=fmt.number,
        date=fmt.date_text,
        iso=fmt.date_iso,
        md=fmt.md,
        url=fmt.url,
    )
    env.tests["unknown"] = lambda value: isinstance(value, Unknown)
    env.globals.update(
        organisations=lambda data, p: sorted(
            {data.organisations[party.organisation_id].name for party in p.parties}
        ),
        target_groups=lambda p: (
            [title for title, low, high in AGE_BANDS.values() if _overlaps(p, low, high)]
            or ["Åldern anges inte"]
        ),
    )
    return env


def page_path(kind: str, record_id: str) -> str:
    return f"{SECTIONS[kind]}/{record_id}.md"


def dir_url(path: str) -> str:
    """The URL folder MkDocs gives a page: 'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/'."""
    if path == "index.md":
        return ""
    return path[: -len("index.md")] if path.endswith("/index.md") else path[:-3] + "/"


ORGANISATION_FILTER_MAX = 100


class Linker:
    """Links from one page to another: Markdown links (which MkDocs checks in strict mode)
    and hrefs for links inside HTML tables."""

    def __init__(self, here: str) -> None:
        self.here = here

    def to(self, text: object, target: str) -> Markup:
        relative = posixpath.relpath(target, posixpath.dirname(self.here) or ".")
        return Markup(f"[{fmt.md(text)}]({relative})")

    def record(self, kind: str, record_id: str, text: object) -> Markup:
        return self.to(text, page_path(kind, record_id))

    def href(self, target: str) -> Markup:
        relative = posixpath.relpath(dir_url(target) or ".", dir_url(self.here) or ".")
        return Markup("./" if relative == "." else relative + "/")

    def file(self, target: str) -> Markup:
        """A link to a file (not a page) in the docs folder."""
        return Markup(posixpath.relpath(target, posixpath.dirname(dir_url(self.here)) or "."))

    def a(self, kind: str, record_id: str, text: object) -> Markup:
        url = self.href(page_path(kind, record_id))
        return Markup(f'<a href="{url}">{fmt.md(text)}</a>')


def render_pages(
    data: Dataset,
    changed: dict[str, dt.date] | None = None,
    tables: list | None = None,
    history: History | None = None,
) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs folder."""
    changed = changed or {}
    history = history or History("none", ())
    env = environment()
    views = Views(data)
    pages: dict[str, str] = {}

    def render(path: str, template: str, **context) -> None:
        link = Linker(path)
        pages[path] = env.get_template(template).render(
            data=data, views=views, link=link, here=path, history=history, **context
        )

    render("index.md", "start.md.j2")
    render("partnerskap/index.md", "partnerships.md.j2")
    for p in data.partnerships.values():
        render(
            page_path("partnership", p.id),
            "partnership.md.j2",
            p=p,
            changed=changed.get(p.file),
            charts=charts,
        )
    for facet, values in views.facets.items():
        for value, (title, members) in values.items():
            render(f"urval/{facet}/{value}.md", "facet.md.j2", title=title, members=members)
    render("urval/index.md", "facets.md.j2")
    render("organisationer/index.md", "organisations.md.j2")
    for o in data.organisations.values():
        render(page_path("organisation", o.id), "organisation.md.j2", o=o)
    render("beslut/index.md", "decisions.md.j2")
    for d in data.decisions.values():
        render(page_path("decision", d.id), "decision.md.j2", d=d)
    render("vagar/index.md", "routes.md.j2")
    render("vagar/iop-checklista.md", "checklist.md.j2")
    for r in data.guide.routes.values():
        render(page_path("route", r.id), "route.md.j2", r=r)
    if tables is not None:
        render("oppna-data.md", "downloads.md.j2", tables=tables)
        render("oppna-data/kolumner.md", "dictionary.md.j2", tables=tables)
    render("andringar.md", "changes.md.j2")
    render("skrivelser/index.md", "questions.md.j2")
    for q in data.questions.values():
        render(page_path("question", q.id), "question.md.j2", q=q, changed=changed.get(q.file))
    return pages


class Views:
    """Derived figures the pages show, each computed once from the dataset."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.partnerships = sorted(data.partnerships.values(), key=lambda p: p.title.lower())
        self.decisions_by_date = sorted(data.decisions.values(), key=_newest_first)
        self.facets = self._facets()
        # A search filter lists every value as a checkbox; past this many organisations the
        # list is too long to use (and slows the search page), and names are searched instead.
        self.organisation_filter = len(data.organisations) <= ORGANISATION_FILTER_MAX
        self._citations = self._cite_index()

    def count_by(self, attribute: str) -> list[tuple[str, int]]:
        counts = Counter(
            "unknown" if isinstance(v := getattr(p, attribute), Unknown) else v
            for p in self.partnerships
        )
        order = [*list(fmt.LABELS[attribute]), "unknown"]
        return [(key, counts[key]) for key in order if counts[key]]

    def city_contribution(self) -> list[tuple[int, str, int, list[Cost]]]:
        """(year, kind, kronor, cost rows) the city contributes, over all partnerships."""
        city = self._public_funders()
        return _by_year([c for c in self.data.costs if c.funder_id in city])

    def contribution_totals(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = defaultdict(int)
        for _, kind, amount, _ in self.city_contribution():
            totals[kind] += amount
        return sorted(totals.items())

    def cost_table(self, partnership: Partnership) -> list:
        return sorted(
            self.data.costs_by_partnership.get(partnership.id, []),
            key=lambda c: (c.year, c.kind, c.funder_id, c.category),
        )

    def funding_by_year(self, organisation_id: str) -> list[tuple[int, str, int, list[Cost]]]:
        """(year, kind, kronor, cost rows) that public funders put into partnerships this
        organisation takes part in as a non-public party."""
        public = self._public_funders()
        costs = [
            cost
            for partnership, party in self.data.partnerships_by_organisation.get(
                organisation_id, []
            )
            if party.role != "public_party"
            for cost in self.data.costs_by_partnership.get(partnership.id, [])
            if cost.funder_id in public
        ]
        return _by_year(costs)

    def _public_funders(self) -> set[str]:
        return {o.id for o in self.data.organisations.values() if o.type == "municipality"}

    def cost_totals(self, costs: list[Cost]) -> list[tuple[str, int]]:
        totals: dict[str, int] = defaultdict(int)
        for cost in costs:
            totals[cost.kind] += cost.amount_sek
        return sorted(totals.items())

    def cost_bars(self, costs: list[Cost]) -> list[tuple[str, float, str, int]]:
        totals: dict[tuple[int, str], int] = defaultdict(int)
        for cost in costs:
            totals[(cost.year, cost.kind)] += cost.amount_sek
        return [
            (
                f"{year} ({fmt.label('kind', kind).lower()})",
                amount,
                fmt.sek(amount),
                0 if kind == "budget" else 1,
            )
            for (year, kind), amount in sorted(totals.items())
        ]

    def result_text(self, result: Result) -> str:
        if result.suppressed:
            return "färre än 5"
        if isinstance(result.value, Unknown) or result.value is None:
            return fmt.UNKNOWN_TEXT
        return _with_unit(_COMPARISON[result.comparison] + fmt.number(result.value), result.unit)

    def target_text(self, result: Result) -> str:
        return "–" if result.target is None else _with_unit(fmt.number(result.target), result.unit)

    def result_charts(self, results: list[Result]) -> list[tuple[str, str, list]]:
        """One small chart per result that has a target: the result beside its target."""
        charts = []
        for i, r in enumerate(results, start=1):
            if r.target is None:
                continue
            value = None if r.suppressed or not isinstance(r.value, float) else r.value
            bars = [
                ("Resultat", value, self.result_text(r), 0),
                ("Mål", r.target, self.target_text(r), 1),
            ]
            charts.append((f"resultat-{i}", f"{r.indicator}: resultat och mål", bars))
        return charts

    def criterion_title(self, assessment: Assessment) -> str:
        return self.data.criteria[(assessment.group, assessment.key)][0]

    def route_examples(self, route) -> list[tuple[Partnership, list, list]]:
        """The partnerships whose form is one of the route's: (partnership, cost totals per
        kind, results)."""
        return [
            (
                p,
                self.cost_totals(self.data.costs_by_partnership.get(p.id, [])),
                self.data.results_by_partnership.get(p.id, []),
            )
            for p in self.partnerships
            if p.form in route.forms
        ]

    def dataset_jsonld(self, tables: list) -> Markup:
        """schema.org Dataset metadata for the download page, as JSON-LD."""
        years = sorted({y for p in self.partnerships for y in p.years})
        files = [(f"{t.name}.csv", "text/csv") for t in tables]
        files += [(f"{t.name}.json", "application/json") for t in tables]
        files += [
            (
                "insyn-i-samverkan.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            ("insyn-i-samverkan.sqlite", "application/vnd.sqlite3"),
            ("insyn-i-samverkan.zip", "application/zip"),
        ]
        dataset = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": "Insyn i samverkan – Arbetsmarknadsnämndens samverkan med civilsamhället",
            "description": "Partnerskap mellan Stockholms stads arbetsmarknadsnämnd och idéburna "
            "organisationer, med beslut, politiska frågor, kostnader och resultat, hämtade ur "
            "stadens offentliga handlingar.",
            "inLanguage": "sv",
            "version": self.data.version,
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
            "isAccessibleForFree": True,
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": "Stockholms stad",
                "department": {"@type": "GovernmentOrganization", "name": "Arbetsmarknadsnämnden"},
            },
            "keywords": ["Stockholm", "arbetsmarknad", "civilsamhälle", "IOP", "ESF"],
            "distribution": [
                {"@type": "DataDownload", "contentUrl": f"../data/{name}", "encodingFormat": media}
                for name, media in files
            ],
        }
        if years:
            dataset["temporalCoverage"] = f"{years[0]}/{years[-1]}"
        text = json.dumps(dataset, ensure_ascii=False, indent=2).replace("</", "<\\/")
        return Markup(f'<script type="application/ld+json">\n{text}\n</script>')

    def change_title(self, change: RecordChange) -> str:
        return f"{KIND_LABELS[change.kind]}: {ACTION_LABELS[change.action]}"

    def change_link(self, link: Linker, change: RecordChange) -> Markup:
        """The record's page where it still exists, else its key as text."""
        pages = {
            "partnership": self.data.partnerships,
            "question": self.data.questions,
            "organisation": self.data.organisations,
            "decision": self.data.decisions,
        }
        records = pages.get(change.kind)
        if records is not None and change.key in records:
            record = records[change.key]
            return link.record(
                change.kind,
                change.key,
                getattr(record, "title", None) or getattr(record, "name", change.key),
            )
        if change.partnership_id in self.data.partnerships:
            title = self.data.partnerships[change.partnership_id].title
            return Markup(
                f"{fmt.md(change.key)} ({link.record('partnership', change.partnership_id, title)})"
            )
        return fmt.md(change.key)

    @staticmethod
    def shorten(value: str, limit: int = 160) -> str:
        value = " ".join(value.split())
        return value if len(value) <= limit else value[: limit - 2].rstrip() + " …"

    @staticmethod
    def example(table, column: int) -> str:
        """The first stated value of a column, shortened, for the data dictionary."""
        for row in table.rows:
            value = row[column]
            if value and value != "unknown":
                return value if len(value) <= 60 else value[:57].rstrip() + " …"
        return "–"

    def cited_by(self, decision: Decision) -> list[tuple[str, str, str]]:
        """(kind, id, title) of every record that rests on this document."""
        return sorted(self._citations.get(decision.id, ()), key=lambda i: (i[0], i[2].lower()))

    def _cite_index(self) -> dict[str, set[tuple[str, str, str]]]:
        index: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for p in self.data.partnerships.values():
            cited = [s.decision_id for s in p.sources]
            cited += [a.source.decision_id for a in p.iop_assessment]
            cited += [c.decision_id for c in self.data.costs_by_partnership.get(p.id, [])]
            cited += [r.source for r in self.data.results_by_partnership.get(p.id, [])]
            for decision_id in cited:
                index[decision_id].add(("partnership", p.id, p.title))
        for q in self.data.questions.values():
            cited = [s.decision_id for s in q.sources]
            if not isinstance(q.answer, Unknown):
                cited.append(q.answer.decision_id)
            for decision_id in cited:
                index[decision_id].add(("question", q.id, q.title))
        return index

    def decisions_for(self, partnership: Partnership) -> list[Decision]:
        return self.data.decisions_by_partnership.get(partnership.id, [])

    def _facets(self) -> dict[str, dict[str, tuple[str, list[Partnership]]]]:
        facets: dict[str, dict[str, tuple[str, list[Partnership]]]] = {
            "form": {},
            "status": {},
            "ar": {},
            "malgrupp": {},
        }

        def add(facet: str, key: str, title: str, p: Partnership) -> None:
            facets[facet].setdefault(key, (title, []))[1].append(p)

        for p in self.partnerships:
            for facet, attribute in (("form", "form"), ("status", "status")):
                value = getattr(p, attribute)
                if isinstance(value, Unknown):
                    add(facet, "anges-inte", _NOT_STATED[attribute], p)
                else:
                    add(facet, value.replace("_", "-"), fmt.label(attribute, value), p)
            for year in p.years:
                add("ar", str(year), f"Verksamma under {year}", p)
            for key, (title, low, high) in AGE_BANDS.items():
                if _overlaps(p, low, high):
                    add("malgrupp", key, title, p)
            if isinstance(p.age_min, Unknown) or isinstance(p.age_max, Unknown):
                add("malgrupp", "alder-anges-inte", "Åldern anges inte i källorna", p)
        facets["ar"] = dict(sorted(facets["ar"].items()))
        return facets


def _by_year(costs: list[Cost]) -> list[tuple[int, str, int, list[Cost]]]:
    grouped: dict[tuple[int, str], list[Cost]] = defaultdict(list)
    for cost in costs:
        grouped[(cost.year, cost.kind)].append(cost)
    return [
        (year, kind, sum(c.amount_sek for c in rows), sorted(rows, key=lambda c: c.partnership_id))
        for (year, kind), rows in sorted(grouped.items())
    ]


_COMPARISON = {"exact": "", "more_than": "fler än ", "less_than": "färre än ", "about": "cirka "}


def _with_unit(text: str, unit: str) -> str:
    if unit == "percent":
        return f"{text}\u00a0%"
    if unit == "sek":
        return f"{text}\u00a0kr"
    return text


def _overlaps(p: Partnership, low: int, high: int) -> bool:
    if isinstance(p.age_min, Unknown) or isinstance(p.age_max, Unknown):
        return False
    return p.age_min <= high and p.age_max >= low


def _newest_first(decision: Decision) -> tuple:
    rank, day, title = decision_order(decision)
    return (rank, -day.toordinal(), title)
