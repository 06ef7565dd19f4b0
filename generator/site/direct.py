"""A MkDocs hook (``hooks:`` in mkdocs.yml): the record pages reach the theme as the HTML their
templates wrote, without Python-Markdown.

A page generated as HTML opens with ``MARK``. For such a page the hook does what the Markdown
conversion did for the rest of the site: it gives every heading without an id the one the
``toc`` extension would (with that extension's own ``slugify`` and ``unique``, so every address
stays the same), builds the table of contents from the headings and takes the title from the
first-level heading. The page's conversion is then replaced by one that hands over this HTML.
The hand-written pages in content/ and the generated lists keep Markdown.
"""

from __future__ import annotations

import html
import re
from functools import partial

from markdown.extensions.toc import nest_toc_tokens, slugify, strip_tags, unique
from mkdocs.structure.toc import get_toc

MARK = "<!-- html -->\n"
_HEADING = re.compile(r'<h([1-6])(?: id="([^"]+)")?>(.*?)</h\1>', re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')


def on_page_markdown(markdown: str, page, **_) -> str:
    if not markdown.startswith(MARK):
        return markdown
    content, tokens = with_headings(markdown[len(MARK) :].strip("\n"))
    if tokens and tokens[0]["level"] == 1 and not page.meta.get("title"):
        page.meta["title"] = html.unescape(tokens[0]["name"])
    page.render = partial(_render, page, content, tokens)
    return markdown


def with_headings(content: str) -> tuple[str, list[dict]]:
    """The content with an id on every heading, and the headings as the toc extension's
    tokens (level, id, name, html), in the order they come."""
    used = {m.group(2) for m in _HEADING.finditer(content) if m.group(2)}
    counters: dict[str, int] = {}
    tokens: list[dict] = []

    def heading(match: re.Match[str]) -> str:
        level, given, inner = match.groups()
        name = strip_tags(inner)
        anchor = given or unique(slugify(html.unescape(name), "-"), used, counters)
        tokens.append(
            {"level": int(level), "id": anchor, "name": name, "html": inner, "data-toc-label": ""}
        )
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(heading, content), tokens


def _render(page, content: str, tokens: list[dict], config, files) -> None:
    """What ``Page.render`` sets, from HTML that needs no conversion."""
    page.content = content
    page.toc = get_toc(nest_toc_tokens(tokens))
    page.present_anchor_ids = set(_ID.findall(content))
    del page.render  # the page's own method again: the HTML is not kept twice
