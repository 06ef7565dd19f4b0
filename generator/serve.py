"""Live preview: MkDocs serves build/docs and reloads the browser; a file watcher regenerates
the pages when a file in data/ or content/ is saved."""

from __future__ import annotations

import sys
import threading

from watchfiles import watch

from .build import BuildError, Paths, generate_in_steps, write_docs


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
    """Pages first, so the preview shows a change soon; the downloads (the files under data/,
    kept until then) follow."""
    try:
        pages, downloads_of = generate_in_steps(paths, parallel=False)
        touched = write_docs(paths, pages, keep=lambda rel: rel.startswith("data/"))
        touched += write_docs(paths, downloads_of(), keep=lambda rel: rel in pages)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print(f"portal serve: {exc}; the preview shows the last good version", file=sys.stderr)
        return False
    if touched:
        print(f"portal serve: updated {len(touched)} files", file=sys.stderr)
    return True
