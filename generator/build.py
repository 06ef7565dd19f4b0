"""Build stage: validate, generate the pages, run MkDocs and Pagefind, then swap the new site
into place. A build that fails at any step leaves the previous site untouched."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .checks.validate import check_loaded
from .history.read import History, read_history
from .model.build import build as build_model
from .model.build import unmodelled
from .model.publisher import base_url
from .opendata.dcat import catalogue_rdf
from .opendata.flatten import tables, undeclared
from .opendata.software import LOCKED_SBOM, SBOM, shown_versions
from .opendata.subsets import Subsets
from .opendata.writers import FOLDER, TEMPLATE, download_args, downloads
from .parallel import Superseded, Work, in_background, in_new_process, waited, when_waited
from .problems import Problem
from .release import site_url
from .site.facets import selections
from .site.feed import FEED, atom_feed
from .site.preview import Preview
from .site.publish import PublishError, publish
from .site.render import PageError, Site, page_jobs, pages_of
from .source.cache import Cache
from .source.git import commit_time, git
from .source.load import load


class BuildError(Exception):
    """The build stopped; ``problems`` holds validation findings, if that is why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Paths:
    data: Path
    content: Path
    config: Path
    site: Path
    work: Path  # build/: generated docs and the site being built

    @classmethod
    def default(cls, root: Path) -> Paths:
        return cls(
            root / "data", root / "content", root / "mkdocs.yml", root / "site", root / "build"
        )

    @property
    def docs(self) -> Path:
        return self.work / "docs"

    @property
    def root(self) -> Path:
        """The project folder: the one with mkdocs.yml, the locks and their SBOM."""
        return self.config.parent


class Timings(dict):
    """Seconds per build stage, in the order the stages ran."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


class Files(dict):
    """Generated files kept in memory, {path in the docs folder: content} (for tests)."""

    root = None  # the downloads come back to this process, not written by the one making them

    def put(self, rel: str, content: str | bytes) -> None:
        self[rel] = content


class Docs:
    """The docs folder MkDocs builds from: content/ and every generated file, each written as
    it is made and only where its bytes change (so a dirty build and the preview redo only what
    changed); ``finish`` then removes the files no longer made. Nothing is held in memory but
    the paths."""

    def __init__(self, paths: Paths, unsure: tuple[str, ...] = ()) -> None:
        self.root = paths.docs
        # Folders where work stopped midway may have written files that no one noted: each
        # file made there counts as changed.
        self.unsure = unsure
        self.made: set[str] = set()
        self.touched: list[str] = []
        self.content: frozenset[str] = frozenset()
        self.root.mkdir(parents=True, exist_ok=True)
        for file in sorted(paths.content.rglob("*")):
            if file.is_file():
                rel = file.relative_to(paths.content).as_posix()
                self.written(rel, write_file(self.root, rel, file.read_bytes()))
        self.content = frozenset(self.made)  # the hand-written pages and their assets

    def put(self, rel: str, content: str | bytes) -> None:
        self.written(rel, self.write(rel, content))

    def write(self, rel: str, content: str | bytes) -> bool:
        """Write ``rel`` without noting it, as another process does; True if it changed."""
        self._not_content(rel)
        return write_file(self.root, rel, content)

    def written(self, rel: str, changed: bool) -> None:
        """``rel`` was made (and written, when ``changed``) by another process."""
        self._not_content(rel)
        self.made.add(rel)
        if changed or rel.startswith(self.unsure):
            self.touched.append(rel)

    def _not_content(self, rel: str) -> None:
        if rel in self.content:
            raise BuildError(f"content/{rel} has the same path as a generated file; rename it")

    def finish(self) -> list[str]:
        """Remove what was not made; the paths written or removed."""
        for file in sorted(self.root.rglob("*")):
            rel = file.relative_to(self.root).as_posix()
            if rel not in self.made and file.is_file():
                file.unlink()
                self.touched.append(rel)
        return self.touched


def write_file(root: Path, rel: str, content: str | bytes) -> bool:
    """Write ``content`` to ``root/rel`` unless the file holds those bytes; True if written.
    A file that changes is replaced by a new one, never written through: the site may hold a
    hard link to the old one (site/linked.py)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = root / rel
    try:
        size = target.stat().st_size
    except FileNotFoundError:  # not there yet: nothing links to it
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return True
    if size == len(data) and target.read_bytes() == data:
        return False
    fresh = target.with_name(f".{target.name}.new")  # MkDocs leaves out names with a dot
    fresh.write_bytes(data)
    fresh.replace(target)
    return True


def generate(paths: Paths, timings: Timings | None = None, parallel: bool = True) -> Files:
    """Validate the data, render every page and make every download, all in memory; raises
    BuildError on invalid data. With ``parallel`` the downloads are made in a second process
    (only safe where this process runs no other threads)."""
    files = Files()
    generate_into(files, paths, timings, parallel)()
    return files


