"""Findings -> plain dicts for the templates: built once per run, grouped once, never per-official filters.

Everything a page shows is prepared here (masked ids, dossier links, chart figures as JSON-ready dicts);
templates only lay it out and filters only format. Missing optional columns give `None` (a dash on the
page), never a crash; extra columns are ignored.
"""

from __future__ import annotations

import html as _html
import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lhkpn_check import i18n
from lhkpn_check.model import TIERS
from lhkpn_check.safety import mask_id
from lhkpn_check.schema import HARTA_KATEGORI, PENERIMAAN, PENGELUARAN

RULE_IDS = (
    "harta_naik_tak_terjelaskan", "hibah_tanpa_akta", "barang_mewah_vs_penghasilan",
    "barang_mewah_dinilai_rendah", "temuan_tidak_dilaporkan", "kas_melebihi_penghasilan",
    "pengeluaran_melebihi_kemampuan", "hutang_melebihi_kemampuan", "hutang_lunas_tanpa_sumber",
    "total_tidak_sesuai", "nilai_nol_harta_baru", "pencilan_sejawat",
)
TIER_COLOURS = {"tinggi": "#b3261e", "sedang": "#c77700", "rendah": "#5f6b7a"}
CATEGORY_COLOURS = ("#1f5f8b", "#4f9bd1", "#8fc1e3", "#2e8b57", "#9acd32", "#b08fc7")
SCATTER_MAX_OTHERS = 20_000
UNITS_SHOWN = 25
QUALITY_ROWS_SHOWN = 500


def _col(frame: pd.DataFrame, name: str, default=None) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index, dtype="object")


def _clean(value):
    """JSON-safe scalar: NaN/NA -> None, numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with JSON-safe values (for pages and embedded JSON)."""
    if frame.empty:
        return []
    obj = frame.astype("object").where(frame.notna(), None)
    for col in frame.columns[frame.dtypes.map(lambda d: d.kind in "fiub")]:
        values = frame[col]
        if values.dtype.kind == "f":
            values = values.where(np.isfinite(values))
        obj[col] = values.astype("object").where(values.notna(), None)
    return obj.to_dict("records")


def group_records(frame: pd.DataFrame, ids, order: list[str]) -> dict[str, list[dict]]:
    """{id_pn: [row dicts]} for the given officials: one sort, one split."""
    if frame is None or frame.empty or "id_pn" not in frame.columns:
        return {}
    sub = frame[frame["id_pn"].isin(ids)]
    if sub.empty:
        return {}
    sub = sub.sort_values([c for c in order if c in sub.columns], kind="stable")
    recs = records(sub)
    keys = sub["id_pn"].to_numpy()
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(keys)]
    return {keys[s]: recs[s:e] for s, e in zip(starts, ends)}


# -- rules -------------------------------------------------------------------------------------------

def _first_key(entry: dict, *names):
    for name in names:
        if name in entry and entry[name] is not None and not (isinstance(entry[name], float)
                                                               and math.isnan(entry[name])):
            return entry[name]
    return None


def _engine_rules(settings, lang: str) -> list[dict]:
    try:
        from lhkpn_check.rules import rules_table
    except ImportError:
        return []
    try:
        table = rules_table(settings, lang)
    except Exception:  # the method page must render even when the engine table changes shape
        return []
    if isinstance(table, pd.DataFrame):
        rows = table.to_dict("records")
    else:
        rows = [r if isinstance(r, dict) else getattr(r, "__dict__", {}) for r in table]
    out = []
    for r in rows:
        rid = _first_key(r, "id", "rule", "rule_id")
        if rid:
            out.append({"id": str(rid), "title": _first_key(r, "title", "judul"),
                        "compares": _first_key(r, "compares", "description", "what", "membandingkan", "deskripsi"),
                        "thresholds": _thresholds(_first_key(r, "thresholds", "threshold", "ambang")),
                        "severity": _first_key(r, "severity", "tingkat")})
    return out


