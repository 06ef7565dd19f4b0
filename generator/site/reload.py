"""A MkDocs hook (``hooks:`` in mkdocs.yml) for the live preview, ``portal serve``: MkDocs
rebuilds when the generator says its files are written, not on every file it writes.

MkDocs' live reload waits for file events to stop before it rebuilds. The generator writes the
pages first and the downloads after them, for a minute or more at national scale, so the
changed page would wait for every download. With ``PORTAL_PREVIEW_SIGNAL`` set to a file's
path, MkDocs watches that file instead of the docs folder; the generator writes it when the
pages are written and again when the downloads are, and each time waits for the file beside it,
which this hook writes when a build has finished (so that the downloads and MkDocs do not
share one core, and the next save is not written while MkDocs builds). Without the variable
(a build, or ``mkdocs serve``) nothing changes.
"""

from __future__ import annotations

import os
from pathlib import Path

SIGNAL = "PORTAL_PREVIEW_SIGNAL"


def on_serve(server, config, **_):
    signal = os.environ.get(SIGNAL)
    if signal:
        server.unwatch(config.docs_dir)
        Path(signal).touch()
        server.watch(signal)
    return server


def on_post_build(**_) -> None:
    _built()


def on_build_error(**_) -> None:
    _built()


def _built() -> None:
    signal = os.environ.get(SIGNAL)
    if signal:
        Path(f"{signal}.built").write_bytes(str(os.getpid()).encode())
