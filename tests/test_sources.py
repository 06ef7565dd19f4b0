"""Every figure traceable to its source document, a way to reach the city, and proposals never
read as money paid: the documents' pages and their anchors, the proposal label wherever a
proposed amount appears, the publisher's contact channels, the requests for missing documents,
and the refusal to publish a local build."""

from __future__ import annotations

import gzip
import html
import re
import sqlite3
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import DATA, PUBLISHED_URL, build_dataset

from generator import cli
from generator.model.build import build as build_model
from generator.model.dataset import Dataset
from generator.model.records import Cost, Decision, Unknown
from generator.site.render import Site, render_pages
from generator.source.load import load

PROPOSAL = "Föreslagen budget – nämndens beslut finns inte i underlaget"


def test_every_link_to_a_section_lands_on_it(real_site):
    """Each document has a page with one anchor per section, and every link to a section
    anywhere on the site names an anchor that exists on that page."""
    documents = sorted((DATA / "documents").glob("*.yaml"))
    assert len(documents) == 4
    anchors = {}
    for file in documents:
        record = yaml.safe_load(file.read_text("utf-8"))
        html = (real_site / "handlingar" / record["id"] / "index.html").read_text("utf-8")
        found = set(re.findall(r'<h[23] id="([^"]+)"', html))
        assert {s["id"] for s in record["sections"]} <= found, file.name
        anchors[record["id"]] = found
        text = (real_site / "data" / "handlingar" / f"{record['id']}.txt").read_text("utf-8")
        assert all(s["heading"] in text for s in record["sections"])
    links = 0
    for page in real_site.rglob("*.html"):
        for doc, anchor in re.findall(
            r'href="[./]*handlingar/([a-z0-9-]+)/#([^"]+)"', page.read_text("utf-8")
        ):
            assert anchor in anchors[doc], (page, doc, anchor)
            links += 1
    # Every source reference in the data names its section: criteria, sources, costs,
    # results, proposals and the guide's statements all link to one.
    assert links >= 40


def test_no_personal_contact_details_in_the_documents():
    """Named officials' direct contact details are replaced by their role."""
    for file in (DATA / "documents").glob("*.yaml"):
        text = file.read_text("utf-8")
        assert not re.search(r"\b0\d{1,3}-\d{2,3} ?\d", text), file.name  # no phone number
        assert "Telefon" not in text, file.name
        record = yaml.safe_load(text)
        for paragraph in (p for s in record["sections"] for p in s["paragraphs"]):
            if paragraph.startswith("Handläggare"):
                assert "ersatta med rollen" in paragraph


# --- proposals ------------------------------------------------------------------------------