def _thresholds(value) -> list[dict]:
    """The engine's thresholds as [{name, value, help}]: from (name, value, help) tuples, dicts or a scalar."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [{"name": None, "value": _clean(value), "help": None}]
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append({"name": item.get("name"), "value": _clean(item.get("value")), "help": item.get("help")})
        elif isinstance(item, (list, tuple)):
            padded = list(item) + [None, None, None]
            out.append({"name": padded[0], "value": _clean(padded[1]), "help": padded[2]})
        else:
            out.append({"name": None, "value": _clean(item), "help": None})
    return out


def rule_title(rule_id: str, lang: str, engine: dict | None = None) -> str:
    for key in (f"rules.{rule_id}.title", f"rules.{rule_id}.judul", f"rule.{rule_id}.title", f"rules.{rule_id}"):
        if i18n.has(key):
            return i18n.t(key, lang)
    if engine and engine.get(rule_id, {}).get("title"):
        return str(engine[rule_id]["title"])
    return rule_id


def rule_table(settings, lang: str, extra_ids=()) -> list[dict]:
    """Every rule (fixed ids first, then any the engine adds), with title, comparison and threshold."""
    engine = {r["id"]: r for r in _engine_rules(settings, lang)}
    ids = list(RULE_IDS) + [r for r in engine if r not in RULE_IDS]
    ids += sorted({str(r) for r in extra_ids} - set(ids))
    out = []
    for rid in ids:
        e = engine.get(rid, {})
        short = i18n.t(f"report.rule.{rid}.compares", lang) if i18n.has(f"report.rule.{rid}.compares") else None
        out.append({"id": rid, "title": rule_title(rid, lang, engine), "compares": short or e.get("compares"),
                    "description": e.get("compares"),
                    "thresholds": e.get("thresholds", []), "severity": e.get("severity"),
                    "has_partial": rid in RULE_IDS})
    return out


# -- ranking -----------------------------------------------------------------------------------------

def _split_rules(series: pd.Series) -> pd.Series:
    text = series.astype("object").where(series.notna(), "")
    distinct = pd.unique(text)
    table = {v: [r for r in str(v).split(";") if r] for v in distinct}
    return text.map(table)


def _wealth_columns(analysis) -> pd.DataFrame:
    """net_worth and income_yearly of each official's latest declaration: ranking extras first,
    else the officials frame, else the declarations."""
    rank = analysis.ranking
    out = pd.DataFrame(index=rank.index)
    for col in ("net_worth", "income_yearly"):
        values = _col(rank, col)
        for source in (analysis.officials, analysis.declarations):
            if values.notna().all() or source is None or col not in source.columns or "id_pn" not in source:
                continue
            latest = source.drop_duplicates("id_pn", keep="last").set_index("id_pn")[col]
            values = values.where(values.notna(), rank["id_pn"].map(latest))
        out[col] = pd.to_numeric(values, errors="coerce")
    return out


def ranking_frame(analysis, files: pd.Series, *, show_ids: bool) -> pd.DataFrame:
    """The ranking with display-ready extras (masked id, dossier link, rule list, wealth)."""
    rank = analysis.ranking.reset_index(drop=True)
    out = pd.DataFrame({
        "rank": pd.to_numeric(_col(rank, "rank"), errors="coerce"),
        "id": mask_id(rank["id_pn"], show=show_ids),
        "nama": _col(rank, "nama"), "lembaga": _col(rank, "lembaga"), "unit_kerja": _col(rank, "unit_kerja"),
        "eselon": _col(rank, "eselon"), "jabatan": _col(rank, "jabatan"),
        "tahun": pd.to_numeric(_col(rank, "tahun_lapor"), errors="coerce"),
        "score": pd.to_numeric(_col(rank, "score"), errors="coerce"),
        "tier": _col(rank, "tier"), "n_findings": pd.to_numeric(_col(rank, "n_findings"), errors="coerce"),
        "ml_score": pd.to_numeric(_col(rank, "ml_score"), errors="coerce"),
        "peer_group": _col(rank, "peer_group"), "income_source": _col(rank, "income_source"),
        "top_features": _col(rank, "top_features"),
    })
    out["rules"] = _split_rules(_col(rank, "rules"))
    wealth = _wealth_columns(analysis)
    out["net_worth"], out["income_yearly"] = wealth["net_worth"].to_numpy(), wealth["income_yearly"].to_numpy()
    out["href"] = rank["id_pn"].map(files).where(lambda s: s.notna(), None)
    out["href"] = out["href"].map(lambda f: f"pejabat/{f}.html" if isinstance(f, str) else None)
    out["_id_pn"] = rank["id_pn"]
    return out


def table_rows(frame: pd.DataFrame, lang: str, limit: int) -> list[dict]:
    """The rows embedded in index.html: raw values to sort on plus formatted text to show."""
    from lhkpn_check.report import filters as fl

    top = frame.head(limit)
    out = top.drop(columns=["_id_pn", "top_features"]).copy()
    # formatting per distinct value; display strings come from the same filters as the pages
    for col, fmt in (("score", lambda v: fl.number(v, lang, 1)), ("ml_score", lambda v: fl.number(v, lang, 3)),
                     ("net_worth", lambda v: fl.rupiah_compact(v, lang)),
                     ("income_yearly", lambda v: fl.rupiah_compact(v, lang))):
        values = top[col]
        distinct = pd.unique(values.dropna())
        table = {v: fmt(v) for v in distinct}
        out[f"{col}_txt"] = values.map(table).where(values.notna(), fl.DASH)
    tier_label = {t: i18n.t(f"report.tier.{t}", lang) for t in TIERS}
    out["tier_txt"] = top["tier"].map(tier_label).where(top["tier"].notna(), fl.DASH)
    src_label = {s: i18n.t(f"report.income_source.{s}", lang) for s in ("declared", "estimated")}
    out["income_source_txt"] = top["income_source"].map(src_label).fillna(fl.DASH)
    return records(out)


# -- charts ------------------------------------------------------------------------------------------

def _layout(lang: str, **extra) -> dict:
    base = {"separators": ",." if lang == "id" else ".,", "margin": {"l": 70, "r": 20, "t": 30, "b": 60},
            "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest",
            "legend": {"orientation": "h", "y": -0.2}}
    base.update(extra)
    return base


def money_axis(values, lang: str, *, log: bool = False, zero: bool = False, **extra) -> dict:
    """A Rupiah axis labelled with the report's own words (`Rp 1,5 M`, `Rp 750 jt`): plotly's SI suffixes
    would print G for miliar and M for million, which reads wrong in Indonesian."""
    from lhkpn_check.report.filters import rupiah_compact

    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    axis = {"type": "log" if log else "linear", **extra}
    if not len(v):
        return axis
    if log:
        v = v[v > 0]
        if not len(v):
            return axis
        lo, hi = math.floor(math.log10(v.min())), math.ceil(math.log10(v.max()))
        ticks = [10.0 ** k for k in range(lo, hi + 1)]
    else:
        lo, hi = float(v.min()), float(v.max())
        if zero:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = (hi - lo) or max(abs(hi), 1.0)
        raw = span / 5
        mag = 10 ** math.floor(math.log10(raw))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
        ticks = list(np.arange(math.floor(lo / step) * step, hi + step * 1.001, step))
    axis.update(tickvals=[float(t) for t in ticks], ticktext=[rupiah_compact(t, lang) for t in ticks])
    return axis


def _esc(values) -> list[str]:
    """Plotly reads a few HTML tags in text; entities keep names inert and still readable."""
    return [_html.escape(str(v), quote=False) if v is not None else "" for v in values]


def score_histogram(frame: pd.DataFrame, lang: str) -> dict:
    edges = np.arange(0, 105, 5)
    mids = (edges[:-1] + 2.5).tolist()
    traces = []
    scores = frame["score"].to_numpy(dtype=float, na_value=np.nan)
    tiers = frame["tier"].astype("object").to_numpy()
    for tier in TIERS:
        counts, _ = np.histogram(scores[(tiers == tier) & ~np.isnan(scores)], bins=edges)
        traces.append({"type": "bar", "x": mids, "y": counts.tolist(), "width": 4.6,
                       "name": i18n.t(f"report.tier.{tier}", lang), "marker": {"color": TIER_COLOURS[tier]}})
    return {"data": traces, "layout": _layout(lang, barmode="stack",
                                              xaxis={"title": {"text": i18n.t("report.chart.score", lang)},
                                                     "range": [0, 100]},
                                              yaxis={"title": {"text": i18n.t("report.chart.officials", lang)}})}


def risk_by_unit(frame: pd.DataFrame, lang: str) -> dict:
    unit = frame["unit_kerja"].where(frame["unit_kerja"].notna(), frame["lembaga"]).fillna("–").astype(str)
    g = pd.DataFrame({"unit": unit, "tinggi": (frame["tier"] == "tinggi").astype(int), "score": frame["score"]})
    agg = g.groupby("unit", sort=True).agg(tinggi=("tinggi", "sum"), mean=("score", "mean"), n=("score", "size"))
    agg = agg.sort_values(["tinggi", "mean"], ascending=[False, False], kind="stable").head(UNITS_SHOWN)
    agg = agg.iloc[::-1]
    text = [i18n.t("report.chart.unit_hover", lang, n=int(n), mean=f"{m:.1f}" if m == m else "–")
            for n, m in zip(agg["n"], agg["mean"])]
    trace = {"type": "bar", "orientation": "h", "x": agg["tinggi"].tolist(), "y": _esc(agg.index),
             "marker": {"color": TIER_COLOURS["tinggi"]}, "hovertext": text, "name": i18n.t("report.tier.tinggi", lang)}
    height = max(320, 24 * len(agg) + 100)
    return {"data": [trace], "layout": _layout(lang, height=height, margin={"l": 260, "r": 20, "t": 30, "b": 50},
                                               xaxis={"title": {"text": i18n.t("report.chart.count_tinggi", lang)},
                                                      "rangemode": "tozero"},
                                               yaxis={"automargin": True}, showlegend=False)}


def wealth_scatter(frame: pd.DataFrame, lang: str) -> tuple[dict, int]:
    """Net worth against yearly income on log axes; tier tinggi marked. Returns (figure, points left out)."""
    ok = (frame["net_worth"] > 0) & (frame["income_yearly"] > 0)
    omitted = int((~ok).sum())
    sub = frame[ok]
    flagged = sub[sub["tier"] == "tinggi"]
    others = sub[sub["tier"] != "tinggi"]
    if len(others) > SCATTER_MAX_OTHERS:
        step = math.ceil(len(others) / SCATTER_MAX_OTHERS)
        others = others.iloc[::step]
    traces = []
    for part, name, colour, size in ((others, i18n.t("report.chart.others", lang), "rgba(95,107,122,0.45)", 6),
                                     (flagged, i18n.t("report.tier.tinggi", lang), TIER_COLOURS["tinggi"], 9)):
        hover = [f"#{int(r) if r == r else '–'} {n}" for r, n in zip(part["rank"], _esc(part["nama"]))]
        traces.append({"type": "scatter", "mode": "markers", "name": name,
                       "x": part["income_yearly"].round(0).tolist(), "y": part["net_worth"].round(0).tolist(),
                       "text": hover, "hovertemplate": "%{text}<extra></extra>",
                       "marker": {"color": colour, "size": size}})
    fig = {"data": traces,
           "layout": _layout(lang, xaxis=money_axis(sub["income_yearly"], lang, log=True,
                                                    title={"text": i18n.t("report.chart.income_yearly", lang)}),
                             yaxis=money_axis(sub["net_worth"], lang, log=True,
                                              title={"text": i18n.t("report.chart.net_worth", lang)}))}
    return fig, omitted


# -- dossier data ------------------------------------------------------------------------------------

def _year_series(laporan: pd.DataFrame, declarations: pd.DataFrame) -> pd.DataFrame:
    """Per declaration: net worth, yearly income and its source, preferring the engine's columns."""
    lap = laporan.copy()
    for col in (*HARTA_KATEGORI, "hutang", "golongan", "tanggal_lapor"):
        if col not in lap.columns:
            lap[col] = np.nan
    parts = lap[[c for c in HARTA_KATEGORI if c in lap.columns]].apply(pd.to_numeric, errors="coerce")
    lap["_harta"] = parts.sum(axis=1, min_count=1)
    debt = pd.to_numeric(_col(lap, "hutang"), errors="coerce")
    lap["_net_worth"] = lap["_harta"] - debt.fillna(0)
    inc = lap[[c for c in PENERIMAAN if c in lap.columns]].apply(pd.to_numeric, errors="coerce")
    lap["_income"] = inc.sum(axis=1, min_count=1)
    spend = lap[[c for c in PENGELUARAN if c in lap.columns]].apply(pd.to_numeric, errors="coerce")
    lap["_spending"] = spend.sum(axis=1, min_count=1)
    lap["_income_source"] = np.where(lap["_income"].notna(), "declared", None)
    if declarations is not None and not declarations.empty and {"id_pn", "tahun_lapor"} <= set(declarations):
        cols = [c for c in ("net_worth", "income_yearly", "income_source", "unexplained") if c in declarations]
        eng = declarations[["id_pn", "tahun_lapor", *cols]].drop_duplicates(["id_pn", "tahun_lapor"], keep="last")
        lap = lap.merge(eng, on=["id_pn", "tahun_lapor"], how="left", suffixes=("", "_eng"))
        if "net_worth" in cols:
            lap["_net_worth"] = pd.to_numeric(lap["net_worth"], errors="coerce").fillna(lap["_net_worth"])
        if "income_yearly" in cols:
            lap["_income"] = pd.to_numeric(lap["income_yearly"], errors="coerce").fillna(lap["_income"])
        if "income_source" in cols:
            lap["_income_source"] = lap["income_source"].where(lap["income_source"].notna(), lap["_income_source"])
    return lap


