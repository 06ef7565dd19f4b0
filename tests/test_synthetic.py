"""The benchmark's synthetic data: valid, in the stated proportions, clearly marked, and the
same for the same seed."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from benchmark.synthetic import MARK, make_dataset
from conftest import DATA

from generator.checks.validate import validate


def _rows(folder: Path, name: str) -> list[dict]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_synthetic_data_is_valid_and_proportioned(tmp_path):
    data = make_dataset(tmp_path / "data", 35, seed=7, real=DATA)
    assert validate(data) == []
    added = 35 - len(list(DATA.glob("partnerships/*.yaml")))
    assert len(list(data.glob("partnerships/*.yaml"))) == 35
    for name, per_partnership in (("decisions", 3), ("costs", 8), ("results", 8)):
        assert len(_rows(data, name)) - len(_rows(DATA, name)) == per_partnership * added
    assert len(_rows(data, "organisations")) - len(_rows(DATA, "organisations")) == added // 3
    forms = {
        p.read_text(encoding="utf-8").split("\nform: ")[1].split()[0]
        for p in data.glob("partnerships/syntetiskt-*.yaml")
    }
    assert {"iop", "esf_project", "grant"} <= forms


def test_synthetic_data_is_marked_and_repeatable(tmp_path):
    first = make_dataset(tmp_path / "a", 12, seed=3, real=DATA)
    second = make_dataset(tmp_path / "b", 12, seed=3, real=DATA)
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
    assert "SYNTETISKA" in (first / "datapackage.yaml").read_text(encoding="utf-8")
    new = [r for r in _rows(first, "organisations") if r["id"].startswith("syntetisk")]
    assert new and all(r["name"].startswith(MARK) for r in new)
    for path in first.glob("partnerships/syntetiskt-*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["title"].startswith(MARK)
