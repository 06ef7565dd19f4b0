"""Where a page sits: the trail from the start page through its section of the menu, shown
above the title of every page below a section (Start › Partnerskap › Min Framtid).

Also a MkDocs hook (``hooks:`` in mkdocs.yml): MkDocs takes a page's title from its heading
only when the heading comes first, so for a page that opens with its trail the title is
taken from the heading here.
"""

from __future__ import annotations

import html
import re

_OPENS_WITH_TRAIL = '<nav class="portal-trail"'
_HEADING = re.compile(r"^# (.+)$", re.MULTILINE)

START = ("Start", "index.md")
# The menu's sections (nav in mkdocs.yml, which a test compares), by the folder of the pages
# under them: (name, page).
SECTIONS = {
    "partnerskap": ("Partnerskap", "partnerskap/index.md"),
    "urval": ("Urval", "urval/index.md"),
    "organisationer": ("Organisationer", "organisationer/index.md"),
    "beslut": ("Beslut och handlingar", "beslut/index.md"),
    "handlingar": ("Beslut och handlingar", "beslut/index.md"),
    "skrivelser": ("Politiska frågor", "skrivelser/index.md"),
    "vagar": ("Vägar till samverkan", "vagar/index.md"),
    "oppna-data": ("Ladda ner", "oppna-data.md"),
    "andringar": ("Ändringar", "andringar.md"),
}
# Pages between a section and the pages below them.
BETWEEN = {"handlingar": ("Handlingarnas text", "handlingar/index.md")}


def trail(path: str) -> tuple[tuple[str, str], ...]:
    """The pages above ``path`` (a page in the docs folder), from the start page; none for
    the start page and the menu's own pages."""
    folder = path.split("/", 1)[0] if "/" in path else ""
    section = SECTIONS.get(folder)
    if section is None or path == section[1]:
        return ()
    steps = [START, section]
    if folder in BETWEEN and path != BETWEEN[folder][1]:
        steps.append(BETWEEN[folder])
    return tuple(steps)


def on_page_markdown(markdown: str, page, **_) -> str:
    if markdown.startswith(_OPENS_WITH_TRAIL) and not page.meta.get("title"):
        heading = _HEADING.search(markdown)
        if heading:
            page.meta["title"] = html.unescape(heading.group(1).strip())
    return markdown
