"""The portal's promises, checked in headless Chromium on every commit: accessible, usable by
keyboard, searchable in Swedish, private, safe with any data, readable on a phone, and with
no broken links. Each check is also run on a page that breaks its rule, to prove it can fail."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser import (
    RECORD_CSP,
    axe_violations,
    broken_links,
    broken_words,
    csp_breaches,
    external,
    guard,
    injected,
    overflows,
    search_results,
    serve,
    spilled_tables,
)
from conftest import PAYLOADS, build_dataset, inject, site_paths
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.build import build_site

# One page of every kind.
PAGES = {
    "start": "",
    "partnership": "partnerskap/radda-barnen-iop-unga/",
    "partnership with results": "partnerskap/min-framtid/",
    "organisation": "organisationer/radda-barnen/",
    "decisions": "beslut/",
    "decision": "beslut/tu-2025-11-11-iop-radda-barnen/",
    "decision without its text": "beslut/skrivelse-l-samarbete-civilsamhallet/",
    "document text": "handlingar/tu-2025-11-11-iop-radda-barnen/",
    "document texts": "handlingar/",
    "report an error": "rapportera-fel/?sida=partnerskap/min-framtid/&post=min-framtid",
    "question": "skrivelser/liberalerna-samarbete-med-civilsamhallet/",
    "overview": "partnerskap/",
    "selection": "urval/form/iop/",
    "open data": "om-uppgifterna/",
    "accessibility statement": "tillganglighet/",
    "privacy": "personuppgifter/",
    "search results": "sok/?q=unga",
    "guide": "vagar/",
    "route": "vagar/iop/",
    "iop checklist": "vagar/iop-checklista/",
    "downloads": "oppna-data/",
    "data dictionary": "oppna-data/kolumner/",
    "changes": "andringar/",
}


@pytest.fixture(scope="module")
def site(real_site):
    with serve(real_site) as base:
        yield base


@pytest.fixture
def page(browser):
    """A page whose every request is recorded; after the test, its Content-Security-Policy
    must have blocked nothing: search, filters, the chooser and the theme all run under it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    page.requests = []
    guard(page, page.requests)
    # Playwright re-checks a waited-for condition on each animation frame by default; after
    # many pages in one browser, headless Chromium can stop giving a page frames, and the wait
    # then never sees a condition come true. A fixed interval always runs.
    wait = page.wait_for_function
    page.wait_for_function = lambda expression, **given: wait(
        expression, **{"polling": 100, **given}
    )
    yield page
    breaches = csp_breaches(page) if page.url.startswith("http") else []
    context.close()
    assert breaches == []


def _open(page, url: str) -> None:
    page.goto(url)
    if "sok/?q=" in url:
        page.wait_for_selector(".portal-find__title a")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_accessibility_violations(page, site, kind, width):
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, site + PAGES[kind])
    assert axe_violations(page) == []


def test_a_source_link_lands_on_its_section(page, site):
    """From an amount to the very section of the document that states it."""
    page.goto(site + "partnerskap/radda-barnen-iop-unga/")
    link = page.locator("table", has_text="Kostnader per år och finansiär").locator(
        "a", has_text="avsnittet"
    )
    with page.expect_navigation():
        link.first.click()
    assert page.url == site + "handlingar/tu-2025-11-11-iop-radda-barnen/#arendet"
    heading = page.locator("h2#arendet")
    assert heading.is_visible() and heading.inner_text().startswith("Ärendet")
    top = heading.evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 300  # scrolled to the section, below the fixed header


def test_the_report_page_names_the_page_and_record(page, site):
    page.goto(site + "partnerskap/min-framtid/")
    with page.expect_navigation():
        page.get_by_role("link", name="Rapportera ett fel på den här sidan").click()
    about = page.locator("#portal-report-about")
    assert about.is_visible()
    text = about.inner_text()
    assert site + "partnerskap/min-framtid/" in text and "posten min-framtid" in text


