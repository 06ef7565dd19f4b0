"""A MkDocs hook (``hooks:`` in mkdocs.yml, after every hook that changes a page's HTML): the
pages' HTML waits on disk, not in memory, between its conversion and the theme.

MkDocs converts every page before it renders the first one into the theme, and each page keeps
its Markdown and its HTML until the end of the build: at 10,000 partnerships, gigabytes. Here
each page's HTML goes to one temporary file as soon as it is made, and its Markdown is let go
(nothing reads it after the conversion); the HTML is read back just before the theme renders
that page, and let go once the page is written. The pages are the same bytes.
"""

from __future__ import annotations

import tempfile
from typing import IO

_spool: IO[bytes] | None = None
_where: dict[str, tuple[int, int]] = {}  # page source -> (offset, length) in the spool


def on_pre_build(**_) -> None:
    global _spool
    on_post_build()
    _spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by on_post_build)


def on_page_content(html: str, page, **_) -> str:
    assert _spool is not None
    data = html.encode("utf-8", "surrogatepass")
    _spool.seek(0, 2)
    _where[page.file.src_uri] = (_spool.tell(), len(data))
    _spool.write(data)
    page.markdown = ""  # not None: MkDocs then takes the page for one not yet read
    return ""


def on_page_context(context, page, **_):
    offset, length = _where.pop(page.file.src_uri)
    assert _spool is not None
    _spool.seek(offset)
    page.content = _spool.read(length).decode("utf-8", "surrogatepass")
    return context


def on_post_page(output: str, page, **_) -> str:
    page.content = None
    return output


def on_post_build(**_) -> None:
    global _spool
    if _spool is not None:
        _spool.close()
    _spool = None
    _where.clear()


on_build_error = on_post_build
