"""The live preview's rebuild of only the files a save changed.

MkDocs' own rebuild (its dirty mode) lists every file of the docs folder again, makes a page
object for each, compares every source's time with its output's and renders the site map: at
10,000 partnerships, about 4 s for the two pages an edit changes. The generator knows which
files it wrote, so the preview tells this module (``LastBuild.changed``), and the next rebuild
goes through MkDocs' own steps for one page (read and convert it, render it into the theme,
write it) for those pages only, with the files, navigation and templates of the last whole
build, and links or copies the other changed files. Every page is made by the same hooks as in
a whole build, so it has the same bytes as MkDocs' dirty rebuild would give it.

A whole MkDocs rebuild runs instead when a file was added or removed (the list of files and the
navigation change), when mkdocs.yml changed, after a rebuild that failed, and where MkDocs has
no such steps (another version): then nothing is different from before. A save that changed no
file rebuilds nothing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

try:  # MkDocs' steps for one page; without them every rebuild is MkDocs' own
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel
except ImportError:  # pragma: no cover (another MkDocs)
    _build_page = _populate_page = None

from .linked import link


class LastBuild:
    """What the last whole build made (its configuration, files, navigation and templates)
    and the files the generator has changed since."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._building: tuple | None = None
        self.built: tuple | None = None  # (config, files, nav, env, mkdocs.yml's time)
        self.pending: set[str] = set()

    def changed(self, paths: list[str]) -> None:
        """The generator wrote or removed ``paths`` (relative to the docs folder)."""
        with self._lock:
            self.pending.update(paths)

    def made_nav(self, nav, config, files) -> None:
        """A whole build has made its navigation (MkDocs' ``on_nav``)."""
        self._building = (config, files, nav)

    def made_env(self, env, files) -> None:
        """The same build has made its templates (MkDocs' ``on_env``)."""
        if self._building is not None and self._building[1] is files:
            config = self._building[0]
            stamp = os.stat(config.config_file_path).st_mtime_ns
            self._building = (*self._building, env, stamp)

    def finished(self, ok: bool) -> None:
        """The whole build has finished (or failed: then the next rebuild is whole too)."""
        built, self._building = self._building, None
        if built is not None:  # not a rebuild of changed files, which has kept nothing
            self.built = built if ok and len(built) == 5 else None

    def builder(self, whole: Callable[[], None]) -> Callable[[], None]:
        """MkDocs' rebuild of the preview: of the changed files only, where it can."""

        def rebuild() -> None:
            with self._lock:
                pending, self.pending = self.pending, set()
            if not self._only(pending):
                self.built = None  # let the last build's pages go before MkDocs makes new ones
                whole()

        return rebuild

    def _only(self, pending: set[str]) -> bool:
        """Rebuild the ``pending`` files alone; False where a whole rebuild is needed."""
        if self.built is None or _populate_page is None:
            return False
        config, files, nav, env, stamp = self.built
        if os.stat(config.config_file_path).st_mtime_ns != stamp:
            return False
        changed = [files.get_file_from_path(rel) for rel in sorted(pending)]
        if any(f is None or not os.path.isfile(f.abs_src_path) for f in changed):
            return False  # a file added or removed
        pages = [f for f in changed if f.is_documentation_page()]
        config.plugins.on_pre_build(config=config)
        try:
            for file in changed:
                if not file.is_documentation_page() and not link(
                    file.abs_src_path, file.abs_dest_path
                ):
                    file.copy_file()
            for file in pages:
                _populate_page(file.page, config, files)
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            for file in pages:
                excluded = file.inclusion.is_excluded()
                _build_page(file.page, config, doc_files, nav, env, excluded=excluded)
        except Exception as exc:
            self.built = None
            config.plugins.on_build_error(error=exc)
            raise
        config.plugins.on_post_build(config=config)
        return True


LAST = LastBuild()  # the preview's: ``portal serve`` runs one MkDocs server per process