def _wealth_chart(years: list[dict], lang: str) -> dict | None:
    pts = [(y["tahun_lapor"], y["_net_worth"], y["_income"]) for y in years if y.get("_net_worth") is not None]
    if not pts:
        return None
    xs = [p[0] for p in pts]
    baseline, cum = [], None
    for i, (_, nw, inc) in enumerate(pts):
        cum = nw if i == 0 else (None if cum is None or inc is None else cum + inc)
        baseline.append(cum)
    estimated = any(y.get("_income_source") == "estimated" for y in years)
    key = "report.chart.baseline_estimated" if estimated else "report.chart.baseline"
    data = [{"type": "scatter", "mode": "lines+markers", "x": xs, "y": [p[1] for p in pts],
             "name": i18n.t("report.chart.net_worth", lang), "line": {"color": "#1f5f8b", "width": 3}},
            {"type": "scatter", "mode": "lines+markers", "x": xs, "y": baseline, "name": i18n.t(key, lang),
             "line": {"color": "#c77700", "dash": "dash"}}]
    values = [p[1] for p in pts] + baseline
    return {"data": data, "layout": _layout(lang, xaxis={"dtick": 1, "title": {"text": i18n.t("report.col.year", lang)}},
                                            yaxis=money_axis(values, lang))}