def generate_into(
    into: Docs | Files,
    paths: Paths,
    timings: Timings | None = None,
    parallel: bool = True,
    preview: Preview | None = None,
) -> Callable[[], None]:
    """Put every page into ``into`` as it is rendered, and return a function that puts the
    downloads: made meanwhile in a second process with ``parallel`` (which writes them itself
    when ``into`` is a folder), else when it is called, so a preview can show pages first.
    A ``preview`` (with tracking on) renders only the pages whose inputs changed since its
    last call, reads the history again only when there is a new commit, and makes the
    downloads in a new process, which a newer save can stop (see ``downloads_into``)."""
    timings = Timings() if timings is None else timings
    loaded, dataset = _checked(paths, timings, parallel, preview)
    created = dt.datetime.fromtimestamp(commit_time(paths.data), dt.UTC).replace(tzinfo=None)
    source = {name: (t.header, t.rows) for name, t in loaded.tables.items()}
    all_tables = tables(dataset, source, preview.rows if preview else None)
    # The downloads need nothing the pages make, so a second process can make them meanwhile.
    args = (into.root, *download_args(loaded, dataset, all_tables, created))
    made = (
        None if preview else (in_background if parallel else when_waited)(_timed_downloads, *args)
    )
    bom = _sbom(paths)
    url = base_url(loaded.descriptor)  # the address every page, feed and catalogue uses
    with _stopped_if_failed(made), timings.stage("history"):
        history = _history(paths, dataset, preview)
        data_commits = history.data_commits()
        into.put(FEED, atom_feed(data_commits, dataset, url))
    with _stopped_if_failed(made), timings.stage("pages"):
        # When the data's values last changed: the newest commit that changed them (a
        # commit to the code or the pages does not), else the newest commit at all.
        updated = (data_commits or history.commits)[0].date if history.commits else None
        site = Site(url, updated, shown_versions(bom), SBOM)
        page_args = (dataset, history.last_changed(), all_tables, history, site)
        _put_every_page(into, preview, parallel, page_args)
    days = sorted(c.date for c in history.commits) or [created.date()]
    years = sorted(y for p in dataset.partnerships.values() for y in p.years)
    del history

    def downloads_into(superseded: Callable[[], bool] = lambda: False) -> None:
        """Raises Superseded once ``superseded()`` is true, with the downloads' process
        stopped and the files it had written left as they are."""
        with timings.stage("wait for downloads"):
            if superseded():  # before a process is started for it
                raise Superseded
            work = made or in_new_process(_timed_downloads, *args)
            files, timings["downloads"] = waited(work, superseded)
        rdf_files = _put_made(into, files)
        del files
        with timings.stage("selections"):
            _put_selections(into, Subsets(all_tables, loaded.descriptor), dataset, superseded)
        into.put(SBOM, bom)
        into.put("data/katalog.rdf", _catalogue(url, rdf_files, dataset, days, years))

    return downloads_into


def _put_made(into: Docs | Files, files: dict[str, bytes | bool]) -> list[str]:
    """Put the downloads another process made, or note those it wrote; the paths the catalogue
    lists (not the blank template, which holds no data, nor the selections, which are subsets)."""
    for rel, content in files.items():
        if isinstance(content, bool):  # written by the process that made it
            into.written(rel, content)
        else:
            into.put(rel, content)
    return sorted(n for n in files if n.startswith("data/") and n != f"{FOLDER}/{TEMPLATE}")


def _put_selections(into: Docs | Files, subsets: Subsets, dataset, superseded) -> None:
    """Each selection's downloads, one selection's files in memory at a time."""
    for folder, (title, ids) in selections(dataset).items():
        if superseded():
            raise Superseded
        for rel, content in subsets.files(folder, title, ids).items():
            into.put(rel, content)


@contextmanager
def _stopped_if_failed(work: Work | None) -> Iterator[None]:
    """``work`` beside this process is stopped if what runs meanwhile fails: nothing goes on
    writing into the docs folder once the build has stopped."""
    try:
        yield
    except BaseException:
        if work is not None:
            work.stop()
        raise


@contextmanager
def _templates_checked() -> Iterator[None]:
    """A page template's error, as the build's."""
    try:
        yield
    except PageError as exc:
        raise BuildError(f"a page template failed: {exc}") from exc


def _put_pages(into: Docs | Files, pages: Iterator[tuple[str, str | None]]) -> None:
    """Each page as it is rendered; a preview's None means its text is the one written."""
    with _templates_checked():
        for rel, text in pages:
            if text is None:
                into.written(rel, False)
            else:
                into.put(rel, text)