class _Blocks(HTMLParser):
    """The text of every table row, list item, paragraph and chart of a page."""

    BLOCKS = frozenset({"tr", "li", "p", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BLOCKS:
            self.open.append([tag, ""])

    def handle_endtag(self, tag) -> None:
        if tag in self.BLOCKS and self.open and self.open[-1][0] == tag:
            _, text = self.open.pop()
            self.found.append(text)
            if self.open:
                self.open[-1][1] += text

    def handle_data(self, data) -> None:
        if self.open:
            self.open[-1][1] += data


AMOUNT = re.compile(r"\d[\d\u00a0 ]*(?:,\d+)?\u00a0(?:kr|mnkr)")


def test_a_proposed_amount_is_called_a_proposal_wherever_it_appears(real_site):
    """In the real data every amount is the administration's proposal, so every row,
    paragraph, list item or chart that shows an amount must say so."""
    shown = set()
    for page in sorted(real_site.rglob("*.html")):
        blocks = _Blocks()
        blocks.feed(page.read_text("utf-8"))
        for text in blocks.found:
            if AMOUNT.search(text):
                shown.add(page.relative_to(real_site).parent.as_posix())
                assert PROPOSAL in text or "(förslag)" in text, (page, text[:200])
    # The start page, the organisation's and the partnership's pages and the route's examples.
    assert {".", "organisationer/radda-barnen", "partnerskap/radda-barnen-iop-unga"} <= shown
    assert "vagar/iop" in shown


def test_the_downloads_say_which_amounts_are_proposals(real_site):
    db = sqlite3.connect(real_site / "data" / "insyn-i-samverkan.sqlite")
    rows = db.execute(
        "SELECT c.basis, l.label FROM costs AS c JOIN label_costs_basis AS l ON l.value = c.basis"
    ).fetchall()
    db.close()
    assert rows and set(rows) == {("proposal", PROPOSAL)}


def _decision(type_: str, outcome) -> Decision:
    return Decision(
        "d", Unknown(""), "Nämnden", "", type_, "T", "", "", "", "", outcome, None, "", ""
    )


@pytest.mark.parametrize(
    ("kind", "type_", "outcome", "basis"),
    [
        ("outcome", "tjänsteutlåtande", Unknown("x"), "outcome"),
        ("budget", "tjänsteutlåtande", "approved", "decided"),
        ("budget", "beslut", Unknown("x"), "decided"),
        ("budget", "protokollsutdrag", None, "decided"),
        ("budget", "tjänsteutlåtande", "rejected", "not_decided"),
        ("budget", "tjänsteutlåtande", "referred_back", "not_decided"),
        ("budget", "tjänsteutlåtande", Unknown("x"), "proposal"),
        ("budget", "skrivelse", "not_applicable", "stated"),
    ],
)
def test_what_an_amount_rests_on(kind, type_, outcome, basis):
    cost = Cost("p", 2026, "f", 1, kind, "", "d", "", "")
    data = Dataset.__new__(Dataset)
    object.__setattr__(data, "decisions", {"d": _decision(type_, outcome)})
    assert data.basis(cost) == basis


# --- contact and requests --------------------------------------------------------------------


def _site(tmp_path: Path, **channels: str) -> dict[str, str]:
    """The pages of the fixture dataset, with contact channels set in its descriptor."""
    root = build_dataset(tmp_path / "data")
    descriptor = root / "datapackage.yaml"
    data = yaml.safe_load(descriptor.read_text("utf-8"))
    for contributor in data["contributors"]:
        for role, values in channels.items():
            if role in contributor["roles"]:
                contributor.update(dict(v.split("=", 1) for v in values.split(";")))
    descriptor.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return render_pages(build_model(load(root)), site=Site(PUBLISHED_URL))


def _hrefs(page: str, prefix: str) -> list[str]:
    """The links of a page that start with ``prefix``, as the browser reads them."""
    found = (html.unescape(h) for h in re.findall(r'href="([^"]*)"', page))
    return [h for h in found if h.startswith(prefix)]


def test_without_a_contact_address_the_pages_say_it_is_missing(tmp_path):
    pages = _site(tmp_path)
    for path in (
        "rapportera-fel.md",
        "tillganglighet.md",
        "vagar/index.md",
        "vagar/partnerskap.md",
    ):
        assert "Kontaktuppgift saknas" in pages[path], path
        assert not _hrefs(pages[path], "mailto:"), path
    # The error link names the page and the record on the report page.
    link = _hrefs(pages["partnerskap/test-iop.md"], "../../rapportera-fel/")
    assert link and parse_qs(urlsplit(link[0]).query) == {
        "sida": ["partnerskap/test-iop/"],
        "post": ["test-iop"],
    }
    assert f"{PUBLISHED_URL}partnerskap/test-iop/" in html.unescape(
        pages["partnerskap/test-iop.md"]
    )


def test_a_contact_address_reaches_every_page_that_names_the_contact(tmp_path):
    pages = _site(tmp_path, contact="email=kontakt@example.se;phone=08-123 456 78")
    for path in (
        "rapportera-fel.md",
        "tillganglighet.md",
        "vagar/index.md",
        "vagar/partnerskap.md",
    ):
        assert "mailto:kontakt@example.se" in _hrefs(pages[path], "mailto:"), path
        assert "Kontaktuppgift saknas" not in pages[path], path
        assert "tel:0812345678" in _hrefs(pages[path], "tel:"), path
    # The error link is an e-mail with the page's address and the record in it.
    mail = _hrefs(pages["skrivelser/test-fraga.md"], "mailto:")
    assert len(mail) == 1 and mail[0].startswith("mailto:kontakt@example.se?")
    fields = parse_qs(urlsplit(mail[0]).query)
    assert fields["subject"] == ["Fel på sidan: Testskrivelse (syntetisk)"]
    assert f"{PUBLISHED_URL}skrivelser/test-fraga/" in fields["body"][0]
    assert "test-fraga" in fields["body"][0]


def _decoded(text: str) -> str:
    return html.unescape(text)


def test_a_missing_document_can_be_requested_in_one_step(tmp_path):
    pages = _site(tmp_path)
    page = pages["beslut/test-skrivelse.md"]
    assert '<h2 id="begar-ut">Begär ut handlingen</h2>' in page
    request = _decoded(re.search(r"<textarea[^>]*>(.*?)</textarea>", page).group(1))
    assert "offentlighetsprincipen" in request
    assert "Testskrivelse" in request and "diarienumret" in request
    assert f"{PUBLISHED_URL}beslut/test-skrivelse/" in request
    assert "registratorns e-postadress finns inte" in page
    # With the registry's address set, the request is an e-mail ready to send.
    pages = _site(tmp_path / "again", registry="email=registrator@example.se")
    mail = _hrefs(pages["beslut/test-skrivelse.md"], "mailto:")
    assert len(mail) == 1 and _decoded(mail[0]).startswith("mailto:registrator@example.se?")
    fields = parse_qs(urlsplit(_decoded(mail[0])).query)
    assert fields["subject"] == ["Begäran om allmän handling: Testskrivelse"]
    assert "offentlighetsprincipen" in fields["body"][0]


def test_the_data_page_lists_every_gap(real_site):
    page = (real_site / "oppna-data" / "index.html").read_text("utf-8")
    table = page.split("Uppgifter som saknas för att en handling inte finns i underlaget")[1]
    table = table.split("</table>")[0]
    decisions = (DATA / "decisions.csv").read_text("utf-8").splitlines()[1:]
    with_gaps = [line.split(",")[0] for line in decisions if ",unknown," in line]
    assert with_gaps
    for decision_id in with_gaps:
        assert f"beslut/{decision_id}/#begar-ut" in table, decision_id
        decision = (real_site / "beslut" / decision_id / "index.html").read_text("utf-8")
        assert 'id="begar-ut"' in decision


def test_scope_and_freshness_on_the_start_and_data_pages(real_site):
    for path in ("index.html", "oppna-data/index.html"):
        page = (real_site / path).read_text("utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Stockholms stad, arbetsmarknadsnämnden (organisationsnummer 212000-0142)" in text
        assert "5 partnerskap" in text and "5 beslut och handlingar" in text
        for file in (DATA / "documents").glob("*.yaml"):
            assert f"handlingar/{file.stem}/" in page, (path, file.stem)
        assert "beslut/skrivelse-l-samarbete-civilsamhallet/" in page
        assert re.search(r"Senast ändrade:\s*(\d{1,2} \w+ \d{4}|okänt)", text), path


# --- the published address ------------------------------------------------------------------


def test_a_local_build_is_never_published(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("PORTAL_SITE_URL", raising=False)
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "datapackage.yaml").write_text((DATA / "datapackage.yaml").read_text("utf-8"))
    for url in ("", "http://127.0.0.1:8000/", "http://localhost:8000/"):
        if url:
            monkeypatch.setenv("PORTAL_SITE_URL", url)
        assert cli.main(["build", "--publish", "--root", str(root)]) == 1
        err = capsys.readouterr().err
        assert "will not publish" in err and "PORTAL_SITE_URL" in err
        assert not (root / "site").exists() and not (root / "build").exists()
    # The real data sets no contact address: the build warns.
    assert "no contact e-mail address is set" in err


LOCAL = re.compile(rb"https?://(?:127\.\d+\.\d+\.\d+|localhost|0\.0\.0\.0|\[::1\])")


def test_a_build_for_an_address_holds_no_local_one(real_site):
    """Every file of the site, the compressed and binary ones opened, names the published
    address and never a local one."""
    seen = 0
    for file in sorted(real_site.rglob("*")):
        if not file.is_file():
            continue
        contents = [file.read_bytes()]
        if file.suffix == ".gz":
            contents = [gzip.decompress(contents[0])]
        elif file.suffix in (".zip", ".xlsx"):
            with zipfile.ZipFile(file) as archive:
                contents = [archive.read(name) for name in archive.namelist()]
        for content in contents:
            assert not LOCAL.search(content), file
        seen += 1
    assert seen > 50
    sitemap = gzip.decompress((real_site / "sitemap.xml.gz").read_bytes()).decode()
    assert f"<loc>{PUBLISHED_URL}</loc>" in sitemap
    assert PUBLISHED_URL.encode() in (real_site / "data" / "katalog.rdf").read_bytes()
    assert PUBLISHED_URL.encode() in (real_site / "andringar.xml").read_bytes()
