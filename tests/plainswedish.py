"""What a reader of the built site sees, checked for the data model's internal language.

The scan reads every HTML page and the Atom feed the way a reader meets them: visible text,
plus the texts a screen reader announces (alt, title, aria-label, placeholder). It skips what is
marked ``lang="en"``, scripts and styles, and on the open-data pages code samples and file
names. What it flags:

- a snake_case code (``not_stated``, ``public_party``);
- a dotted field path (``iop_assessment.criteria.long_term.finding``);
- an English enum value from the schemas (``met``, ``active``), read here from the schema files
  themselves, not from the portal's code;
- an English sentence (two or more English function words in one piece of text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Parts of three letters or more: Swedish abbreviations such as "bl.a" and "t.ex" are not paths.
DOTTED = re.compile(r"\b[a-z_]{3,}(?:\[\d+\])?(?:\.[a-z_]{3,}(?:\[\d+\])?)+\b")
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:csv|json|xlsx|sqlite|zip|rdf|xml|yaml|md|js|css)\b")
DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)+(?:se|org|com|eu|nu|io|net)\b")
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+")
# Function words of English that are not Swedish words.
ENGLISH = {
    "the", "and", "of", "is", "are", "was", "were", "this", "that", "with", "which",
    "has", "have", "to", "it", "its", "for", "or", "when", "where", "what", "does", "not",
}  # fmt: skip
# Codes that are also Swedish words, and so may appear in Swedish text.
SWEDISH_WORDS = {
    "budget",
    "partner",
    "pilot",
    "iop",
    "beslut",
    "skrivelse",
    "avtal",
    "protokollsutdrag",
}
# Pages about the open data, where code samples and file names are part of the text.
OPEN_DATA_PAGES = ("oppna-data/", "om-uppgifterna/")
SKIPPED = {"script", "style", "template"}
SCREEN_READER = ("alt", "title", "aria-label", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass(frozen=True)
class Finding:
    page: str
    kind: str  # snake_case, dotted path, English code, English sentence
    text: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.text[:120]!r}"


def enum_codes(data: Path) -> set[str]:
    """Every allowed value in the JSON Schemas and the Table Schemas, by reading the files."""
    codes: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "enum" and isinstance(item, list):
                    codes.update(str(v) for v in item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for schema in sorted((data / "schemas").glob("*.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    walk(yaml.safe_load((data / "datapackage.yaml").read_text(encoding="utf-8")))
    return codes


BLOCKS = {
    "p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption",
    "summary", "title", "figcaption", "div", "section", "nav", "header", "footer", "label",
    "button", "option", "desc", "text", "entry", "pre", "blockquote",
}  # fmt: skip


class _Text(HTMLParser):
    """Text pieces a reader meets, a piece per block (a paragraph, a list item, a cell), so
    that a sentence split by links is read whole; English-marked and skipped elements are left
    out."""

    def __init__(self, code_is_english: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.code_is_english = code_is_english
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.pieces: list[str] = []
        self.current: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def flush(self) -> None:
        text = "".join(self.current)
        if text.strip():
            self.pieces.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        attributes = dict(attrs)
        skip = (
            self.skipping
            or tag in SKIPPED
            or (attributes.get("lang") or "").startswith("en")
            or (self.code_is_english and tag in ("code", "pre"))
        )
        if not skip:
            self.pieces += [v for k, v in attrs if k in SCREEN_READER and v]
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self.pieces += [v for k, v in attrs if k in SCREEN_READER and v]

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def close(self):
        super().close()
        self.flush()


def page_texts(html: str, open_data: bool) -> list[str]:
    parser = _Text(code_is_english=open_data)
    parser.feed(html)
    parser.close()
    return parser.pieces


def markdown_texts(text: str) -> list[str]:
    """The texts of a generated Markdown page, turned into HTML as the site does."""
    import markdown

    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    extensions = ["tables", "toc", "attr_list", "def_list", "md_in_html", "admonition"]
    return page_texts(markdown.markdown(text, extensions=extensions), open_data=False)


def feed_texts(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)
    return [e.text for e in root.iter() if e.text and e.text.strip()] + [
        value for e in root.iter() for key, value in e.attrib.items() if key != "href"
    ]


def check_text(page: str, text: str, codes: set[str], open_data: bool) -> list[Finding]:
    text = " ".join(text.split())
    if open_data:
        text = FILE_NAME.sub(" ", text)
    text = DOMAIN.sub(" ", re.sub(r"https?://\S+", " ", text))
    found = [Finding(page, "snake_case", m) for m in SNAKE.findall(text)]
    found += [Finding(page, "dotted path", m) for m in DOTTED.findall(text)]
    words = WORD.findall(text)
    english_codes = {c for c in codes if c not in SWEDISH_WORDS and re.fullmatch(r"[a-z]+", c)}
    found += [Finding(page, "English code", w) for w in words if w.lower() in english_codes]
    function_words = {w.lower() for w in words} & ENGLISH
    if len(function_words) >= 2:
        found.append(Finding(page, "English sentence", text))
    return found


def scan_site(site: Path, data: Path) -> list[Finding]:
    codes = enum_codes(data)
    findings: list[Finding] = []
    for file in sorted(site.rglob("*.html")):
        page = file.relative_to(site).as_posix()
        if page.startswith(("pagefind/", "assets/")):
            continue
        open_data = page.startswith(OPEN_DATA_PAGES)
        for text in page_texts(file.read_text(encoding="utf-8"), open_data):
            findings += check_text(page, text, codes, open_data)
    feed = site / "andringar.xml"
    if feed.is_file():
        for text in feed_texts(feed.read_bytes()):
            findings += check_text("andringar.xml", text, codes, False)
    return findings
