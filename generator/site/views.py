"""Derived figures and texts the pages show, each computed once from the dataset."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

from markupsafe import Markup

from ..catalogue import TYPE_NAMES, UNKNOWN
from ..history.read import History
from ..model.dataset import Dataset
from ..model.records import Assessment, Cost, Decision, Partnership, Result, Unknown, decision_order
from . import fmt
from .changes import Entry, entries, entry
from .facets import facets

# A search filter lists every value as a checkbox; past this many organisations the list is
# too long to use (and slows the search page), and names are searched instead.
ORGANISATION_FILTER_MAX = 100


class Views:
    """Derived figures the pages show, each computed once from the dataset."""

    def __init__(self, data: Dataset, history: History) -> None:
        self.data = data
        self.history = history
        self.partnerships = sorted(data.partnerships.values(), key=lambda p: p.title.lower())
        self.decisions_by_date = sorted(data.decisions.values(), key=_newest_first)
        self.facets = facets(self.partnerships, data.catalogue)
        self.organisation_filter = len(data.organisations) <= ORGANISATION_FILTER_MAX
        self._citations = self._cite_index()

    def label(self, address: str, value: object) -> str:
        """The Swedish label of a value of the field ``address`` ('partnership.form')."""
        kind, _, path = address.partition(".")
        return fmt.label(self.data.catalogue.field(kind, path), value)

    def title(self, address: str) -> str:
        kind, _, path = address.partition(".")
        return self.data.catalogue.title(kind, path)

    def count_by(self, attribute: str) -> list[tuple[str, int]]:
        """(label, number of partnerships) for each value of a partnership field, in the order
        of its allowed values; those whose value is unknown last."""
        meaning = self.data.catalogue.field("partnership", attribute)
        counts = Counter(getattr(p, attribute) for p in self.partnerships)
        found = [(c.label, counts[c.value]) for c in meaning.categories if counts[c.value]]
        unknown = sum(n for value, n in counts.items() if isinstance(value, Unknown))
        if unknown:
            found.append((f"{meaning.title} anges inte i källorna", unknown))
        return found

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
                f"{year} ({self.label('cost.kind', kind).lower()})",
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
        comparison = self.label("result.comparison", result.comparison).lower()
        prefix = "" if result.comparison == "exact" else comparison + " "
        return _with_unit(prefix + fmt.number(result.value), result.unit)

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
        return self.title(f"partnership.iop_assessment.{assessment.group}.{assessment.key}")

    def finding(self, assessment: Assessment) -> str:
        return self.label(
            f"partnership.iop_assessment.{assessment.group}.{assessment.key}.finding",
            assessment.finding,
        )

    def criteria(self, group: str) -> list:
        """The IOP criteria (group 'criteria') or legal checks ('legal'), from the schema."""
        return self.data.catalogue.children("partnership", f"iop_assessment.{group}")

    def route_heading(self, section: str) -> str:
        return self.title(f"guide.routes.{section}")

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
        about = self.data.catalogue.package
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
            "name": about["title"],
            "description": about["description"],
            "inLanguage": "sv",
            "version": self.data.version,
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
            "isAccessibleForFree": True,
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": "Stockholms stad",
                "department": {"@type": "GovernmentOrganization", "name": "Arbetsmarknadsnämnden"},
            },
            "keywords": about["keywords"],
            "distribution": [
                {"@type": "DataDownload", "contentUrl": f"../data/{name}", "encodingFormat": media}
                for name, media in files
            ],
        }
        if years:
            dataset["temporalCoverage"] = f"{years[0]}/{years[-1]}"
        text = json.dumps(dataset, ensure_ascii=False, indent=2).replace("</", "<\\/")
        return Markup(f'<script type="application/ld+json">\n{text}\n</script>')

    def history_of(self, kind: str, key: str) -> list[Entry]:
        """What changed in a record (a partnership's include its costs and results), newest
        first."""
        found = self.history.for_record(kind, key)
        return [
            entry(commit, change, self.data, shown=len(change.fields)) for commit, change in found
        ]

    def changes_by_month(self) -> list[tuple[str, list[tuple[dt.date, list[str], list[Entry]]]]]:
        """(month, [(day, the commits' notes, the changes)]) for every day on which the data
        changed, newest first."""
        months: dict[str, dict[dt.date, tuple[list, list]]] = {}
        for commit in self.history.data_commits():
            days = months.setdefault(fmt.month_text(commit.date), {})
            notes, items = days.setdefault(commit.date, ([], []))
            notes += [commit.note] if commit.note else []
            items += entries(commit, self.data)
        return [
            (month, [(day, notes, items) for day, (notes, items) in days.items()])
            for month, days in months.items()
        ]

    @staticmethod
    def shorten(value: str, limit: int = 160) -> str:
        value = " ".join(value.split())
        return value if len(value) <= limit else value[: limit - 2].rstrip() + " …"

    @staticmethod
    def example(table, column: int) -> str:
        """The first stated value of a column, shortened, for the data dictionary ("" when
        there is none)."""
        for row in table.rows:
            value = row[column]
            if value and value != UNKNOWN:
                return value if len(value) <= 60 else value[:57].rstrip() + " …"
        return ""

    @staticmethod
    def type_name(column) -> str:
        """The column's type in Swedish."""
        return TYPE_NAMES.get(column.meaning.format or column.type, column.type)

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


def _by_year(costs: list[Cost]) -> list[tuple[int, str, int, list[Cost]]]:
    grouped: dict[tuple[int, str], list[Cost]] = defaultdict(list)
    for cost in costs:
        grouped[(cost.year, cost.kind)].append(cost)
    return [
        (year, kind, sum(c.amount_sek for c in rows), sorted(rows, key=lambda c: c.partnership_id))
        for (year, kind), rows in sorted(grouped.items())
    ]


def _with_unit(text: str, unit: str) -> str:
    if unit == "percent":
        return f"{text}\u00a0%"
    if unit == "sek":
        return f"{text}\u00a0kr"
    return text


def _newest_first(decision: Decision) -> tuple:
    rank, day, title = decision_order(decision)
    return (rank, -day.toordinal(), title)
