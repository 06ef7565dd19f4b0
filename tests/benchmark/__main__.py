"""``make bench``: how the build scales with the number of partnerships.

For every size N it makes a SYNTHETIC dataset (tests/benchmark/synthetic.py) in a scratch
folder, builds the site from it several times and reports the medians: each build stage, the
total, the peak memory and the size of the site, the rows per second of validation, and the
floor to compare with, a bare mkdocs-material build of as many plain pages with the same theme
settings and plugins (none), once with one short line per page and once with pages as large as
the portal's. The synthetic data is committed to git with a history of corrections, so the build
reads a history as it does for real data. It then changes one partnership, commits the change
and measures the rebuild, as a CI run after that commit that keeps the previous build/ folder.
At the largest N it also measures the live preview (``portal serve``) and, in headless
Chromium, the search: bytes transferred and time until the results for the whole query are
shown.

Usage: python -m tests.benchmark [--sizes 100,1000,10000] [--runs 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator.site.feed import FEED

from .measure import LANDINGS, PORTAL, ROOT, browse, linked_project, serve_latency
from .synthetic import commit_edit, commit_history, make_dataset

STAGES = ["validate", "pages", "downloads", "selections", "history", "write", "mkdocs", "search"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; medians shown")
    parser.add_argument("--json", default="build/bench/results.json", help="where to write")
    parser.add_argument("--no-browser", action="store_true", help="skip serve and Chromium")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    results: list[dict] = []
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for n in sizes:
            project = _project(Path(scratch) / f"n{n}", n)
            result = {"n": n, **_measure(project, args.runs)}
            if not args.no_browser:
                result["serve_update_s"] = serve_latency(project)
            if n == sizes[-1] and not args.no_browser:
                result.update(browse(project / "site"))
            results.append(result)
            # Written after every size, so a long run that is stopped keeps what it measured.
            out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
            print(f"N={n}: done", file=sys.stderr)
            shutil.rmtree(project)
    for i, r in enumerate(results[1:], 1):
        r["ratio_to_previous_n"] = round(r["total_s"] / results[i - 1]["total_s"], 2)
        r["history_to_previous_n"] = round(r["history_s"] / results[i - 1]["history_s"], 2)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nFigures written to {out}")
    return 0


def _project(folder: Path, n: int) -> Path:
    """A project folder with synthetic data, committed to git with a history of corrections
    (50 commits, each touching 5% of the partnerships and of the results), and links to this
    project's code and pages."""
    make_dataset(linked_project(folder) / "data", n, seed=n, real=ROOT / "data")
    commit_history(folder, seed=n)
    return folder


def _measure(project: Path, runs: int) -> dict:
    builds = []
    for _ in range(runs):
        shutil.rmtree(project / "build", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)
        builds.append(_build(project))
        _check_history(project / "site")
    rows = sum(_rows(f) for f in (project / "data").glob("*.csv"))
    pages = builds[0]["pages"]
    sizes = _page_sizes(project)
    plain = [60] * len(sizes)  # one short line per page
    floor = statistics.median(_floor(project / "floor", plain) for _ in range(runs))
    same = statistics.median(_floor(project / "floor", sizes) for _ in range(runs))
    rebuilds = []
    for run in range(runs):
        marker = _touch_one(project, run)
        rebuilds.append(_build(project))
        _check_rebuilt(project / "site", *marker)
    rebuild = statistics.median(r["total"] for r in rebuilds)
    warm = statistics.median(r["seconds"]["validate"] for r in rebuilds)
    seconds = {s: statistics.median(b["seconds"].get(s, 0.0) for b in builds) for s in STAGES}
    total = statistics.median(b["total"] for b in builds)
    return {
        "pages": pages,
        "csv_rows": rows,
        **{f"{s}_s": round(v, 2) for s, v in seconds.items()},
        "validate_rows_per_s": round(rows / seconds["validate"]),
        "validate_cached_s": round(warm, 2),
        "validate_cached_rows_per_s": round(rows / warm),
        "total_s": round(total, 2),
        "floor_s": round(floor, 2),
        "total_to_floor": round(total / floor, 2),
        "floor_same_size_s": round(same, 2),
        "total_to_floor_same_size": round(total / same, 2),
        "markdown_mb": round(sum(sizes) / 1e6, 1),
        "peak_memory_mb": max(b["memory_mb"] for b in builds),
        # The build's own process, and the largest program it ran (Pagefind, the downloads).
        "build_memory_mb": max(b["memory"].get("build", 0) for b in builds),
        "programs_memory_mb": max(b["memory"].get("programs", 0) for b in builds),
        "site_mb": round(_size(project / "site") / 1e6, 1),
        "rebuild_one_s": round(rebuild, 2),
        "rebuild_to_total": round(rebuild / total, 3),
        **{
            f"rebuild_{s}_s": round(
                statistics.median(r["seconds"].get(s, 0.0) for r in rebuilds), 2
            )
            for s in STAGES
        },
    }


