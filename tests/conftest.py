"""Shared helpers: build a dataset from the synthetic base fixture plus one broken case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
CASES = FIXTURES / "cases"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden files from the current output",
    )


def build_dataset(target: Path, case: str | None = None) -> Path:
    """A data folder at ``target``: the base fixture, the real descriptor and schemas, and
    the files of ``case`` laid over them."""
    shutil.copytree(BASE, target)
    shutil.copy(DATA / "datapackage.yaml", target / "datapackage.yaml")
    shutil.copytree(DATA / "schemas", target / "schemas")
    if case:
        source = CASES / case
        for file in sorted(source.rglob("*")):
            rel = file.relative_to(source)
            if file.is_dir() or rel.name in ("expected", "_delete"):
                continue
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, target / rel)
        delete = source / "_delete"
        if delete.exists():
            for rel in delete.read_text().split():
                (target / rel).unlink()
    return target


@pytest.fixture
def dataset(tmp_path: Path):
    """Build a dataset under tmp_path/data; returns a function taking an optional case."""

    def make(case: str | None = None) -> Path:
        return build_dataset(tmp_path / "data", case)

    return make
