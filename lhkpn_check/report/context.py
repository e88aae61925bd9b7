"""Findings -> plain dicts for the templates: built once per run, grouped once, never per-official filters.

Everything a page shows is prepared here (masked ids, dossier links, chart figures as JSON-ready dicts);
templates only lay it out and filters only format. Missing optional columns give `None` (a dash on the
page), never a crash; extra columns are ignored.
"""

from __future__ import annotations

import html as _html
import json
import math
import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from markupsafe import Markup

from lhkpn_check import i18n
from lhkpn_check.model import TIERS
from lhkpn_check.report import filters as fl
from lhkpn_check.rules import rules_table
from lhkpn_check.safety import mask_id
from lhkpn_check.schema import HARTA_KATEGORI, PENERIMAAN, PENGELUARAN

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


def json_columns(frame: pd.DataFrame) -> list[list]:
    """Each column as a list of JSON-safe values: missing and non-finite as None, numbers and flags as
    Python's own (numpy scalars unboxed, as pandas' `to_dict` gives them)."""
    columns = []
    for col in frame.columns:
        values = frame[col]
        if values.dtype.kind == "f":
            values = values.where(np.isfinite(values))
        column = values.astype("object").where(values.notna(), None).tolist()
        if values.dtype.kind == "O" and any(issubclass(kind, np.generic) for kind in set(map(type, column))):
            column = [v.item() if isinstance(v, np.generic) else v for v in column]
        columns.append(column)
    return columns


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with JSON-safe values (for pages and embedded JSON)."""
    if frame.empty:
        return []
    keys = list(frame.columns)
    return [dict(zip(keys, row)) for row in zip(*json_columns(frame))]


# -- rules -------------------------------------------------------------------------------------------

FIGURES_AS_NUMBER = frozenset({"revaluasi_tidak_wajar", "pencilan_sejawat"})
"""Rules whose amount and threshold are a multiple or a score: two decimals whatever their size. Every
other rule's figures read as Rupiah when large and as a plain figure when small (`filters.auto`)."""


def _text(key: str, lang: str) -> str | None:
    return i18n.t(key, lang) if i18n.has(key) else None


def rule_title(rule_id: str, lang: str) -> str:
    """The registry's title of `rule_id` in `lang`; the id itself for a rule the catalogue has no text for."""
    return _text(f"rules.{rule_id}.title", lang) or rule_id


def _rule_entry(rule_id: str, lang: str, registered: dict | None = None) -> dict:
    """What the method page and a finding show of one rule: the registry's title and thresholds, the
    report's explanation, question and figure labels where the catalogue has them, generic labels where
    not (a rule without report texts still renders, with nothing invented)."""
    registered = registered or {}
    key = f"report.rule.{rule_id}"
    return {"id": rule_id, "title": registered.get("title") or rule_title(rule_id, lang),
            "compares": _text(f"{key}.compares", lang) or registered.get("description"),
            "thresholds": [{"name": n, "value": _clean(v), "help": h} for n, v, h in registered.get("thresholds", ())],
            "explain": _text(f"{key}.explain", lang), "ask": _text(f"{key}.ask", lang),
            "amount_label": _text(f"{key}.amount", lang) or i18n.t("report.rule_generic.amount", lang),
            "threshold_label": _text(f"{key}.threshold", lang) or i18n.t("report.rule_generic.threshold", lang),
            "as_number": rule_id in FIGURES_AS_NUMBER}


def rule_table(settings, lang: str, extra_ids=()) -> list[dict]:
    """Every rule of the registry, in its order, then any other rule id the findings carry (`extra_ids`)."""
    registered = rules_table(settings, lang)
    known = {r["id"] for r in registered}
    out = [_rule_entry(r["id"], lang, r) for r in registered]
    return out + [_rule_entry(rid, lang) for rid in sorted({str(r) for r in extra_ids} - known)]


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
    if "status_tinjauan" in rank.columns:  # a run with a register (SPEC §4)
        _review_columns(out, rank, analysis.findings)
    return out


REVIEW_COLUMNS = ("status_tinjauan", "catatan_tinjauan", "peninjau_tinjauan", "tanggal_tinjauan")


def _review_columns(out: pd.DataFrame, rank: pd.DataFrame, findings: pd.DataFrame) -> None:
    """The latest decision, the count of new findings and the marks of each official's findings (`marks`,
    for the ranking's filter), from a run with a register."""
    for col in REVIEW_COLUMNS:
        out[col] = _texts_or_none(_col(rank, col), out.index)
    out["n_baru"] = pd.to_numeric(_col(rank, "n_baru"), errors="coerce").to_numpy()
    marks = {}
    if len(findings) and "status_temuan" in findings.columns:
        pairs = findings[["id_pn", "status_temuan"]].drop_duplicates().sort_values(["id_pn", "status_temuan"])
        marks = pairs.groupby("id_pn", sort=False)["status_temuan"].agg(list).to_dict()
    out["marks"] = [marks.get(i, []) for i in rank["id_pn"]]


def _texts_or_none(values: pd.Series, index) -> pd.Series:
    """Text, with None (not NaN, which a template would print) where there is none: an object column, so
    that pandas does not infer its string dtype, whose missing value is NaN."""
    return pd.Series([v if isinstance(v, str) and v else None for v in values.tolist()], index=index, dtype=object)


