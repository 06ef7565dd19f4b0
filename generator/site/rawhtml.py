"""MkDocs hooks (``hooks:`` in mkdocs.yml): the generated pages' HTML blocks skip the parser.

Python-Markdown copies a raw HTML block to its output unchanged, but it first parses the block
with html.parser to find where it ends, and on the portal's table-heavy pages that parse was
most of the build. So a top-level block that starts with a block-level tag and ends with the
same tag's end is swapped for a placeholder paragraph before the conversion, and put back in
place of the paragraph after it. The HTML is byte-for-byte what Python-Markdown would have
written; a test builds the site both ways and compares every file.
"""

from __future__ import annotations

import re

_TAGS = "table|div|ol|ul|dl|p|figure|details|nav|section"
_BLOCK = re.compile(rf"<({_TAGS})[\s>].*</\1>", re.DOTALL)
# The placeholder has hyphens, which the escaping of text from data always writes as "&#45;":
# no text from data can imitate it and move a block elsewhere.
_TOKEN = "PORTAL-RAW-HTML-{}-BLOCK"
_stash: dict[str, list[str]] = {}


def on_page_markdown(markdown: str, page, **_) -> str:
    blocks = markdown.split("\n\n")
    kept: list[str] = []
    for i, block in enumerate(blocks):
        match = _BLOCK.fullmatch(block)
        if match and _balanced(block, match.group(1)):
            blocks[i] = _TOKEN.format(len(kept))
            kept.append(block)
    _stash[page.file.src_uri] = kept
    return "\n\n".join(blocks) if kept else markdown


def on_page_content(html: str, page, **_) -> str:
    kept = _stash.pop(page.file.src_uri, [])
    for i, block in enumerate(kept):
        paragraph = f"<p>{_TOKEN.format(i)}</p>"
        # Python-Markdown writes an empty line after a raw block, unless it ends the page.
        end = "" if html.endswith(paragraph) and html.count(paragraph) == 1 else "\n"
        html = html.replace(paragraph, block + end, 1)
    return html


def _balanced(block: str, tag: str) -> bool:
    """The first tag closes only at the end: no second top-level element in the block."""
    depth = 0
    for m in re.finditer(rf"<(/?){tag}[\s>]", block):
        depth += -1 if m.group(1) else 1
        if depth == 0 and m.end() != len(block):
            return False
    return depth == 0
