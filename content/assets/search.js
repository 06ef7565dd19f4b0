/* The search page: a small interface on Pagefind's JavaScript API. It loads only what a
   search needs: the index's page table and the chunk of the words searched for, the text of
   the results on screen (ten at a time), and the filters when the visitor opens them.
   A classic script, not a module: it runs where it stands, as soon as the style sheets have
   loaded, so Pagefind starts before the theme's script at the end of the page has loaded
   (the page's head preloads this script and Pagefind's program). */
(() => {
  "use strict";
  const box = document.getElementById("portal-search-page");
  const none = document.getElementById("portal-search-none");
  const FILTERS = ["Typ", "Form", "Status", "År", "Organisation"];
  const STEP = 10;

  let shown = 0;
  let current = null; // the latest finished search: its words and results
  let asked = 0; // numbers the searches, so that an answer to an older one is dropped
  const ticked = {}; // filter name -> list of ticked values

  function make(tag, attributes, text) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function count(n, one, many) {
    return `${n.toLocaleString("sv-SE")} ${n === 1 ? one : many}`;
  }

  // Not a second search landmark: the header's form is the site's search; this is the page.
  const form = make("form", { class: "portal-find__form" });
  const label = make("label", { for: "portal-find-input" }, "Sök på webbplatsen");
  const input = make("input", {
    id: "portal-find-input",
    class: "portal-find__input",
    type: "search",
    name: "q",
    autocomplete: "off",
    spellcheck: "false",
  });
  form.append(label, input);
  const filters = make("div", { class: "portal-find__filters" });
  const toggle = make("button", {
    type: "button",
    class: "portal-find__toggle",
    "aria-expanded": "false",
    "aria-controls": "portal-find-groups",
  }, "Avgränsa sökningen");
  const groups = make("div", { id: "portal-find-groups", class: "portal-find__groups", hidden: "" });
  filters.append(toggle, groups);
  let open = false;
  const status = make("p", { class: "portal-find__status", role: "status" });
  const list = make("ol", { class: "portal-find__results" });
  const more = make("button", { type: "button", class: "portal-find__more", hidden: "" });
  box.append(form, filters, status, list, more);

  let starting = null;
  function engine() {
    starting = starting || start();
    return starting;
  }

  async function start() {
    const index = new URL(box.dataset.index, document.baseURI);
    const [api, parts] = await Promise.all([
      import(new URL("pagefind.js", index).href),
      fetch(new URL("parts.json", index)).then((answer) => (answer.ok ? answer.json() : [])),
    ]);
    // The results' addresses are relative to the site's root, wherever it is published.
    const baseUrl = new URL(box.dataset.root, window.location.href).pathname;
    await api.options({ baseUrl });
    // A large site's index is several, searched together: Pagefind ranks the pages a word is
    // on in a time that grows with the square of their number in one index.
    await Promise.all(parts.map((part) => api.mergeIndex(new URL(part, index).pathname, { baseUrl })));
    return api;
  }

  function chosen() {
    const given = {};
    for (const [name, values] of Object.entries(ticked)) {
      if (values.length) given[name] = values; // all of them, as the counts assume
    }
    return given;
  }

  function remember() {
    const kept = new URLSearchParams();
    if (input.value.trim()) kept.set("q", input.value.trim());
    for (const name of FILTERS) for (const value of ticked[name] || []) kept.append(name, value);
    const search = kept.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? `?${search}` : ""));
  }

  async function search() {
    const number = ++asked;
    const words = input.value.trim();
    const narrowed = Object.keys(chosen()).length > 0;
    if (!words && !narrowed) {
      current = null;
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      none.hidden = true;
      return;
    }
    status.textContent = "Söker …"; // a very common word can take a few seconds
    const api = await engine();
    const found = await api.search(words || null, { filters: chosen() });
    if (number !== asked || !found) return; // a newer search has started
    current = { words, found };
    list.replaceChildren();
    shown = 0;
    const n = found.results.length;
    const what = words || "Avgränsningen";
    status.textContent = n ? `${what} gav ${count(n, "träff", "träffar")}` : `Inga träffar för ${what}`;
    none.hidden = n > 0;
    if (open && totals) showFilters(found.filters);
    await showMore(false);
  }

  async function showMore(focus) {
    const { found } = current;
    const start = shown;
    shown = Math.min(found.results.length, shown + STEP);
    more.disabled = true; // one more batch at a time, so they come in order
    const data = await Promise.all(found.results.slice(start, shown).map((r) => r.data()));
    more.disabled = false;
    if (current === null || current.found !== found) return;
    data.forEach((page) => list.append(result(page)));
    const left = found.results.length - shown;
    more.hidden = left <= 0;
    more.textContent = `Visa fler träffar (${left.toLocaleString("sv-SE")} till)`;
    if (focus) list.children[start]?.querySelector("a")?.focus();
  }

  /* One result: the page's title (its kind first, as the page states it), a passage with the
     words found, and up to three sections of the page where they occur. */
  function result(page) {
    const item = make("li", { class: "portal-find__result" });
    const heading = make("h2", { class: "portal-find__title" });
    heading.append(make("a", { href: page.url }, page.meta.title || page.url));
    const excerpt = make("p", { class: "portal-find__excerpt" });
    excerpt.innerHTML = page.excerpt; // Pagefind's escaped text, with <mark> around the words
    item.append(heading, excerpt);
    const parts = page.sub_results
      .map((part, order) => ({ ...part, order }))
      .filter((part) => part.url !== page.url && part.anchor)
      .sort((a, b) => b.locations.length - a.locations.length)
      .slice(0, 3)
      .sort((a, b) => a.order - b.order);
    if (parts.length) {
      const sections = make("ul", { class: "portal-find__sections" });
      for (const part of parts) {
        const entry = make("li");
        entry.append(make("a", { href: part.url }, part.title));
        const passage = make("p", { class: "portal-find__excerpt" });
        passage.innerHTML = part.excerpt;
        entry.append(passage);
        sections.append(entry);
      }
      item.append(sections);
    }
    return item;
  }

  /* The filters, with the number of results each value leaves. Their files are loaded the first
     time the visitor opens them (or when the address names one). */
  let loading = null;
  let totals = null; // every filter and value, with its number of pages, once loaded
  async function openFilters() {
    if (!loading) {
      groups.textContent = "Hämtar avgränsningarna …";
      loading = (await engine()).filters();
    }
    totals = await loading;
    const seen = current;
    if (seen) {
      const again = await (await engine()).search(seen.words || null, { filters: chosen() });
      if (again && current === seen) showFilters(again.filters);
    } else {
      showFilters(totals);
    }
  }

  function showFilters(counts) {
    groups.replaceChildren();
    for (const name of FILTERS.filter((f) => f in totals)) {
      const group = make("fieldset", { class: "portal-find__group" });
      group.append(make("legend", {}, name));
      const values = Object.keys(totals[name]);
      for (const value of (ticked[name] || [])) if (!values.includes(value)) values.push(value);
      values.sort((a, b) => a.localeCompare(b, "sv", { numeric: true }));
      for (const value of values) {
        const n = (counts[name] || {})[value] || 0;
        const on = (ticked[name] || []).includes(value);
        if (!n && !on) continue;
        const option = make("label", { class: "portal-find__option" });
        const tick = make("input", { type: "checkbox", name, value });
        tick.checked = on;
        option.append(tick, ` ${value} (${n.toLocaleString("sv-SE")})`);
        group.append(option);
      }
      if (group.querySelector("input")) groups.append(group);
    }
  }

  groups.addEventListener("change", (event) => {
    const { name, value, checked } = event.target;
    const values = (ticked[name] || []).filter((v) => v !== value);
    ticked[name] = checked ? [...values, value] : values;
    remember();
    search();
  });
  function fold(opened) {
    open = opened;
    toggle.setAttribute("aria-expanded", String(open));
    groups.hidden = !open;
    if (open) openFilters();
  }
  toggle.addEventListener("click", () => fold(!open));

  let pause = null;
  input.addEventListener("input", () => {
    remember();
    clearTimeout(pause);
    // The index's page table and program load while the visitor types; the words' own part
    // of the index loads with the search (preloading every prefix typed would fetch the
    // parts for "p", "pr", "pro" … as well).
    engine().then((api) => api.init());
    pause = setTimeout(search, 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(pause);
    search();
  });
  more.addEventListener("click", () => showMore(true));

  /* The search from the header's form or a shared address: ?q=unga&Form=ESF-projekt. */
  const given = new URLSearchParams(window.location.search);
  input.value = given.get("q") || "";
  for (const name of FILTERS) {
    if (given.getAll(name).length) ticked[name] = given.getAll(name);
  }
  const header = document.getElementById("portal-search-input");
  if (header) header.value = input.value;
  input.focus();
  if (Object.keys(ticked).length) fold(true); // loads the filters, shown ticked
  search();
})();
