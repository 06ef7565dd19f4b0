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
from .changes import Entry, entries
from .links import dir_url

FEED = "andringar.xml"
CHANGES_PAGE = "andringar.md"


def month_page(day: dt.date) -> str:
    """The page of the changes made in the month of ``day``, in the docs folder."""
    return f"andringar/{day:%Y-%m}.md"


@dataclass(frozen=True)
class Month:
    """The changes of one month: its page, its name and its commits by day, newest first."""

    page: str
    name: str  # "mars 2026"
    commits: tuple[tuple[dt.date, tuple[Commit, ...]], ...]
    data: Dataset = field(repr=False, compare=False)

    @property
    def days(self) -> tuple[tuple[dt.date, tuple[str, ...], tuple[Entry, ...]], ...]:
        """Each day with the notes of its commits and its changes, told when a page asks, so
        that the changes of the whole history are never all held at once."""
        return tuple(
            (
                day,
                tuple(c.note for c in commits if c.note),
                tuple(e for c in commits for e in entries(c, self.data)),
            )
            for day, commits in self.commits
        )

    @property
    def count(self) -> int:
        return sum(len(c.changes) for _, commits in self.commits for c in commits)  # one each


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
