"""Make Pagefind's index byte-stable.

Pagefind writes its filter indexes in hash-map order, which changes from run to run, and names
each file after a hash of its bytes. This step rewrites those few files in a fixed order and
renames them after their new content, so the same site always gets the same index. Everything
else Pagefind writes (the word index and page fragments) is stable already.

A Pagefind index file is gzip("pagefind_dcd" + CBOR). The language's meta file lists the
filters as [name, file hash] pairs; pagefind-entry.json names the meta file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
PARTS = "parts.json"
_FILTERS = 3  # position of the [name, hash] list in the meta record


def read(path: Path):
    """The value stored in a Pagefind index file."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind index file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _write(folder: Path, prefix: str, length: int, suffix: str, value) -> str:
    """Write value under a name made from its bytes; returns the hash part of the name."""
    body = SIGNATURE + cbor2.dumps(value)
    name = f"{prefix}_{hashlib.sha256(body).hexdigest()[:length]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(body, mtime=0))
    return name


def finish(pagefind: Path) -> None:
    """The index as the site publishes it: without the interfaces Pagefind ships (the search
    page uses its API, assets/search.js), and byte-stable. A large site's index is several
    (searchparts.py); ``parts.json`` lists the folders of all but the first, for the search
    page to merge."""
    for unused in pagefind.glob("pagefind-*ui.*"):
        unused.unlink()
    (pagefind / "pagefind-highlight.js").unlink(missing_ok=True)
    others = sorted((p.name for p in pagefind.iterdir() if p.name.isdigit()), key=int)
    for folder in (pagefind, *(pagefind / name for name in others)):
        stabilise(folder)
    (pagefind / PARTS).write_text(json.dumps([f"{name}/" for name in others]), encoding="utf-8")


def stabilise(pagefind: Path) -> None:
    entry_file = pagefind / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_file = pagefind / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_file)
        filters = []
        for name, old in meta[_FILTERS]:
            old_file = pagefind / "filter" / f"{old}.pf_filter"
            filter_name, values = read(old_file)
            values = sorted(values, key=lambda item: item[0])
            old_file.unlink()
            new = _write(pagefind / "filter", language, 7, ".pf_filter", [filter_name, values])
            filters.append([name, new])
        meta[_FILTERS] = sorted(filters)
        meta_file.unlink()
        info["hash"] = _write(pagefind, f"pagefind.{language}", 10, ".pf_meta", meta)
        info["hash"] = info["hash"].removeprefix("pagefind.")
    entry_file.unlink()  # a new file: the index may be linked to the one a build keeps
    entry_file.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