def test_keyboard_alone_search_and_follow_a_result(page, site):
    page.goto(site)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "portal-search-input":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("läxläsning")
    page.keyboard.press("Enter")
    page.wait_for_selector(".portal-find__title a")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.portal-find__title')"):
            break
    else:
        pytest.fail("no search result can be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "partnerskap/min-framtid/"


def test_keyboard_reaches_the_footer_links(page, site):
    page.goto(site)
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("() => document.activeElement.textContent.trim()"))
    assert {"Tillgänglighetsredogörelse", "Om personuppgifter och kakor"} <= reached


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Jobbvägen", "partnerskap/jobbvagen/"),  # a title
        ("Rädda Barnen", "organisationer/radda-barnen/"),  # an organisation's name
        ("läxläsning", "partnerskap/min-framtid/"),  # a word from a description
        ("föreningarna", "partnerskap/inkludering-genom-foreningslivet/"),  # inflected
        ("processledarna", "partnerskap/radda-barnen-iop-unga/"),  # inflected
    ],
)
def test_search_finds_swedish_words(page, site, query, expected):
    results = search_results(page, site, query)
    assert site + expected in results[:5], results


def test_a_page_view_does_not_download_the_sitemap(page, site):
    """The sitemap grows with the data (a line per page); the theme fetches it for every
    <link rel="alternate">, so pages must have none."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site)
    page.wait_for_load_state("networkidle")
    assert fetched and not [url for url in fetched if "sitemap" in url], fetched


def test_search_finds_records_not_the_lists_that_repeat_them(page, site):
    """List pages are left out of the index, so a title leads to its record page only."""
    results = search_results(page, site, "Jobbvägen")
    assert site + "partnerskap/jobbvagen/" in results
    lists = ("partnerskap/", "urval/", "organisationer/", "beslut/")
    assert not [r for r in results if r.split("#")[0] in {site + p for p in lists}], results
    assert not [r for r in results if "/urval/" in r], results


def test_a_decision_about_a_partnership_is_found_on_the_partnership_page(page, site):
    """Each record is indexed once: a decision about a partnership is listed, with its summary,
    on the partnership's page, and that page is what a search for the summary's words finds;
    a decision about a political question keeps its own page in the index."""
    results = [r.split("#")[0] for r in search_results(page, site, "förenligt")]
    assert site + "partnerskap/radda-barnen-iop-unga/" in results, results
    assert site + "beslut/tu-2025-11-11-iop-radda-barnen/" not in results, results
    results = [r.split("#")[0] for r in search_results(page, site, "Fremias")]
    assert site + "beslut/skrivelse-l-civilsamhallet-fremia/" in results, results


def test_search_results_can_be_narrowed_by_filters(page, site):
    search_results(page, site, "unga")
    page.get_by_role("button", name="Avgränsa sökningen").click()
    page.wait_for_function(
        """names => names.every(name => [...document.querySelectorAll(
            '.portal-find__group legend')].some(e => e.textContent.trim() === name))""",
        arg=["Form", "Status", "Organisation", "År"],
        timeout=60_000,  # the filters load when opened; a loaded machine can be slow
    )
    page.get_by_role("checkbox", name=re.compile(r"^Rädda Barnen \(\d+\)$")).check()
    # Only pages about Rädda Barnen remain: its organisation page and its two partnerships.
    page.wait_for_function(
        """() => {
          const shown = [...document.querySelectorAll('.portal-find__title a')].map(a => a.href);
          return shown.some(href => href.endsWith('/partnerskap/min-framtid/'))
            && shown.every(href => /radda-barnen|min-framtid/.test(href));
        }""",
        timeout=60_000,
    )
    assert parse_qs(urlsplit(page.url).query) == {"q": ["unga"], "Organisation": ["Rädda Barnen"]}


def test_every_page_requests_only_this_site_and_sets_no_cookie(page, site, real_site):
    pages = sorted(
        p.relative_to(real_site).parent.as_posix() for p in real_site.rglob("index.html")
    )
    for path in [*pages, "sok/?q=partnerskap"]:
        _open(page, site + ("" if path == "." else path + ("" if "?" in path else "/")))
    assert external(page.requests) == []
    assert len(page.requests) > len(pages)
    assert page.context.cookies() == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind", PAGES)
def test_tables_fit_without_breaking_words(page, site, kind, width):
    """No sideways scrolling, no table under the table of contents, no word broken inside a
    cell: a table wider than the column scrolls in its own box, named and reachable by
    keyboard."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + PAGES[kind])
    assert not overflows(page)
    assert spilled_tables(page) == []
    assert broken_words(page) == []
    for box in page.query_selector_all(".portal-table-wrap[tabindex]"):
        assert box.get_attribute("role") == "region"
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
        labelled = box.get_attribute("aria-labelledby")
        assert labelled and page.query_selector(f"caption#{labelled}")


def test_every_internal_link_and_anchor_resolves(real_site):
    assert broken_links(real_site) == []


