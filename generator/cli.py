"""The ``portal`` command: a thin layer over the library. Only this module prints or exits."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .build import BuildError, Paths, Timings, build_site
from .checks.validate import validate
from .edit.apply import import_workbook
from .edit.format import formatted
from .opendata.software import LOCKED_SBOM, SITE_LOCK, make_sbom
from .release import publish_check


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with _terminated_as_interrupted():
            return _run(args)
    except KeyboardInterrupt as stopped:
        print("portal: stopped before it had finished", file=sys.stderr)
        return 128 + signal.SIGTERM if isinstance(stopped, _Terminated) else 130


class _Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM)."""


@contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """A request to stop (SIGTERM, as a service manager or CI sends) stops the command as Ctrl+C
    does: what it started beside it is stopped, and the preview stops serving and removes the
    site it served, where the process would otherwise end at once and leave them behind."""

    def stop(signum, frame):
        raise _Terminated

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        return _build(Path(args.root), args.timings, args.publish)
    if args.command == "sbom":
        return _sbom(Path(args.root))
    if args.command == "import":
        return _import(Path(args.workbook), Path(args.data), args.dry_run)
    if args.command == "format":
        return _format(Path(args.data_dir), args.check)
    if args.command == "serve":
        from .serve import serve as run_serve

        return run_serve(Paths.default(Path(args.root)), args.dev_addr)
    return _validate(args.data_dir, "json" if args.json else "github" if args.github else "text")


def _parser() -> argparse.ArgumentParser:
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
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the problems as a JSON list")
    output.add_argument(
        "--github",
        action="store_true",
        help="print the problems as GitHub Actions annotations on the offending lines",
    )
    build = commands.add_parser(
        "build",
        help="validate, generate the pages and build the site into site/",
        description="Validate data/, generate the pages, build the site with MkDocs (strict) and "
        "index it with Pagefind. A failed build leaves the previous site/ untouched.",
    )
    serve = commands.add_parser(
        "serve", help="preview the site; saving a file in data/ or content/ updates it"
    )
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    build.add_argument(
        "--timings", action="store_true", help="print the seconds each stage took, as JSON"
    )
    build.add_argument(
        "--publish",
        action="store_true",
        help="build the site to publish: refuse when its address (PORTAL_SITE_URL) is unset or "
        "local, and warn when no contact e-mail address is set",
    )
    sbom = commands.add_parser(
        "sbom",
        help=f"write {LOCKED_SBOM}, the software bill of materials of the locks",
        description=f"Make the CycloneDX SBOM of {SITE_LOCK} and package-lock.json (needs the "
        f"test dependencies) and write it to {LOCKED_SBOM}, which the build publishes. "
        "make lock runs it.",
    )
    _edit_commands(commands)
    for sub in (build, serve, sbom):
        sub.add_argument("--root", default=".", help="the project folder (default: .)")
    return parser


def _edit_commands(commands) -> None:
    """portal import and portal format: data/ written from outside."""
    imports = commands.add_parser(
        "import",
        help="write data/ from a workbook in the published format",
        description="Read a workbook in the format of the published one (the download, or the "
        "blank template) and write its tables and records into the data folder, in the "
        "canonical form. The result is validated in full first; only a valid result replaces "
        "the data folder. Problems are printed as 'WORKBOOK!Sheet!Cell: Column: message "
        "[code]'. Exit status: 0 imported, 1 problems (nothing written), 2 usage error.",
    )
    imports.add_argument("workbook", metavar="WORKBOOK", help="the .xlsx file")
    imports.add_argument("--data", default="data", help="the data folder (default: data)")
    imports.add_argument(
        "--dry-run", action="store_true", help="print what would change, write nothing"
    )
    formats = commands.add_parser(
        "format",
        help="rewrite data/'s records and tables in the canonical form",
        description="Rewrite the YAML records and CSV tables of the data folder in the one form "
        "portal import writes, changing no value. Exit status: 0 done (or, with --check, "
        "already canonical), 1 files to rewrite (--check), 2 usage error.",
    )
    formats.add_argument("data_dir", nargs="?", default="data", metavar="DATA_DIR")
    formats.add_argument(
        "--check", action="store_true", help="list the files that are not canonical; write none"
    )


