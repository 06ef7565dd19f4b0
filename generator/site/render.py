"""Render stage: the typed dataset into Markdown pages, with one Jinja environment.

``render_pages`` is a pure function from the dataset to ``{path: text}``; writing files is the
build's job. Every value a template prints is escaped for Markdown and HTML unless a filter has
marked it safe (see ``fmt.finalize``). Every label, field title and kind of record comes from
the field catalogue that the dataset carries.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)

from ..catalogue import KIND, PROPOSALS, UNKNOWN_LABEL, Catalogue
from ..history.read import History
from ..model.dataset import Dataset
from ..model.publisher import LOCAL_URL
from ..model.records import Unknown
from . import charts, fmt
from .direct import MARK
from .facets import redirects, target_groups
from .links import Linker, dir_url, page_path
from .views import ORGANISATION_FILTER_MAX, Views

__all__ = ["ORGANISATION_FILTER_MAX", "PageError", "environment", "render_pages"]

TEMPLATES = Path(__file__).parent / "templates"


def environment(catalogue: Catalogue) -> Environment:
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

    def label(value: object, address: str) -> str:
        """``value | label("partnership.form")``: the Swedish label from the catalogue."""
        kind, _, path = address.partition(".")
        return fmt.label(catalogue.field(kind, path), value)

    env.filters.update(
        label=label,
        sek=fmt.sek,
        mnkr=fmt.mnkr,
        number=fmt.number,
        date=fmt.date_text,
        iso=fmt.date_iso_html,
        md=fmt.md,
        url=fmt.url,
        anchor=fmt.anchor,
        lines=fmt.lines,
    )
    env.tests["unknown"] = lambda value: isinstance(value, Unknown)
    env.globals.update(
        kinds=KIND,
        proposals=PROPOSALS,
        unknown_label=UNKNOWN_LABEL,
        organisations=lambda data, p: sorted(
            {data.organisations[party.organisation_id].name for party in p.parties}
        ),
        target_groups=target_groups,
        page_url=dir_url,
        page_path=page_path,
    )
    return env


@dataclass(frozen=True)
class Site:
    """What the pages need to know of the build: the address the site is published at, and
    the day the data last changed (None outside version control)."""

    base: str = LOCAL_URL
    updated: dt.date | None = None
    # (name, version) of the parts that make every page, and the address of the SBOM.
    software: tuple[tuple[str, str], ...] = ()
    sbom: str = ""


def render_pages(*args, **kwargs) -> dict[str, str]:
    """Every generated page, keyed by its path in the docs folder (the arguments of
    ``pages_of``)."""
    return dict(pages_of(*args, **kwargs))


def pages_of(
    data: Dataset,
    changed: dict[str, dt.date] | None = None,
    tables: list | None = None,
    history: History | None = None,
    site: Site | None = None,
) -> Iterator[tuple[str, str]]:
    """Every generated page as (path in the docs folder, text), one at a time, so that a build
    writes each page as it is made instead of holding them all."""
    jobs, render = page_jobs(data, changed, tables, history, site)
    for path, template, context in jobs:
        yield path, render(path, template, context)


def page_jobs(
    data: Dataset,
    changed: dict[str, dt.date] | None = None,
    tables: list | None = None,
    history: History | None = None,
    site: Site | None = None,
) -> tuple[list[tuple[str, str, dict]], Callable[[str, str, dict], str]]:
    """The pages to render, as (path, template, context) in the order ``pages_of`` gives them,
    and the function that renders one (the arguments of ``pages_of``)."""
    history = history or History("none", ())
    views = Views(data, history, tables or ())
    render = renderer(data, views, history, site or Site())
    return list(page_specs(data, views, changed or {}, tables is not None)), render


def renderer(data: Dataset, views: Views, history: History, site: Site, env=None):
    """A function from a page's (path, template, context) to its text (with ``env``, the
    environment for the dataset's catalogue, if it was made before)."""
    env = env or environment(data.catalogue)

    def render(path: str, template: str, context: dict) -> str:
        try:
            text = env.get_template(template).render(
                data=data,
                views=views,
                link=Linker(path),
                here=path,
                history=history,
                site=site,
                pub=data.publisher,
                **context,
            )
        except TemplateError as exc:
            raise PageError(f"{_where(exc, template)}: {exc} (on the page {path})") from exc
        # A page written as HTML is marked so that MkDocs hands it to the theme as it is.
        return direct(text) if template.endswith(".html.j2") and path.endswith(".md") else text

    return render