def _composition_chart(years: list[dict], lang: str) -> dict | None:
    if not years:
        return None
    xs = [y["tahun_lapor"] for y in years]
    data = []
    for colour, cat in zip(CATEGORY_COLOURS, HARTA_KATEGORI):
        data.append({"type": "bar", "x": xs, "y": [y.get(cat) or 0 for y in years], "marker": {"color": colour},
                     "name": i18n.t(f"report.kategori.{cat}", lang)})
    data.append({"type": "bar", "x": xs, "y": [-(y.get("hutang") or 0) for y in years],
                 "marker": {"color": "#b3261e"}, "name": i18n.t("report.kategori.hutang", lang)})
    pos = [sum(d["y"][i] for d in data[:-1]) for i in range(len(xs))]
    return {"data": data, "layout": _layout(lang, barmode="relative", xaxis={"dtick": 1},
                                            yaxis=money_axis(pos + data[-1]["y"], lang, zero=True))}


def _parse_json_list(text):
    if text is None:
        return []
    if isinstance(text, list):
        return text
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, list) else [value]


def _evidence(series: pd.Series) -> pd.Series:
    """Evidence JSON parsed once per distinct text; unreadable evidence becomes one plain-text line."""
    values = series.astype("object").where(series.notna(), None)
    table = {}
    for text in pd.unique(values.dropna()):
        parsed = _parse_json_list(text)
        if parsed is None:
            parsed = [{"sheet": None, "row": None, "label": str(text), "value": None}]
        table[text] = [e if isinstance(e, dict) else {"label": str(e)} for e in parsed]
    return values.map(lambda v: table.get(v, []) if v is not None else [])