def test_injected_text_stays_text(browser, tmp_path):
    root = build_dataset(tmp_path / "data")
    inject(root)
    build_site(site_paths(tmp_path, root))
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    guard(page, [])
    with serve(tmp_path / "site") as base:
        for path in (
            "partnerskap/test-iop/",
            "partnerskap/test-projekt/",
            "skrivelser/test-fraga/",
            "beslut/test-beslut/",
            "organisationer/testforeningen/",
            "partnerskap/",
            "",
            "beslut/",
        ):
            page.goto(base + path)
            assert injected(page) == [], path
            text = " ".join(page.inner_text("article").split())
            assert any(payload in text for payload in PAYLOADS), path
        page.goto(base + "partnerskap/test-iop/")
        text = " ".join(page.inner_text("article").split())
        assert all(payload in text for payload in PAYLOADS)
        # The search page writes the passages the index returns: the words stay text there.
        page.goto(base + "sok/?q=alert")
        page.wait_for_selector(".portal-find__result", timeout=30_000)
        assert injected(page) == []
        assert "<script>alert(1)</script>" in page.inner_text(".portal-find__results")
    assert dialogs == []
    context.close()


# --- each gate fails when its rule is broken -------------------------------------------------

BROKEN = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Trasig</title>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>
<body><main><h1>Trasig sida</h1><img src="bild.png">
<div style="width:2000px">bred</div>
<table style="width:1800px"><tr><td>bred</td></tr></table>
<table><tr><td style="width:30px;overflow-wrap:anywhere">Arbetsmarknadsnämnden</td></tr></table>
<p><a href="finns-inte/">länk</a> <a href="#saknas">ankare</a></p>
<script>document.title = 'alert(' + ')';</script></main></body></html>"""


@pytest.fixture
def broken_site(tmp_path: Path):
    (tmp_path / "index.html").write_text(BROKEN, encoding="utf-8")
    with serve(tmp_path) as base:
        yield base


def test_gates_catch_a_broken_page(page, broken_site, tmp_path):
    page.goto(broken_site)
    assert any(v.startswith("image-alt") for v in axe_violations(page))
    assert set(external(page.requests)) == {"https://fonts.googleapis.com/css?family=Roboto"}
    assert overflows(page)
    assert spilled_tables(page) == [
        "tabell: "
        + page.evaluate(
            "() => String(Math.round(document.querySelector('table').getBoundingClientRect().right"
            " - document.querySelector('main').getBoundingClientRect().right))"
        )
        + " px"
    ]
    assert broken_words(page) == ["Arbetsmarknadsnämnden"]
    assert "script" in injected(page)
    assert broken_links(tmp_path) == [
        "index.html -> bild.png",
        "index.html -> finns-inte/",
        "index.html -> #saknas (no such anchor)",
    ]


def _shown_questions(page, expected: list[str]) -> list[str]:
    """The visible questions, once the chooser has caught up with the address (it reacts to
    hashchange, after the click or history step returns)."""
    visible = ".portal-chooser__question:not([hidden])"
    # On a timeout, the assertion that follows shows what is visible instead.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """([selector, ids]) => JSON.stringify([...document.querySelectorAll(selector)]
                 .map(e => e.id)) === JSON.stringify(ids)""",
            arg=[visible, expected],
            timeout=3000,
        )
    return page.eval_on_selector_all(visible, "els => els.map(e => e.id)")


def test_chooser_leads_step_by_step_to_routes(page, site):
    page.goto(site + "vagar/")
    assert _shown_questions(page, ["fraga-ideburen"]) == ["fraga-ideburen"]
    page.click("#fraga-ideburen a:has-text('Ja')")
    page.click("#fraga-initiativ a:has-text('Det är vår idé')")
    page.click("#fraga-resurser a:has-text('Ja')")
    page.click("#fraga-mal a:has-text('Ja')")
    page.click("#fraga-marknad-egen a:has-text('Nej')")
    assert _shown_questions(page, ["fraga-langsiktigt"]) == ["fraga-langsiktigt"]
    page.wait_for_function("() => document.activeElement.id === 'fraga-langsiktigt-rubrik'")
    page.go_back()
    assert _shown_questions(page, ["fraga-marknad-egen"]) == ["fraga-marknad-egen"]
    page.go_forward()
    page.click("#fraga-langsiktigt a:has-text('Idéburet offentligt partnerskap')")
    assert page.url == site + "vagar/iop/"


def test_phone_keyboard_focus_stays_in_sight_and_menu_opens(page, site):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(site + "partnerskap/")
    for _ in range(12):
        page.keyboard.press("Tab")
        box = page.evaluate(
            """() => { const r = document.activeElement.getBoundingClientRect();
                       return [r.left, r.right, r.width]; }"""
        )
        assert box[2] == 0 or (box[0] >= 0 and box[1] <= 360), box
    page.focus(".portal-menu-button")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.getElementById('__drawer').checked")


SMUGGLED = """<script>window.smuggled = 'script';</script>
<img src="x" alt="" onerror="window.smuggled = 'handler'">
<a id="smuggled-link" href="javascript:void(window.smuggled = 'link')">länk</a>"""


@pytest.mark.parametrize("policy", [True, False])
def test_a_script_smuggled_past_the_escaping_is_blocked(browser, real_site, tmp_path, policy):
    """Were the escaping ever to fail, the page's policy still stops the script, the event
    handler and the javascript: link. Without the policy (the check can fail) they run."""
    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    page_file = site / "partnerskap" / "min-framtid" / "index.html"
    html = page_file.read_text(encoding="utf-8").replace("<article", SMUGGLED + "<article", 1)
    if not policy:
        html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    page_file.write_text(html, encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(RECORD_CSP)
    page = context.new_page()
    guard(page, [])
    with serve(site) as base:
        page.goto(base + "partnerskap/min-framtid/")
        page.wait_for_load_state("load")
        page.click("#smuggled-link")
        page.wait_for_timeout(200)
        smuggled = page.evaluate("() => window.smuggled || null")
        breaches = csp_breaches(page)
    context.close()
    if policy:
        assert smuggled is None
        assert any(b.startswith("script-src") for b in breaches), breaches
    else:
        assert smuggled in ("script", "handler", "link")


@pytest.mark.parametrize(
    ("path", "trail", "section"),
    [
        ("partnerskap/min-framtid/", ["Start", "Partnerskap", "Min Framtid"], "Partnerskap"),
        (
            "handlingar/tu-2025-11-11-iop-radda-barnen/",
            ["Start", "Beslut och handlingar", "Handlingarnas text"],
            "Beslut och handlingar",
        ),
        ("vagar/iop/", ["Start", "Vägar till samverkan"], "Vägar till samverkan"),
    ],
)
def test_a_record_page_says_where_it_is(page, site, path, trail, section):
    """A trail above the title, the current page last and not a link, and the page's section
    marked in the menu; at phone width too, where the trail stays outside the drawer."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site + path)
        items = page.locator("nav.portal-trail li")
        names = [n.strip() for n in items.all_inner_texts()]
        assert names[: len(trail)] == trail
        current = items.last
        assert current.get_attribute("aria-current") == "page"
        assert current.locator("a").count() == 0
        assert page.locator("nav.portal-trail").is_visible()
        marked = page.locator('.md-nav--primary a[aria-current="location"]')
        assert [t.strip() for t in marked.all_text_contents()] == [section]


