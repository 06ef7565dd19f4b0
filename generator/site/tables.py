"""A MkDocs hook: every table the portal generates sits in a box of the content column's
width that scrolls sideways when the table is wider (portal.css shows a shadow at the edge that
hides columns). So a wide table never runs under the table of contents or makes the page
scroll, and no word has to be broken to make it fit. portal.js makes a box that scrolls
reachable by keyboard and names it after the table's caption."""

from __future__ import annotations

import re

_TABLE = re.compile(r'<table class="portal-(?:table|facts)".*?</table>', re.DOTALL)
_CAPTION = "<caption>"


def wrap_tables(html: str) -> str:
    """The page with every portal table in a scroll box, its caption given an id to name it."""
    count = 0

    def wrapped(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        table = match.group(0)
        if _CAPTION in table:
            table = table.replace(_CAPTION, f'<caption id="portal-tabell-{count}">', 1)
        return f'<div class="portal-table-wrap">{table}</div>'

    return _TABLE.sub(wrapped, html)


def on_post_page(output: str, page, **_) -> str:
    return wrap_tables(output)
