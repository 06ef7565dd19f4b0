"""The data package's version follows semver, and a change to the schemas needs a new version.

The rules (documented in data/README.md): a removed or renamed field, or a stricter rule, is a
major change; a new field, table or record is a minor change; a corrected value is a patch.
The validator can tell whether the schemas changed since the current version was set (from git)
but not what kind of change it was, so it asks for a new version and leaves the number to the
editor.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..catalogue import DESCRIPTOR
from ..problems import Problem
from ..source.cache import digest
from ..source.git import git
from ..source.load import Loaded


def fingerprint(descriptor: dict, schemas: dict[str, dict]) -> str:
    """Everything that defines the shape of the data, in a comparable form."""
    tables = {r.get("name"): r.get("schema") for r in descriptor.get("resources") or []}
    return json.dumps({"tables": tables, "records": schemas}, sort_keys=True, ensure_ascii=False)


def check_version(loaded: Loaded) -> list[Problem]:
    """A problem when the schemas differ from those of the commit that set the current
    version. Without git history (or in a shallow clone without that commit) nothing can be
    compared, and nothing is reported. The answer is kept in the check cache by the commits
    that changed the descriptor and by the schemas now, so a save asks git little."""
    if loaded.descriptor is None:
        return []
    version = str(loaded.descriptor.get("version"))
    folder = loaded.root
    prefix = (git(folder, "rev-parse", "--show-prefix") or "").strip()
    log = git(folder, "log", "--format=%H", "--", DESCRIPTOR) or ""
    now = fingerprint(loaded.descriptor, loaded.schemas)
    key = digest("version", prefix, log, version, now)
    base = loaded.cache.get(key)
    if base is None:
        base = _changed_since(folder, prefix, log.split(), version, now, list(loaded.schemas))
        loaded.cache.put(key, base)
    if not base:
        return []
    line = loaded.descriptor_doc.line(("version",)) if loaded.descriptor_doc else 0
    return [
        Problem(
            loaded.show(DESCRIPTOR),
            line,
            "version",
            "version-not-bumped",
            f"the schemas have changed since version {version} was set (commit {base[:8]}); "
            "raise the version: major for a removed or renamed field or a stricter rule, minor "
            "for a new field, table or kind of record",
        )
    ]


def _changed_since(
    folder: Path, prefix: str, log: list[str], version: str, now: str, schemas: list[str]
) -> str:
    """The commit that set ``version`` when the shape of the data (``now``, with the record
    schemas named ``schemas``) differs from what it was then, else ""."""
    # The newest commit whose descriptor does not have the current version: the version was
    # set in the commit after it.
    base = None
    for sha in log:
        text = git(folder, "show", f"{sha}:{prefix}{DESCRIPTOR}")
        try:
            old = yaml.safe_load(text or "") or {}
        except yaml.YAMLError:
            old = {}
        if str(old.get("version")) != version:
            break
        base = sha
    if base is None:
        return ""
    old_descriptor = yaml.safe_load(git(folder, "show", f"{base}:{prefix}{DESCRIPTOR}") or "")
    old_schemas = {}
    for name in schemas:
        text = git(folder, "show", f"{base}:{prefix}schemas/{name}")
        if text is not None:
            old_schemas[name] = json.loads(text)
    return "" if fingerprint(old_descriptor, old_schemas) == now else base
