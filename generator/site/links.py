"""Where each page lives and how one page links to another.

A record's page is ``<section>/<id>.md``, the section coming from the field catalogue's kinds;
MkDocs makes it the folder ``<section>/<id>/``. Links are relative, so the site works under any
base address.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from markupsafe import Markup

from ..catalogue import KIND
from .fmt import md

# The routes of the guide have their pages in the guide's section.
_PAGE_KIND = {"route": "guide"}


def page_path(kind: str, record_id: str) -> str:
    return f"{KIND[_PAGE_KIND.get(kind, kind)].section}/{record_id}.md"


def has_pages(kind: str) -> bool:
    return bool(KIND[_PAGE_KIND.get(kind, kind)].section)


@lru_cache(maxsize=1 << 16)  # every page links to the same few thousand targets
def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for paths inside the docs folder, without the absolute paths it makes
    of both on every call (a property test compares the two)."""
    to = [p for p in target.split("/") if p not in ("", ".")]
    base = [p for p in start.split("/") if p not in ("", ".")]
    if ".." in to or ".." in base or target.startswith("/") or start.startswith("/"):
        return posixpath.relpath(target, start)
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def dir_url(path: str) -> str:
    """The URL folder MkDocs gives a page: 'a/b.md' -> 'a/b/', 'a/index.md' -> 'a/'."""
    if path == "index.md":
        return ""
    return path[: -len("index.md")] if path.endswith("/index.md") else path[:-3] + "/"


class Linker:
    """Links from one page to another: Markdown links (which MkDocs checks in strict mode)
    and hrefs for links inside HTML."""

    def __init__(self, here: str) -> None:
        self.here = here

    def to(self, text: object, target: str) -> Markup:
        relative = _relpath(target, posixpath.dirname(self.here) or ".")
        return Markup(f"[{md(text)}]({relative})")

    def record(self, kind: str, record_id: str, text: object) -> Markup:
        return self.to(text, page_path(kind, record_id))

    def href(self, target: str) -> Markup:
        relative = _relpath(dir_url(target) or ".", dir_url(self.here) or ".")
        return Markup("./" if relative == "." else relative + "/")

    def file(self, target: str) -> Markup:
        """A link to a file (not a page) in the docs folder."""
        return Markup(_relpath(target, posixpath.dirname(dir_url(self.here)) or "."))

    def a(self, kind: str, record_id: str, text: object) -> Markup:
        return self.page(page_path(kind, record_id), text)

    def section(self, document_id: str, section_id: str, text: object) -> Markup:
        """An HTML link to a section of a document's page (the ids are checked slugs)."""
        href = f"{self.href(page_path('document', document_id))}#{section_id}"
        return Markup(f'<a href="{href}">{md(text)}</a>')

    def page(self, target: str, text: object) -> Markup:
        """An HTML link to the page ``target`` (a path in the docs folder)."""
        return Markup(f'<a href="{self.href(target)}">{md(text)}</a>')