def test_a_filtered_list_lives_in_its_address(page, site):
    """A list narrowed by its filters can be shared: the filters are in the address, a link
    with them opens the list narrowed, the caption names them, and "Visa alla" undoes them."""
    form = "Idéburet offentligt partnerskap (IOP)"
    page.goto(site + "partnerskap/?" + urlencode({"form": form}))
    table = page.locator("#alla-partnerskap table")
    visible = table.locator("tbody tr:visible")
    assert visible.count() == 1
    assert "Rädda Barnen" in visible.first.inner_text()
    assert table.locator("caption").inner_text() == f"Partnerskap med Form: {form}"
    page.select_option("select[name=status]", "Pågår")
    assert parse_qs(urlsplit(page.url).query) == {"form": [form], "status": ["Pågår"]}
    page.get_by_role("button", name="Visa alla").click()
    total = table.locator("tbody tr").count()
    assert total > 1 and visible.count() == total
    assert urlsplit(page.url).query == ""
    assert table.locator("caption").inner_text() == "Alla partnerskap"
    assert page.get_by_role("button", name="Visa alla").is_hidden()
    assert page.locator(".portal-filter [role=status]").inner_text() == (
        f"Visar {total} av {total} partnerskap."
    )


def test_search_results_say_what_kind_of_record_they_are(page, site):
    """A partnership and the document that proposed it share a title: each result names its
    kind first, and a document its type and date."""
    search_results(page, site, "Rädda Barnen")
    shown = page.eval_on_selector_all(
        ".portal-find__result > .portal-find__title > a",
        "els => els.map(e => [e.href, e.textContent.trim()])",
    )
    by_link = dict(shown)
    title = "Idéburet offentligt partnerskap mellan arbetsmarknadsnämnden och Rädda Barnen"
    assert by_link[site + "partnerskap/radda-barnen-iop-unga/"] == f"Partnerskap: {title}"
    assert by_link[site + "organisationer/radda-barnen/"] == "Organisation: Rädda Barnen"
    text = by_link[site + "handlingar/tu-2025-11-11-iop-radda-barnen/"]
    assert text == f"Handlingens text: Tjänsteutlåtande, 11 november 2025: {title}"
    kinds = ("Partnerskap", "Organisation", "Tjänsteutlåtande", "Skrivelse", "Handlingens text")
    kinds += ("Politisk fråga", "Väg till samverkan")
    records = ("partnerskap/", "organisationer/", "beslut/", "handlingar/", "skrivelser/")
    records = tuple(site + r for r in records)
    assert all(t.startswith(kinds) for link, t in by_link.items() if link.startswith(records))
    assert site not in by_link, "the start page repeats the records' titles"


