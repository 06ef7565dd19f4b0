"""Publish stage: MkDocs turns the docs folder into a site, Pagefind indexes it, and the new site
replaces the old one in one rename, so a failed build leaves the old site untouched.

When the previous site was built with the same configuration, theme and MkDocs (a fingerprint
kept beside it says so), only the pages whose files changed are rebuilt: the new site starts as
hard links to the old one's files, every file MkDocs will write is unlinked first (so the old
site is never written through a link), and MkDocs runs in its dirty mode, which rebuilds a page
only when its source is newer than its output. The generator rewrites only files whose bytes
change, so that is exactly the pages that depend on a change. Pagefind always indexes every
searched page.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.plugins import BasePlugin

from ..source.cache import code_version, digest
from .searchindex import stabilise

# The attribute the theme gives the main content of a page that search finds (main.html).
_MARKED = b"data-pagefind-body"
# What MkDocs logs in its dirty mode; anything else it warns about still fails the build.
_DIRTY_NOTICE = "A 'dirty' build is being performed"


class PublishError(Exception):
    pass


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
    with timings.stage("mkdocs"):
        _mkdocs(config_file, docs, new, site_url, incremental)
    with timings.stage("search"):
        _pagefind(new, work / "search-pages")
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


def _mkdocs(config_file: Path, docs: Path, site_dir: Path, site_url: str, dirty: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    warnings: list[str] = []
    handler = _Collect(warnings)
    logger = logging.getLogger("mkdocs")
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
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise PublishError(f"MkDocs failed: {exc}" + _details(warnings)) from exc
    finally:
        logger.removeHandler(handler)
    problems = [w for w in warnings if not w.startswith(_DIRTY_NOTICE)]
    if problems:
        raise PublishError(
            "MkDocs failed: Aborted with warnings in strict mode!" + _details(problems)
        )


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # no hard links here (another file system)
        shutil.copyfile(source, target)


def _details(warnings: list[str]) -> str:
    return f" ({'; '.join(warnings)})" if warnings else ""


class _Collect(logging.Handler):
    """Keeps MkDocs's warnings, so a failed build can say what went wrong."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(" ".join(record.getMessage().split()))


def _pagefind(site_dir: Path, pages: Path) -> None:
    """Index the pages that are searched: those whose main content is marked for Pagefind.
    Pagefind would read every page of the site and skip the rest itself, but it holds every
    file it reads (at 10,000 partnerships, two thirds of the pages and 1.6 GB); so it is
    given a folder of links to the searched pages only. The index is the same."""
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)  # links to the old index
    shutil.rmtree(pages, ignore_errors=True)
    for page in sorted(site_dir.rglob("*.html")):
        if _MARKED in page.read_bytes():
            _link(page, pages / page.relative_to(site_dir))
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--silent"]
    command += ["--output-path", str(site_dir / "pagefind")]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    if result.returncode != 0:
        raise PublishError(f"Pagefind failed: {result.stderr.strip() or result.stdout.strip()}")
    # The search page uses Pagefind's API (assets/search.js), not the interfaces it ships.
    for unused in (site_dir / "pagefind").glob("pagefind-*ui.*"):
        unused.unlink()
    (site_dir / "pagefind" / "pagefind-highlight.js").unlink(missing_ok=True)
    stabilise(site_dir / "pagefind")
