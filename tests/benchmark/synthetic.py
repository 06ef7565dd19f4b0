"""SYNTHETIC data for tests and benchmarks: never copy its output into data/.

``make_dataset(target, n, seed)`` copies the real data folder (so that the routes, questions and
their references stay valid) and adds synthetic partnerships until there are ``n`` in all, in the
proportions of a real collection: about n/3 organisations, and per partnership 3 decisions,
8 cost rows and 8 result rows. Every synthetic title and name starts with "Syntetisk" and the
data package is renamed, so the output can never be mistaken for real data. The same seed gives
the same files.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
from pathlib import Path

import yaml

MARK = "Syntetisk"
FORMS = ["iop", "esf_project", "association_collaboration", "grant", "pilot", "procurement"]
STATUSES = ["planned", "active", "ended"]
DISTRICTS = [
    "Rinkeby-Kista",
    "Spånga-Tensta",
    "Hässelby-Vällingby",
    "Bromma",
    "Kungsholmen",
    "Norrmalm",
    "Östermalm",
    "Södermalm",
    "Enskede-Årsta-Vantör",
    "Skarpnäck",
    "Farsta",
    "Älvsjö",
    "Hägersten-Älvsjö",
    "Skärholmen",
]
ACTIVITIES = [
    "språkcafé",
    "läxhjälp",
    "jobbcoachning",
    "praktikplatser",
    "mentorskap",
    "föreningsträffar",
    "samhällsorientering",
    "cv-skrivning",
    "rekryteringsträffar",
    "studiebesök",
    "feriearbete",
    "idrottsaktiviteter",
]
GROUPS = [
    "unga vuxna",
    "nyanlända kvinnor",
    "föräldrar i föräldraledighet",
    "långtidsarbetslösa",
    "ungdomar som har lämnat skolan",
    "personer med funktionsnedsättning",
    "äldre arbetssökande",
]
# Sentence frames with the inflected forms a Swedish search must find.
SENTENCES = [
    "Verksamheten erbjuder {a} och {b} för {g} i {d}.",
    "Deltagarna får stöd i grupp och i enskilda samtal för att närma sig arbetsmarknaden.",
    "Föreningen ansvarar för genomförandet och förvaltningen bidrar med lokaler och personal.",
    "Insatserna ska stärka deltagarnas självkänsla och ge dem verktyg att söka arbete.",
    "Samarbetet följs upp varje år och förvaltningen redovisar resultaten för nämnden.",
    "Målgruppen nås genom uppsökande arbete, föreningarnas nätverk och stadsdelsförvaltningen.",
    "Under året har {a} och {b} genomförts i samarbete med lokala föreningar i {d}.",
    "Projektet ska minska utanförskapet och öka andelen {g} som går vidare till studier.",
]
INDICATORS = [
    ("Deltagare", "persons"),
    ("Deltagare som har gått vidare till arbete", "persons"),
    ("Deltagare som har gått vidare till studier", "persons"),
    ("Andel deltagare som är kvinnor", "percent"),
    ("Genomförda träffar", "count"),
    ("Andel nöjda deltagare", "percent"),
    ("Kostnad per deltagare", "sek"),
    ("Deltagare som har fått praktik", "persons"),
]
COST_CATEGORIES = [
    "Personal",
    "Lokaler",
    "Material",
    "Utbildning",
    "Administration",
    "Resor",
    "Uppföljning",
    "Information",
]
DECISION_TYPES = ["beslut", "tjänsteutlåtande", "protokollsutdrag"]
ORG_TYPES = ["non_profit"] * 8 + ["company", "other"]


def make_dataset(target: Path, n: int, seed: int = 1, real: Path = Path("data")) -> Path:
    """Write a data folder with ``n`` partnerships into ``target`` and return it."""
    rng = random.Random(seed)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(real, target)
    templates = [
        yaml.safe_load(f.read_text(encoding="utf-8"))
        for f in sorted((real / "partnerships").glob("*.yaml"))
    ]
    count = max(0, n - len(templates))
    organisations = [_organisation(i, rng) for i in range(max(1, count // 3))]
    rows: dict[str, list[dict]] = {"decisions": [], "costs": [], "results": []}
    for i in range(count):
        record, extra = _partnership(i, rng, templates, organisations)
        path = target / "partnerships" / f"{record['id']}.yaml"
        path.write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
        for name, new in extra.items():
            rows[name] += new
    _append(target / "organisations.csv", organisations)
    for name, new in rows.items():
        _append(target / f"{name}.csv", new)
    _mark_package(target / "datapackage.yaml")
    return target


def _organisation(i: int, rng: random.Random) -> dict:
    return {
        "id": f"syntetisk-organisation-{i}",
        "name": f"{MARK} förening {i} i {rng.choice(DISTRICTS)}",
        "org_number": "",
        "org_id": "",
        "type": rng.choice(ORG_TYPES),
        "website": "",
        "note": "Syntetisk organisation för prestandatester.",
    }


def _text(rng: random.Random, sentences: int) -> str:
    return " ".join(
        rng.choice(SENTENCES).format(
            a=rng.choice(ACTIVITIES),
            b=rng.choice(ACTIVITIES),
            g=rng.choice(GROUPS),
            d=rng.choice(DISTRICTS),
        )
        for _ in range(sentences)
    )


def _partnership(
    i: int, rng: random.Random, templates: list[dict], organisations: list[dict]
) -> tuple[dict, dict[str, list[dict]]]:
    pid = f"syntetiskt-partnerskap-{i}"
    form = FORMS[i % len(FORMS)]
    status = rng.choice(STATUSES)
    start = rng.randint(2015, 2027)
    years = list(range(start, start + rng.randint(2, 4)))
    partner = organisations[i % len(organisations)]["id"]
    decisions = [_decision(pid, i, k, years[0], rng) for k in range(3)]
    template = copy.deepcopy(next(t for t in templates if t.get("form") == "iop"))
    record = {
        "id": pid,
        "title": f"{MARK}t partnerskap {i}: {rng.choice(ACTIVITIES)} för {rng.choice(GROUPS)}",
        "form": form,
        "status": status,
        "start_date": f"{years[0]}-01-01",
        "end_date": f"{years[-1]}-12-31",
        "public_parties": [
            {
                "organisation_id": "stockholms-stad",
                "body": "Arbetsmarknadsnämnden",
                "role": "public_party",
                "contribution": _text(rng, 1),
            }
        ],
        "partners": [
            {"organisation_id": partner, "role": "partner", "contribution": _text(rng, 2)}
        ],
        "target_group": {"text": _text(rng, 2), "age_min": 16, "age_max": 29},
        "goal": _text(rng, 2),
        "description": _text(rng, rng.randint(5, 9)),
        "follow_up": _text(rng, 1),
        "sources": [{"decision_id": d["id"]} for d in decisions],
        "note": "Syntetiska uppgifter för prestandatester, inte verkliga.",
    }
    if form == "iop":
        assessment = template["iop_assessment"]
        for group in assessment.values():
            for entry in group.values() if isinstance(group, dict) else ():
                entry["finding"] = rng.choice(["met", "met", "not_stated"])
                entry["statement"] = _text(rng, 2)
                entry["source"] = {"decision_id": decisions[0]["id"]}
        record["iop_assessment"] = assessment
    costs = [
        {
            "partnership_id": pid,
            "year": years[k % len(years)],
            "funder_id": "stockholms-stad",
            "amount_sek": rng.randrange(50_000, 3_000_000, 1000),
            "kind": "budget" if k % 2 == 0 else "outcome",
            "category": COST_CATEGORIES[k],
            "decision_id": decisions[k % 3]["id"],
            "note": "",
        }
        for k in range(8)
    ]
    results = [_result(pid, k, years, decisions, rng) for k in range(8)]
    return record, {"decisions": decisions, "costs": costs, "results": results}


def _decision(pid: str, i: int, k: int, year: int, rng: random.Random) -> dict:
    return {
        "id": f"{pid}-beslut-{k}",
        "date": f"{year - 1 + k // 2}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "body": "Arbetsmarknadsnämnden",
        "case_number": f"AMN {year - 1}/{i * 3 + k + 1}",
        "type": DECISION_TYPES[k],
        "title": f"{MARK}t beslut {k + 1} om partnerskap {i}",
        "partnership_id": pid,
        "question_id": "",
        "proposal": _text(rng, 1),
        "outcome": "approved" if k != 1 else "not_applicable",
        "document_url": "unknown",
        "summary": _text(rng, 3),
        "note": "Syntetisk handling. Webbadressen anges inte.",
    }


def _result(pid: str, k: int, years: list[int], decisions: list[dict], rng) -> dict:
    indicator, unit = INDICATORS[k]
    year = years[k % len(years)]
    small = unit == "persons" and rng.random() < 0.1
    value = {
        "persons": rng.randint(5, 400),
        "percent": rng.randint(10, 95),
        "count": rng.randint(1, 200),
        "sek": rng.randint(5_000, 90_000),
    }[unit]
    return {
        "partnership_id": pid,
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "indicator": indicator,
        "value": "" if small else value,
        "comparison": rng.choice(["exact", "exact", "about", "more_than"]),
        "target": "",
        "unit": unit,
        "suppressed": "true" if small else "false",
        "source": decisions[2]["id"],
        "note": "",
    }


def _append(path: Path, rows: list[dict]) -> None:
    if not rows:
        return
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


def _mark_package(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for j, line in enumerate(lines):
        if line.startswith("title:"):
            lines[j] = "title: SYNTETISKA testdata för prestandamätning, inte verkliga uppgifter\n"
    path.write_text("".join(lines), encoding="utf-8")


def commit_history(project: Path, commits: int = 50, share: float = 0.05, seed: int = 1) -> None:
    """Put the synthetic data folder of ``project`` under git with a history an editor could
    have made: a first commit of everything, then ``commits`` commits a week apart, each
    correcting the description of ``share`` of the partnerships and the note of as many rows
    of the results, so that the build reads and tells a real history."""
    rng = random.Random(seed)
    data = project / "data"
    files = sorted((data / "partnerships").glob("syntetiskt-*.yaml"))
    when = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    _git(project, "init", "-q")
    _commit(project, when, "Synthetic data: first version")
    for number in range(1, commits + 1):
        for path in rng.sample(files, max(1, int(len(files) * share))):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("\ndescription: ", f"\ndescription: Rättelse {number}. ", 1),
                encoding="utf-8",
            )
        _correct_rows(data / "results.csv", number, share, rng)
        _commit(project, when + dt.timedelta(weeks=number), f"Synthetic correction {number}")
    # Packed, as a clone is: loose objects would make the history cheaper to read than a
    # clone's.
    _git(project, "gc", "-q")


def commit_edit(project: Path, message: str) -> None:
    """Commit what an editor changed in the data folder of ``project``, a week after the last
    commit, and pack it as a clone would be."""
    last = dt.datetime.fromisoformat(_git(project, "log", "-1", "--format=%cI").strip())
    _commit(project, last + dt.timedelta(weeks=1), message)
    _git(project, "gc", "-q")


def _correct_rows(path: Path, number: int, share: float, rng: random.Random) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for row in rng.sample(rows, max(1, int(len(rows) * share))):
        row["note"] = f"{row['note']} Rättad {number}.".strip()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _commit(project: Path, when: dt.datetime, message: str) -> None:
    _git(project, "add", "data")
    stamp = when.isoformat()
    _git(project, "-c", "user.name=Syntetisk", "-c", "user.email=syntetisk@example.invalid",
         "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": stamp,
                                              "GIT_COMMITTER_DATE": stamp})  # fmt: skip


def _git(project: Path, *args: str, env: dict | None = None) -> str:
    """What git says when run in ``project``; raises if it fails."""
    # No automatic gc: it would pack some sizes' histories and not others, in the background
    # (where it keeps the explicit gc at the end from running).
    return subprocess.run(["git", "-C", str(project), "-c", "gc.auto=0", *args], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout  # fmt: skip
