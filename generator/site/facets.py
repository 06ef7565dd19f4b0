"""Selections of partnerships (/urval/): by form, status, year and target group.

Every selection has a Swedish address made from its Swedish label (/urval/status/pagar/). The
addresses that earlier versions of the site published with the English code
(/urval/status/active/) stay: each gets a small page that sends the visitor on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalogue import UNKNOWN_LABEL, Catalogue
from ..model.dataset import Dataset
from ..model.records import Partnership, Unknown

AGE_BANDS = {
    "unga": ("Unga upp till 29 år", 0, 29),
    "vuxna": ("Vuxna 30 år och äldre", 30, 200),
}
NOT_STATED = "anges-inte"


@dataclass
class Facet:
    key: str  # its folder under urval/
    heading: str
    # address part -> (title, partnerships), in the order of the field's allowed values
    values: dict[str, tuple[str, list[Partnership]]] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # earlier address part -> current one

    def add(self, key: str, title: str, partnership: Partnership) -> None:
        self.values.setdefault(key, (title, []))[1].append(partnership)


def facets(partnerships: list[Partnership], catalogue: Catalogue) -> dict[str, Facet]:
    """The selections, each listing ``partnerships`` in their given order."""
    found = {}
    for attribute in ("form", "status"):
        meaning = catalogue.field("partnership", attribute)
        facet = found[attribute] = Facet(attribute, meaning.title)
        for category in meaning.categories:
            facet.values[category.slug] = (category.label, [])
            if category.value.replace("_", "-") != category.slug:
                facet.moved[category.value.replace("_", "-")] = category.slug
        for p in partnerships:
            value = getattr(p, attribute)
            if isinstance(value, Unknown):
                facet.add(NOT_STATED, not_stated(meaning.title), p)
            else:
                category = meaning.category(value)
                facet.add(category.slug, category.label, p)
        facet.values = {k: v for k, v in facet.values.items() if v[1]}
    years = found["ar"] = Facet("ar", "År")
    ages = found["malgrupp"] = Facet("malgrupp", catalogue.title("partnership", "target_group"))
    for p in partnerships:
        for year in p.years:
            years.add(str(year), f"Verksamma under {year}", p)
        for key, (title, low, high) in AGE_BANDS.items():
            if overlaps(p, low, high):
                ages.add(key, title, p)
        if isinstance(p.age_min, Unknown) or isinstance(p.age_max, Unknown):
            ages.add("alder-anges-inte", not_stated("Ålder"), p)
    years.values = dict(sorted(years.values.items()))
    return found


def selections(data: Dataset, found: dict[str, Facet] | None = None) -> dict[str, tuple]:
    """{folder: (title, partnership ids)} of every page that lists a selection of
    partnerships: each selection under urval/, and each organisation's page. Each offers
    exactly its rows as downloads under data/<folder>/."""
    if found is None:
        ordered = sorted(data.partnerships.values(), key=lambda p: p.title.lower())
        found = facets(ordered, data.catalogue)
    chosen = {
        f"urval/{facet.key}/{key}": (title, [p.id for p in members])
        for facet in found.values()
        for key, (title, members) in facet.values.items()
    }
    for organisation_id, pairs in sorted(data.partnerships_by_organisation.items()):
        name = data.organisations[organisation_id].name
        chosen[f"organisationer/{organisation_id}"] = (name, sorted({p.id for p, _ in pairs}))
    return chosen


def target_groups(p: Partnership) -> list[str]:
    return [title for title, low, high in AGE_BANDS.values() if overlaps(p, low, high)] or [
        not_stated("Ålder")
    ]


def not_stated(title: str) -> str:
    """The one wording for a value the sources do not state, as a group: "Form: uppgift
    saknas"."""
    return f"{title}: {UNKNOWN_LABEL.lower()}"


def overlaps(p: Partnership, low: int, high: int) -> bool:
    if isinstance(p.age_min, Unknown) or isinstance(p.age_max, Unknown):
        return False
    return p.age_min <= high and p.age_max >= low


def redirects(found: dict[str, Facet]) -> dict[str, str]:
    """{path of an earlier selection page in the docs folder: path of the page it moved to}."""
    return {
        f"urval/{facet.key}/{old}/index.html": f"urval/{facet.key}/{new}.md"
        for facet in found.values()
        for old, new in sorted(facet.moved.items())
        if new in facet.values
    }
