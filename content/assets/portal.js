/* Progressive enhancement only: every page works without this script. */
(function () {
  "use strict";

  /* Overview: narrow the pre-rendered table. Each row carries its values in data-*
     attributes; several values are separated by "|". */
  var FILTERS = [
    ["form", "Form"], ["status", "Status"], ["year", "År"],
    ["target", "Målgrupp"], ["organisation", "Organisation"],
  ];
  /* The name of each filter in the page's address, so a narrowed list can be shared. */
  var PARAMS = { form: "form", status: "status", year: "ar", target: "malgrupp", organisation: "organisation" };

  function values(row, key) {
    var text = row.dataset[key] || "";
    return text ? text.split("|") : [];
  }

  function addFilters(box) {
    var table = document.querySelector("#" + box.getAttribute("data-filter-for") + " table");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var form = document.createElement("form");
    var selects = FILTERS.map(function (pair) {
      var seen = {};
      rows.forEach(function (row) { values(row, pair[0]).forEach(function (v) { seen[v] = true; }); });
      var label = document.createElement("label");
      label.textContent = pair[1];
      var select = document.createElement("select");
      select.name = pair[0];
      select.appendChild(new Option("Alla", ""));
      Object.keys(seen).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
      label.appendChild(select);
      form.appendChild(label);
      return select;
    });
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "portal-filter__reset";
    reset.textContent = "Visa alla";
    form.appendChild(reset);
    var caption = table.caption, all = caption ? caption.textContent : "";
    function apply(announce) {
      var shown = 0, chosen = [];
      rows.forEach(function (row) {
        var match = selects.every(function (s) {
          return !s.value || values(row, s.name).indexOf(s.value) !== -1;
        });
        row.hidden = !match;
        if (match) shown += 1;
      });
      var query = new URLSearchParams(window.location.search);
      selects.forEach(function (s, i) {
        if (s.value) {
          query.set(PARAMS[s.name], s.value);
          chosen.push(FILTERS[i][1] + ": " + s.value);
        } else {
          query.delete(PARAMS[s.name]);
        }
      });
      var search = query.toString();
      window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      if (caption) caption.textContent = chosen.length ? "Partnerskap med " + chosen.join(", ") : all;
      reset.hidden = !chosen.length;
      if (announce || chosen.length) {
        status.textContent = "Visar " + shown + " av " + rows.length + " partnerskap.";
      }
    }
    /* Filters from the address: a shared or bookmarked list opens as it was. */
    var given = new URLSearchParams(window.location.search);
    selects.forEach(function (s) {
      var value = given.get(PARAMS[s.name]);
      if (value && Array.prototype.some.call(s.options, function (o) { return o.value === value; })) {
        s.value = value;
      }
    });
    form.addEventListener("change", function () { apply(true); });
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply(true);
      selects[0].focus();
    });
    box.appendChild(form);
    box.appendChild(status);
    box.hidden = false;
    apply(false);
  }

  /* The menu button is a span with the role of a button, inside the theme's label for the
     drawer's checkbox: Enter and Space open the drawer, as for any button (a click on the
     span is a click on the label). */
  function menuKeys() {
    var button = document.querySelector(".portal-menu-button");
    if (!button) return;
    button.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        button.click();
      }
    });
  }

  /* Chooser: without JavaScript all questions show as a list with links between them; with it,
     one question at a time. Each step is an address (#fraga-…), so the browser's Back button
     returns to the previous question and a link can point at any question. */
  function startChooser(box) {
    var questions = Array.prototype.slice.call(box.querySelectorAll(".portal-chooser__question"));
    var ids = questions.map(function (q) { return q.id; });
    var start = box.dataset.start;
    function current() {
      var id = window.location.hash.slice(1);
      return ids.indexOf(id) === -1 ? start : id;
    }
    function show(focus) {
      var id = current();
      questions.forEach(function (q) { q.hidden = q.id !== id; });
      var heading = document.getElementById(id + "-rubrik");
      if (focus && heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
    var restart = document.createElement("button");
    restart.type = "button";
    restart.textContent = "Börja om";
    restart.className = "portal-chooser__restart";
    restart.addEventListener("click", function () { window.location.hash = start; });
    window.addEventListener("hashchange", function () { show(true); });
    box.classList.add("portal-chooser--steps");
    box.appendChild(restart);
    show(false);
  }

  /* Label each cell with its column header, so that on a phone a table row can be shown as a
     short list of "header: value" lines (see portal.css). */
  function labelCells(table) {
    if (!table.tHead) return;
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim();
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (headers[i]) cell.setAttribute("data-label", headers[i]);
        });
      });
    });
    table.classList.add("portal-table--labelled");
  }

  /* A table wider than the content column scrolls in its box (see generator/site/tables.py).
     Only then is the box a named region that the keyboard can reach and scroll, with a line
     above it that says so; a table that fits adds no stop to the tab order. */
  function scrollBox(box) {
    var table = box.querySelector("table");
    var hint = document.createElement("p");
    hint.className = "portal-scroll-hint";
    hint.textContent = "Tabellen är bredare än sidan. Skrolla i sidled för att se alla kolumner.";
    function update() {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (table && table.caption && table.caption.id) {
          box.setAttribute("aria-labelledby", table.caption.id);
        } else {
          box.setAttribute("aria-label", "Tabell");
        }
        box.parentNode.insertBefore(hint, box);
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        ["tabindex", "role", "aria-labelledby", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
        if (hint.parentNode) hint.parentNode.removeChild(hint);
      }
    }
    update();
    window.addEventListener("resize", update);
  }

  /* A page below a section of the menu (a partnership, a decision) is not in the menu
     itself: mark its section there, as the theme marks a page that is. */
  function markSection(trail) {
    var links = trail.querySelectorAll("li a");
    if (links.length < 2) return;
    var section = links[1].href;
    Array.prototype.forEach.call(document.querySelectorAll(".md-nav--primary a.md-nav__link"), function (a) {
      if (a.href === section) {
        a.classList.add("md-nav__link--active");
        a.setAttribute("aria-current", "location");
      }
    });
  }

  /* On a phone the table of contents is inside the menu drawer: a long page also gets a
     "På den här sidan" menu of its sections under its title (hidden on wide screens, where
     the table of contents is beside the page; see portal.css). */
  function onThisPage() {
    var title = document.querySelector(".md-content h1");
    var headings = document.querySelectorAll(".md-content h2[id]");
    if (!title || headings.length < 3) return;
    var nav = document.createElement("nav");
    nav.className = "portal-onpage";
    nav.setAttribute("aria-label", "På den här sidan");
    var details = document.createElement("details");
    var summary = document.createElement("summary");
    summary.textContent = "På den här sidan";
    var list = document.createElement("ul");
    Array.prototype.forEach.call(headings, function (h) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + h.id;
      var text = h.cloneNode(true);
      Array.prototype.forEach.call(text.querySelectorAll(".headerlink"), function (a) { a.remove(); });
      link.textContent = text.textContent.trim();
      item.appendChild(link);
      list.appendChild(item);
    });
    details.appendChild(summary);
    details.appendChild(list);
    nav.appendChild(details);
    title.parentNode.insertBefore(nav, title.nextSibling);
  }

  /* The report page: name the page and record the error link came from (as text only). */
  function reportAbout(box) {
    var query = new URLSearchParams(window.location.search);
    var page = query.get("sida"), record = query.get("post");
    if (!page) return;
    var address = new URL(page, new URL("../", window.location.href)).href;
    box.textContent = "Du rapporterar ett fel på sidan " + address +
      (record ? ", posten " + record : "") + ". Skriv med sidans adress och posten i ditt meddelande.";
    box.hidden = false;
  }

  function ready() {
    menuKeys();
    onThisPage();
    var trail = document.querySelector(".portal-trail");
    if (trail) markSection(trail);
    var about = document.getElementById("portal-report-about");
    if (about) reportAbout(about);
    Array.prototype.forEach.call(document.querySelectorAll("table.portal-table"), labelCells);
    Array.prototype.forEach.call(document.querySelectorAll(".portal-table-wrap"), scrollBox);
    Array.prototype.forEach.call(document.querySelectorAll(".portal-chooser"), startChooser);
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), addFilters);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
