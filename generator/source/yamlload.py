"""A strict YAML reader for hand-edited records.

On top of PyYAML's safe loader it
- remembers the line of every value, so problems can point at ``path:line``;
- rejects duplicate keys (PyYAML silently keeps the last one);
- rejects anchors, aliases and tags, which editors never need and which hide content;
- keeps dates as ISO text, exactly as written, so ``2026-01-01`` and ``"2026-01-01"`` agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..problems import Problem
from .files import FORBIDDEN, describe

Path_ = tuple[str | int, ...]


class _Loader(yaml.CSafeLoader):
    """The C (libyaml) safe loader, with plain numbers only and no dates, merges or values."""


# Dates stay text; '<<' (merge) and '=' (value) are plain text, not YAML features. YAML 1.1's
# numbers are replaced by plain decimal ones: 016 would be octal 14, 1_000 a thousand and 1:30
# ninety, and .nan and .inf are no numbers a publication can hold. Such text stays text, and
# the schema says that a number was expected.
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {*_DROPPED, _INT, _FLOAT}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789"),
)
LARGEST = 2**63 - 1  # the largest whole number SQLite, Excel's neighbours and JSON tools agree on


_MAY_HAVE_FEATURES = re.compile(r"[&*!]")


@dataclass
class YamlDoc:
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    text: str = ""  # the source, comments included

    def line(self, path: Path_) -> int:
        """The line of the value at ``path``, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_yaml(text: str, shown: str) -> tuple[YamlDoc | None, list[Problem]]:
    # Anchors, aliases and tags need '&', '*' or '!'; text without them skips that scan.
    problems = _check_events(text, shown) if _MAY_HAVE_FEATURES.search(text) else []
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, shown, text)]
    doc = YamlDoc(None, text=text)
    if node is None:
        return doc, []
    constructor = _Loader("")
    doc.data = _convert(node, (), doc.lines, constructor, shown, problems)
    return doc, problems


def _check_events(text: str, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        "yaml-anchor",
                        f"alias *{event.anchor} repeats content from elsewhere; write the "
                        "value out in full instead",
                    )
                )
                continue
            anchor = getattr(event, "anchor", None)
            if anchor:
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        "yaml-anchor",
                        f"anchor &{anchor} is not allowed; remove it and write values in full",
                    )
                )
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and not _implicit(event):
                problems.append(
                    Problem(
                        shown,
                        line,
                        "",
                        "yaml-tag",
                        f"tag {tag} is not allowed; remove it (put text in quotes if needed)",
                    )
                )
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, shown, text))
    return problems


def _implicit(event: yaml.Event) -> bool:
    implicit = getattr(event, "implicit", False)
    # ScalarEvent.implicit is a pair; collection start events carry a bool.
    return implicit[0] if isinstance(implicit, tuple) else bool(implicit)


def _syntax_problem(exc: yaml.YAMLError, shown: str, text: str = "") -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 0
    position = getattr(exc, "position", None)  # a reader error names a character, not a line
    if not line and isinstance(position, int):
        line = text.count("\n", 0, position) + 1
    what = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {what}" + (f" ({context})" if context else "")
    hint = "; check the indentation and that text containing ': ' or '#' is in quotes"
    return Problem(shown, line, "", "yaml-syntax", message + hint)


def _convert(node, path, lines, constructor, shown, problems):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                problems.append(
                    Problem(
                        shown,
                        key_line,
                        dotted((*path, key)),
                        "yaml-duplicate-key",
                        f"'{key}' appears twice in the same mapping (first on line "
                        f"{lines[(*path, key)]}); keep one and delete the other",
                    )
                )
                continue
            result[key] = _convert(value_node, (*path, key), lines, constructor, shown, problems)
            lines[(*path, key)] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*path, i), lines, constructor, shown, problems)
            for i, item in enumerate(node.value)
        ]
    value = constructor.construct_object(node, deep=True)
    hidden = FORBIDDEN.search(value) if isinstance(value, str) else None
    if hidden:  # written as an escape ("\u202e"), so the file's own text did not show it
        problems.append(
            Problem(
                shown,
                lines[path],
                dotted(path),
                "control-character",
                f"the value holds an invisible character ({describe(hidden.group())}), which can "
                "hide or reverse text and cannot be published; delete it",
            )
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > LARGEST:
        problems.append(
            Problem(
                shown,
                lines[path],
                dotted(path),
                "invalid-value",
                f"{value} is larger than any number the portal can publish; check the value",
            )
        )
    return value


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
