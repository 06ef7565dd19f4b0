"""Everything the public reads is in plain Swedish: no page and no feed entry shows a code, a
field path, an English enum value or an English sentence outside what is marked lang="en"
(see plainswedish.py for what the scan reads and flags)."""

from __future__ import annotations

import sqlite3

from conftest import DATA, ROOT
from plainswedish import check_text, enum_codes, markdown_texts, page_texts, scan_site


def test_the_built_site_and_feed_read_in_swedish(real_site):
    findings = scan_site(real_site, DATA)
    assert [str(f) for f in findings] == []
    assert (real_site / "andringar.xml").is_file()


def test_the_scan_finds_what_it_looks_for():
    """The scan can fail: each kind of leak on a deliberately broken page is found."""
    page = """<html><body><main>
    <p>Bedömningen var met, blev not_stated.</p>
    <li><code>iop_assessment.criteria.long_term.finding</code> ändrades</li>
    <h2>Data: record the criteria that the proposal does not assess</h2>
    <p lang="en">This English text is marked and allowed.</p>
    <img alt="status: active" src="x.png">
    </main></body></html>"""
    codes = enum_codes(DATA)
    found = [f for text in page_texts(page, False) for f in check_text("p", text, codes, False)]
    kinds = sorted({f.kind for f in found})
    assert kinds == ["English code", "English sentence", "dotted path", "snake_case"]
    assert {f.text for f in found if f.kind == "English code"} == {"met", "active"}
    assert not any("marked and allowed" in f.text for f in found)


def test_code_samples_and_file_names_are_allowed_on_the_open_data_pages_only():
    page = "<p>Filen <code>partnership_parties.csv</code> och kolumnen <code>not_stated</code>.</p>"
    codes = enum_codes(DATA)
    texts = page_texts(page, open_data=True)
    assert [f for t in texts for f in check_text("oppna-data/", t, codes, True)] == []
    texts = page_texts(page, open_data=False)
    assert [f for t in texts for f in check_text("partnerskap/", t, codes, False)]


def test_sqlite_readers_get_swedish_labels_and_descriptions(real_site):
    db = sqlite3.connect(real_site / "data" / "insyn-i-samverkan.sqlite")
    rows = db.execute(
        "SELECT p.id, s.label FROM partnerships AS p "
        "JOIN label_partnerships_status AS s ON s.value = p.status ORDER BY p.id"
    ).fetchall()
    assert dict(rows)["min-framtid"] == "Avslutat"
    (title, description) = db.execute(
        "SELECT title, description FROM data_dictionary "
        "WHERE table_name = 'costs' AND column_name = 'amount_sek'"
    ).fetchone()
    assert title == "Belopp" and description.startswith("Belopp i hela kronor")
    columns = {r[1] for r in db.execute("PRAGMA table_info(partnerships)")}
    described = {
        r[0]
        for r in db.execute(
            "SELECT column_name FROM data_dictionary WHERE table_name = 'partnerships'"
        )
    }
    assert columns <= described
    db.execute("PRAGMA foreign_keys = ON")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_history_of_coded_unknown_and_moved_values_reads_in_swedish(tmp_path):
    """Pages that tell a fixed history with coded values, a value that became unknown, a list
    item and a table row read in Swedish, whatever the checkout's own history holds."""
    from conftest import build_dataset
    from test_site import _history

    from generator.model.build import build
    from generator.site.render import render_pages
    from generator.source.load import load

    data = build(load(build_dataset(tmp_path / "data")))
    pages = render_pages(data, history=_history())
    codes = enum_codes(DATA)
    for page in ("andringar.md", "partnerskap/test-iop.md"):
        texts = markdown_texts(pages[page])
        assert [str(f) for t in texts for f in check_text(page, t, codes, False)] == []
        assert any("Inte prövat i källan" in t for t in texts)


# The one wording for each meaning in what the portal itself writes (the data's own notes and
# reasons are the editors' words): a value the sources do not state is "Uppgift saknas" (as a
# group, "Form: uppgift saknas"), no answer yet "Inget svar i källorna", a criterion the
# document does not assess "Inte prövat i källan", no amounts "Källorna anger inga belopp".
# The phrasings these replaced must not come back.
RETIRED = ("anges inte", "Inga belopp", "Ingen uppgift", "datum saknas", "för partnerskapet.")


def test_one_wording_per_meaning():
    site = ROOT / "generator" / "site"
    found = [
        f"{path.relative_to(ROOT)}: {phrase}"
        for path in sorted([*site.rglob("*.j2"), *site.glob("*.py")])
        for phrase in RETIRED
        if phrase in path.read_text(encoding="utf-8")
    ]
    assert found == []