def review_context(analysis, frame: pd.DataFrame, manifest: dict) -> dict:
    """The index's register block: counts of the findings by mark, the officials with new findings, and
    the register's run. Empty without a register (the page then shows none of it)."""
    findings = analysis.findings
    if "status_temuan" not in findings.columns or "n_baru" not in frame.columns:
        return {}
    marks = findings["status_temuan"].value_counts()
    entry = manifest.get("register") or {}
    return {"review": {"baru": int(marks.get("baru", 0)), "berulang": int(marks.get("berulang", 0)),
                       "dijelaskan": int(marks.get("sudah dijelaskan", 0)),
                       "officials_new": int((frame["n_baru"] > 0).sum()), "run": entry.get("run"),
                       "file": entry.get("file")}}


def table_rows(frame: pd.DataFrame, lang: str, limit: int) -> tuple[list[str], list[tuple]]:
    """The rows embedded in index.html, as (column names, one tuple per row): raw values to sort on plus
    formatted text to show."""
    from lhkpn_check.report import filters as fl

    top = frame.head(limit)
    out = top.drop(columns=["_id_pn", "top_features", "peninjau_tinjauan", "tanggal_tinjauan"],
                   errors="ignore").copy()
    # whole columns at once; display strings read as the pages' filters write them
    out["score_txt"] = fl.number_column(top["score"], lang, 1)
    out["ml_score_txt"] = fl.number_column(top["ml_score"], lang, 3)
    out["net_worth_txt"] = fl.rupiah_compact_column(top["net_worth"], lang)
    out["income_yearly_txt"] = fl.rupiah_compact_column(top["income_yearly"], lang)
    tier_label = {t: i18n.t(f"report.tier.{t}", lang) for t in TIERS}
    out["tier_txt"] = top["tier"].map(tier_label).where(top["tier"].notna(), fl.DASH)
    src_label = {s: i18n.t(f"report.income_source.{s}", lang) for s in ("declared", "estimated")}
    out["income_source_txt"] = top["income_source"].map(src_label).fillna(fl.DASH)
    shown = out.drop(columns=["peer_group", "tahun"])
    if shown.empty:
        return [], []
    return list(shown.columns), list(zip(*json_columns(shown)))


def table_json(columns: list[str], rows: list[tuple]) -> Markup:
    """The ranking rows as one columnar blob ({columns, rows: [[...]]}): the keys once, not per row."""
    return json_for_html({"columns": columns, "rows": rows})


# -- charts ------------------------------------------------------------------------------------------

def _layout(lang: str, **extra) -> dict:
    """What a chart sets beyond the shared layout (fonts, colours, margins, number separators), which
    report.js applies to every chart: pages carry only their own part."""
    return dict(extra)


@lru_cache(maxsize=4096)
def _tick_text(value: float, lang: str) -> str:
    return fl.rupiah_compact(value, lang)


def _nice_step(span: float, parts: int = 5) -> float:
    raw = span / parts
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def count_axis(top: float, **extra) -> dict:
    """An axis of whole counts: no `0,2 pejabat` ticks when the counts are small."""
    axis = {"rangemode": "tozero", "tickformat": ",d", **extra}
    if top <= 10:
        axis["dtick"] = 1
    return axis