def _feature_labels(lang: str) -> dict[str, str]:
    try:
        from lhkpn_check.features import PEER_FEATURES
    except ImportError:
        return {}
    return {k: (v[0] if lang == "id" else v[1]) for k, v in PEER_FEATURES.items()}


def _features(value, labels: dict | None = None) -> list[dict]:
    """top_features as list of {name, label, value}: JSON list, list, or 'a;b;c' text."""
    labels = labels or {}
    out = _features_raw(value)
    for f in out:
        f["label"] = labels.get(f["name"], f["name"])
    return out


def _features_raw(value) -> list[dict]:
    if value is None:
        return []
    parsed = value if isinstance(value, list) else _parse_json_list(value)
    if parsed is None:
        parsed = [p.strip() for p in str(value).replace(",", ";").split(";") if p.strip()]
    out = []
    for item in parsed:
        if isinstance(item, dict):
            out.append({"name": str(_first_key(item, "feature", "name", "fitur") or item),
                        "value": _clean(_first_key(item, "value", "score", "nilai"))})
        elif isinstance(item, (list, tuple)) and item:
            out.append({"name": str(item[0]), "value": _clean(item[1]) if len(item) > 1 else None})
        else:
            out.append({"name": str(item), "value": None})
    return out


@dataclass
class Dossier:
    path: str
    context: dict


