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

import yaml
from jinja2 import TemplateError

from .catalogue import COLLECTIONS, DESCRIPTOR
from .checks.validate import check_loaded
from .history.read import read_history
from .model.build import build as build_model
from .model.build import unmodelled
from .model.publisher import SITE_URL_VARIABLE, base_url, is_local
from .opendata.dcat import catalogue_rdf
from .opendata.flatten import tables, undeclared
from .opendata.software import LOCKED_SBOM, SBOM, SITE_LOCK, differences, pins, shown_versions
from .opendata.subsets import Subsets
from .opendata.writers import FOLDER, TEMPLATE, downloads
from .parallel import in_background
from .problems import Problem
from .site.changes import entries
from .site.facets import selections
from .site.feed import FEED, atom_feed
from .site.publish import PublishError, publish
from .site.render import Site, render_pages
from .source.cache import Cache
from .source.git import commit_time
from .source.load import ROUTES, load


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


def generate(
    paths: Paths, timings: Timings | None = None, parallel: bool = True
) -> dict[str, str | bytes]:
    """Validate the data, render every page and make every download; raises BuildError on
    invalid data. Returns {path in the docs folder: content}. With ``parallel`` the downloads
    are made in a second process (only safe where this process runs no other threads)."""
    pages, downloads_of = generate_in_steps(paths, timings, parallel)
    return {**pages, **downloads_of()}


def generate_in_steps(
    paths: Paths, timings: Timings | None = None, parallel: bool = True
) -> tuple[dict[str, str | bytes], Callable[[], dict[str, str | bytes]]]:
    """The pages, and a function that returns the downloads: made meanwhile in a second
    process with ``parallel``, else when it is called (so a preview can show pages first)."""
    timings = Timings() if timings is None else timings
    loaded, dataset = _checked(paths, timings, parallel)
    created = dt.datetime.fromtimestamp(commit_time(paths.data), dt.UTC).replace(tzinfo=None)
    source = {name: (t.header, t.rows) for name, t in loaded.tables.items()}
    all_tables = tables(dataset, source)
    # The downloads need nothing the pages make, so a second process can make them meanwhile.
    args = _download_args(loaded, dataset, all_tables, created)
    made = in_background(_timed_downloads, *args) if parallel else lambda: _timed_downloads(*args)
    bom = _sbom(paths)
    url = base_url(loaded.descriptor)  # the address every page, feed and catalogue uses
    pages: dict[str, str | bytes] = {}
    with timings.stage("history"):
        known = Cache(paths.work / "cache" / "history.marshal")
        history = read_history(paths.data, dataset.catalogue, known)
        known.save()
        data_commits = history.data_commits()
        changes = [e for commit in data_commits for e in entries(commit, dataset)]
        pages[FEED] = atom_feed(changes, url)
    try:
        with timings.stage("pages"):
            # When the data's values last changed: the newest commit that changed them (a
            # commit to the code or the pages does not), else the newest commit at all.
            updated = (data_commits or history.commits)[0].date if history.commits else None
            site = Site(url, updated, shown_versions(bom), SBOM)
            pages.update(render_pages(dataset, history.last_changed(), all_tables, history, site))
    except TemplateError as exc:
        raise BuildError(f"a page template failed: {exc}") from exc
    days = sorted(c.date for c in history.commits) or [created.date()]
    years = sorted(y for p in dataset.partnerships.values() for y in p.years)

    def downloads_of() -> dict[str, str | bytes]:
        with timings.stage("wait for downloads"):
            files, timings["downloads"] = made()
        # The selections' own downloads are subsets of these: not distributions of their own.
        # The blank template holds no data: not a distribution.
        rdf_files = sorted(
            n for n in files if n.startswith("data/") and n != f"{FOLDER}/{TEMPLATE}"
        )
        subsets = Subsets(all_tables, loaded.descriptor)
        for folder, (title, ids) in selections(dataset).items():
            files |= subsets.files(folder, title, ids)
        files[SBOM] = bom
        files["data/katalog.rdf"] = catalogue_rdf(
            url,
            rdf_files,
            dataset.publisher,
            dataset.version,
            days[0],
            days[-1],
            (years[0], years[-1]) if years else None,
            dataset.catalogue.package,
        )
        return files

    return pages, downloads_of


def _checked(paths: Paths, timings: Timings, parallel: bool):
    """The loaded data and its typed dataset; BuildError when the data is not valid, or when
    a field of the schemas would not reach the pages or the downloads."""
    with timings.stage("validate"):
        cache = Cache(paths.work / "cache" / "checks.marshal")
        loaded = load(paths.data, _shown(paths.data), cache=cache)
        problems = sorted(set(check_loaded(loaded, parallel)))
        cache.save()
    if problems:
        raise BuildError("the data is not valid", problems)
    with timings.stage("pages"):
        dataset = build_model(loaded)
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