def _put_every_page(into: Docs | Files, preview: Preview | None, parallel: bool, args) -> None:
    """The pages (the arguments of ``pages_of``): a preview's, else on two cores where it can."""
    if preview is not None:
        _put_pages(into, preview.pages(*args))
    elif parallel and isinstance(into, Docs):
        _put_pages_on_two_cores(into, *args)
    else:
        _put_pages(into, pages_of(*args))


def _put_pages_on_two_cores(into: Docs, *args) -> None:
    """Every page (the arguments of ``pages_of``), every other one rendered and written by a
    second process: once the downloads are made, both cores render pages."""
    jobs, render = page_jobs(*args)
    others = in_background(_write_pages, into, render, jobs[1::2])
    with _stopped_if_failed(others):
        _put_pages(into, ((path, render(path, t, c)) for path, t, c in jobs[::2]))
    for rel, changed in others().items():
        into.written(rel, changed)


def _write_pages(into: Docs, render, jobs: list) -> dict[str, bool]:
    """Render and write ``jobs`` (in a second process); {path: whether it changed}."""
    with _templates_checked():
        return {path: into.write(path, render(path, t, c)) for path, t, c in jobs}


def _history(paths: Paths, dataset, preview: Preview | None) -> History:
    """The history, read again for a preview only when the last commit or the catalogue the
    changes are told with has changed."""
    if preview is not None:
        key = (git(paths.data, "rev-parse", "HEAD"), dataset.catalogue)
        if preview.history is None or preview.history[0] != key:
            preview.history = (key, _history(paths, dataset, None))
        return preview.history[1]
    known = Cache(paths.work / "cache" / "history.marshal")
    history = read_history(paths.data, dataset.catalogue, known)
    known.save()
    return history


def _catalogue(url: str, files: list[str], dataset, days: list, years: list[int]) -> bytes:
    """The DCAT catalogue of the downloads in ``files``."""
    span = (years[0], years[-1]) if years else None
    package = dataset.catalogue.package
    return catalogue_rdf(
        url, files, dataset.publisher, dataset.version, days[0], days[-1], span, package
    )


def _checked(paths: Paths, timings: Timings, parallel: bool, preview: Preview | None = None):
    """The loaded data and its typed dataset; BuildError when the data is not valid, or when
    a field of the schemas would not reach the pages or the downloads."""
    with timings.stage("validate"):
        kept = preview.checks if preview else None  # a preview's, kept from its last save
        cache = kept or Cache(paths.work / "cache" / "checks.marshal", preview is not None)
        loaded = load(paths.data, _shown(paths.data), cache=cache)
        problems = sorted(set(check_loaded(loaded, parallel)))
        if kept is None:  # a preview writes the file at its first save only
            cache.save()
        if preview is not None:
            preview.checks = cache.carried()
    if problems:
        raise BuildError("the data is not valid", problems)
    with timings.stage("pages"):
        dataset = build_model(loaded, preview.records if preview else None)
    missing = unmodelled(dataset.catalogue)
    if missing:
        raise BuildError(
            f"the schemas have fields the model does not know: {', '.join(missing)}; add them to "
            "generator/model/records.py and model/build.py, so that they reach the site"
        )
    missing = undeclared(dataset.catalogue)
    if missing:
        raise BuildError(
            f"the downloads have no columns for: {', '.join(missing)}; declare them in "
            "generator/opendata/flatten.py (EXPANDED), so that they reach the downloads"
        )
    return loaded, dataset


def _sbom(paths: Paths) -> bytes:
    """The software bill of materials the build publishes, as committed beside the locks."""
    try:
        return (paths.root / LOCKED_SBOM).read_bytes()
    except OSError as exc:
        raise BuildError(
            f"{LOCKED_SBOM} cannot be read ({exc.strerror}); make it with make lock"
        ) from exc


def _timed_downloads(root: Path | None, *args) -> tuple[dict[str, bytes | bool], float]:
    """The downloads and the seconds they took: {path: content}, or, given the docs folder,
    written there as they come and {path: whether it changed}, so that the bytes do not pass
    back to the build's process."""
    start = time.perf_counter()
    files: dict[str, bytes | bool] = dict(downloads(*args))
    if root is not None:
        files = {rel: write_file(root, rel, content) for rel, content in files.items()}
    return files, time.perf_counter() - start


def build_site(paths: Paths, timings: Timings | None = None) -> int:
    """The whole build. Returns the number of pages generated; ``timings`` receives the
    seconds each stage took."""
    timings = Timings() if timings is None else timings
    docs = Docs(paths)
    generate_into(docs, paths, timings)()
    with timings.stage("write"):
        docs.finish()
    os.environ["SOURCE_DATE_EPOCH"] = str(commit_time(paths.data))
    try:
        publish(paths.config, site_url(paths.data), paths.docs, paths.site, paths.work, timings)
    except PublishError as exc:
        raise BuildError(str(exc)) from exc
    return sum(1 for name in docs.made - docs.content if name.endswith(".md"))


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
