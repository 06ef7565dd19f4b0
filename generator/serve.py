"""Live preview: MkDocs serves build/docs and reloads the browser; a file watcher regenerates
the pages when a file in data/ or content/ is saved."""

from __future__ import annotations

import sys
import threading

from watchfiles import watch

from .build import BuildError, Docs, Paths, generate_into


def serve(paths: Paths, dev_addr: str) -> int:
    if not _regenerate(paths):
        return 1
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(paths, stop), daemon=True)
    watcher.start()
    from mkdocs.commands.serve import serve as mkdocs_serve

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
        stop.set()
    return 0


def _watch(paths: Paths, stop: threading.Event) -> None:
    for _changes in watch(paths.data, paths.content, stop_event=stop):
        _regenerate(paths)


def _regenerate(paths: Paths) -> bool:
    """Pages first, each written as it is made, so the preview shows a change soon; the
    downloads follow, then the files no longer made are removed."""
    try:
        docs = Docs(paths)
        generate_into(docs, paths, parallel=False)()
        touched = docs.finish()
    except BuildError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"portal serve: {exc}; the preview shows the last good version", file=sys.stderr)
        return False
    if touched:
        print(f"portal serve: updated {len(touched)} files", file=sys.stderr)
    return True
