"""The ``portal`` command: a thin layer over the library. Only this module prints or exits."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .validate import validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="portal", description="Insyn i samverkan: validate and publish the open data."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="check a data folder and report every problem",
        description="Check a data folder. Prints each problem as 'path:line: field: message "
        "[code]'. Exit status: 0 valid, 1 invalid, 2 usage error.",
    )
    check.add_argument(
        "data_dir",
        nargs="?",
        default="data",
        metavar="DATA_DIR",
        help="the data folder (default: data)",
    )
    check.add_argument("--json", action="store_true", help="print the problems as a JSON list")
    args = parser.parse_args(argv)
    return _validate(args.data_dir, args.json)


def _validate(data_dir: str, as_json: bool) -> int:
    root = Path(data_dir)
    if not root.is_dir():
        print(f"portal validate: error: {data_dir} is not a folder", file=sys.stderr)
        return 2
    problems = validate(root, data_dir)
    if as_json:
        print(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem.format())
    if problems:
        files = len({p.path for p in problems})
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{data_dir}: valid", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
