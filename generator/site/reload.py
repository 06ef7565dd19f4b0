"""A MkDocs hook (``hooks:`` in mkdocs.yml) for the live preview, ``portal serve``: MkDocs
rebuilds when the generator says its files are written, not on every file it writes.

MkDocs' live reload waits for file events to stop before it rebuilds. The generator writes the
pages first and the downloads after them, for a minute or more at national scale, so the
changed page would wait for every download. With ``PORTAL_PREVIEW_SIGNAL`` set to a file's
path, MkDocs watches that file instead of the docs folder; the generator writes it when the
pages are written and again when the downloads are, and each time waits for the file beside it,
which this hook writes when a build has finished (so that the downloads and MkDocs do not
share one core, and the next save is not written while MkDocs builds). The hook also keeps what
each whole build made, so that a rebuild the generator asks for renders only the files it
changed (quick.py). Without the variable (a build, or ``mkdocs serve``) nothing changes.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.site import quick

SIGNAL = "PORTAL_PREVIEW_SIGNAL"


def on_serve(server, config, **_):
    signal = os.environ.get(SIGNAL)
    if signal:
        server.unwatch(config.docs_dir)
        Path(signal).touch()
        server.watch(signal)
        server.builder = quick.LAST.builder(server.builder)
    return server


def on_nav(nav, config, files, **_):
    if os.environ.get(SIGNAL):
        quick.LAST.made_nav(nav, config, files)
    return nav


def on_env(env, config, files, **_):
    if os.environ.get(SIGNAL):
        quick.LAST.made_env(env, files)
    return env


def on_post_build(**_) -> None:
    _built(ok=True)


def on_build_error(**_) -> None:
    _built(ok=False)


def _built(ok: bool) -> None:
    signal = os.environ.get(SIGNAL)
    if signal:
        quick.LAST.finished(ok)
        Path(f"{signal}.built").write_bytes(str(os.getpid()).encode())