def _build(project: Path) -> dict:
    """One `portal build` in a child process: its stage timings, wall time and peak memory
    (the largest resident size of the build or of a program it ran, such as Pagefind)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [*PORTAL, "build", "--root", str(project), "--timings"],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        _, status, usage = os.wait4(child.pid, 0)
        total = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise SystemExit(f"the build failed:\n{out.read().decode()}{err.read().decode()}")
        report = json.loads(out.read().decode().strip().splitlines()[-1])
    report["memory"] = report.pop("memory_mb", {})
    return {**report, "total": total, "memory_mb": round(usage.ru_maxrss / 1024)}


def _floor(folder: Path, sizes: list[int]) -> float:
    """A bare mkdocs-material build with exactly the portal's theme settings, Markdown
    extensions and plugins (none: ``plugins: []``), of one page per size in ``sizes``: a page
    of plain paragraphs with that many bytes of Markdown."""
    import yaml

    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    for i, size in enumerate(sizes):
        name = "index.md" if i == 0 else f"sida-{i}.md"
        (docs / name).write_text(_plain_page(i, size), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        json.dumps(
            {
                "site_name": config["site_name"],
                "site_url": "http://127.0.0.1:8000/",
                "theme": theme,
                "markdown_extensions": config["markdown_extensions"],
                "plugins": config["plugins"],
                "nav": [{"Start": "index.md"}],
                "not_in_nav": "/sida-*.md",
            }
        ),
        encoding="utf-8",
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    seconds = time.perf_counter() - start
    built = sum(1 for _ in (folder / "site").rglob("index.html"))
    if built != len(sizes):  # the benchmark checks its own measurement
        raise SystemExit(f"the floor built {built} pages, not the portal's {len(sizes)}")
    return seconds


_SENTENCE = "En vanlig mening om ett partnerskap mellan staden och en förening. "


def _plain_page(i: int, size: int) -> str:
    """A heading and paragraphs of plain text, ``size`` bytes long (at least one line)."""
    head = f"# Sida {i}\n\n"
    body = max(size - len(head.encode()), len(_SENTENCE))
    paragraph = _SENTENCE * 6 + "\n\n"
    text = paragraph * (body // len(paragraph.encode()) + 1)
    return head + text.encode()[:body].decode("utf-8", "ignore").rstrip() + "\n"


def _page_sizes(project: Path) -> list[int]:
    """The bytes of every Markdown page the portal generated, largest first."""
    docs = project / "build" / "docs"
    return sorted((p.stat().st_size for p in docs.rglob("*.md")), reverse=True)


def _touch_one(project: Path, run: int) -> tuple[str, str]:
    """An editor's change, committed, as CI builds it: one sentence added to one partnership's
    description. Returns the partnership's id and the sentence."""
    path = sorted((project / "data" / "partnerships").glob("syntetiskt-*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    sentence = f"Ändring {run}."
    path.write_text(
        text.replace("\ndescription: ", f"\ndescription: {sentence} ", 1), encoding="utf-8"
    )
    commit_edit(project, f"Synthetic change {run}")
    return path.stem, sentence


# The benchmark checks its own measurements: a build whose history stage read no history, or
# a rebuild that did not show the change, would make figures of work that was not done.
def _check_history(site: Path) -> None:
    if "<entry>" not in (site / FEED).read_text(encoding="utf-8"):
        raise SystemExit("the build's feed of changes is empty: it read no history from git")


def _check_rebuilt(site: Path, partnership: str, sentence: str) -> None:
    page = site / "partnerskap" / partnership / "index.html"
    if sentence not in html.unescape(page.read_text(encoding="utf-8")):
        raise SystemExit(f"the rebuild did not show the change on {page}")
    if sentence not in html.unescape((site / FEED).read_text(encoding="utf-8")):
        raise SystemExit(f"the rebuild's feed of changes does not tell the change to {page}")


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


COLUMNS = [
    ("n", "N", "{}"),
    ("pages", "pages", "{}"),
    ("csv_rows", "CSV rows", "{}"),
    ("validate_s", "validate s", "{:.2f}"),
    ("validate_rows_per_s", "rows/s", "{}"),
    ("validate_cached_rows_per_s", "cached rows/s", "{}"),
    ("pages_s", "pages s", "{:.2f}"),
    ("downloads_s", "downloads s", "{:.2f}"),
    ("selections_s", "selections s", "{:.2f}"),
    ("mkdocs_s", "MkDocs s", "{:.2f}"),
    ("search_s", "search s", "{:.2f}"),
    ("total_s", "total s", "{:.2f}"),
    ("history_s", "history s", "{:.2f}"),
    ("history_to_previous_n", "history ×prev N", "{}"),
    ("floor_s", "floor s", "{:.2f}"),
    ("total_to_floor", "total/floor", "{:.2f}"),
    ("floor_same_size_s", "floor same-size s", "{:.2f}"),
    ("total_to_floor_same_size", "total/same-size", "{:.2f}"),
    ("ratio_to_previous_n", "×prev N", "{}"),
    ("peak_memory_mb", "peak MB", "{}"),
    ("build_memory_mb", "build MB", "{}"),
    ("programs_memory_mb", "programs MB", "{}"),
    ("site_mb", "site MB", "{}"),
    ("rebuild_one_s", "rebuild 1 s", "{:.2f}"),
    ("rebuild_to_total", "rebuild/total", "{:.3f}"),
    ("serve_update_s", "serve s", "{}"),
]


def table(results: list[dict]) -> str:
    """The figures as a plain-text table, one row per N, then the browser figures."""
    header = [title for _, title, _ in COLUMNS]
    body = [[fmt.format(r[key]) if key in r else "–" for key, _, fmt in COLUMNS] for r in results]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in [header, *body]
    ]
    last = results[-1]
    for name in ("rare", "common"):
        if f"search_{name}_ms" in last:
            lines.append(
                f"N={last['n']}: search for {last[f'search_{name}_query']!r} "
                f"({last[f'search_{name}_hits']}): the whole query's results after "
                f"{last[f'search_{name}_kb']} KB (text gzipped; "
                f"{last[f'search_{name}_kb_uncompressed']} KB uncompressed; "
                f"{last[f'search_{name}_kb_after_page']} KB after the page itself) and "
                f"{last[f'search_{name}_ms']} ms; opened as the address "
                f"/sok/?q={last[f'search_{name}_query']} with nothing cached: after "
                f"{last[f'search_{name}_address_kb']} KB and "
                f"{last[f'search_{name}_address_ms']} ms from the start of the navigation "
                f"(the median of {LANDINGS} times, "
                f"{last[f'search_{name}_address_ms_range']} ms)"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