def test_a_search_opened_as_its_address_starts_loading_with_the_page(page, site):
    """The header's form and a shared link open the search's address: its script and Pagefind's
    program are asked for from the page's head, beside the style sheets, before the theme's
    script at the end of the page, and each only once. Opened without a query, the page loads
    nothing it does not use (the browser warns of a preloaded file left unused)."""
    search_results(page, site, "unga")
    started = dict(
        page.evaluate(
            """() => performance.getEntriesByType('resource')
                .map(e => [new URL(e.name).pathname, e.startTime])"""
        )
    )
    theme = next(start for path, start in started.items() if "/javascripts/bundle." in path)
    asked = [urlsplit(url).path for url in page.requests]
    for path in ("/assets/search.js", "/pagefind/pagefind.js"):
        assert started[path] < theme, path
        assert asked.count(path) == 1, path
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    page.goto(site + "sok/")
    page.wait_for_timeout(4_000)  # the browser warns three seconds after the page has loaded
    assert not [text for text in said if "preload" in text]


def test_a_search_that_finds_nothing_offers_a_way_on(page, site):
    page.goto(site + "sok/?q=qzxvbnmkjhg")
    hint = page.locator("#portal-search-none")
    hint.wait_for(state="visible", timeout=30_000)
    targets = hint.locator("a").evaluate_all("links => links.map(a => a.href)")
    for path in ("partnerskap/", "organisationer/", "beslut/", "skrivelser/", "vagar/"):
        assert site + path in targets
    page.goto(site + "sok/?q=unga")
    page.locator(".portal-find__result").first.wait_for(timeout=30_000)
    assert hint.is_hidden()


def test_a_long_page_has_a_section_menu_on_a_phone(page, site):
    """On a phone the table of contents is in the drawer: a long page offers its sections under
    its title, each link leading to its section; on a wide screen the table of contents is
    beside the page instead."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + "partnerskap/radda-barnen-iop-unga/")
    menu = page.locator("nav.portal-onpage")
    assert menu.is_visible()
    menu.locator("summary").click()
    links = menu.locator("a")
    names = [n.strip() for n in links.all_inner_texts()]
    assert "Kostnader" in names and "Källor" in names
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(href).count() == 1
    links.filter(has_text="Kostnader").click()
    assert page.url.endswith("#kostnader")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert menu.is_hidden()


def test_english_text_is_not_what_a_search_finds(page, site):
    """The data dictionary's English descriptions (lang="en") are left out of the Swedish
    search index: an English word finds no page, a Swedish word from the same entry does."""
    page.goto(site + "sok/")
    found = page.evaluate(
        """async () => {
          const pagefind = await import('/pagefind/pagefind.js');
          const urls = async (word) => {
            const search = await pagefind.search(word);
            return Promise.all(search.results.map(async r => (await r.data()).url));
          };
          return {english: await urls('identifier'), swedish: await urls('kolumnerna')};
        }"""
    )
    assert not [u for u in found["english"] if "kolumner" in u], found
    assert any("kolumner" in u for u in found["swedish"]), found


def test_search_filters_load_when_opened_and_show_counts(page, site):
    """The filters' files are fetched only when the visitor opens them (a search that is not
    narrowed needs none); opened, each group lists its values with the number of results."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    search_results(page, site, "unga")
    page.wait_for_load_state("networkidle")
    assert not [url for url in fetched if "/pagefind/filter/" in url], fetched
    toggle = page.get_by_role("button", name="Avgränsa sökningen")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.wait_for_function(
        """names => names.every(name => [...document.querySelectorAll(
            '.portal-find__group legend')].some(e => e.textContent.trim() === name))""",
        arg=["Typ", "Form", "Status"],
        timeout=60_000,
    )
    assert [url for url in fetched if "/pagefind/filter/" in url]
    labels = page.eval_on_selector_all(
        ".portal-find__option", "els => els.map(e => e.textContent.trim())"
    )
    assert labels and all(re.search(r"\(\d+\)$", label) for label in labels), labels
    toggle.click()
    assert page.locator(".portal-find__groups").is_hidden()


