"""Live preview: MkDocs serves build/docs and reloads the browser; a file watcher regenerates
the pages when a file in data/ or content/ is saved, and tells MkDocs when to rebuild (see
site/reload.py)."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from .build import BuildError, Docs, Paths, generate_into
from .collector import held_back
from .model.tracked import tracking
from .opendata.writers import FOLDER
from .parallel import Superseded
from .site import quick
from .site.preview import Preview
from .site.publish import DIRTY_NOTICE, engine_log
from .site.reload import SIGNAL


class Rebuild:
    """Asks MkDocs to rebuild (by writing ``path``, which it watches) and waits until it has:
    the hook writes the file beside it when a build has finished."""

    def __init__(self, path: Path, stop: threading.Event | None = None) -> None:
        self.path, self.built = path, Path(f"{path}.built")
        self.stop = stop or threading.Event()  # the preview stops: no rebuild will come
        for left in (self.path, self.built):  # by an earlier preview
            left.unlink(missing_ok=True)

    def serving(self, stop: threading.Event) -> bool:
        """Wait until MkDocs has made its first build and watches the file (the hook makes it
        then), or until ``stop``; True if it does."""
        while not self.path.exists():
            if stop.wait(0.1):
                return False
        return True

    def request(self, changed: list[str]) -> int:
        """Ask for a rebuild of the ``changed`` files (relative to the docs folder)."""
        quick.LAST.changed(changed)
        asked = time.time_ns()
        self.path.write_text(str(asked), encoding="utf-8")
        return asked

    def wait(self, asked: int, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stop.is_set():
            try:
                if self.built.stat().st_mtime_ns > asked:
                    return
            except OSError:
                pass  # no build has finished yet
            time.sleep(0.05)


def serve(paths: Paths, dev_addr: str) -> int:
    preview, saved, stop = Preview(), threading.Event(), threading.Event()
    # Saves are noted from the start: one made while the first preview is made (a quarter of
    # an hour at 10,000 partnerships) is taken up once MkDocs serves it.
    threading.Thread(target=_note_saves, args=(paths, saved, stop), daemon=True).start()
    if not _regenerate(paths, preview):
        stop.set()
        return 1
    rebuild = Rebuild(paths.work / "preview-signal", stop)
    watcher = threading.Thread(
        target=_watch, args=(paths, preview, rebuild, saved, stop), daemon=True
    )
    watcher.start()
    from mkdocs.commands.serve import serve as mkdocs_serve

    os.environ[SIGNAL] = str(rebuild.path)
    quiet, builds = _NoDirtyNotice(), engine_log(".commands.build")
    builds.addFilter(quiet)
    try:
        mkdocs_serve(
            str(paths.config),
            livereload=True,
            # Rebuild only the pages whose files changed: the generator rewrites just those.
            build_type="dirty",
            dev_addr=dev_addr,
            docs_dir=str(paths.docs),
            strict=False,
        )
    finally:
        # The save under way stops where it is, its downloads' process with it, before this
        # process ends: nothing goes on writing into the docs folder once the preview is gone.
        stop.set()
        watcher.join(_STOPPING)
        os.environ.pop(SIGNAL, None)
        builds.removeFilter(quiet)
    return 0


_STOPPING = 30  # seconds a save under way may take to stop (its pages are written first)


class _NoDirtyNotice(logging.Filter):
    """Leaves out MkDocs' warning that a dirty build may have inaccurate links: the preview
    asks for such a build on every save, on purpose, and an editor can do nothing about it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


def _watch(
    paths: Paths,
    preview: Preview,
    rebuild: Rebuild,
    saved: threading.Event,
    stop: threading.Event,
) -> None:
    """Regenerate after each save, once MkDocs serves. The saves are noted by a thread of their
    own (``saved``), so that a save made while the last one's downloads are made stops them
    (see _regenerate)."""
    if not rebuild.serving(stop):
        return
    while not stop.is_set():
        if saved.wait(0.5):
            saved.clear()
            _regenerate(paths, preview, rebuild, lambda: saved.is_set() or stop.is_set())
            if saved.is_set() and not stop.is_set():
                print("portal serve: a newer save came; making its pages", file=sys.stderr)


def _note_saves(paths: Paths, saved: threading.Event, stop: threading.Event) -> None:
    for _changes in watch(paths.data, paths.content, stop_event=stop):
        saved.set()


def _regenerate(
    paths: Paths,
    preview: Preview,
    rebuild: Rebuild | None = None,
    superseded: Callable[[], bool] = lambda: False,
) -> bool:
    """Pages first, each written as it is made (only those whose inputs changed are rendered
    again); then MkDocs rebuilds, so the preview shows the change before the downloads are
    made; then the downloads, the files no longer made are removed, and MkDocs rebuilds again.

    Each rebuild is waited for, so the next save's pages are never written while MkDocs
    builds: MkDocs reads every page before it writes any, and a page saved in between would
    look older than its output, so no later rebuild would take it up.

    The downloads take minutes at 10,000 partnerships. Once ``superseded()`` (a newer save
    came), they are stopped and the next save is taken at once; the files they had written
    are then counted as changed by the next save that makes every download, so MkDocs takes
    them up.
    """
    try:
        docs = Docs(paths, preview.unsure)
        with tracking():
            # A save makes a second dataset beside the last preview's: the collector waits
            # until the change is shown (not at the first preview, which renders every
            # page and makes much cyclic garbage), and collects the save's garbage after.
            with held_back(preview.last is not None):
                downloads = generate_into(docs, paths, parallel=False, preview=preview)
                pages = list(docs.touched)
                if rebuild:
                    rebuild.wait(rebuild.request(pages))
            try:
                downloads(superseded)
            except Superseded:
                preview.unsure = (f"{FOLDER}/",)
                return True
        touched = docs.finish()
        preview.unsure = ()
        if rebuild:
            rebuild.wait(rebuild.request(touched[len(pages) :]))
    except BuildError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"portal serve: {exc}; the preview shows the last good version", file=sys.stderr)
        return False
    finally:
        gc.collect()  # this save's garbage, while the editor looks at the change
    if touched:
        print(f"portal serve: updated {len(touched)} files", file=sys.stderr)
    return True
