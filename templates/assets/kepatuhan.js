/* lhkpn-check report: filters the filing-compliance reminder list (status, unit, text) offline.
   Rows are rendered by the page; this only hides and shows them. */
(function () {
  "use strict";

  function start() {
    var form = document.getElementById("kepatuhan-filters");
    var table = document.getElementById("kepatuhan-list");
    var counter = document.getElementById("kepatuhan-count");
    if (!form || !table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (tr) { tr._search = tr.textContent.toLowerCase(); });

    function value(key) {
      var el = form.querySelector('[data-kfilter="' + key + '"]');
      return el ? el.value : "";
    }

    function apply() {
      var status = value("status"), unit = value("unit_kerja"), q = value("q").toLowerCase();
      var shown = 0;
      rows.forEach(function (tr) {
        var ok = (!status || tr.getAttribute("data-status") === status) &&
                 (!unit || tr.getAttribute("data-unit_kerja") === unit) &&
                 (!q || tr._search.indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) { shown++; }
      });
      if (counter) {
        counter.textContent = counter.getAttribute("data-template")
          .replace("{shown}", shown.toLocaleString(document.documentElement.lang))
          .replace("{total}", rows.length.toLocaleString(document.documentElement.lang));
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    apply();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