class PageError(Exception):
    """A page template failed: where in which template, why, and on which page."""


def _where(exc: TemplateError, template: str) -> str:
    """``template:line`` of the failure: the innermost template line in the traceback (an
    included partial's, if it failed there), or the line a syntax error is on."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.name or template}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return template
    file, pages = Path(frames[-1].filename), TEMPLATES / "pages"
    name = file.relative_to(pages).as_posix() if file.is_relative_to(pages) else file.name
    return f"{name}:{frames[-1].lineno}"


def page_specs(
    data: Dataset, views: Views, changed: dict[str, dt.date], downloads: bool
) -> Iterator[tuple[str, str, dict]]:
    """(path in the docs folder, template, what the template is given besides the dataset)
    of every generated page; the pages about the downloads with ``downloads``."""
    yield "index.md", "start.md.j2", {}
    yield "partnerskap/index.md", "partnerships.md.j2", {}
    for facet in views.facets.values():
        for key, (title, members) in facet.values.items():
            context = {"title": title, "members": members}
            yield f"urval/{facet.key}/{key}.md", "facet.html.j2", context
    yield "urval/index.md", "facets.md.j2", {}
    for old, new in redirects(views.facets).items():
        target = Linker(old.removesuffix("index.html") + "index.md").href(new)
        yield old, "redirect.html.j2", {"target": target}
    yield "organisationer/index.md", "organisations.md.j2", {}
    yield "beslut/index.md", "decisions.md.j2", {}
    yield "handlingar/index.md", "documents.md.j2", {}
    yield "rapportera-fel.md", "report.md.j2", {}
    yield "tillganglighet.md", "accessibility.md.j2", {}
    yield "vagar/index.md", "routes.md.j2", {}
    yield "vagar/iop-checklista.md", "checklist.md.j2", {}
    if downloads:
        yield "oppna-data.md", "downloads.md.j2", {}
        yield "oppna-data/kolumner.md", "dictionary.md.j2", {}
    yield "andringar.md", "changes.md.j2", {}
    months = views.change_months
    for i, month in enumerate(months):
        newer, older = months[i - 1] if i else None, months[i + 1] if i + 1 < len(months) else None
        for part in range(1, month.parts + 1):
            context = {"month": month, "part": part, "newer": newer, "older": older}
            yield month.part_page(part), "changes_month.md.j2", context
    yield "skrivelser/index.md", "questions.md.j2", {}
    yield from _record_specs(data, changed)


def _record_specs(data: Dataset, changed: dict[str, dt.date]) -> Iterator[tuple[str, str, dict]]:
    """The page of every record that has one."""
    for p in data.partnerships.values():
        context = {"p": p, "changed": changed.get(p.file), "charts": charts}
        yield page_path("partnership", p.id), "partnership.html.j2", context
    for o in data.organisations.values():
        yield page_path("organisation", o.id), "organisation.html.j2", {"o": o}
    for d in data.decisions.values():
        yield page_path("decision", d.id), "decision.html.j2", {"d": d}
    for doc in data.documents.values():
        yield page_path("document", doc.id), "document.html.j2", {"doc": doc}
    for r in data.guide.routes.values():
        yield page_path("route", r.id), "route.html.j2", {"r": r}
    for q in data.questions.values():
        context = {"q": q, "changed": changed.get(q.file)}
        yield page_path("question", q.id), "question.html.j2", context


def direct(text: str) -> str:
    """A page of HTML, marked for the ``direct`` hook after its front matter, if any."""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3) + 5
        return text[:end] + MARK + text[end:].lstrip("\n")
    return MARK + text


def record_url(kind: str, key: str) -> str:
    """The address of a record's page relative to the site root."""
    return dir_url(page_path(kind, key))
