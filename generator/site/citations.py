"""Which records cite each decision and document, kept between a preview's saves: a save
makes again only the entries of the records it changed, and every document whose citing
records are the same keeps the same set, which the preview's comparison passes by."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from operator import is_

from ..kept import Kept
from ..model.dataset import Dataset
from ..model.records import Unknown

# (kind, id, title, section) of a citing record
Citing = tuple[str, str, str, str]
# What one record cites: (decision id, citing) pairs
Cited = frozenset[tuple[str, Citing]]


class Citations:
    """{decision id: the records citing it}. A build makes one per dataset; the preview keeps
    one, so that a save recomputes only what its changed records cite."""

    def __init__(self) -> None:
        # {(kind, id): (the records it was made from, what they cite)}
        self._made = Kept()
        self._index: dict[str, frozenset[Citing]] = {}

    def index(self, data: Dataset) -> dict[str, frozenset[Citing]]:
        """Who cites each decision, for ``data``: the same as made from nothing."""
        removed, added = defaultdict(set), defaultdict(set)
        for key, sources, cites in _citing(data):
            last: tuple[tuple, Cited] | None = self._made.peek(key)
            if last and len(last[0]) == len(sources) and all(map(is_, last[0], sources)):
                self._made.keep(key, last)
                continue
            cited = frozenset(cites())
            self._made.keep(key, (sources, cited))
            before = last[1] if last else frozenset()
            _note(added, cited - before)
            _note(removed, before - cited)
        for key in self._made.last.keys() - self._made.now.keys():
            _note(removed, self._made.last[key][1])
        self._made.done()
        index = dict(self._index)
        for decision_id in removed.keys() | added.keys():
            found = (index.get(decision_id, frozenset()) - removed[decision_id]) | added[
                decision_id
            ]
            if found:
                index[decision_id] = frozenset(found)
            else:
                index.pop(decision_id, None)
        self._index = index
        return index


def _note(into: defaultdict, cited) -> None:
    for decision_id, citing in cited:
        into[decision_id].add(citing)


def _citing(data: Dataset) -> Iterator[tuple[tuple[str, str], tuple, object]]:
    """(key, the records its entries are made from, a function that makes them) for every
    record that cites a source: a partnership with its costs and results, a question, and a
    route (with the guide's sources, which it cites by name)."""
    for p in data.partnerships.values():
        costs = tuple(data.costs_by_partnership.get(p.id, ()))
        results = tuple(data.results_by_partnership.get(p.id, ()))
        yield ("partnership", p.id), (p, *costs, *results), _partnership(p, costs, results)
    for q in data.questions.values():
        yield ("question", q.id), (q,), _question(q)
    guide = data.guide
    for r in guide.routes.values():
        yield ("route", r.id), (r, guide), _route(r, guide)


def _partnership(p, costs: tuple, results: tuple):
    def cites():
        cited = [*p.sources, *(a.source for a in p.iop_assessment)]
        cited += [c.cited for c in costs] + [r.cited for r in results]
        return ((s.decision_id, ("partnership", p.id, p.title, s.section)) for s in cited)

    return cites


def _question(q):
    def cites():
        yield from ((s.decision_id, ("question", q.id, q.title, s.section)) for s in q.sources)
        if not isinstance(q.answer, Unknown):
            yield q.answer.decision_id, ("question", q.id, q.title, "")

    return cites


def _route(r, guide):
    def cites():
        for _, statements in r.sections:
            for st in statements:
                decision_id = guide.sources[st.source].decision_id
                if decision_id:
                    yield decision_id, ("route", r.id, r.title, st.section)

    return cites