@pytest.mark.parametrize(
    ("query", "records"),
    [
        ("Jobbvägen", ["partnerskap/jobbvagen/"]),
        ("Rädda Barnen", ["organisationer/radda-barnen/", "partnerskap/radda-barnen-iop-unga/"]),
        ("Svenska med baby", ["organisationer/svenska-med-baby/", "partnerskap/svenska-med-baby/"]),
    ],
)
def test_a_name_leads_first_to_its_own_record(page, site, query, records):
    """The record named in the title ranks above the pages that only mention the name."""
    results = [r.split("#")[0] for r in search_results(page, site, query)]
    assert results[0] in {site + r for r in records}, results[:5]


def test_the_iop_criteria_read_as_a_list_on_a_phone(page, site):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + "partnerskap/radda-barnen-iop-unga/")
    table = page.locator("table", has=page.locator("caption", has_text="Kriterier för ett IOP"))
    row = table.locator("tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    # Each value is shown after its column's name (portal.js labels the cells, portal.css
    # writes the label before the value).
    assert row.locator("td").first.get_attribute("data-label") == "Bedömning"
    page.set_viewport_size({"width": 1280, "height": 800})
    assert row.evaluate("r => getComputedStyle(r).display") == "table-row"


@pytest.mark.parametrize("path", ["beslut/", "partnerskap/", "organisationer/", "skrivelser/",
                                  "urval/form/iop/"])  # fmt: skip
def test_the_lists_fit_the_column_on_a_wide_screen(page, site, path):
    """A list shows the columns a reader scans (a document's type before its title, in one
    column) and leaves the rest to the record page, so on a desktop it needs no sideways
    scrolling of its own."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + path)
    assert page.locator("main table").count() > 0
    assert page.locator(".portal-table-wrap[tabindex]").count() == 0


def test_a_record_is_found_by_what_it_says_not_by_its_footer(page, site):
    """The footer every record page has (report an error, with the page's address and the
    record's id) is left out of the index: its words find the report page, not every record."""
    page.goto(site + "sok/")
    urls = page.evaluate(
        """async () => {
          const pagefind = await import('/pagefind/pagefind.js');
          const search = await pagefind.search('rapportera');
          return Promise.all(search.results.map(async r => (await r.data()).url));
        }"""
    )
    records = ("/partnerskap/", "/organisationer/", "/beslut/", "/skrivelser/", "/handlingar/")
    assert "/rapportera-fel/" in urls
    assert not [u for u in urls if u.startswith(records)], urls


def test_the_search_and_its_filters_are_kept_in_the_address(page, site):
    """A narrowed search can be shared: the address's filters are ticked when the page opens,
    and the query and the ticked filters are written back to the address."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "sok/?q=unga&Form=ESF-projekt")
    ticked = """([name, value]) => [...document.querySelectorAll('.portal-find__group input')]
        .some(box => box.name === name && box.value === value && box.checked)"""
    page.wait_for_function(ticked, arg=["Form", "ESF-projekt"], timeout=60_000)
    # "unga" is on many pages; with the filter only Min Framtid's remain.
    page.wait_for_function(
        """() => {
          const shown = [...document.querySelectorAll('.portal-find__title a')]
            .map(link => link.href.split('#')[0]);
          return shown.length && shown.every(href => href.endsWith('/partnerskap/min-framtid/'));
        }""",
        timeout=60_000,
    )
    page.fill(".portal-find__input", "föreningar")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'föreningar'")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["föreningar"], "Form": ["ESF-projekt"]}
    page.eval_on_selector(".portal-find__group input[name='Form']:checked", "box => box.click()")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('Form')")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["föreningar"]}
