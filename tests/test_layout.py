"""The package's architecture holds: stages import only downwards (import-linter's contracts in
pyproject.toml), no module grows past about 400 lines and no function past about 60."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    """import-linter on the package in ``project``, with that project's contracts."""
    return subprocess.run(
        [str(Path(sys.prefix) / "bin" / "lint-imports"), "--config", "pyproject.toml"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )


def test_stages_import_only_downwards():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The check can fail: reading the data may not import the website."""
    shutil.copytree(PACKAGE, tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / "generator" / "source" / "files.py").open("a", encoding="utf-8") as file:
        file.write("\nfrom ..site import render  # noqa: E402\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert "generator.source is not allowed to import generator.site" in result.stdout


def _sizes() -> tuple[dict[str, int], dict[str, int]]:
    modules, functions = {}, {}
    for file in sorted(PACKAGE.rglob("*.py")):
        source = file.read_text(encoding="utf-8")
        name = file.relative_to(ROOT).as_posix()
        modules[name] = source.count("\n")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions[f"{name}:{node.name}"] = node.end_lineno - node.lineno + 1
    return modules, functions


def test_modules_and_functions_stay_small():
    modules, functions = _sizes()
    assert len(modules) > 30 and len(functions) > 200  # the whole package was read
    assert {m: n for m, n in modules.items() if n > MAX_MODULE_LINES} == {}
    assert {f: n for f, n in functions.items() if n > MAX_FUNCTION_LINES} == {}


def test_every_module_says_why_it_exists():
    missing = [
        file.relative_to(ROOT).as_posix()
        for file in sorted(PACKAGE.rglob("*.py"))
        if file.name != "__main__.py" and not ast.get_docstring(ast.parse(file.read_text()))
    ]
    assert missing == []


def test_git_ignores_no_file_of_the_package():
    """No .gitignore pattern matches a file of the package (as one for the built site/ once
    matched generator/site/), so every new file there reaches a clean clone."""
    files = [
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert len(files) > 40
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input="\n".join(files),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout  # 1: none of them is ignored