def _build(root: Path, show_timings: bool = False, to_publish: bool = False) -> int:
    paths = Paths.default(root)
    timings = Timings()
    if to_publish:
        refusal, warnings = publish_check(paths.data, paths.root)
        for warning in warnings:
            print(f"portal build: warning: {warning}", file=sys.stderr)
        if refusal:
            print(f"portal build: will not publish: {refusal}", file=sys.stderr)
            return 1
    try:
        pages = build_site(paths, timings)
    except BuildError as exc:
        for problem in exc.problems:
            print(problem.format())
        print(f"portal build: {exc}; {paths.site} was left as it was", file=sys.stderr)
        return 1
    if show_timings:
        print(json.dumps({"pages": pages, "seconds": timings, "memory_mb": _peak_memory()}))
    print(f"built {pages} pages into {paths.site}", file=sys.stderr)
    return 0


def _peak_memory() -> dict[str, int]:
    """The largest resident size, in MB, of this process and of any program it ran (Pagefind,
    the downloads' process); {} where the system does not say."""
    try:
        import resource
    except ImportError:
        return {}
    # Linux gives kilobytes, macOS bytes.
    unit = 1 if sys.platform == "darwin" else 1024
    return {
        "build": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20),
        "programs": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / 2**20),
    }


def _sbom(root: Path) -> int:
    try:
        bom = make_sbom(root)
    except (OSError, RuntimeError) as exc:
        print(f"portal sbom: error: {exc}", file=sys.stderr)
        return 1
    (root / LOCKED_SBOM).write_bytes(bom)
    print(f"wrote {root / LOCKED_SBOM}", file=sys.stderr)
    return 0


def _import(workbook: Path, data: Path, dry_run: bool) -> int:
    if not workbook.is_file():
        print(f"portal import: error: {workbook} is not a file", file=sys.stderr)
        return 2
    if not _is_folder("import", data):
        return 2
    outcome = import_workbook(workbook, data, dry_run)
    for problem in outcome.problems:
        print(problem.format())
    if outcome.problems:
        count = len(outcome.problems)
        print(
            f"{count} problem{'s' if count != 1 else ''} in {workbook}; {data} was left as it was",
            file=sys.stderr,
        )
        return 1
    for line in outcome.changes:
        print(line)
    files = len(outcome.changed_files)
    if dry_run:
        print(f"dry run: {files} file(s) of {data} would change; nothing written", file=sys.stderr)
    else:
        print(f"imported {workbook}: {files} file(s) of {data} changed", file=sys.stderr)
    return 0


def _format(data_dir: str, check: bool) -> int:
    root = Path(data_dir)
    if not _is_folder("format", root):
        return 2
    changed = formatted(root)
    for rel in sorted(changed):
        if not check:
            (root / rel).write_bytes(changed[rel].encode("utf-8"))
        print(f"{data_dir}/{rel}")
    if check and changed:
        print(
            f"{len(changed)} file(s) not in the canonical form; run portal format", file=sys.stderr
        )
        return 1
    return 0


def _is_folder(command: str, path: Path) -> bool:
    if not path.is_dir():
        print(f"portal {command}: error: {path} is not a folder", file=sys.stderr)
    return path.is_dir()


def _validate(data_dir: str, style: str) -> int:
    root = Path(data_dir)
    if not _is_folder("validate", root):
        return 2
    problems = validate(root, data_dir, parallel=True)
    if style == "json":
        print(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem.github() if style == "github" else problem.format())
    if problems:
        files = len({p.path for p in problems})
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}", file=sys.stderr)
        return 1
    print(f"{data_dir}: valid", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
