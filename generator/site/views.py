"""Derived figures and texts the pages show, each computed once from the dataset."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from markupsafe import Markup

from ..catalogue import BASES, PROPOSALS, TYPE_NAMES, UNKNOWN
from ..history.read import History
from ..model.dataset import Dataset
from ..model.records import (
    Assessment,
    Cost,
    Decision,
    Document,
    Partnership,
    Result,
    Unknown,
    decision_order,
)
from ..model.tracked import derived, track
from . import fmt, requests
from .changes import Entry, entry
from .citations import Citations
from .facets import facets, not_stated, selections
from .feed import Month, month_page
from .jsonld import dataset_jsonld
from .trail import trail

# A search filter lists every value as a checkbox; past this many organisations the list is
# too long to use (and slows the search page), and names are searched instead.
ORGANISATION_FILTER_MAX = 100


class Views:
    """Derived figures the pages show, each computed once from the dataset."""

    def __init__(
        self,
        data: Dataset,
        history: History,
        tables: tuple = (),
        citations: Citations | None = None,
    ) -> None:
        self.data = data
        self.history = history
        self.tables = {t.name: t for t in tables}  # the downloads' tables, by name
        self.partnerships = sorted(data.partnerships.values(), key=lambda p: p.title.lower())
        self.decisions_by_date = sorted(data.decisions.values(), key=_newest_first)
        self.facets = facets(self.partnerships, data.catalogue)
        self.selections = selections(data, self.facets)
        self.organisation_filter = len(data.organisations) <= ORGANISATION_FILTER_MAX
        # {decision id: (kind, id, title, section) of every record citing it}; a preview keeps
        # its ``citations`` between saves
        self._citations = (citations or Citations()).index(data)
        # With tracking on (the preview), each of these notes which pages read it.
        for name, value in vars(self).items():
            setattr(self, name, track(f"views.{name}", value))

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
            found.append((not_stated(meaning.title), unknown))
        return found

    def basis_label(self, basis: str) -> str:
        """What an amount rests on, in Swedish: 'Föreslagen budget – nämndens beslut finns
        inte i underlaget' for a proposal."""
        return self._basis.label(basis)

    @property
    def basis_title(self) -> str:
        return self._basis.title

    @derived
    def _basis(self):
        return self.data.catalogue.derived("basis")  # made from the schemas: once per build

    def latest_decision(self, partnership: Partnership) -> Decision | None:
        """The newest dated document about the partnership (or the first undated one)."""
        found = sorted(self.decisions_for(partnership), key=_newest_first)
        return found[0] if found else None

    def by_year(self, costs: list[Cost]) -> list[tuple[int, str, int, list[Cost]]]:
        """(year, basis, kronor, cost rows), by year and then basis."""
        return self._by_year(costs)

    def city_contribution(self) -> list[tuple[int, str, int, list[Cost]]]:
        """(year, basis, kronor, cost rows) the city contributes, over all partnerships."""
        return self._by_year(self._city_costs())

    def contribution_totals(self) -> list[tuple[str, int]]:
        """(basis, kronor) the city contributes, over all partnerships and years."""
        return self.cost_totals(self._city_costs())

    def _city_costs(self) -> list[Cost]:
        city = self._public_funders()
        return [c for c in self.data.costs if c.funder_id in city]

    def cost_table(self, partnership: Partnership) -> list:
        return sorted(
            self.data.costs_by_partnership.get(partnership.id, []),
            key=lambda c: (c.year, c.kind, c.funder_id, c.category),
        )

    def funding_by_year(self, organisation_id: str) -> list[tuple[int, str, int, list[Cost]]]:
        """(year, basis, kronor, cost rows) that public funders put into partnerships this
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
        return self._by_year(costs)

    def _by_year(self, costs: list[Cost]) -> list[tuple[int, str, int, list[Cost]]]:
        grouped: dict[tuple[int, str], list[Cost]] = defaultdict(list)
        for cost in costs:
            grouped[(cost.year, self.data.basis(cost))].append(cost)
        return [
            (year, basis, sum(c.amount_sek for c in rows), sorted(rows, key=_by_partnership))
            for (year, basis), rows in sorted(grouped.items(), key=lambda i: _order(*i[0]))
        ]

    def _public_funders(self) -> set[str]:
        return {o.id for o in self.data.organisations.values() if o.type == "municipality"}

    def cost_totals(self, costs: list[Cost]) -> list[tuple[str, int]]:
        """(basis, kronor) over the rows: outcomes, decided budgets and proposals apart."""
        totals: dict[str, int] = defaultdict(int)
        for cost in costs:
            totals[self.data.basis(cost)] += cost.amount_sek
        return _in_order(totals)

    def cost_bars(self, costs: list[Cost]) -> list[tuple[str, float, str, int]]:
        """One bar per year and basis; a proposal's label says it is one."""
        return [
            (
                f"{year} ({_CHART_LABEL[basis]})",
                amount,
                fmt.sek(amount),
                2 if basis in PROPOSALS else 1 if basis == "outcome" else 0,
            )
            for year, basis, amount, _ in self._by_year(costs)
        ]

    def cost_chart_says_more(self, costs: list[Cost]) -> bool:
        """Whether a chart shows more than the table beside it: bars of different lengths."""
        return len({amount for _, amount, _, _ in self.cost_bars(costs)}) > 1

    def single_basis(self, costs: list[Cost]) -> str:
        """The basis all the amounts share, or "" when they differ or there are none."""
        found = {self.data.basis(c) for c in costs}
        return found.pop() if len(found) == 1 else ""

    def proposals(self, costs: list[Cost]) -> bool:
        """Whether any of the amounts is a proposal rather than a decision."""
        return any(self.data.basis(c) in PROPOSALS for c in costs)

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
                ("Resultat", value, self.result_text(r), 0, r.comparison == "more_than"),
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

    def dataset_jsonld(self, base: str) -> Markup:
        """schema.org Dataset metadata for the download page, as JSON-LD."""
        return dataset_jsonld(self.data, self.partnerships, list(self.tables.values()), base)

    def history_of(self, kind: str, key: str) -> list[Entry]:
        """What changed in a record (a partnership's include its costs and results), newest
        first."""
        found = self.history.for_record(kind, key)
        return [
            entry(commit, change, self.data, shown=len(change.fields)) for commit, change in found
        ]

    @derived
    def change_months(self) -> list[Month]:
        """Every month in which the data changed, newest first, with its days, their notes and
        their changes: one page each, so that no page grows with the whole history."""
        months: dict[str, dict[dt.date, list]] = {}
        for commit in self.history.data_commits():
            months.setdefault(month_page(commit.date), {}).setdefault(commit.date, []).append(
                commit
            )
        return [
            Month(
                page,
                fmt.month_text(next(iter(days))),
                tuple((day, tuple(commits)) for day, commits in days.items()),
                self.data,
            )
            for page, days in months.items()
        ]

    trail = staticmethod(trail)

    def chain(self, partnership: Partnership) -> list[Partnership]:
        """The partnerships one continues the other in, oldest first, ``partnership`` among
        them; only itself when it neither continues nor is continued."""
        partnerships = self.data.partnerships
        first, seen = partnership, {partnership.id}
        while first.predecessor in partnerships and first.predecessor not in seen:
            first = partnerships[first.predecessor]
            seen.add(first.id)
        found, seen = [first], {first.id}
        while found[-1].successor in partnerships and found[-1].successor not in seen:
            found.append(partnerships[found[-1].successor])
            seen.add(found[-1].id)
        return found

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
        """(kind, id, title) of every partnership and skrivelse that rests on this document."""
        found = {i[:3] for i in self._citations.get(decision.id, ()) if i[0] != "route"}
        return sorted(found, key=lambda i: (i[0], i[2].lower()))

    def citing_sections(self, document: Document) -> list[tuple[str, str, str, str]]:
        """(kind, id, title, section heading) of every record that cites a section of the
        document's text, in the order of the sections."""
        order = {s.id: i for i, s in enumerate(document.sections)}
        found = [i for i in self._citations.get(document.id, ()) if i[3] in order]
        found.sort(key=lambda i: (order[i[3]], i[0], i[2].lower()))
        return [(*i[:3], document.sections[order[i[3]]].heading) for i in found]

    def request(self, decision: Decision, page: str) -> requests.Request | None:
        return requests.request(self.data, decision, page)

    def gaps(self) -> list:
        return requests.all_gaps(self.data)

    def subset(self, folder: str) -> list[tuple[str, str, int]]:
        """(table, Swedish title, rows) of the downloads of the selection in ``folder``."""
        ids = self.selections[folder][1]
        counts = {
            "partnerships": len(ids),
            "costs": sum(len(self.data.costs_by_partnership.get(p, ())) for p in ids),
            "results": sum(len(self.data.results_by_partnership.get(p, ())) for p in ids),
        }
        return [(name, self.data.catalogue.tables[name][0], n) for name, n in counts.items()]

    def decisions_for(self, partnership: Partnership) -> list[Decision]:
        return self.data.decisions_by_partnership.get(partnership.id, [])


_BASES = [value for value, _ in BASES]
# Short labels for a chart's bars; the full label stands beside the chart and in the table.
_CHART_LABEL = {
    "outcome": "utfall",
    "decided": "beslutad budget",
    "stated": "budget",
    "proposal": "förslag",
    "not_decided": "förslag, ej bifallet",
}


def _order(year: int, basis: str) -> tuple[int, int]:
    return (year, _BASES.index(basis))


def _in_order(totals: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(totals.items(), key=lambda item: _BASES.index(item[0]))


def _by_partnership(cost: Cost) -> str:
    return cost.partnership_id


def _with_unit(text: str, unit: str) -> str:
    if unit == "percent":
        return f"{text}\u00a0%"
    if unit == "sek":
        return f"{text}\u00a0kr"
    return text


def _newest_first(decision: Decision) -> tuple:
    rank, day, title = decision_order(decision)
    return (rank, -day.toordinal(), title)