def money_axis(values, lang: str, *, log: bool = False, zero: bool = False, **extra) -> dict:
    """A Rupiah axis labelled with the report's own words (`Rp 1,5 M`, `Rp 750 jt`): plotly's SI suffixes
    would print G for miliar and M for million, which reads wrong in Indonesian."""
    v = [float(x) for x in values if x is not None and x == x and not math.isinf(x)]
    axis = {"type": "log" if log else "linear", **extra}
    if log:
        v = [x for x in v if x > 0]
    if not v:
        return axis
    lo, hi = min(v), max(v)
    if log:
        # 1-2-5 per decade, finer (1..9) when the data spans less than a decade, so ticks always show
        ticks = []
        for steps in ((1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
            ticks = [m * 10.0 ** k for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
                     for m in steps if lo / 1.5 <= m * 10.0 ** k <= hi * 1.5]
            if len(ticks) >= 3:
                break
        if len(ticks) < 2:
            ticks = sorted({float(f"{lo:.2g}"), float(f"{hi:.2g}")})
    else:
        if zero:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = (hi - lo) or max(abs(hi), 1.0)
        step = _nice_step(span)
        first = math.floor(lo / step)
        ticks = [(first + i) * step for i in range(int((hi + step * 0.001 - first * step) // step) + 2)]
    axis.update(tickvals=ticks, ticktext=[_tick_text(t, lang) for t in ticks])
    return axis


def _esc(values) -> list[str]:
    """Plotly reads a few HTML tags in text; entities keep names inert and still readable."""
    return [_html.escape(str(v), quote=False) if v is not None else "" for v in values]


def score_histogram(frame: pd.DataFrame, lang: str) -> dict:
    edges = np.arange(0, 105, 5)
    mids = (edges[:-1] + 2.5).tolist()
    traces, total = [], np.zeros(len(mids), dtype=int)
    scores = frame["score"].to_numpy(dtype=float, na_value=np.nan)
    tiers = frame["tier"].astype("object").to_numpy()
    for tier in TIERS:
        counts, _ = np.histogram(scores[(tiers == tier) & ~np.isnan(scores)], bins=edges)
        total += counts
        traces.append({"type": "bar", "x": mids, "y": counts.tolist(), "width": 4.6,
                       "name": i18n.t(f"report.tier.{tier}", lang), "marker": {"color": TIER_COLOURS[tier]}})
    return {"data": traces, "layout": _layout(lang, barmode="stack",
                                              xaxis={"title": {"text": i18n.t("report.chart.score", lang)},
                                                     "range": [0, 100]},
                                              yaxis=count_axis(int(total.max()),
                                                               title={"text": i18n.t("report.chart.officials", lang)}))}


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
                                               xaxis=count_axis(max(agg["tinggi"].max() if len(agg) else 0, 1),
                                                                title={"text": i18n.t("report.chart.count_tinggi", lang)}),
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
#
# Every table of every dossier is formatted here, column by column over all selected officials at once,
# then cut into per-official lists with one sort and one split. The template only places ready strings.

def fast_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of the frame's values (as Python objects): zip over columns, no per-cell boxing."""
    if frame.empty:
        return []
    keys = list(frame.columns)
    cols = [frame[c].to_numpy(dtype=object).tolist() for c in keys]
    return [dict(zip(keys, vals)) for vals in zip(*cols)]


def _split(keys: np.ndarray, recs: list) -> dict:
    """{key: consecutive records} for records already sorted by key."""
    if not len(keys):
        return {}
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(keys)]
    return {keys[s]: recs[s:e] for s, e in zip(starts.tolist(), ends.tolist())}


def _sorted_for(frame, ids: pd.Index, order: list[str]) -> pd.DataFrame | None:
    if frame is None or frame.empty or "id_pn" not in frame.columns:
        return None
    sub = frame[frame["id_pn"].isin(ids)]
    if sub.empty:
        return None
    return sub.sort_values([c for c in order if c in sub.columns], kind="stable")


def _label_column(values: pd.Series, labels: dict, prefix: str) -> np.ndarray:
    """A coded column shown with its catalogue label when there is one, else as text."""
    obj = values.astype("object")
    distinct = pd.unique(obj[obj.notna()])
    table = {v: labels.get(f"{prefix}{v}", fl.text(v)) for v in distinct}
    return obj.map(table).where(obj.notna(), fl.DASH).to_numpy(dtype=object)


def json_for_html(value) -> Markup:
    """Compact JSON that is inert inside <script type="application/json">: no <, >, & or ' left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
                  .replace("'", "\\u0027"))


def _year_series(laporan: pd.DataFrame, declarations: pd.DataFrame) -> pd.DataFrame:
    """Per declaration: net worth, yearly income and its source, preferring the engine's columns."""
    keep = ["id_pn", "tahun_lapor", *HARTA_KATEGORI, "hutang", "golongan", "tanggal_lapor", *PENERIMAAN,
            *PENGELUARAN]
    lap = pd.DataFrame({c: _col(laporan, c, np.nan) for c in keep})
    money = lambda cols: lap[list(cols)].apply(pd.to_numeric, errors="coerce")  # noqa: E731
    lap["_harta"] = money(HARTA_KATEGORI).sum(axis=1, min_count=1)
    debt = pd.to_numeric(lap["hutang"], errors="coerce")
    lap["_net_worth"] = lap["_harta"] - debt.fillna(0)
    lap["_income"] = money(PENERIMAAN).sum(axis=1, min_count=1)
    lap["_spending"] = money(PENGELUARAN).sum(axis=1, min_count=1)
    lap["_income_source"] = np.where(lap["_income"].notna(), "declared", None)
    if declarations is not None and not declarations.empty and {"id_pn", "tahun_lapor"} <= set(declarations):
        cols = [c for c in ("net_worth", "income_yearly", "income_source", "explained_net_worth")
                if c in declarations]
        eng = declarations[["id_pn", "tahun_lapor", *cols]].drop_duplicates(["id_pn", "tahun_lapor"], keep="last")
        lap = lap.merge(eng, on=["id_pn", "tahun_lapor"], how="left", suffixes=("", "_eng"))
        if "net_worth" in cols:
            lap["_net_worth"] = pd.to_numeric(lap["net_worth"], errors="coerce").fillna(lap["_net_worth"])
        if "income_yearly" in cols:
            lap["_income"] = pd.to_numeric(lap["income_yearly"], errors="coerce").fillna(lap["_income"])
        if "income_source" in cols:
            lap["_income_source"] = lap["income_source"].where(lap["income_source"].notna(), lap["_income_source"])
    return lap


def _years_display(lap: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The wealth table of every selected official, formatted, plus the raw series the charts need."""
    out = pd.DataFrame({"id_pn": lap["id_pn"].to_numpy(), "tahun": fl.text_column(lap["tahun_lapor"])})
    for col in (*HARTA_KATEGORI, "hutang"):
        out[col] = fl.rupiah_column(lap[col], lang)
    out["net_worth"] = fl.rupiah_column(lap["_net_worth"], lang)
    out["income"] = fl.rupiah_column(lap["_income"], lang)
    out["spending"] = fl.rupiah_column(lap["_spending"], lang)
    out["estimated"] = (lap["_income_source"] == "estimated").to_numpy()
    golongan = lap["golongan"].astype("object")
    out["golongan"] = golongan.where(golongan.notna(), None).to_numpy()
    out["tanggal"] = np.where(lap["tanggal_lapor"].notna(), fl.date_column(lap["tanggal_lapor"], lang), None)
    return out


def _chart_series(lap: pd.DataFrame) -> dict:
    """Per official: years, net worth, the cumulative-income line, category parts and debts as lists.

    The line is the engine's explained net worth (features.funds: net worth less the history's unexplained
    remainder), so the chart and the growth findings tell one story; without it, the first net worth plus
    each later year's income, a year without income ending it (no invented points)."""
    nw = pd.to_numeric(lap["_net_worth"], errors="coerce")
    ok = nw.notna().to_numpy()
    sub = lap[ok]
    nw = nw[ok]
    pos = sub.groupby("id_pn", sort=False).cumcount().to_numpy()
    inc = pd.to_numeric(sub["_income"], errors="coerce").to_numpy(dtype=float)
    gap = (pos > 0) & np.isnan(inc)
    added = np.where(pos > 0, np.nan_to_num(inc), nw.to_numpy(dtype=float))
    key = sub["id_pn"].to_numpy()
    base = pd.Series(added).groupby(key, sort=False).cumsum().to_numpy()
    broken = pd.Series(gap).groupby(key, sort=False).cummax().to_numpy(dtype=bool)
    base = np.where(broken, np.nan, base)
    if "explained_net_worth" in sub:  # the engine's line: what income, gifts and revaluation explain
        base = pd.to_numeric(sub["explained_net_worth"], errors="coerce").to_numpy(dtype=float)
    years = pd.to_numeric(sub["tahun_lapor"], errors="coerce").to_numpy()
    parts = sub[list(HARTA_KATEGORI)].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    debt = pd.to_numeric(sub["hutang"], errors="coerce").fillna(0).to_numpy(dtype=float)
    series = {}
    cuts = np.flatnonzero(key[1:] != key[:-1]) + 1 if len(key) else np.array([], dtype=int)
    for s, e in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(key)].tolist()):
        if e <= s:
            continue
        series[key[s]] = (years[s:e], nw.to_numpy(dtype=float)[s:e], base[s:e], parts[s:e], debt[s:e])
    return series


def _finite_list(values) -> list:
    return [None if v != v else round(v) for v in np.asarray(values, dtype=float).tolist()]


class _Charts:
    """The two dossier charts of one language: names and colours fixed once, per official only numbers."""

    def __init__(self, lang: str):
        self.lang = lang
        self.nw_name = i18n.t("report.chart.net_worth", lang)
        self.base_names = {False: i18n.t("report.chart.baseline", lang),
                           True: i18n.t("report.chart.baseline_estimated", lang)}
        self.year_title = {"text": i18n.t("report.col.year", lang)}
        self.cat_names = [i18n.t(f"report.kategori.{c}", lang) for c in HARTA_KATEGORI]
        self.debt_name = i18n.t("report.kategori.hutang", lang)

    def wealth(self, years, nw, base, estimated: bool) -> Markup:
        xs = [int(y) for y in years]
        nws, bases = _finite_list(nw), _finite_list(base)
        data = [{"type": "scatter", "mode": "lines+markers", "x": xs, "y": nws, "name": self.nw_name,
                 "line": {"color": "#1f5f8b", "width": 3}},
                {"type": "scatter", "mode": "lines+markers", "x": xs, "y": bases, "name": self.base_names[estimated],
                 "line": {"color": "#c77700", "dash": "dash"}}]
        layout = {"xaxis": {"dtick": 1, "title": self.year_title}, "yaxis": money_axis(nws + bases, self.lang)}
        return json_for_html({"data": data, "layout": layout})

    def composition(self, years, parts, debt) -> Markup:
        xs = [int(y) for y in years]
        data = [{"type": "bar", "x": xs, "y": _finite_list(parts[:, i]), "marker": {"color": colour}, "name": name}
                for i, (colour, name) in enumerate(zip(CATEGORY_COLOURS, self.cat_names))]
        debts = [-v for v in _finite_list(debt)]
        data.append({"type": "bar", "x": xs, "y": debts, "marker": {"color": "#b3261e"}, "name": self.debt_name})
        layout = {"barmode": "relative", "xaxis": {"dtick": 1},
                  "yaxis": money_axis(parts.sum(axis=1).tolist() + debts, self.lang, zero=True)}
        return json_for_html({"data": data, "layout": layout})


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


def _evidence(series: pd.Series, lang: str | None = None) -> pd.Series:
    """Evidence JSON parsed once per distinct text; unreadable evidence becomes one plain-text line.
    With a language, each line also carries its value formatted for the page (`value_txt`)."""
    values = series.astype("object").where(series.notna(), None)
    table = {}
    for text in pd.unique(values.dropna()):
        parsed = _parse_json_list(text)
        if parsed is None:
            parsed = [{"sheet": None, "row": None, "label": str(text), "value": None}]
        lines = [e if isinstance(e, dict) else {"label": str(e)} for e in parsed]
        if lang is not None:
            lines = [{"sheet": fl.text(e.get("sheet")), "row": fl.text(e.get("row")), "label": fl.text(e.get("label")),
                      "value_txt": fl.auto(e.get("value"), lang) if isinstance(e.get("value"), (int, float))
                      else fl.text(e.get("value"))} for e in lines]
        table[text] = lines
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


def _first_key(entry: dict, *names):
    for name in names:
        if name in entry and entry[name] is not None and not (isinstance(entry[name], float)
                                                               and math.isnan(entry[name])):
            return entry[name]
    return None


def _features_raw(value) -> list[dict]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
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


def _official_display(selected: pd.DataFrame, lang: str, labels: dict) -> list[dict]:
    """The identity block of every selected official, formatted once."""
    tier = selected["tier"].astype("object")
    names = _feature_labels(lang)
    feats = selected["top_features"].astype("object")
    feat_table = {v: [{"label": f["label"], "value": None if f["value"] is None else fl.number(f["value"], lang, 2)}
                      for f in _features(v, names)] for v in pd.unique(feats.dropna())}
    out = pd.DataFrame({
        "href": selected["href"].to_numpy(), "_id_pn": selected["_id_pn"].to_numpy(),
        "nama": fl.text_column(selected["nama"]), "id": fl.text_column(selected["id"]),
        "tier": tier.where(tier.isin(TIERS), None).to_numpy(),
        "tier_txt": _label_column(tier, labels, "report.tier."),
        "rank": fl.text_column(selected["rank"]),
        "score": fl.number_column(selected["score"], lang, 1),
        "n_findings": fl.number_column(selected["n_findings"], lang),
        "net_worth": fl.rupiah_compact_column(selected["net_worth"], lang),
        "income_yearly": fl.rupiah_compact_column(selected["income_yearly"], lang),
        "ml_score": fl.number_column(selected["ml_score"], lang, 3),
        "jabatan": fl.text_column(selected["jabatan"]), "unit_kerja": fl.text_column(selected["unit_kerja"]),
        "lembaga": fl.text_column(selected["lembaga"]), "eselon": fl.text_column(selected["eselon"]),
        "tahun": fl.text_column(selected["tahun"]), "peer_group": fl.text_column(selected["peer_group"]),
        "features": feats.map(feat_table).to_numpy(),
    })
    out["features"] = [f if isinstance(f, list) else [] for f in out["features"]]
    if "status_tinjauan" in selected.columns:  # a run with a register: the latest decision
        for col in REVIEW_COLUMNS:
            out[col] = _texts_or_none(selected[col], out.index)
        out["n_baru"] = fl.text_column(selected["n_baru"])
    return fast_records(out)


def _items_display(harta, lap: pd.DataFrame, ids: pd.Index, lang: str, labels: dict) -> dict:
    """The items of each official's latest declaration, biggest first within category order."""
    if harta is None or harta.empty or "tahun_lapor" not in harta.columns or "id_pn" not in harta.columns:
        return {}
    latest_year = lap.groupby("id_pn")["tahun_lapor"].max()
    read = [c for c in ("id_pn", "tahun_lapor", "kategori", "nilai_pelaporan", "_row", "uraian", "asal_usul",
                        "atas_nama", "tahun_perolehan", "nilai_perolehan") if c in harta.columns]
    h = harta.loc[harta["id_pn"].isin(ids).to_numpy(), read]  # the columns shown, not the whole item table
    h = h[h["tahun_lapor"].to_numpy() == h["id_pn"].map(latest_year).to_numpy()]
    if h.empty:
        return {}
    order = {c: i for i, c in enumerate((*HARTA_KATEGORI, "hutang"))}
    kat = _col(h, "kategori")
    h = h.assign(_cat_order=kat.map(order).fillna(len(order)).to_numpy(),
                 _neg_value=-pd.to_numeric(_col(h, "nilai_pelaporan"), errors="coerce").fillna(0).to_numpy())
    h = h.sort_values([c for c in ("id_pn", "_cat_order", "_neg_value", "_row") if c in h.columns], kind="stable")
    out = pd.DataFrame({
        "row": fl.text_column(_col(h, "_row")), "kategori": _label_column(_col(h, "kategori"), labels, "report.kategori."),
        "uraian": fl.text_column(_col(h, "uraian")),
        "asal_usul": _label_column(_col(h, "asal_usul"), labels, "report.asal_usul."),
        "atas_nama": fl.text_column(_col(h, "atas_nama")), "tahun_perolehan": fl.text_column(_col(h, "tahun_perolehan")),
        "nilai_perolehan": fl.rupiah_column(_col(h, "nilai_perolehan"), lang),
        "nilai_pelaporan": fl.rupiah_column(_col(h, "nilai_pelaporan"), lang)})
    return _split(h["id_pn"].to_numpy(), fast_records(out))


def _figures(values: np.ndarray, entries: list[dict], lang: str) -> list[str]:
    """A finding's amount or threshold as its rule reads it (`FIGURES_AS_NUMBER`)."""
    return [fl.number(v, lang, 2) if e["as_number"] else fl.auto(v, lang) for v, e in zip(values.tolist(), entries)]


def _findings_display(findings, ids: pd.Index, lang: str, labels: dict, rules: list[dict]) -> dict:
    f = _sorted_for(findings, ids, [])
    if f is None:
        return {}
    sev = {"tinggi": 0, "sedang": 1, "rendah": 2}
    f = f.assign(_sev=_col(f, "severity").map(sev).fillna(3).to_numpy())
    f = f.sort_values([c for c in ("id_pn", "_sev", "tahun_lapor", "rule") if c in f.columns], kind="stable")
    rule = _col(f, "rule").astype("object")
    by_id = {r["id"]: r for r in rules}
    by_id.update({r: _rule_entry(fl.text(r), lang) for r in pd.unique(rule) if r not in by_id})
    entries = [by_id[r] for r in rule.tolist()]
    severity = _col(f, "severity").astype("object")
    amount = pd.to_numeric(_col(f, "amount"), errors="coerce").to_numpy()
    threshold = pd.to_numeric(_col(f, "threshold"), errors="coerce").to_numpy()
    out = pd.DataFrame({
        "rule": fl.text_column(rule), "title": [e["title"] for e in entries],
        "severity": severity.where(severity.isin(TIERS), "lainnya").to_numpy(),
        "severity_txt": _label_column(severity, labels, "report.severity."),
        "tahun": fl.text_column(_col(f, "tahun_lapor")), "message": fl.text_column(_col(f, "message")),
        "amount_label": [e["amount_label"] for e in entries], "amount_txt": _figures(amount, entries, lang),
        "threshold_label": [e["threshold_label"] for e in entries],
        "threshold_txt": _figures(threshold, entries, lang),
        "evidence": _evidence(_col(f, "evidence"), lang).to_numpy()})
    out["ask"] = _texts_or_none(pd.Series([e["ask"] for e in entries], dtype=object), out.index)
    if "status_temuan" in f.columns:  # a run with a register: baru / berulang / sudah dijelaskan
        mark = f["status_temuan"].astype("object")
        out["mark"] = mark.str.replace(" ", "_").to_numpy()
        out["mark_txt"] = _label_column(mark.str.replace(" ", "_"), labels, "report.mark.")
        out["penjelasan"] = _texts_or_none(_col(f, "penjelasan"), out.index)
    return _split(f["id_pn"].to_numpy(), fast_records(out))


def _luxury_display(luxury, ids: pd.Index, lang: str) -> dict:
    x = _sorted_for(luxury, ids, ["id_pn", "tahun_lapor"])
    if x is None:
        return {}
    declared = pd.to_numeric(_col(x, "nilai_pelaporan"), errors="coerce")
    catalogue = pd.to_numeric(_col(x, "catalogue_value"), errors="coerce")
    share = (declared / catalogue.where(catalogue > 0)).to_numpy()
    out = pd.DataFrame({
        "tahun": fl.text_column(_col(x, "tahun_lapor")), "row": fl.text_column(_col(x, "_row")),
        "item": pd.Series(fl.text_column(_col(x, "merek"))) + " " + pd.Series(fl.text_column(_col(x, "model"))),
        "luxury_class": fl.text_column(_col(x, "luxury_class")),
        "nilai_pelaporan": fl.rupiah_column(declared, lang), "catalogue_value": fl.rupiah_column(catalogue, lang),
        "share": [fl.percent(v, lang) for v in share]})
    return _split(x["id_pn"].to_numpy(), fast_records(out))


def _temuan_display(temuan, ids: pd.Index, lang: str) -> dict:
    x = _sorted_for(temuan, ids, ["id_pn", "tanggal", "_row"])
    if x is None:
        return {}
    matched = _col(x, "matched").astype("object")
    out = pd.DataFrame({
        "tanggal": fl.date_column(_col(x, "tanggal"), lang), "jenis": fl.text_column(_col(x, "jenis")),
        "item": pd.Series(fl.text_column(_col(x, "merek"))) + " " + pd.Series(fl.text_column(_col(x, "model"))),
        "uraian": fl.text_column(_col(x, "uraian")),
        "perkiraan_nilai": fl.rupiah_column(_col(x, "perkiraan_nilai"), lang),
        "sumber": fl.text_column(_col(x, "sumber")), "bukti": fl.text_column(_col(x, "bukti")),
        "matched": matched.where(matched.notna(), False).astype(bool).to_numpy(),
        "matched_row": fl.text_column(_col(x, "matched_row"))})
    return _split(x["id_pn"].to_numpy(), fast_records(out))


@dataclass
class DossierTables:
    """Every table of every selected official's dossier, formatted and cut per official: the costly part
    of the dossiers, made once per run (before the processes writing pages fork, so they share it)."""

    lang: str
    rows: list[dict]
    years: dict
    series: dict
    items: dict
    findings: dict
    luxury: dict
    temuan: dict
    kepatuhan: dict = field(default_factory=dict)
    """id_pn -> the official's filing-compliance lines (`kepatuhan_lines`), with a roster only."""

    def contexts(self, parts=None):
        """Yield one Dossier per selected official in rank order; with `parts` (slices of the selected
        rows, taken one at a time), only for those rows."""
        charts = _Charts(self.lang)
        no_latest = {"golongan": None, "tanggal": None}
        for row in (row for part in (parts or [slice(None)]) for row in self.rows[part]):
            pid = row["_id_pn"]
            yrs = self.years.get(pid, [])
            estimated = any(y["estimated"] for y in yrs)
            drawn = {}
            if pid in self.series:
                xs, nw, base, parts_, debt = self.series[pid]
                drawn = {"wealth": charts.wealth(xs, nw, base, estimated),
                         "composition": charts.composition(xs, parts_, debt)}
            ctx = {
                "lang": self.lang, "root": "../", "official": row, "latest": yrs[-1] if yrs else no_latest,
                "years": yrs, "items": self.items.get(pid, []), "findings": self.findings.get(pid, []),
                "luxury": self.luxury.get(pid, []), "temuan": self.temuan.get(pid, []), "estimated": estimated,
                "charts": drawn, "kategori": HARTA_KATEGORI,
            }
            ctx["kepatuhan"] = self.kepatuhan.get(pid, [])
            yield Dossier(path=row["href"], context=ctx)


def dossier_cut(batch, analysis, ids):
    """(batch, analysis) with the frames `dossier_tables` searches cut to the officials `ids`: when the
    tables are made in runs, each run then searches the selected officials' rows, not a whole batch's."""
    keep = pd.Index(list(ids))

    def cut(frame):
        if frame is None or "id_pn" not in getattr(frame, "columns", ()):
            return frame
        return frame[frame["id_pn"].isin(keep).to_numpy()]

    return (dataclasses.replace(batch, laporan=cut(batch.laporan), harta=cut(batch.harta)),
            dataclasses.replace(analysis, declarations=cut(analysis.declarations), findings=cut(analysis.findings),
                                luxury=cut(analysis.luxury), temuan=cut(analysis.temuan)))


def dossier_tables(batch, analysis, selected: pd.DataFrame, *, lang: str, rules: list[dict],
                   labels: dict | None = None) -> DossierTables:
    """The dossier tables of the `selected` rows of the ranking frame (already in rank order)."""
    labels = labels if labels is not None else {k: i18n.t(k, lang) for k in i18n.catalogue()}
    ids = pd.Index(selected["_id_pn"].tolist())
    decl = analysis.declarations
    if decl is not None and "id_pn" in decl:  # the selected officials' declarations only, before any merge
        decl = decl[decl["id_pn"].isin(ids).to_numpy()]
    lap = _year_series(batch.laporan[batch.laporan["id_pn"].isin(ids)], decl)
    lap = lap.sort_values(["id_pn", "tahun_lapor"], kind="stable").reset_index(drop=True)
    return DossierTables(
        lang=lang, rows=_official_display(selected, lang, labels),
        years=_split(lap["id_pn"].to_numpy(), fast_records(_years_display(lap, lang))),
        series=_chart_series(lap), items=_items_display(batch.harta, lap, ids, lang, labels),
        findings=_findings_display(analysis.findings, ids, lang, labels, rules),
        luxury=_luxury_display(analysis.luxury, ids, lang), temuan=_temuan_display(analysis.temuan, ids, lang))


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


# -- filing compliance (kepatuhan) -------------------------------------------------------------------------

KEPATUHAN_ROWS_SHOWN = 5000
KEPATUHAN_COLOURS = {"tepat waktu": "#2e8b57", "sudah lapor": "#4f9bd1", "terlambat": "#c77700",
                     "belum lapor": "#5f6b7a"}
REMINDED = ("belum lapor", "terlambat")
"""The statuses the index lists by name: those an auditor sends a reminder to."""


def _status_labels(lang: str) -> dict[str, str]:
    from lhkpn_check.model import KEPATUHAN_STATUS

    return {s: i18n.t(f"kepatuhan.status.{s}", lang) for s in KEPATUHAN_STATUS}


def kepatuhan_chart(units: pd.DataFrame, lang: str) -> dict:
    """Per unit of the latest judged year, the share of the listed officials in each status, stacked to 100 %,
    lowest compliance rate at the top (UNITS_SHOWN units at most)."""
    if units.empty:
        return {"data": [], "layout": {}}
    latest = units[units["tahun_lapor"] == units["tahun_lapor"].max()]
    shown = latest.head(UNITS_SHOWN).iloc[::-1]
    labels = _status_labels(lang)
    shared = latest.groupby("unit_kerja")["lembaga"].nunique()  # a unit name used by two agencies: say which
    shared = set(shared.index[shared > 1])
    names = _esc(u if u not in shared else f"{u} · {g}" for u, g in zip(shown["unit_kerja"], shown["lembaga"]))
    hover = [i18n.t("kepatuhan.report.rate", lang) + f": {fl.percent(r, lang)} ({int(w)})"
             for r, w in zip(shown["rate"], shown["wajib"])]
    traces = []
    for status, colour in KEPATUHAN_COLOURS.items():
        share = (shown[status.replace(" ", "_")] / shown["wajib"]).round(4)
        traces.append({"type": "bar", "orientation": "h", "x": share.tolist(), "y": names, "name": labels[status],
                       "marker": {"color": colour}, "hovertext": hover})
    height = max(320, 24 * len(shown) + 120)
    return {"data": traces, "layout": _layout(lang, barmode="stack", height=height,
                                              margin={"l": 260, "r": 20, "t": 30, "b": 80},
                                              xaxis={"range": [0, 1], "tickformat": ".0%",
                                                     "title": {"text": i18n.t("kepatuhan.report.chart_axis", lang)}},
                                              yaxis={"automargin": True})}


def _rate_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    out = pd.DataFrame({
        "tahun": fl.text_column(frame["tahun_lapor"]), "lembaga": fl.text_column(frame["lembaga"]),
        "unit_kerja": fl.text_column(frame["unit_kerja"]) if "unit_kerja" in frame else fl.DASH,
        **{c: [fl.number(v, lang) for v in frame[c]] for c in
           ("wajib", "tepat_waktu", "terlambat", "sudah_lapor", "belum_lapor")},
        "rate": [fl.percent(v, lang) for v in frame["rate"]],
        "rate_tepat": [fl.percent(v, lang) for v in frame["rate_tepat"]]})
    return fast_records(out)


def kepatuhan_context(result, lang: str, *, show_ids: bool) -> dict | None:
    """The index's Kepatuhan section: counts, the rates chart and tables, and the reminder list (not yet
    filed, late), ids masked unless `show_ids`. None without a roster (the section is then left out)."""
    if result is None:
        return None
    from lhkpn_check.model import KEPATUHAN_STATUS

    officials = result.officials
    counts = result.counts()
    listed = sum(v for k, v in counts.items() if k != "tidak di daftar")
    order = {s: i for i, s in enumerate(KEPATUHAN_STATUS)}
    todo = officials[officials["status"].isin(REMINDED).to_numpy()]
    todo = todo.assign(_order=todo["status"].map(order)).sort_values(
        ["_order", "tahun_lapor", "unit_kerja", "nama"], kind="stable", na_position="last")
    shown = todo.head(KEPATUHAN_ROWS_SHOWN)
    labels = _status_labels(lang)
    rows = pd.DataFrame({
        "status": shown["status"].to_numpy(dtype=object), "status_txt": shown["status"].map(labels).to_numpy(),
        "id": fl.text_column(mask_id(shown["id_pn"], show=show_ids)), "nama": fl.text_column(shown["nama"]),
        "jabatan": fl.text_column(shown["jabatan"]), "unit_kerja": fl.text_column(shown["unit_kerja"]),
        "lembaga": fl.text_column(shown["lembaga"]), "tahun": fl.text_column(shown["tahun_lapor"]),
        "days": [fl.DASH if pd.isna(v) else fl.number(v, lang) for v in shown["hari_terlambat"]],
        "deadline": fl.date_column(shown["batas_lapor"], lang), "sent": fl.date_column(shown["tanggal_kirim"], lang)})
    records_ = fast_records(rows)
    return {
        "years": ", ".join(str(y) for y in result.years) or fl.DASH,
        "counts": [{"status": s, "label": labels[s], "n": counts[s]} for s in KEPATUHAN_STATUS],
        "listed": listed, "rate": fl.percent((listed - counts["belum lapor"]) / listed, lang) if listed else fl.DASH,
        "rate_tepat": fl.percent(counts["tepat waktu"] / listed, lang) if listed else fl.DASH,
        "unlisted": counts["tidak di daftar"],
        "chart": json_for_html(kepatuhan_chart(result.units, lang)),
        "units": _rate_rows(result.units, lang), "lembaga": _rate_rows(result.lembaga, lang),
        "rows": records_, "total": len(todo), "cut": len(todo) > len(shown),
        "statuses": [{"status": s, "label": labels[s]} for s in REMINDED],
        "unit_options": sorted({r["unit_kerja"] for r in records_}),
    }


def kepatuhan_lines(result, ids, lang: str) -> dict:
    """id_pn -> one line per judged year on the official's filing: the status, days late, dates. Worded as a
    reminder: not filing is not a finding about wealth."""
    if result is None:
        return {}
    from lhkpn_check.kepatuhan import norm_id

    ids = pd.Series(list(ids), dtype="object")
    keys = norm_id(ids)
    mine = result.officials[result.officials["_key"].isin(set(keys.dropna())).to_numpy()]
    if mine.empty:
        return {}
    labels = _status_labels(lang)
    deadline = fl.date_column(mine["batas_lapor"], lang)
    sent = fl.date_column(mine["tanggal_kirim"], lang)
    lines: dict = {}
    for key, status, year, days, d, w in zip(mine["_key"], mine["status"], mine["tahun_lapor"],
                                             mine["hari_terlambat"], deadline, sent):
        label = labels[status]
        if status == "terlambat":
            text = i18n.t("kepatuhan.report.dossier_late", lang, status=label, days=fl.number(days, lang), sent=w,
                          deadline=d)
        elif status == "tepat waktu":
            text = i18n.t("kepatuhan.report.dossier_sent", lang, status=label, sent=w, deadline=d)
        elif status == "belum lapor":
            text = i18n.t("kepatuhan.report.dossier_missing", lang, status=label, year=fl.text(year))
        else:
            text = label
        lines.setdefault(key, []).append({"year": fl.text(year), "status": status, "text": text})
    return {pid: lines[key] for pid, key in zip(ids, keys) if key in lines}
