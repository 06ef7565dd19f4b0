"""Read stage: find every file in a data folder, check its hygiene and parse it once.

The result keeps, for every value, the physical line it came from, so that later stages can
report ``path:line``. Nothing here decides whether the content is right; the checks do that.
A descriptor or schema that cannot be parsed is reported here; whether a parsed one is right is
for the checks to say.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import astuple, dataclass, field
from pathlib import Path

from ..catalogue import COLLECTIONS, DESCRIPTOR, KIND, SCHEMA_DIR
from ..problems import Problem
from .cache import NO_CACHE, Cache, digest
from .csvfile import Table, parse_csv
from .files import MAX_CSV_BYTES, MAX_YAML_BYTES, read_text
from .yamlload import YamlDoc, load_yaml

ROUTES = KIND["guide"].file
ROUTES_SCHEMA = KIND["guide"].schema
# Files an editor may keep in data/ that the validator does not parse.
DOC_FILES = {"README.md"}
# How old a file's last change must be, when it is read, for a status to tell a later change.
_SETTLED_NS = 3 * 10**9


@dataclass
class Record:
    """One YAML record: data/<collection>/<stem>.yaml."""

    collection: str
    stem: str
    path: str
    doc: YamlDoc
    key: str = ""  # a hash of the file's path and text, for the check cache

    @property
    def data(self) -> dict:
        return self.doc.data if isinstance(self.doc.data, dict) else {}


@dataclass
class Loaded:
    root: Path
    shown: str
    descriptor: dict | None = None
    descriptor_doc: YamlDoc | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    # Every record file found, parsed or not, so a broken file does not also break the
    # references to it.
    stems: dict[str, set[str]] = field(default_factory=dict)
    routes: Record | None = None
    schemas: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Every regular file in the folder (relative paths), and the symbolic links found there.
    files: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    cache: Cache = NO_CACHE
    started: int = 0  # when the reading began, in nanoseconds since the epoch

    def show(self, relative: str) -> str:
        return f"{self.shown.rstrip('/')}/{relative}"


def load(
    root: Path,
    shown: str | None = None,
    max_csv_bytes: int = MAX_CSV_BYTES,
    cache: Cache = NO_CACHE,
) -> Loaded:
    shown = shown if shown is not None else str(root)
    loaded = Loaded(root=root, shown=shown, cache=cache, started=time.time_ns())
    loaded.files, loaded.links = _walk(root)
    loaded.problems += [
        Problem(
            loaded.show(rel),
            0,
            "",
            "symlink",
            "this is a symbolic link to a file or folder elsewhere; the portal reads only what "
            "is kept in the data folder itself, so put the file here instead",
        )
        for rel in sorted(loaded.links)
    ]
    expected: set[str] = set()

    expected.add(DESCRIPTOR)
    _load_descriptor(loaded)
    for kind in [*COLLECTIONS.values(), KIND["guide"]]:
        rel = f"{SCHEMA_DIR}/{kind.schema}"
        expected.add(rel)
        _load_schema(loaded, kind.schema, rel)

    resources = (loaded.descriptor or {}).get("resources")
    if not isinstance(resources, list):
        # Without a list of resources the tables cannot be read; the descriptor's problems
        # say why, and the CSV files are not reported as unexpected on top of that.
        expected |= {rel for rel in loaded.files if re.fullmatch(r"[^/]+\.csv", rel)}
        resources = []
    expected |= {
        r["path"] for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str)
    }
    for resource in filter(_readable, resources):
        table = _load_table(loaded, resource["name"], resource["path"], max_csv_bytes)
        if table is not None:
            loaded.tables[table.name] = table

    for collection in COLLECTIONS:
        expected |= _load_collection(loaded, collection)

    expected.add(ROUTES)
    loaded.routes = _load_record(loaded, "", ROUTES)

    _report_unexpected(loaded, expected)
    return loaded


def _load_collection(loaded: Loaded, collection: str) -> set[str]:
    """The records of data/<collection>/; returns the files read."""
    loaded.records[collection] = {}
    files = sorted(
        rel
        for rel in loaded.files
        if rel.startswith(f"{collection}/") and rel.count("/") == 1 and rel.endswith(".yaml")
    )
    stems = {rel: rel.split("/")[1].removesuffix(".yaml") for rel in files}
    loaded.stems[collection] = set(stems.values())
    for rel in files:
        record = _load_record(loaded, collection, rel)
        if record is not None:
            loaded.records[collection][stems[rel]] = record
    return set(files)


def _load_record(loaded: Loaded, collection: str, rel: str) -> Record | None:
    """One YAML record, or None (with problems) when it cannot be read as a mapping."""
    if not _present(loaded, rel, "this file is missing"):
        return None
    text, key = _read(loaded, rel, MAX_YAML_BYTES, "yaml")
    if text is None:
        return None
    doc, problems = _parse_yaml(loaded.cache, key, text, loaded.show(rel))
    loaded.problems += problems
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        loaded.problems.append(
            Problem(
                loaded.show(rel),
                1,
                "",
                "yaml-not-mapping",
                "a record must be a mapping of field names to values "
                "(lines such as 'id: my-partnership')",
            )
        )
        return None
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Record(collection, stem, loaded.show(rel), doc, key)


def _parse_yaml(cache: Cache, key: str, text: str, shown: str):
    cached = cache.get(key)
    if cached is not None:
        data, lines, found = cached
        doc = None if lines is None else YamlDoc(data, lines, text)
        return doc, [Problem(*p) for p in found]
    doc, problems = load_yaml(text, shown)
    found = [astuple(p) for p in problems]
    cache.put(key, (None, None, found) if doc is None else (doc.data, doc.lines, found))
    return doc, problems


def _load_descriptor(loaded: Loaded) -> None:
    file = loaded.root / DESCRIPTOR
    if not _present(
        loaded, DESCRIPTOR, "the data package descriptor is missing; every data folder needs one"
    ):
        return
    text, problems = read_text(file, loaded.show(DESCRIPTOR), MAX_YAML_BYTES)
    loaded.problems += problems
    if text is None:
        return
    doc, problems = load_yaml(text, loaded.show(DESCRIPTOR))
    loaded.problems += problems
    if doc is None:
        return
    if not isinstance(doc.data, dict):
        loaded.problems.append(
            Problem(
                loaded.show(DESCRIPTOR),
                1,
                "",
                "yaml-not-mapping",
                "the descriptor must be a mapping (lines such as 'name: insyn-i-samverkan')",
            )
        )
        return
    loaded.descriptor, loaded.descriptor_doc = doc.data, doc


def _readable(resource: object) -> bool:
    """Whether a resource names a table that can be read: a name, a CSV file and fields."""
    return (
        isinstance(resource, dict)
        and isinstance(resource.get("name"), str)
        and isinstance(resource.get("path"), str)
        and re.fullmatch(r"[a-z0-9_-]+\.csv", resource["path"]) is not None
        and isinstance(resource.get("schema"), dict)
        and isinstance(resource["schema"].get("fields"), list)
    )


def _load_table(loaded: Loaded, name: str, rel: str, limit: int) -> Table | None:
    shown = loaded.show(rel)
    if not _present(loaded, rel, f"resource '{name}' names this file, but it does not exist"):
        return None
    text, key = _read(loaded, rel, limit, "csv")
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    if ";" in first and "," not in first:
        loaded.problems.append(
            Problem(
                shown,
                1,
                "",
                "csv-semicolon",
                "the columns are separated by semicolons, as "
                "Swedish Excel saves 'CSV (semikolonavgränsad)'. In Excel choose Spara som > "
                "'CSV UTF-8 (kommaavgränsad)', or set the list separator to a comma",
            )
        )
        return None
    memory = f"{name}\0{key}"
    parsed = loaded.cache.recall(memory)  # a preview's save: the last one's table
    if parsed is None:
        parsed = parse_csv(text, name, shown, key)
    loaded.cache.remember(memory, parsed)
    table, problems = parsed
    loaded.problems += problems
    return table


_NAME_HINTS = {".yml": "rename it to end in .yaml", ".xlsx": "save it as CSV UTF-8"}


def _report_unexpected(loaded: Loaded, expected: set[str]) -> None:
    for rel in sorted(loaded.files):
        if rel in expected or rel in DOC_FILES or _hidden(rel):
            continue
        if rel.startswith(f"{SCHEMA_DIR}/") and rel.endswith(".json"):
            continue
        hint = _NAME_HINTS.get(Path(rel).suffix.lower(), "")
        if not hint and re.fullmatch(r"[^/]+\.csv", rel):
            hint = "add it as a resource in datapackage.yaml"
        elif not hint:
            folders = ", ".join(f"{folder}/" for folder in COLLECTIONS)
            hint = f"records go in {folders} as .yaml files; move or delete this file"
        loaded.problems.append(
            Problem(
                loaded.show(rel),
                0,
                "",
                "unexpected-file",
                f"the portal does not read this file, so its content would be lost: {hint}",
            )
        )


def _walk(root: Path) -> tuple[set[str], set[str]]:
    """The files below ``root`` and the symbolic links, neither followed (what a folder
    listing says of each entry, without asking the file system again)."""
    files, links = set(), set()
    folders = [""]
    while folders:
        prefix = folders.pop()
        with os.scandir(root / prefix) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_symlink():
                    links.add(rel)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(f"{rel}/")
                else:
                    files.add(rel)
    return files, links


def _read(loaded: Loaded, rel: str, limit: int, kind: str) -> tuple[str | None, str]:
    """The text of a file and a hash of its path and text (the key of its check cache entries),
    or None; the file's problems are added. A preview's save takes both from its last save
    where the file's status (times, size, inode) is the same and was, when it was read, more
    than a few seconds old: a file changed again within the same tick of its clock, which a
    status cannot tell, had not settled then, and is read again (as git does)."""
    shown, file = loaded.show(rel), os.path.join(loaded.root, rel)
    memory = f"read\0{kind}\0{limit}\0{shown}"
    known = loaded.cache.recall(memory)
    try:
        now = os.stat(file, follow_symlinks=False)
    except OSError:
        now = None
    status = now and (now.st_mtime_ns, now.st_ctime_ns, now.st_size, now.st_ino, now.st_dev)
    if known is not None and status and known[0] == status:
        (text, key), problems = known[1:], []
        loaded.cache.remember(memory, known)
    else:
        text, problems = read_text(Path(file), shown, limit)
        key = "" if text is None else digest(kind, shown, text)
        if status and text is not None and max(status[:2]) < loaded.started - _SETTLED_NS:
            loaded.cache.remember(memory, (status, text, key))
    loaded.problems += problems
    return text, key


def _present(loaded: Loaded, rel: str, missing: str) -> bool:
    """Whether ``rel`` is a regular file of the folder; else a problem says so (a link has
    been reported as such already)."""
    if rel in loaded.files:
        return True
    if rel not in loaded.links:
        loaded.problems.append(Problem(loaded.show(rel), 0, "", "file-missing", missing))
    return False


def _load_schema(loaded: Loaded, name: str, rel: str) -> None:
    if not _present(loaded, rel, "the JSON Schema is missing"):
        return
    text, problems = read_text(loaded.root / rel, loaded.show(rel), MAX_YAML_BYTES)
    loaded.problems += problems
    try:
        loaded.schemas[name] = json.loads(text) if text is not None else None
    except ValueError as exc:
        loaded.problems.append(
            Problem(
                loaded.show(rel),
                0,
                "",
                "descriptor-invalid",
                f"the JSON Schema cannot be read: {exc}",
            )
        )
    if loaded.schemas.get(name) is None:
        loaded.schemas.pop(name, None)


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))
