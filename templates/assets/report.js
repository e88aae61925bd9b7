/* lhkpn-check report: draws the plotly charts and runs the ranking table (sort, filter) offline.
   Text from the data is only ever set with textContent, never parsed as HTML.
   State lives in the URL hash, e.g. index.html#tier=tinggi&sort=score&dir=desc */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /* the layout every chart shares: written here once instead of into every page */
  function withBase(layout) {
    var lang = document.documentElement.lang;
    var base = {
      separators: lang === "id" ? ",." : ".,",
      margin: { l: 70, r: 20, t: 30, b: 60 },
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 12 },
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff", hovermode: "closest",
      legend: { orientation: "h", y: -0.2 }
    };
    Object.keys(layout).forEach(function (k) { base[k] = layout[k]; });
    return base;
  }

  function drawCharts() {
    if (typeof Plotly === "undefined") { return; }
    var nodes = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < nodes.length; i++) {
      var spec = readJSON(nodes[i].getAttribute("data-chart"));
      if (!spec) { continue; }
      Plotly.newPlot(nodes[i], spec.data, withBase(spec.layout || {}), {
        displaylogo: false, responsive: true, showLink: false, showSendToCloud: false,
        modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"]
      });
    }
  }

  var FILTERS = ["tier", "lembaga", "unit_kerja", "eselon", "rule", "mark", "status", "q"];
  var TIER_ORDER = { tinggi: 0, sedang: 1, rendah: 2 };

  function parseHash() {
    var state = {};
    var text = window.location.hash.replace(/^#/, "");
    if (!text || text.indexOf("=") < 0) { return state; }
    text.split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) {
        try { state[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1].replace(/\+/g, " ")); } catch (e) { /* ignore */ }
      }
    });
    return state;
  }

  function writeHash(state) {
    var parts = [];
    Object.keys(state).forEach(function (k) {
      if (state[k] !== "" && state[k] !== undefined && state[k] !== null) {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(state[k]));
      }
    });
    var hash = parts.length ? "#" + parts.join("&") : "#peringkat";
    try { history.replaceState(null, "", hash); } catch (e) { /* file:// in some browsers */ }
  }

  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = (text === null || text === undefined || text === "") ? "\u2013" : String(text);
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }

  function buildRanking() {
    var table = document.getElementById("ranking");
    var blob = readJSON("ranking-data");
    if (!table || !blob) { return; }
    var rows = blob.rows.map(function (values) {
      var r = {};
      blob.columns.forEach(function (key, i) { r[key] = values[i]; });
      return r;
    });
    var tbody = table.tBodies[0];
    var form = document.getElementById("filters");
    var counter = document.getElementById("row-count");
    var heads = table.tHead.rows[0].cells;

    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.className = "tier-" + (r.tier || "");
      cell(tr, r.rank, "num");
      cell(tr, r.score_txt, "num");
      var tierTd = cell(tr, "");
      tierTd.textContent = "";
      var badge = document.createElement("span");
      badge.className = "badge tier-" + (r.tier || "");
      badge.textContent = r.tier_txt;
      tierTd.appendChild(badge);
      var nameTd = cell(tr, "");
      nameTd.textContent = "";
      if (r.href) {
        var a = document.createElement("a");
        a.setAttribute("href", r.href);
        a.textContent = r.nama || "\u2013";
        nameTd.appendChild(a);
      } else {
        nameTd.textContent = r.nama || "\u2013";
      }
      cell(tr, r.id);
      cell(tr, r.jabatan);
      cell(tr, r.unit_kerja);
      cell(tr, r.lembaga);
      cell(tr, r.eselon);
      var nf = cell(tr, r.n_findings, "num");
      if (r.rules && r.rules.length) { nf.title = r.rules.join(", "); }
      cell(tr, r.net_worth_txt, "num");
      var inc = cell(tr, r.income_yearly_txt + (r.income_source === "estimated" ? " *" : ""), "num");
      if (r.income_source === "estimated") { inc.title = r.income_source_txt; }
      cell(tr, r.ml_score_txt, "num");
      if (r.status_tinjauan !== undefined) {  // a run with a register
        cell(tr, r.n_baru, "num");
        cell(tr, r.status_tinjauan + (r.catatan_tinjauan ? ": " + r.catatan_tinjauan : ""));
      }
      r._tr = tr;
      r._search = [r.nama, r.id, r.jabatan, r.unit_kerja, r.lembaga, r.eselon, (r.rules || []).join(" ")]
        .join(" ").toLowerCase();
      tbody.appendChild(tr);
    });

    // options of the select filters from the data
    ["lembaga", "unit_kerja", "eselon"].forEach(function (key) {
      var select = form.querySelector('[data-filter="' + key + '"]');
      var seen = {};
      rows.forEach(function (r) { if (r[key]) { seen[r[key]] = true; } });
      Object.keys(seen).sort().forEach(function (v) {
        var opt = document.createElement("option");
        opt.value = v;
        opt.textContent = v;
        select.appendChild(opt);
      });
    });

    var state = { sort: "rank", dir: "asc" };

    function apply() {
      var shown = 0;
      var q = (state.q || "").toLowerCase();
      rows.forEach(function (r) {
        var ok = (!state.tier || r.tier === state.tier) &&
                 (!state.lembaga || r.lembaga === state.lembaga) &&
                 (!state.unit_kerja || r.unit_kerja === state.unit_kerja) &&
                 (!state.eselon || r.eselon === state.eselon) &&
                 (!state.rule || (r.rules || []).indexOf(state.rule) >= 0) &&
                 (!state.mark || (r.marks || []).indexOf(state.mark) >= 0) &&
                 (!state.status || r.status_tinjauan === state.status) &&
                 (!q || r._search.indexOf(q) >= 0);
        r._tr.hidden = !ok;
        if (ok) { shown++; }
      });
      var key = state.sort || "rank";
      var sign = state.dir === "desc" ? -1 : 1;
      var type = "text";
      for (var i = 0; i < heads.length; i++) {
        var h = heads[i];
        if (h.getAttribute("data-key") === key) {
          type = h.getAttribute("data-type");
          h.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        } else {
          h.removeAttribute("aria-sort");
        }
      }
      var sorted = rows.slice().sort(function (a, b) {
        var x = a[key], y = b[key];
        if (type === "tier") { x = TIER_ORDER[x]; y = TIER_ORDER[y]; }
        var xm = (x === null || x === undefined || x === ""), ym = (y === null || y === undefined || y === "");
        if (xm || ym) { return xm === ym ? a.rank - b.rank : (xm ? 1 : -1); }  // missing values last
        var c = (type === "text") ? String(x).localeCompare(String(y), document.documentElement.lang) : (x - y);
        return c !== 0 ? sign * c : a.rank - b.rank;
      });
      sorted.forEach(function (r) { tbody.appendChild(r._tr); });
      if (counter) {
        counter.textContent = counter.getAttribute("data-template")
          .replace("{shown}", shown.toLocaleString(document.documentElement.lang))
          .replace("{total}", rows.length.toLocaleString(document.documentElement.lang));
      }
    }

    function fromControls() {
      FILTERS.forEach(function (key) {
        var el = form.querySelector('[data-filter="' + key + '"]');
        state[key] = el ? el.value : "";
      });
    }

    function toControls() {
      FILTERS.forEach(function (key) {
        var el = form.querySelector('[data-filter="' + key + '"]');
        if (el) { el.value = state[key] || ""; }
      });
    }

    function loadHash() {
      var h = parseHash();
      FILTERS.concat(["sort", "dir"]).forEach(function (k) { if (h[k] !== undefined) { state[k] = h[k]; } });
      toControls();
      apply();
    }

    form.addEventListener("input", function () { fromControls(); apply(); writeHash(state); });
    form.addEventListener("change", function () { fromControls(); apply(); writeHash(state); });
    document.getElementById("reset-filters").addEventListener("click", function () {
      FILTERS.forEach(function (k) { state[k] = ""; });
      state.sort = "rank"; state.dir = "asc";
      toControls(); apply(); writeHash(state);
    });
    for (var i = 0; i < heads.length; i++) {
      heads[i].addEventListener("click", function (ev) {
        var key = ev.currentTarget.getAttribute("data-key");
        var type = ev.currentTarget.getAttribute("data-type");
        if (state.sort === key) { state.dir = state.dir === "desc" ? "asc" : "desc"; }
        else { state.sort = key; state.dir = (type === "num" && key !== "rank") ? "desc" : "asc"; }
        apply(); writeHash(state);
      });
    }
    window.addEventListener("hashchange", loadHash);
    loadHash();
  }

  function start() {
    buildRanking();
    drawCharts();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