def dossier_contexts(batch, analysis, frame: pd.DataFrame, selected: pd.DataFrame, *, lang: str,
                     rules: list[dict], show_ids: bool):
    """Yield one Dossier per selected official (rows of `frame`, already in rank order)."""
    ids = selected["_id_pn"].tolist()
    id_set = pd.Index(ids)
    lap = _year_series(batch.laporan[batch.laporan["id_pn"].isin(id_set)], analysis.declarations)
    years = group_records(lap, id_set, ["id_pn", "tahun_lapor"])
    harta = batch.harta
    if harta is not None and not harta.empty and "tahun_lapor" in harta.columns:
        latest_year = lap.groupby("id_pn")["tahun_lapor"].max()
        h = harta[harta["id_pn"].isin(id_set)]
        h = h[h["tahun_lapor"].to_numpy() == h["id_pn"].map(latest_year).to_numpy()].copy()
        order = {c: i for i, c in enumerate((*HARTA_KATEGORI, "hutang"))}
        h["_cat_order"] = h["kategori"].map(order).fillna(len(order))
        h["_neg_value"] = -pd.to_numeric(_col(h, "nilai_pelaporan"), errors="coerce").fillna(0)
        items = group_records(h, id_set, ["id_pn", "_cat_order", "_neg_value", "_row"])
    else:
        items = {}
    findings = analysis.findings
    if findings is not None and not findings.empty:
        findings = findings[findings["id_pn"].isin(id_set)].copy()
        findings["_evidence"] = _evidence(_col(findings, "evidence")) if len(findings) else []
        sev = {"tinggi": 0, "sedang": 1, "rendah": 2}
        findings["_sev"] = findings["severity"].map(sev).fillna(3)
        found = group_records(findings, id_set, ["id_pn", "_sev", "tahun_lapor", "rule"])
    else:
        found = {}
    luxury = group_records(analysis.luxury, id_set, ["id_pn", "tahun_lapor"])
    temuan = group_records(analysis.temuan, id_set, ["id_pn", "tanggal", "_row"])
    titles = {r["id"]: r["title"] for r in rules}
    feature_labels = _feature_labels(lang)
    known = {r["id"] for r in rules if r["has_partial"]}
    for row in records(selected.drop(columns=["_id_pn"]).assign(_id_pn=selected["_id_pn"].to_numpy())):
        pid = row["_id_pn"]
        yrs = years.get(pid, [])
        latest = yrs[-1] if yrs else {"golongan": None, "tanggal_lapor": None}
        pfinds = found.get(pid, [])
        for f in pfinds:
            f["title"] = titles.get(f.get("rule"), f.get("rule"))
            f["partial"] = f"rules/{f['rule']}.html" if f.get("rule") in known else "rules/_generic.html"
        row["features"] = _features(row.get("top_features"), feature_labels)
        ctx = {
            "lang": lang, "root": "../", "official": row, "latest": latest, "years": yrs,
            "items": items.get(pid, []), "findings": pfinds, "luxury": luxury.get(pid, []),
            "temuan": temuan.get(pid, []),
            "estimated": any(y.get("_income_source") == "estimated" for y in yrs),
            "charts": {k: v for k, v in (("wealth", _wealth_chart(yrs, lang)),
                                         ("composition", _composition_chart(yrs, lang))) if v is not None},
            "kategori": HARTA_KATEGORI,
        }
        yield Dossier(path=row["href"], context=ctx)


