"""The Atom feed of changes to the data (RFC 4287): one entry per record change, newest first,
with a Swedish title and summary, absolute links and a link to itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ..history.read import Commit
from ..model.dataset import Dataset
from .changes import Entry, entries, entry
from .links import dir_url

FEED = "andringar.xml"
CHANGES_PAGE = "andringar.md"


# A month's changes are shown this many to a page, so that no page grows with the data: at
# 10,000 partnerships the month of the first import holds 221,000 changes. At least the feed's
# ``limit``: the feed's newest changes are then all on the first page of their month.
CHANGES_PER_PAGE = 500


def month_page(day: dt.date, part: int = 1) -> str:
    """The page of the changes made in the month of ``day`` (its ``part``-th page, from 1), in
    the docs folder."""
    return f"andringar/{day:%Y-%m}.md" if part == 1 else f"andringar/{day:%Y-%m}/sida-{part}.md"


@dataclass(frozen=True)
class Month:
    """The changes of one month: its page, its name and its commits by day, newest first."""

    page: str
    name: str  # "mars 2026"
    commits: tuple[tuple[dt.date, tuple[Commit, ...]], ...]
    data: Dataset = field(repr=False, compare=False)

    def days(self, part: int = 1) -> tuple[tuple[dt.date, tuple[str, ...], tuple[Entry, ...]], ...]:
        """Each day of the month's ``part``-th page with the notes of its commits and its
        changes, told when a page asks, so that the changes of the whole history are never all
        held at once. A commit's note is on the page of its first change."""
        first, last = self.span(part)  # numbered from 1
        start, stop = first - 1, last
        found, at = [], 0
        for day, commits in self.commits:
            notes, items = [], []
            for commit in commits:
                if commit.note and start <= at < stop:
                    notes.append(commit.note)
                shown = commit.changes[max(start - at, 0) : max(stop - at, 0)]
                items += [entry(commit, change, self.data) for change in shown]
                at += len(commit.changes)
            if notes or items:
                found.append((day, tuple(notes), tuple(items)))
        return tuple(found)

    @property
    def count(self) -> int:
        return sum(len(c.changes) for _, commits in self.commits for c in commits)  # one each

    @property
    def parts(self) -> int:
        """How many pages the month's changes take."""
        return max(1, -(-self.count // CHANGES_PER_PAGE))

    def part_page(self, part: int) -> str:
        return month_page(self.commits[0][0], part)

    def span(self, part: int) -> tuple[int, int]:
        """The numbers of the first and the last change on the ``part``-th page, from 1."""
        return (part - 1) * CHANGES_PER_PAGE + 1, min(part * CHANGES_PER_PAGE, self.count)


# Tag URIs (RFC 4151) under the publisher's own domain, so no two feeds mint the same id.
TAG = "tag:stockholm.se,2026:insyn-i-samverkan/"


def atom_feed(commits: list[Commit], data: Dataset, base: str, limit: int = 100) -> bytes:
    """The newest ``limit`` changes of ``commits`` (the data commits, newest first), told only
    for those; ``base`` is the site's address, ending in '/'."""
    # Plain names and a literal xmlns attribute: ElementTree's namespace registry is global,
    # and other writers (the Excel workbook) use it too.
    feed = ET.Element("feed", {"xmlns": "http://www.w3.org/2005/Atom", "xml:lang": "sv"})

    def add(parent, tag: str, text: str = "", **attrs) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text or None
        return element

    add(feed, "id", f"{TAG}andringar")
    add(feed, "title", "Insyn i samverkan: ändringar i uppgifterna")
    # Every data commit tells at least one change: the newest of them is the feed's time.
    newest = max((c.time for c in commits), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    add(feed, "updated", newest.isoformat())
    add(add(feed, "author"), "name", "Stockholms stad, Arbetsmarknadsnämnden")
    add(feed, "link", rel="self", type="application/atom+xml", href=base + FEED)
    add(feed, "link", rel="alternate", type="text/html", href=base + dir_url(CHANGES_PAGE))
    for item in islice((e for commit in commits for e in entries(commit, data)), limit):
        entry = add(feed, "entry")
        key = quote(f"{item.commit.sha}/{item.change.kind}/{item.change.key}", safe="/")
        add(entry, "id", TAG + key)
        add(entry, "title", item.headline)
        add(entry, "updated", item.commit.time.isoformat())
        page = dir_url(item.page or month_page(item.commit.date))
        add(entry, "link", rel="alternate", type="text/html", href=base + page)
        summary = " ".join(item.sentences)
        if item.commit.note:
            summary += f" Notis från redaktionen: {item.commit.note}"
        add(entry, "summary", summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
