"""The downloads of one selection: exactly the partnerships, costs and results that a page
lists (an organisation's, or a selection's under /urval/), as CSV and JSON with a Data Package
descriptor of their own. Rows are those of the full tables, in the same order, so a subset is
byte for byte what a filter of the full download gives."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .flatten import Table
from .writers import FOLDER, csv_lines, descriptor_json, json_objects, to_csv, to_json

# The tables a selection is made of, and the column that names the partnership of a row.
SUBSET_TABLES = (("partnerships", "id"), ("costs", "partnership_id"), ("results", "partnership_id"))


class Subsets:
    """Cuts the full tables into selections; each table is indexed by partnership once, and
    each row written as CSV and JSON once (a row is in several selections)."""

    def __init__(self, all_tables: list[Table], base_descriptor: dict) -> None:
        by_name = {t.name: t for t in all_tables}
        self.tables = [by_name[name] for name, _ in SUBSET_TABLES]
        self.base = base_descriptor
        self.rows: list[dict[str, list[tuple[int, tuple, str, str]]]] = []
        for table, (_, key) in zip(self.tables, SUBSET_TABLES, strict=True):
            at = [c.name for c in table.columns].index(key)
            index: dict[str, list[tuple[int, tuple, str, str]]] = defaultdict(list)
            written = zip(table.rows, csv_lines(table), json_objects(table), strict=True)
            for i, (row, line, item) in enumerate(written):
                index[row[at]].append((i, row, line, item))
            self.rows.append(index)

    def files(self, folder: str, title: str, partnership_ids: Iterable[str]) -> dict[str, bytes]:
        """The selection's files under ``data/<folder>/``: each table as CSV and JSON, and
        datapackage.json describing them (foreign keys kept where both tables are there)."""
        ids = set(partnership_ids)
        names = {t.name for t in self.tables}
        subset = []
        files: dict[str, bytes] = {}
        for table, rows in zip(self.tables, self.rows, strict=True):
            chosen = sorted((r for p in ids for r in rows.get(p, ())), key=lambda r: r[0])
            keys = tuple(k for k in table.foreign_keys if k[1] in names)
            part = replace(table, rows=tuple(r[1] for r in chosen), foreign_keys=keys)
            files[f"{table.name}.csv"] = to_csv(part, [r[2] for r in chosen])
            files[f"{table.name}.json"] = to_json(part, [r[3] for r in chosen])
            subset.append(part)
        base = {
            **{k: v for k, v in self.base.items() if k in ("version", "licenses", "contributors")},
            "name": "insyn-i-samverkan-" + folder.replace("/", "-"),
            "title": f"{self.base.get('title', '')}: {title}",
            "description": f"Urvalet {title}: partnerskapen, deras kostnader och resultat.",
        }
        files["datapackage.json"] = descriptor_json(base, subset, files)
        return {f"{FOLDER}/{folder}/{name}": content for name, content in files.items()}