def quality_summary(quality: pd.DataFrame, lang: str) -> tuple[list[dict], list[dict], int]:
    """(problems by kind with counts and one example, first rows shown, total rows)."""
    if quality is None or quality.empty:
        return [], [], 0
    q = quality.copy()
    kind = _col(q, "kind").fillna("lainnya").astype(str)
    q["_kind"] = kind
    by_kind = q.groupby("_kind", sort=True).agg(n=("_kind", "size"), problem=("problem", "first"))
    by_kind = by_kind.sort_values("n", ascending=False, kind="stable")
    kinds = [{"kind": k, "n": int(r["n"]), "example": r["problem"]} for k, r in by_kind.iterrows()]
    shown = q.sort_values(["_kind"], kind="stable").head(QUALITY_ROWS_SHOWN)
    cols = ["_kind", "source", "sheet", "row", "column", "value", "problem", "action"]
    rows = records(pd.DataFrame({c: _col(shown, c) for c in cols}))
    return kinds, rows, len(q)


def settings_rows(manifest: dict, settings, lang: str) -> list[dict]:
    from lhkpn_check.settings import SETTING_BY_NAME

    config = manifest.get("configuration") or {}
    if not config:
        config = {k: {"value": v, "source": settings.source(k)} for k, v in settings.as_dict().items()}
    out = []
    for name, entry in config.items():
        value = entry.get("value") if isinstance(entry, dict) else entry
        source = entry.get("source") if isinstance(entry, dict) else None
        spec = SETTING_BY_NAME.get(name)
        help_text = (spec.bantuan if lang == "id" else spec.help) if spec else ""
        out.append({"name": name, "value": value, "source": source, "help": help_text})
    return out
