"""The whole dataset: every record by id, and the groupings the pages and downloads share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields

from ..catalogue import Catalogue
from .guide import Guide
from .records import (
    Cost,
    Decision,
    Document,
    Organisation,
    Partnership,
    Party,
    Publisher,
    Question,
    Result,
    decision_order,
)
from .tracked import derived, track


@dataclass(frozen=True)
class Dataset:
    version: str
    partnerships: dict[str, Partnership]
    organisations: dict[str, Organisation]
    decisions: dict[str, Decision]
    questions: dict[str, Question]
    documents: dict[str, Document]  # the text of a decision, by its id, where the data has it
    costs: tuple[Cost, ...]
    results: tuple[Result, ...]
    guide: Guide
    catalogue: Catalogue  # what every field means, from the schemas
    publisher: Publisher

    def __post_init__(self) -> None:
        # With tracking on (the preview), the collections note which records a page reads.
        for field in fields(self):
            object.__setattr__(
                self, field.name, track(f"dataset.{field.name}", getattr(self, field.name))
            )

    def basis(self, cost: Cost) -> str:
        """What an amount rests on (see catalogue BASES): an outcome; a budget the board
        decided; a proposal whose decision is not in the material, or was not to approve;
        or a budget another kind of document states."""
        decision = self.decisions[cost.decision_id]
        if cost.kind == "outcome":
            return "outcome"
        if decision.outcome == "approved" or decision.type in ("beslut", "protokollsutdrag"):
            return "decided"
        if decision.outcome in ("rejected", "referred_back"):
            return "not_decided"
        if decision.type == "tjänsteutlåtande":
            return "proposal"
        return "stated"

    def records(self, kind: str) -> dict:
        """The records of a kind that has ids, by id ({} for other kinds)."""
        return {
            "partnership": self.partnerships,
            "question": self.questions,
            "organisation": self.organisations,
            "decision": self.decisions,
            "document": self.documents,
            "guide.route": self.guide.routes,
            "guide.question": self.guide.questions,
            "guide.source": self.guide.sources,
        }.get(kind, {})

    @derived
    def costs_by_partnership(self) -> dict[str, list[Cost]]:
        return _group(self.costs, lambda c: c.partnership_id)

    @derived
    def results_by_partnership(self) -> dict[str, list[Result]]:
        return _group(self.results, lambda r: r.partnership_id)

    @derived
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

    @derived
    def questions_by_partnership(self) -> dict[str, list[Question]]:
        grouped: dict[str, list[Question]] = defaultdict(list)
        for question in self.questions.values():
            for pid in question.partnerships:
                grouped[pid].append(question)
        return dict(grouped)

    @derived
    def partnerships_by_organisation(self) -> dict[str, list[tuple[Partnership, Party]]]:
        grouped: dict[str, list[tuple[Partnership, Party]]] = defaultdict(list)
        for partnership in self.partnerships.values():
            for party in partnership.parties:
                grouped[party.organisation_id].append((partnership, party))
        return dict(grouped)


def _group(items, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)
