/* Progressive enhancement only: every page works without this script. */
(function () {
  "use strict";

  /* Overview: narrow the pre-rendered table by form and status. */
  function addFilters(box) {
    var table = document.querySelector("#" + box.getAttribute("data-filter-for") + " table");
    if (!table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var form = document.createElement("form");
    var selects = [["form", "Form"], ["status", "Status"]].map(function (pair) {
      var values = {};
      rows.forEach(function (row) { values[row.dataset[pair[0]]] = true; });
      var label = document.createElement("label");
      label.textContent = pair[1];
      var select = document.createElement("select");
      select.name = pair[0];
      select.appendChild(new Option("Alla", ""));
      Object.keys(values).sort().forEach(function (v) { select.appendChild(new Option(v, v)); });
      label.appendChild(select);
      form.appendChild(label);
      return select;
    });
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    form.addEventListener("change", function () {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) { return !s.value || row.dataset[s.name] === s.value; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = "Visar " + shown + " av " + rows.length + " partnerskap.";
    });
    box.appendChild(form);
    box.appendChild(status);
    box.hidden = false;
  }

  /* Search page: Pagefind's interface, started with the words from the header form. */
  function startSearch(element) {
    if (typeof PagefindUI === "undefined") return;
    var ui = new PagefindUI({
      element: "#" + element.id,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
    var header = document.getElementById("portal-search-input");
    if (header && query) header.value = query;
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), addFilters);
    var search = document.getElementById("portal-search-page");
    if (search) startSearch(search);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
