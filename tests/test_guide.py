"""Vägar till samverkan: the chooser covers every route, each route lists exactly the city's
partnerships that used it, and the IOP checklist is the validator's own list."""

from __future__ import annotations

import csv
import html
import json
import re

import yaml
from conftest import DATA, ROOT

from generator.model.build import build
from generator.site.fmt import sek
from generator.source.load import load


def _guide():
    return build(load(DATA)).guide


def test_chooser_answers_cover_every_route():
    guide = _guide()
    reached = {r for q in guide.questions.values() for a in q.answers for r in a.routes}
    assert reached == set(guide.routes)


def test_every_route_the_issue_names_is_there():
    assert {
        "iop",
        "foreningsbidrag",
        "upphandling",
        "reserverad-ideburen",
        "reserverad-social-integration",
        "lov",
        "esf",
        "sponsring",
        "volontaravtal",
        "registrering-ideburen",
    } <= set(_guide().routes)


def test_every_route_lists_exactly_the_partnerships_that_used_it(real_site):
    forms = {
        file.stem: yaml.safe_load(file.read_text(encoding="utf-8"))["form"]
        for file in (DATA / "partnerships").glob("*.yaml")
    }
    costs = list(csv.DictReader((DATA / "costs.csv").open(encoding="utf-8")))
    results = list(csv.DictReader((DATA / "results.csv").open(encoding="utf-8")))
    for route in _guide().routes.values():
        page = (real_site / "vagar" / route.id / "index.html").read_text(encoding="utf-8")
        examples = html.unescape(page.split('id="stadens-exempel"')[1].split('id="kontakt"')[0])
        rows = {
            pid: row
            for row in re.findall(r"<tr>.*?</tr>", examples, re.S)
            for pid in re.findall(r'href="\.\./\.\./partnerskap/([a-z0-9-]+)/"', row)
        }
        assert set(rows) == {pid for pid, form in forms.items() if form in route.forms}, route.id
        for pid, row in rows.items():
            for kind in ("budget", "outcome"):
                total = sum(
                    int(c["amount_sek"])
                    for c in costs
                    if c["partnership_id"] == pid and c["kind"] == kind
                )
                if total:
                    assert sek(total) in row, (route.id, pid, kind)
            for result in results:
                if result["partnership_id"] == pid:
                    assert result["indicator"] in row, (route.id, pid)


def test_every_partnership_links_to_its_route(real_site):
    guide = _guide()
    for pid, partnership in build(load(DATA)).partnerships.items():
        route = guide.route_for(partnership.form)
        page = (real_site / "partnerskap" / pid / "index.html").read_text(encoding="utf-8")
        linked = set(re.findall(r'href="\.\./\.\./vagar/([a-z0-9-]+)/"', page))
        assert linked == ({route.id} if route else set()), pid


def test_iop_checklist_is_the_validators_list(real_site):
    schema = json.loads((DATA / "schemas" / "partnership.schema.json").read_text("utf-8"))
    groups = schema["properties"]["iop_assessment"]["properties"]
    page = html.unescape((real_site / "vagar/iop-checklista/index.html").read_text("utf-8"))
    for group in ("criteria", "legal"):
        assert groups[group]["required"] == list(groups[group]["properties"])
        for entry in groups[group]["properties"].values():
            assert f'<th scope="row">{entry["title"]}</th>' in page


def test_guide_is_one_click_from_the_start_page(real_site):
    start = (real_site / "index.html").read_text(encoding="utf-8")
    article = start.split("<article", 1)[1]
    assert 'href="vagar/"' in article


def test_every_statement_names_a_source():
    routes = yaml.safe_load((DATA / "routes.yaml").read_text(encoding="utf-8"))
    ids = {s["id"] for s in routes["sources"]}
    for route in routes["routes"]:
        for key in ("who_may", "decides", "conditions", "time_and_effort", "provide", "risks"):
            for statement in route[key]:
                assert statement["source"] in ids
    assert (ROOT / "data" / "schemas" / "routes.schema.json").is_file()