def _download_args(loaded, dataset, all_tables, created) -> tuple:
    """What ``downloads`` makes the files from: all plain data, to pass to a second process."""
    records = {
        name: [loaded.records[name][stem].data for stem in sorted(loaded.records[name])]
        for name in COLLECTIONS
    }
    sources = {DESCRIPTOR: loaded.descriptor, ROUTES: loaded.routes.data}
    sources |= {
        f"{c}/{stem}.yaml": r.data for c in COLLECTIONS for stem, r in loaded.records[c].items()
    }
    texts = {f"handlingar/{d.id}.txt": d.text() for d in dataset.documents.values()}
    schemas = dict(sorted(loaded.schemas.items()))
    return (all_tables, loaded.descriptor, schemas, created, records, sources, texts)


def _sbom(paths: Paths) -> bytes:
    """The software bill of materials the build publishes, as committed beside the locks."""
    try:
        return (paths.root / LOCKED_SBOM).read_bytes()
    except OSError as exc:
        raise BuildError(
            f"{LOCKED_SBOM} cannot be read ({exc.strerror}); make it with make lock"
        ) from exc


def _timed_downloads(*args) -> tuple[dict[str, bytes], float]:
    start = time.perf_counter()
    return dict(downloads(*args)), time.perf_counter() - start


def _descriptor(paths: Paths) -> dict:
    """The data package descriptor as written, or {} when it cannot be read (the checks then
    say why)."""
    try:
        descriptor = yaml.safe_load((paths.data / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        descriptor = None
    return descriptor if isinstance(descriptor, dict) else {}


def _site_url(paths: Paths) -> str:
    """The site's base URL: PORTAL_SITE_URL, else the data package's homepage."""
    return base_url(_descriptor(paths))


def publish_check(paths: Paths) -> tuple[str, list[str]]:
    """Before a build that will be published: (why it must not be, or ""; warnings). A site
    whose address is local would point every link in the catalogue, the sitemap and the feed
    at the builder's own machine."""
    descriptor = _descriptor(paths)
    url = base_url(descriptor)
    refusal = ""
    if is_local(url):
        refusal = (
            f"the site's address would be {url}, which only this machine can reach; set "
            f"{SITE_URL_VARIABLE} to the address the site is published at (or homepage in "
            f"data/{DESCRIPTOR}) and build again"
        )
    if not refusal:
        refusal = _unlocked(paths)
    warnings = []
    contacts = [c for c in descriptor.get("contributors") or [] if isinstance(c, dict)]
    if not any(c.get("email") for c in contacts if "contact" in (c.get("roles") or [])):
        warnings.append(
            f"no contact e-mail address is set (a contributor with role contact in "
            f"data/{DESCRIPTOR}); the pages say that the contact detail is missing"
        )
    return refusal, warnings


def _unlocked(paths: Paths) -> str:
    """Why the installed packages are not the ones the site's SBOM lists, or ""."""
    try:
        locked = pins((paths.root / SITE_LOCK).read_text(encoding="utf-8"))
    except OSError as exc:
        return f"{SITE_LOCK} cannot be read ({exc.strerror})"
    found = differences(locked)
    if not found:
        return ""
    shown = "; ".join(found[:5]) + ("; …" if len(found) > 5 else "")
    return f"the installed packages are not the locked ones ({shown}); make site installs them"


def write_docs(
    paths: Paths, pages: dict[str, str | bytes], keep: Callable[[str], bool] = lambda rel: False
) -> list[str]:
    """Make ``paths.docs`` hold content/, the generated pages and the published data files,
    and files for which ``keep`` is true. Only files whose bytes change are written, so a
    preview reloads just what changed. Returns the paths written or removed."""
    wanted: dict[str, bytes] = {}
    for file in sorted(paths.content.rglob("*")):
        if file.is_file():
            wanted[file.relative_to(paths.content).as_posix()] = file.read_bytes()
    for rel, text in pages.items():
        if rel in wanted:
            raise BuildError(f"content/{rel} has the same path as a generated page; rename it")
        wanted[rel] = text.encode("utf-8") if isinstance(text, str) else text

    touched = []
    paths.docs.mkdir(parents=True, exist_ok=True)
    for file in sorted(paths.docs.rglob("*")):
        rel = file.relative_to(paths.docs).as_posix()
        if file.is_file() and rel not in wanted and not keep(rel):
            file.unlink()
            touched.append(rel)
    for rel, content in wanted.items():
        target = paths.docs / rel
        if target.is_file() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        touched.append(rel)
    return touched


def build_site(paths: Paths, timings: Timings | None = None) -> int:
    """The whole build. Returns the number of pages generated; ``timings`` receives the
    seconds each stage took."""
    timings = Timings() if timings is None else timings
    files = generate(paths, timings)
    with timings.stage("write"):
        write_docs(paths, files)
    os.environ["SOURCE_DATE_EPOCH"] = str(commit_time(paths.data))
    try:
        publish(paths.config, _site_url(paths), paths.docs, paths.site, paths.work, timings)
    except PublishError as exc:
        raise BuildError(str(exc)) from exc
    return sum(1 for name in files if name.endswith(".md"))


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
