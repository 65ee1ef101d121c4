// Filters the compact lists of briefings on actor, topic and publisher
// pages (`[data-filter-list]`) by year, topic and role, in the browser.
// Without scripts every row shows; the controls exist only when this runs.
(function () {
  "use strict";
  var DIMENSIONS = [
    { key: "year", label: "Year", all: "Any year", values: function (row) { return [row.dataset.year]; } },
    { key: "topic", label: "Topic", all: "Any topic", values: function (row) { return row.dataset.topics ? row.dataset.topics.split("|") : []; } },
    { key: "role", label: "Role", all: "Any role", values: function (row) { return row.dataset.role ? [row.dataset.role] : []; } }
  ];

  function setUp(list, n) {
    var rows = Array.prototype.slice.call(list.querySelectorAll(".row"));
    if (rows.length < 2) return;
    var form = document.createElement("form");
    form.className = "rows-filter";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter these briefings");
    var selects = [];
    DIMENSIONS.forEach(function (d) {
      var seen = {};
      rows.forEach(function (row) { d.values(row).forEach(function (v) { if (v) seen[v] = true; }); });
      var values = Object.keys(seen).sort();
      if (d.key === "year") values.reverse();
      if (values.length < 2) return;
      var id = "rows-filter-" + n + "-" + d.key;
      var field = document.createElement("div");
      field.className = "rows-filter-field";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = d.label;
      var select = document.createElement("select");
      select.id = id;
      var any = document.createElement("option");
      any.value = "";
      any.textContent = d.all;
      select.appendChild(any);
      values.forEach(function (v) {
        var o = document.createElement("option");
        o.value = v;
        o.textContent = v;
        select.appendChild(o);
      });
      field.appendChild(label);
      field.appendChild(select);
      form.appendChild(field);
      selects.push({ d: d, select: select });
    });
    if (!selects.length) return;
    var status = document.createElement("p");
    status.className = "rows-filter-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (s) {
          return !s.select.value || s.d.values(row).indexOf(s.select.value) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      // A year heading whose rows are all hidden goes too.
      Array.prototype.forEach.call(list.querySelectorAll(".rows-list"), function (ol) {
        var visible = ol.querySelector(".row:not([hidden])") !== null;
        ol.hidden = !visible;
        var heading = ol.previousElementSibling;
        if (heading && heading.classList.contains("rows-year")) heading.hidden = !visible;
      });
      var filtered = selects.some(function (s) { return s.select.value; });
      status.textContent = filtered ? shown + " of " + rows.length + " shown" : "";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    list.parentNode.insertBefore(form, list);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-list]"), setUp);
})();
