"""Publish stage: MkDocs turns the docs folder into a site, Pagefind indexes it, and the new site
replaces the old one in one rename, so a failed build leaves the old site untouched.

When the previous site was built with the same configuration, theme and MkDocs (a fingerprint
kept beside it says so), only the pages whose files changed are rebuilt: the new site starts as
hard links to the old one's files, every file MkDocs will write is unlinked first (so the old
site is never written through a link), and MkDocs runs in its dirty mode, which rebuilds a page
only when its source is newer than its output. The generator rewrites only files whose bytes
change, so that is exactly the pages that depend on a change. Pagefind indexes the searched
pages in parts of 2,000 and the parts are joined (indexer.py, searchparts.py): in a full build
it reads each page as MkDocs writes it; in a dirty build it reads a part only once the part is
complete, and only if one of its pages changed since a build kept its index. A page a dirty
build leaves as it was is read from the site in its place in MkDocs' order of pages, so both
builds make the same index.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections import deque
from pathlib import Path

from mkdocs.plugins import BasePlugin

from ..source.cache import code_version, digest
from .indexer import MARKED, IndexingError, PartedIndex
from .searchindex import finish

# What MkDocs logs in its dirty mode; anything else it warns about still fails the build.
DIRTY_NOTICE = "A 'dirty' build is being performed"


class PublishError(Exception):
    pass


def engine_log(part: str = "") -> logging.Logger:
    """The logger of MkDocs (``part``: of one of its modules, as ".commands.build"), or of
    the fork that stands in for it: ProperDocs answers every import of mkdocs and logs under
    its own name, and a warning it logs must fail the build all the same."""
    import mkdocs

    return logging.getLogger(mkdocs.__name__ + part)


def publish(config_file: Path, site_url: str, docs: Path, site: Path, work: Path, timings) -> bool:
    """Build ``docs`` into ``site``; ``timings.stage(name)`` times each step. Returns True
    when only the changed pages were rebuilt."""
    new, old, stamp = work / "site.new", work / "site.old", work / "site.fingerprint"
    shutil.rmtree(new, ignore_errors=True)
    fingerprint = _fingerprint(config_file, site_url)
    incremental = site.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint
    if incremental:
        try:
            shutil.copytree(site, new, copy_function=os.link)
        except OSError:  # no hard links here (another file system): build it all
            shutil.rmtree(new, ignore_errors=True)
            incremental = False
    try:
        indexer = PartedIndex(new, work / "search.parts", ahead=not incremental)
        try:
            with timings.stage("mkdocs"):
                _mkdocs(config_file, docs, new, site_url, incremental, _Feed(indexer))
            with timings.stage("search"):
                _write_index(indexer, new / "pagefind")
        finally:
            indexer.close()
    except IndexingError as exc:
        raise PublishError(str(exc)) from exc
    stamp.unlink(missing_ok=True)
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    new.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    stamp.write_text(fingerprint)
    return incremental


def _fingerprint(config_file: Path, site_url: str) -> str:
    """What every page's HTML depends on besides its own source: the configuration and the
    base URL, the theme overrides, this package's code, and the versions of MkDocs and the
    theme."""
    import material
    import mkdocs

    theme = sorted((Path(__file__).parent / "templates" / "theme").rglob("*"))
    return digest(
        code_version(),
        mkdocs.__version__,
        material.__version__,
        site_url,
        config_file.read_bytes(),
        *(f"{p.name}\0".encode() + p.read_bytes() for p in theme if p.is_file()),
    )


class _OnlyChanged(BasePlugin):
    """Before a dirty build: remove outputs that are gone from the docs, and unlink every
    output MkDocs will write, so it writes a new file instead of through a hard link."""

    def on_files(self, files, config):
        site = Path(config.site_dir)
        wanted = {Path(f.abs_dest_path) for f in files}
        always = {site / t for t in config.theme.static_templates} | {site / "sitemap.xml.gz"}
        for path in [p for p in site.rglob("*") if p.is_file() or p.is_symlink()]:
            if path not in wanted or path in always:
                path.unlink()
        for f in files:
            if f.is_modified():
                Path(f.abs_dest_path).unlink(missing_ok=True)
        return files


class _Feed(BasePlugin):
    """Gives Pagefind each page as MkDocs writes it, in MkDocs' order of pages. A page a dirty
    build leaves as it was is read from the site when its turn comes; the other HTML files
    (the theme's 404 page, HTML copied from the docs) follow, in the order of their paths."""

    def __init__(self, indexer: PartedIndex) -> None:
        self.indexer = indexer
        self.pages: deque = deque()
        self.others: list[str] = []

    def on_files(self, files, config):
        templates = {t for t in config.theme.static_templates if t.endswith(".html")}
        copied = {f.dest_uri for f in files.static_pages() if f.dest_uri.endswith(".html")}
        self.others = sorted(templates | copied)
        return files

    def on_env(self, env, config, files):
        self.pages = deque(files.documentation_pages())
        return env

    def on_post_page(self, output: str, page, config) -> str:
        self._catch_up(config, until=page.file)
        if MARKED in output:  # the bytes MkDocs writes (build.py), read back as text
            written = output.encode("utf-8", errors="xmlcharrefreplace").decode("utf-8")
            self.indexer.add(page.file.dest_uri, written)
        return output

    def on_post_build(self, config) -> None:
        self._catch_up(config, until=None)
        for name in self.others:
            self._add_written(config, name)

    def _catch_up(self, config, until) -> None:
        while self.pages:
            file = self.pages.popleft()
            if file is until:
                return
            self._add_written(config, file.dest_uri)

    def _add_written(self, config, name: str) -> None:
        path = Path(config.site_dir) / name
        if path.is_file():
            self.indexer.add(name, path.read_text("utf-8"))


def _mkdocs(
    config_file: Path, docs: Path, site_dir: Path, site_url: str, dirty: bool, feed: _Feed
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    warnings: list[str] = []
    handler = _Collect(warnings)
    logger = engine_log()
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        # Dirty mode logs a notice as a warning, so strict mode is enforced here instead.
        config = load_config(
            str(config_file),
            docs_dir=str(docs),
            site_dir=str(site_dir),
            site_url=site_url,
            strict=not dirty,
        )
        if dirty:
            config.plugins["portal-only-changed"] = _OnlyChanged()
        config.plugins["portal-search-index"] = feed  # last: it sees each page as written
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise PublishError(f"MkDocs failed: {exc}" + _details(warnings)) from exc
    finally:
        logger.removeHandler(handler)
    problems = [w for w in warnings if not w.startswith(DIRTY_NOTICE)]
    if problems:
        raise PublishError(
            "MkDocs failed: Aborted with warnings in strict mode!" + _details(problems)
        )


def _details(warnings: list[str]) -> str:
    return f" ({'; '.join(warnings)})" if warnings else ""


class _Collect(logging.Handler):
    """Keeps MkDocs's warnings, so a failed build can say what went wrong."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(" ".join(record.getMessage().split()))


def _write_index(indexer: PartedIndex, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)  # links to the old index
    indexer.write(folder)
    finish(folder)
