"""The rule registry: each rule compares declared figures with a threshold from SETTINGS and says why.

A rule's `compute` gets the RuleContext (features already computed) and returns one row per finding:
id_pn, tahun_lapor, amount, threshold, message, evidence (JSON list of the declaration lines behind it).
Per-declaration rules keep the strongest declaration per official, so one official is not listed five
times for the same cash pile. Messages ask for an explanation; they never accuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from lhkpn_check.features.items import kind_is
from lhkpn_check.i18n import catalogue, t
from lhkpn_check.model import FINDING_COLUMNS
from lhkpn_check.parse import isin
from lhkpn_check.settings import SETTINGS

SEVERITY_ORDER = {"tinggi": 0, "sedang": 1, "rendah": 2}


ITEM_COLUMNS = ("id_pn", "decl_seq", "tahun_lapor", "_sheet", "_row", "uraian", "kategori", "nilai_pelaporan",
                "prev_value", "revaluation")
"""The item columns the rules read from a selection of items (their evidence: `_item_ev`)."""


@dataclass
class RuleContext:
    decl: pd.DataFrame
    """Declarations with features (features.funds)."""
    items: pd.DataFrame
    """harta items with decl_seq, is_new, prev_value (features.item_changes)."""
    luxury: pd.DataFrame
    """Declared items matching the luxury catalogue, with decl_seq (luxury.declared_luxury of the items)."""
    temuan: pd.DataFrame
    officials: pd.DataFrame
    """One row per official with ml_score, peer_group, top_features, peer_fitted."""
    settings: object
    lang: str = "id"
    extra: dict = field(default_factory=dict)
    _kategori: dict = field(default_factory=dict, repr=False)
    _item_decl: np.ndarray | None = field(default=None, repr=False)

    def item_declarations(self) -> np.ndarray:
        """Each item's position in `decl` (features.item_changes' decl_pos)."""
        if self._item_decl is None:
            self._item_decl = self.items["decl_pos"].to_numpy(dtype=np.int64) if len(self.items) else \
                np.zeros(0, dtype=np.int64)
        return self._item_decl

    def items_of(self, hits: pd.DataFrame, key: pd.Series, mask: np.ndarray | None = None,
                 back: bool = False) -> pd.DataFrame:
        """The items (where `mask` holds) of the declarations `hits` (rows of `decl`), or of the declaration
        each is compared with (`back`), with their hit's `key`, in item order."""
        at = self.decl.index.get_indexer(hits.index)
        if back:
            at = np.where(at >= 0, self.decl["prev_pos"].to_numpy(dtype=np.int64)[np.maximum(at, 0)], -1)
        of_decl = np.full(len(self.decl) + 1, -1, dtype=np.int64)  # the last slot: no declaration
        of_decl[at[at >= 0]] = key.to_numpy()[at >= 0]
        found = of_decl[self.item_declarations()]
        chosen = (found >= 0) if mask is None else (found >= 0) & mask
        return self.items_where(chosen).assign(key=found[chosen]).reset_index(drop=True)

    def items_where(self, mask: np.ndarray) -> pd.DataFrame:
        """The items where `mask` holds, with the columns the rules read (ITEM_COLUMNS), not every column of
        a table that can hold millions of items."""
        return self.items.loc[mask, [c for c in ITEM_COLUMNS if c in self.items]]

    def is_kategori(self, kategori: str) -> np.ndarray:
        """items["kategori"] == kategori (a canonical one), by the items' `kind`, once for all the rules
        that ask."""
        if kategori not in self._kategori:
            self._kategori[kategori] = kind_is(self.items, [kategori])
        return self._kategori[kategori]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    compute: Callable[[RuleContext], pd.DataFrame]
    settings: tuple[str, ...] = ()
    uses_peer_scores: bool = False
    """Reads ml_score and the other columns of scoring.score (the others can run while it scores)."""
    fires_below: bool = False
    """Fires when the amount falls below its threshold (a value declared under a share of the market), so
    the ranking measures how far below."""

    @property
    def title(self) -> dict:
        return catalogue()[f"rules.{self.id}.title"]

    @property
    def description(self) -> dict:
        return catalogue()[f"rules.{self.id}.description"]


# -- formatting -----------------------------------------------------------------------------------------

def rp(values) -> pd.Series:
    """Rupiah as `Rp 1.250.000.000`, formatted once per distinct value; missing -> '-'."""
    s = pd.Series(values, dtype=float)
    uniq = s.dropna().unique()
    table = {u: ("-Rp " if u < 0 else "Rp ") + f"{abs(u):,.0f}".replace(",", ".") for u in uniq}
    return s.map(table).fillna("-")


def num(values, lang: str, digits: int = 1) -> pd.Series:
    s = pd.Series(values, dtype=float)
    out = s.map(lambda v: f"{v:,.{digits}f}" if np.isfinite(v) else "-")
    if lang == "id":
        out = out.str.replace(",", "\x00").str.replace(".", ",").str.replace("\x00", ".")
    return out


def pct(values, lang: str) -> pd.Series:
    return num(pd.Series(values, dtype=float) * 100, lang, 0) + " %"


def _messages(key: str, lang: str, frame: pd.DataFrame, estimated: pd.Series | None = None) -> pd.Series:
    template = t(key, lang)
    cols = list(frame.columns)
    out = pd.Series([template.format(**dict(zip(cols, row))) for row in frame.itertuples(index=False, name=None)],
                    index=frame.index, dtype=object)
    if estimated is not None:
        out = out + np.where(estimated.to_numpy(dtype=bool), t("rules.income_estimated", lang), "")
    return out


_JSON_ESCAPED = r'[\x00-\x1f\\"]'
"""What json.dumps(text, ensure_ascii=False) escapes; a text without any is the text in quotes."""


def _json_texts(values: pd.Series) -> np.ndarray:
    """Each value as the JSON string literal of str(value), encoded once per distinct value: in quotes as
    it is, or through json.dumps where some character needs escaping."""
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    texts = pd.Series([str(u) for u in uniques], dtype=object)
    escaped = texts.str.contains(_JSON_ESCAPED, regex=True).to_numpy(dtype=bool)
    quoted = np.array(('"' + texts + '"').tolist(), dtype=object)
    quoted[escaped] = [json.dumps(u, ensure_ascii=False) for u in texts[escaped]]
    out = np.append(quoted, "")[codes]
    missing = codes < 0
    out[missing] = [json.dumps(str(v), ensure_ascii=False) for v in cells[missing]]
    return out


def _evidence(keys: pd.Index, parts: list[pd.DataFrame]) -> pd.Series:
    """JSON list per finding key from long frames with columns key, sheet, row, label, value: the same text
    as json.dumps of a list of {sheet, row, label, value} dicts, built column-wise."""
    long = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else None
    if long is None:
        return pd.Series("[]", index=keys)
    long = long[long["key"].isin(keys)]
    if not len(long):
        return pd.Series("[]", index=keys)
    row = pd.to_numeric(long["row"], errors="coerce")
    row_text = np.where(row.isna(), "null", row.fillna(0).astype(np.int64).astype(str))
    entry = pd.Series('{"sheet": ' + _json_texts(long["sheet"]) + ', "row": ' + row_text + ', "label": '
                      + _json_texts(long["label"]) + ', "value": ' + _json_texts(long["value"]) + "}",
                      index=long.index)
    key = long["key"].to_numpy()
    order = np.argsort(key, kind="stable")  # each finding's lines together, in the order given
    grouped = "[" + joined_runs(key[order], entry.to_numpy(dtype=object)[order].tolist(), ", ") + "]"
    return grouped.reindex(keys).fillna("[]")


def joined_runs(keys: np.ndarray, texts: list, sep: str) -> pd.Series:
    """The texts of each run of equal adjacent keys joined with `sep`, indexed by the key: one join per
    run, not a grouping by the keys."""
    start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    bounds = np.r_[start, len(keys)].tolist()
    return pd.Series([sep.join(texts[a:b]) for a, b in zip(bounds[:-1], bounds[1:])], index=keys[start],
                     dtype=object)


def _decl_ev(rows: pd.DataFrame, key: pd.Series, label_key: str, value, lang: str, year_col="tahun_lapor",
             row_col="_row", sheet_col="_sheet") -> pd.DataFrame:
    template = t(f"rules.label.{label_key}", lang)
    years, distinct = pd.factorize(rows[year_col], use_na_sentinel=True)  # a label per distinct year
    labels = np.array([template.format(year=int(y)) for y in distinct] + [template.format(year="-")], dtype=object)
    return pd.DataFrame({
        "key": key.to_numpy(),
        "sheet": rows[sheet_col].to_numpy() if sheet_col in rows else "laporan",
        "row": rows[row_col].to_numpy(),
        "label": labels[years],
        "value": rp(pd.Series(value).to_numpy()).to_numpy(),
    })


def _item_ev(items: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "key": key.to_numpy(),
        "sheet": items["_sheet"].to_numpy() if "_sheet" in items else "harta",
        "row": items["_row"].to_numpy(),
        "label": items["uraian"].fillna(items.get("kategori")).astype(str).to_numpy() if "uraian" in items
        else items["kategori"].astype(str).to_numpy(),
        "value": rp(items["nilai_pelaporan"].to_numpy()).to_numpy(),
    })


def _strongest(frame: pd.DataFrame, strength: pd.Series) -> pd.DataFrame:
    """One row per official: the strongest (then latest) declaration."""
    f = frame.assign(_s=strength.to_numpy())
    f = f.sort_values(["id_pn", "_s", "tahun_lapor"], ascending=[True, False, False], kind="stable")
    return f.drop_duplicates("id_pn").drop(columns="_s")


BASES = ("declared", "items", "totals")
"""What a finding rests on, most direct first: figures the official declared (income included, or no
income needed); the declaration's own lines and items against an estimated income; only declared totals
against an estimated income. The score weighs them in that order (ranking.py)."""


def income_basis(h: pd.DataFrame) -> np.ndarray:
    """'declared' where the income was declared, else 'items': the declaration's own figures against an
    estimated income."""
    return np.where(h["income_source"].eq("declared").to_numpy(), "declared", "items").astype(object)


def growth_basis(h: pd.DataFrame) -> np.ndarray:
    """Like income_basis, but a change in net worth that no item comparison backs is 'totals'."""
    itemised = h["has_item_diff"].to_numpy(dtype=bool) if "has_item_diff" in h else np.zeros(len(h), dtype=bool)
    return np.where(h["income_source"].eq("declared").to_numpy(), "declared",
                    np.where(itemised, "items", "totals")).astype(object)


def _finish(hits: pd.DataFrame, amount, threshold, messages: pd.Series, evidence: pd.Series,
            basis) -> pd.DataFrame:
    return pd.DataFrame({
        "id_pn": hits["id_pn"].astype(str).to_numpy(),
        "tahun_lapor": hits["tahun_lapor"].astype(np.int64).to_numpy(),
        "amount": np.asarray(amount, dtype=float),
        "threshold": np.asarray(threshold, dtype=float),
        "message": messages.to_numpy(dtype=object),
        "evidence": evidence.to_numpy(dtype=object),
        "basis": np.broadcast_to(np.asarray(basis, dtype=object), (len(hits),)).copy(),
    })


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"id_pn": pd.Series(dtype=object), "tahun_lapor": pd.Series(dtype=np.int64),
                         "amount": pd.Series(dtype=float), "threshold": pd.Series(dtype=float),
                         "message": pd.Series(dtype=object), "evidence": pd.Series(dtype=object),
                         "basis": pd.Series(dtype=object)})


def _revalued_items(ctx: RuleContext, hits: pd.DataFrame, key: pd.Series, top=5) -> pd.DataFrame:
    """Evidence lines for the items of the hit declarations whose change was counted as revaluation:
    'dinilai ulang: <uraian>', previous value -> value."""
    it = ctx.items
    if it is None or not len(it) or "revaluation" not in it:
        return pd.DataFrame()
    m = ctx.items_of(hits, key, it["revaluation"].to_numpy(dtype=float) != 0)
    m = m.sort_values(["key", "revaluation", "_row"], ascending=[True, False, True], kind="stable")
    m = m.groupby("key", sort=False).head(top)
    if not len(m):
        return pd.DataFrame()
    ev = _item_ev(m, m["key"])
    ev["label"] = t("rules.label.revalued", ctx.lang) + ": " + ev["label"].astype(str)
    ev["value"] = rp(m["prev_value"].to_numpy()).astype(str).to_numpy(dtype=object) + " \u2192 " + \
        ev["value"].astype(str).to_numpy(dtype=object)
    return ev


def _sale_ev(hits: pd.DataFrame, key: pd.Series, lang: str) -> pd.DataFrame:
    """The penerimaan usaha taken as the price of assets no longer listed, so the auditor sees why the
    income the finding uses is below the declared receipts."""
    sold = hits["sale_proceeds"].to_numpy(dtype=float) > 0
    if not sold.any():
        return pd.DataFrame()
    return _decl_ev(hits[sold], key[sold], "sale_proceeds", hits.loc[sold, "sale_proceeds"], lang)


def _new_items(ctx: RuleContext, hits: pd.DataFrame, key: pd.Series, top=5) -> pd.DataFrame:
    it = ctx.items
    if it is None or not len(it):
        return pd.DataFrame()
    m = ctx.items_of(hits, key, it["is_new"].to_numpy() & ~ctx.is_kategori("hutang"))
    m = m.sort_values(["key", "nilai_pelaporan", "_row"], ascending=[True, False, True], kind="stable")
    m = m.groupby("key", sort=False).head(top)
    return _item_ev(m, m["key"])


def _periods(h: pd.DataFrame, lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels of the two declarations a change is measured between: their years, or their reporting dates
    when both fall in one year (a Khusus and a Periodik), so a message never reads 'between 2023 and 2023'."""
    from lhkpn_check.report.filters import date

    prev, year = h["prev_tahun_lapor"].astype(int).to_numpy(), h["tahun_lapor"].astype(int).to_numpy()
    prev_label, label = prev.astype(str).astype(object), year.astype(str).astype(object)
    same = np.flatnonzero((prev == year) & h["prev_tanggal_lapor"].notna().to_numpy()
                          & h["tanggal_lapor"].notna().to_numpy())
    prev_label[same] = [date(v, lang) for v in h["prev_tanggal_lapor"].to_numpy()[same]]
    label[same] = [date(v, lang) for v in h["tanggal_lapor"].to_numpy()[same]]
    return prev_label, label


# -- the rules --------------------------------------------------------------------------------------------

def _harta_naik(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    thr = np.maximum(float(s.unexplained_growth_years) * d["income_yearly"], float(s.unexplained_min_rupiah))
    hit = d["growth_unexplained"].notna() & (d["growth_unexplained"] >= thr)
    if not hit.any():
        return _empty()
    h = d[hit].assign(_thr=thr[hit])
    h = _strongest(h, h["growth_unexplained"] / h["income_yearly"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    prev_label, label = _periods(h, ctx.lang)
    fmt = pd.DataFrame({
        "change": rp(h["net_worth_change"]).to_numpy(), "prev_year": prev_label,
        "year": label, "years": num(h["years_elapsed"], ctx.lang).to_numpy(),
        "income": rp(h["income_period"]).to_numpy(), "routine": rp(h["routine_period"]).to_numpy(),
        "gifts": rp(h["other_sources"]).to_numpy(), "reval": rp(h["revaluation"]).to_numpy(),
        "amount": rp(h["growth_unexplained"]).to_numpy(),
        "ratio": num(h["growth_unexplained"] / h["income_yearly"], ctx.lang).to_numpy()}, index=h.index)
    prev = h.assign(_row=h["prev__row"], tahun_lapor=h["prev_tahun_lapor"])
    ev = _evidence(pd.Index(key), [
        _decl_ev(prev, key, "net_worth", prev["prev_net_worth"], ctx.lang),
        _decl_ev(h, key, "net_worth", h["net_worth"], ctx.lang),
        _new_items(ctx, h, key), _revalued_items(ctx, h, key), _sale_ev(h, key, ctx.lang)])
    return _finish(h, h["growth_unexplained"], h["_thr"], _messages(
        "rules.harta_naik_tak_terjelaskan.message", ctx.lang, fmt, h["income_source"].eq("estimated")), ev,
        growth_basis(h))


def _harta_kumulatif(ctx: RuleContext) -> pd.DataFrame:
    """The whole history of comparable declarations, for officials whose every period stays under the
    period threshold: a little more each year than income explains adds up."""
    d, s = ctx.decl, ctx.settings
    avg_income = d["history_income"] / d["history_years"].where(d["history_years"] > 0)
    thr = d["history_threshold"]
    period_thr = np.maximum(float(s.unexplained_growth_years) * d["income_yearly"], float(s.unexplained_min_rupiah))
    period_hit = d["growth_unexplained"].notna() & (d["growth_unexplained"] >= period_thr)
    flagged = set(d.loc[period_hit, "id_pn"])
    hit = (d["history_periods"] >= 2) & (d["history_unexplained"] >= thr) & ~d["id_pn"].isin(flagged)
    if not hit.any():
        return _empty()
    h = d[hit].assign(_thr=thr[hit], _avg=avg_income[hit])
    h = _strongest(h, h["history_unexplained"] / h["_avg"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    start = d.iloc[h["history_start_pos"].to_numpy()]
    fmt = pd.DataFrame({
        "periods": h["history_periods"].to_numpy(), "start_year": start["tahun_lapor"].to_numpy(),
        "year": h["tahun_lapor"].to_numpy(), "years": num(h["history_years"], ctx.lang).to_numpy(),
        "change": rp(h["net_worth"].to_numpy() - start["net_worth"].to_numpy()).to_numpy(),
        "income": rp(h["history_income"]).to_numpy(), "routine": rp(h["history_routine"]).to_numpy(),
        "gifts": rp(h["history_other"]).to_numpy(), "reval": rp(h["history_revaluation"]).to_numpy(),
        "amount": rp(h["history_unexplained"]).to_numpy(),
        "ratio": num(h["history_unexplained"] / h["_avg"], ctx.lang).to_numpy()}, index=h.index)
    first = start.assign(_k=key.to_numpy())
    ev = _evidence(pd.Index(key), [
        _decl_ev(first, pd.Series(key.to_numpy()), "net_worth", first["net_worth"], ctx.lang),
        _decl_ev(h, key, "net_worth", h["net_worth"], ctx.lang)])
    return _finish(h, h["history_unexplained"], h["_thr"], _messages(
        "rules.harta_naik_kumulatif.message", ctx.lang, fmt, h["income_source"].eq("estimated")), ev,
        growth_basis(h))


def _revaluasi(ctx: RuleContext) -> pd.DataFrame:
    """A land or vehicle held in both declarations whose value was multiplied far beyond what markets do:
    a question about the basis of the value, never new money."""
    it, s = ctx.items, ctx.settings
    if it is None or not len(it) or "revaluation" not in it:
        return _empty()
    prev = it["prev_value"].to_numpy(dtype=float)
    now = it["nilai_pelaporan"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = now / prev
    at = ctx.item_declarations()
    income = ctx.decl["income_yearly"].to_numpy(dtype=float)[at]
    rise = it["revaluation"].to_numpy(dtype=float)
    chosen = (prev > 0) & (factor >= float(s.revaluation_signal_ratio)) & (rise > 0) & \
        (rise >= np.maximum(income, float(s.unexplained_min_rupiah)))
    if not chosen.any():
        return _empty()
    h = it[chosen].assign(_factor=factor[chosen], _rise=rise[chosen],
                          income_source=ctx.decl["income_source"].to_numpy()[at[chosen]])
    h = _strongest(h, h["_factor"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"uraian": h["uraian"].fillna("-").to_numpy(), "year": h["tahun_lapor"].to_numpy(),
                        "prev": rp(h["prev_value"]).to_numpy(), "amount": rp(h["nilai_pelaporan"]).to_numpy(),
                        "factor": num(h["_factor"], ctx.lang).to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_item_ev(h, key)])
    return _finish(h, h["_factor"], np.full(len(h), float(s.revaluation_signal_ratio)),
                   _messages("rules.revaluasi_tidak_wajar.message", ctx.lang, fmt), ev, "declared")


def _hibah(ctx: RuleContext) -> pd.DataFrame:
    it, s = ctx.items, ctx.settings
    if it is None or not len(it):
        return _empty()
    first = it["is_new"] | ~it["comparable"]
    no_deed = isin(it["asal_usul"], ["hibah_tanpa_akta", "hadiah"])
    chosen = first.to_numpy(dtype=bool) & no_deed & ~ctx.is_kategori("hutang")
    cand = it[chosen]
    if not len(cand):
        return _empty()
    at = ctx.item_declarations()[chosen]
    cand = cand[at >= 0].assign(**{c: ctx.decl[c].to_numpy()[at[at >= 0]] for c in ("income_yearly", "income_source")})
    cand = cand.reset_index(drop=True)
    thr = np.maximum(float(s.hibah_min_income_years) * cand["income_yearly"], float(s.hibah_min_rupiah))
    h = cand[cand["nilai_pelaporan"] >= thr].assign(_thr=thr)
    if not len(h):
        return _empty()
    h = _strongest(h, h["nilai_pelaporan"] / h["income_yearly"])
    # An item keeps its asal in later declarations: report it where it first appeared (earliest tahun).
    key = pd.Series(np.arange(len(h)), index=h.index)
    asal = h["asal_usul"].map(lambda a: t(f"rules.asal_label.{a}", ctx.lang))
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "asal": asal.to_numpy(),
                        "uraian": h["uraian"].fillna("-").to_numpy(), "amount": rp(h["nilai_pelaporan"]).to_numpy(),
                        "ratio": num(h["nilai_pelaporan"] / h["income_yearly"], ctx.lang).to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_item_ev(h, key)])
    return _finish(h, h["nilai_pelaporan"], h["_thr"], _messages(
        "rules.hibah_tanpa_akta.message", ctx.lang, fmt, h["income_source"].eq("estimated")), ev, income_basis(h))


def _lux_items_text(lux: pd.DataFrame, hits: pd.DataFrame) -> pd.Series:
    m = lux.merge(hits[["id_pn", "decl_seq"]], on=["id_pn", "decl_seq"])
    m = m.assign(txt=(m["merek"].fillna("").astype(str) + " " + m["model"].fillna("").astype(str)).str.strip()
                 + " (" + rp(m["nilai_pelaporan"]).to_numpy() + ")")
    joined = m.groupby(["id_pn", "decl_seq"])["txt"].agg("; ".join)
    return pd.Series(joined.reindex(pd.MultiIndex.from_arrays([hits["id_pn"], hits["decl_seq"]])).fillna("-")
                     .to_numpy(), index=hits.index)


def _mewah_vs(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    ratio = float(s.luxury_income_ratio)
    hit = (d["luxury_value"] > 0) & (d["luxury_ratio"] >= ratio)
    if not hit.any():
        return _empty()
    h = _strongest(d[hit], d.loc[hit, "luxury_ratio"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "amount": rp(h["luxury_value"]).to_numpy(),
                        "ratio": num(h["luxury_ratio"], ctx.lang).to_numpy(),
                        "income": rp(h["income_yearly"]).to_numpy(),
                        "items": _lux_items_text(ctx.luxury, h).to_numpy()}, index=h.index)
    lux = ctx.luxury.merge(pd.DataFrame({"id_pn": h["id_pn"], "decl_seq": h["decl_seq"], "key": key}),
                           on=["id_pn", "decl_seq"])
    ev = _evidence(pd.Index(key), [_decl_ev(h, key, "luxury", h["luxury_value"], ctx.lang), _item_ev(lux, lux["key"])])
    return _finish(h, h["luxury_value"], ratio * h["income_yearly"], _messages(
        "rules.barang_mewah_vs_penghasilan.message", ctx.lang, fmt, h["income_source"].eq("estimated")), ev,
        income_basis(h))


def _mewah_rendah(ctx: RuleContext) -> pd.DataFrame:
    lux, s = ctx.luxury, ctx.settings
    if lux is None or not len(lux):
        return _empty()
    ratio = float(s.undervalue_ratio)
    val = lux["nilai_pelaporan"].astype(float)
    hit = val.notna() & (lux["catalogue_value"] > 0) & (val < ratio * lux["catalogue_value"])
    if not hit.any():
        return _empty()
    h = lux[hit]
    h = _strongest(h, -(h["nilai_pelaporan"] / h["catalogue_value"]))
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"uraian": h["uraian"].fillna("-").to_numpy(), "year": h["tahun_lapor"].to_numpy(),
                        "amount": rp(h["nilai_pelaporan"]).to_numpy(),
                        "ratio": pct(h["nilai_pelaporan"] / h["catalogue_value"], ctx.lang).to_numpy(),
                        "catalogue": rp(h["catalogue_value"]).to_numpy(),
                        "name": h["catalogue_name"].to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_item_ev(h, key)])
    return _finish(h, h["nilai_pelaporan"], ratio * h["catalogue_value"],
                   _messages("rules.barang_mewah_dinilai_rendah.message", ctx.lang, fmt), ev, "declared")


def _temuan(ctx: RuleContext) -> pd.DataFrame:
    tm = ctx.temuan
    if tm is None or not len(tm):
        return _empty()
    h = tm[tm["checkable"] & ~tm["matched"]].copy()
    if not len(h):
        return _empty()
    h["tahun_lapor"] = h["checked_years"].str.split(";").str[0].astype(np.int64)
    h = h.sort_values(["id_pn", "tahun_lapor", "_row"], kind="stable")
    key = pd.Series(np.arange(len(h)), index=h.index)
    what = (h["merek"].fillna("").astype(str) + " " + h["model"].fillna("").astype(str)).str.strip()
    what = what.where(what != "", h["uraian"].fillna("-").astype(str))
    date = pd.to_datetime(h["tanggal"]).dt.strftime("%Y-%m-%d").fillna(h["tahun"].astype(str))
    fmt = pd.DataFrame({"jenis": h["jenis"].fillna("").astype(str).to_numpy(), "what": what.to_numpy(),
                        "source": h["sumber"].fillna("-").astype(str).to_numpy(), "date": date.to_numpy(),
                        "amount": rp(h["value_used"]).to_numpy(),
                        "years": h["checked_years"].str.replace(";", ", ").to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [pd.DataFrame({
        "key": key.to_numpy(), "sheet": h["_sheet"].to_numpy() if "_sheet" in h else "temuan",
        "row": h["_row"].to_numpy(), "label": (h["jenis"].fillna("").astype(str) + " " + what).to_numpy(),
        "value": rp(h["value_used"]).to_numpy()})])
    # A year's income of the declaration checked is the yardstick: a car worth ten years of it weighs more
    # than a watch worth a few months (the finding fires either way).
    observed = h[["id_pn", "tahun_lapor"]].astype({"id_pn": str})
    ids = ctx.decl["id_pn"].astype(str)
    seen = ids.isin(observed["id_pn"]).to_numpy()  # the observed officials' declarations, few of all
    decl = ctx.decl[seen]
    year = pd.DataFrame({"id_pn": ids.to_numpy()[seen],
                         "tahun_lapor": decl["tahun_lapor"].astype(np.int64).to_numpy(),
                         "income": decl["income_yearly"].to_numpy(dtype=float)})
    year = year.drop_duplicates(["id_pn", "tahun_lapor"], keep="last")  # the year's last declaration
    income = observed.merge(year, how="left")["income"].to_numpy()
    return _finish(h, h["value_used"], income,
                   _messages("rules.temuan_tidak_dilaporkan.message", ctx.lang, fmt), ev, "declared")


def _kas(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    ratio = float(s.cash_income_ratio)
    hit = d["kas_ratio"] >= ratio
    if not hit.any():
        return _empty()
    h = _strongest(d[hit], d.loc[hit, "kas_ratio"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "amount": rp(h["kas"]).to_numpy(),
                        "ratio": num(h["kas_ratio"], ctx.lang).to_numpy(),
                        "income": rp(h["income_yearly"]).to_numpy()}, index=h.index)
    parts = [_decl_ev(h, key, "kas", h["kas"], ctx.lang)]
    if len(ctx.items):
        m = ctx.items_of(h, key, ctx.is_kategori("kas"))
        parts.append(_item_ev(m, m["key"]))
    return _finish(h, h["kas"], ratio * h["income_yearly"], _messages(
        "rules.kas_melebihi_penghasilan.message", ctx.lang, fmt, h["income_source"].eq("estimated")),
        _evidence(pd.Index(key), parts), income_basis(h))


def _pengeluaran(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    thr = np.maximum(float(s.spending_unfunded_years) * d["income_yearly"], float(s.spending_min_rupiah))
    hit = d["spending_unfunded"].notna() & (d["spending_unfunded"] >= thr)
    if not hit.any():
        return _empty()
    h = d[hit].assign(_thr=thr[hit])
    h = _strongest(h, h["spending_unfunded"] / h["income_yearly"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "amount": rp(h["spending_total"]).to_numpy(),
                        "income": rp(h["income_declared"]).to_numpy(), "drawn": rp(h["liquid_drawn"]).to_numpy(),
                        "loans": rp(h["loans_unentered"]).to_numpy(), "sold": rp(h["sales_unentered"]).to_numpy(),
                        "funded": rp(h["spending_funded"]).to_numpy(),
                        "gap": rp(h["spending_unfunded"]).to_numpy(),
                        "ratio": num(h["spending_unfunded"] / h["income_yearly"], ctx.lang).to_numpy()},
                       index=h.index)
    ev = _evidence(pd.Index(key), [_decl_ev(h, key, "spending", h["spending_total"], ctx.lang),
                                   _decl_ev(h, key, "kas", h["kas"], ctx.lang)])
    return _finish(h, h["spending_unfunded"], h["_thr"],
                   _messages("rules.pengeluaran_melebihi_kemampuan.message", ctx.lang, fmt), ev, "declared")


def _hutang_lebih(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    ratio = float(s.debt_income_ratio)
    hit = (d["debt_ratio"] >= ratio) & (d["repay_years"] >= float(s.debt_repay_years))
    if not hit.any():
        return _empty()
    h = _strongest(d[hit], d.loc[hit, "debt_ratio"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "amount": rp(h["hutang_total"]).to_numpy(),
                        "ratio": num(h["debt_ratio"], ctx.lang).to_numpy(), "income": rp(h["income_yearly"]).to_numpy(),
                        "years": num(h["repay_years"].clip(upper=999), ctx.lang, 0).to_numpy()}, index=h.index)
    parts = [_decl_ev(h, key, "hutang", h["hutang_total"], ctx.lang)]
    if len(ctx.items):
        m = ctx.items_of(h, key, ctx.is_kategori("hutang"))
        parts.append(_item_ev(m, m["key"]))
    return _finish(h, h["hutang_total"], ratio * h["income_yearly"], _messages(
        "rules.hutang_melebihi_kemampuan.message", ctx.lang, fmt, h["income_source"].eq("estimated")),
        _evidence(pd.Index(key), parts), income_basis(h))


def _hutang_lunas(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    thr = np.maximum(float(s.debt_paid_income_years) * d["income_yearly"], float(s.unexplained_min_rupiah))
    hit = d["payoff_unexplained"].notna() & (d["payoff_unexplained"] >= thr)
    if not hit.any():
        return _empty()
    h = d[hit].assign(_thr=thr[hit])
    h = _strongest(h, h["payoff_unexplained"] / h["income_yearly"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    prev_label, label = _periods(h, ctx.lang)
    fmt = pd.DataFrame({"drop": rp(h["debt_drop"]).to_numpy(), "prev_year": prev_label,
                        "year": label, "amount": rp(h["payoff_unexplained"]).to_numpy(),
                        "ratio": num(h["payoff_unexplained"] / h["income_yearly"], ctx.lang).to_numpy()},
                       index=h.index)
    prev = h.assign(_row=h["prev__row"], tahun_lapor=h["prev_tahun_lapor"])
    parts = [_decl_ev(prev, key, "hutang", prev["prev_hutang_total"], ctx.lang),
             _decl_ev(h, key, "hutang", h["hutang_total"], ctx.lang)]
    if len(ctx.items):
        m = ctx.items_of(h, key, ctx.is_kategori("hutang"), back=True)
        parts.append(_item_ev(m, m["key"]))
    return _finish(h, h["payoff_unexplained"], h["_thr"], _messages(
        "rules.hutang_lunas_tanpa_sumber.message", ctx.lang, fmt, h["income_source"].eq("estimated")),
        _evidence(pd.Index(key), parts), growth_basis(h))


def _total(ctx: RuleContext) -> pd.DataFrame:
    d, s = ctx.decl, ctx.settings
    parts_net = d["harta_total"] - d["hutang_total"]
    tol = np.maximum(float(s.total_mismatch_ratio) * np.maximum(parts_net.abs(), d["harta_total"].abs()),
                     float(s.total_mismatch_min_rupiah))
    hit = d["total_diff"].notna() & (d["total_diff"].abs() > tol)
    if not hit.any():
        return _empty()
    h = d[hit].assign(_tol=tol[hit], _parts=parts_net[hit])
    h = _strongest(h, h["total_diff"].abs() / h["_tol"])
    key = pd.Series(np.arange(len(h)), index=h.index)
    declared = h["_parts"] + h["total_diff"]
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "amount": rp(declared).to_numpy(),
                        "parts": rp(h["_parts"]).to_numpy(), "diff": rp(h["total_diff"]).to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_decl_ev(h, key, "total", declared, ctx.lang),
                                   _decl_ev(h, key, "net_worth", h["_parts"], ctx.lang)])
    return _finish(h, declared, h["_tol"], _messages("rules.total_tidak_sesuai.message", ctx.lang, fmt), ev,
                   "declared")


def _nilai_nol(ctx: RuleContext) -> pd.DataFrame:
    it = ctx.items
    if it is None or not len(it):
        return _empty()
    z = ctx.items_where(it["is_new"].to_numpy() & ~ctx.is_kategori("hutang") & (it["nilai_pelaporan"] == 0).to_numpy())
    if not len(z):
        return _empty()
    g = z.groupby(["id_pn", "decl_seq"], sort=True)
    h = g.agg(tahun_lapor=("tahun_lapor", "first"), count=("_row", "size")).reset_index()
    h = h.sort_values(["id_pn", "tahun_lapor"], ascending=[True, False], kind="stable").drop_duplicates("id_pn")
    key = pd.Series(np.arange(len(h)), index=h.index)
    zz = z.merge(pd.DataFrame({"id_pn": h["id_pn"], "decl_seq": h["decl_seq"], "key": key}), on=["id_pn", "decl_seq"])
    first5 = zz.assign(uraian=zz["uraian"].fillna("-").astype(str)).groupby("key", sort=False).head(5)
    names = first5.groupby("key")["uraian"].agg("; ".join)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "count": h["count"].to_numpy(),
                        "items": names.reindex(key.to_numpy()).fillna("-").to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_item_ev(zz, zz["key"])])
    return _finish(h, np.zeros(len(h)), np.zeros(len(h)), _messages("rules.nilai_nol_harta_baru.message",
                                                                     ctx.lang, fmt), ev, "declared")


def _pencilan(ctx: RuleContext) -> pd.DataFrame:
    o, s = ctx.officials, ctx.settings
    if o is None or not len(o) or "ml_score" not in o:
        return _empty()
    thr = 1.0 - float(s.peer_outlier_share)
    hit = o["peer_fitted"].astype(bool) & (o["ml_score"] >= thr)
    if not hit.any():
        return _empty()
    h = o[hit].sort_values("id_pn", kind="stable")
    key = pd.Series(np.arange(len(h)), index=h.index)
    fmt = pd.DataFrame({"year": h["tahun_lapor"].to_numpy(), "share": pct(1 - thr, ctx.lang).to_numpy(),
                        "group": h["peer_group"].to_numpy(), "amount": num(h["ml_score"], ctx.lang, 3).to_numpy(),
                        "features": h["top_features_text"].to_numpy()}, index=h.index)
    ev = _evidence(pd.Index(key), [_decl_ev(h, key, "net_worth", h["net_worth"], ctx.lang),
                                   _decl_ev(h, key, "kas", h["kas"], ctx.lang)])
    return _finish(h, h["ml_score"], np.full(len(h), thr), _messages(
        "rules.pencilan_sejawat.message", ctx.lang, fmt, h["income_source"].eq("estimated")), ev, growth_basis(h))


RULES: tuple[Rule, ...] = (
    Rule("harta_naik_tak_terjelaskan", "tinggi", _harta_naik,
         ("unexplained_growth_years", "unexplained_min_rupiah", "revaluation_cap_rate", "estimated_spending_share")),
    Rule("harta_naik_kumulatif", "tinggi", _harta_kumulatif,
         ("history_unexplained_years", "history_unexplained_rate", "unexplained_growth_years", "unexplained_min_rupiah",
          "estimated_spending_share")),
    Rule("revaluasi_tidak_wajar", "rendah", _revaluasi, ("revaluation_signal_ratio", "unexplained_min_rupiah")),
    Rule("hibah_tanpa_akta", "sedang", _hibah, ("hibah_min_income_years", "hibah_min_rupiah")),
    Rule("barang_mewah_vs_penghasilan", "sedang", _mewah_vs, ("luxury_income_ratio",)),
    Rule("barang_mewah_dinilai_rendah", "sedang", _mewah_rendah,
         ("undervalue_ratio", "luxury_depreciation_rate", "luxury_value_floor"), fires_below=True),
    Rule("temuan_tidak_dilaporkan", "tinggi", _temuan, ("temuan_years_after",)),
    Rule("kas_melebihi_penghasilan", "sedang", _kas, ("cash_income_ratio",)),
    Rule("pengeluaran_melebihi_kemampuan", "tinggi", _pengeluaran, ("spending_unfunded_years", "spending_min_rupiah")),
    Rule("hutang_melebihi_kemampuan", "sedang", _hutang_lebih, ("debt_income_ratio", "debt_repay_years")),
    Rule("hutang_lunas_tanpa_sumber", "tinggi", _hutang_lunas, ("debt_paid_income_years", "unexplained_min_rupiah")),
    Rule("total_tidak_sesuai", "rendah", _total, ("total_mismatch_ratio", "total_mismatch_min_rupiah")),
    Rule("nilai_nol_harta_baru", "rendah", _nilai_nol, ()),
    Rule("pencilan_sejawat", "rendah", _pencilan, ("peer_outlier_share", "peer_group_min_size", "peer_min_fit"),
         uses_peer_scores=True),
)
RULE_BY_ID = {r.id: r for r in RULES}


def compute(ctx: RuleContext, rules=RULES) -> list[pd.DataFrame]:
    """The findings of `rules`, one frame per rule that found any (`collect` makes the table)."""
    frames = []
    for rule in rules:
        f = rule.compute(ctx)
        if len(f):
            frames.append(f.assign(rule=rule.id, severity=rule.severity,
                                   title=rule.title.get(ctx.lang) or rule.title["id"]))
    return frames


def collect(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """FINDING_COLUMNS + evidence + title, sorted by id_pn, tahun_lapor, rule: the same table whatever
    order the rules ran in."""
    cols = [*FINDING_COLUMNS, "evidence", "title", "basis"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("amount", "threshold") else
                                          (np.int64 if c == "tahun_lapor" else object)) for c in cols})
    out = pd.concat(frames, ignore_index=True)[cols]
    out["amount"] = out["amount"].astype(float).round(4)
    out["threshold"] = out["threshold"].astype(float).round(4)
    return out.sort_values(["id_pn", "tahun_lapor", "rule"], kind="stable").reset_index(drop=True)


def evaluate(ctx: RuleContext, lang: str | None = None) -> pd.DataFrame:
    """All findings: FINDING_COLUMNS + evidence + title, sorted by id_pn, tahun_lapor, rule."""
    ctx.lang = lang or ctx.lang
    return collect(compute(ctx))


# -- listing -----------------------------------------------------------------------------------------------

def _value_text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value >= 1e6 and float(value).is_integer():
            return rp([value]).iloc[0]
        return f"{value:g}"
    return str(value)


def rules_table(settings, lang: str = "id") -> list[dict]:
    """For the method page: id, severity, title, description, thresholds [(name, value, help)]."""
    by_name = {s.name: s for s in SETTINGS}
    rows = []
    for rule in RULES:
        names = [s.name for s in SETTINGS if s.group == rule.id] + [n for n in rule.settings
                                                                  if by_name[n].group != rule.id]
        thresholds = [(n, settings[n], by_name[n].bantuan if lang == "id" else by_name[n].help) for n in names]
        rows.append({"id": rule.id, "severity": rule.severity, "title": rule.title.get(lang, rule.title["id"]),
                     "description": rule.description.get(lang, rule.description["id"]), "thresholds": thresholds})
    return rows


def format_rules(settings, lang: str = "id") -> str:
    """Plain text for `lhkpn-check rules`: every rule with its threshold(s) in force, then score settings."""
    lines = [t("rules.table.header", lang), ""]
    for row in rules_table(settings, lang):
        lines.append(f"{row['id']}  [{t('rules.table.severity', lang)}: {row['severity']}]  {row['title']}")
        lines.append(f"    {t('rules.table.compares', lang)}: {row['description']}")
        for name, value, help_text in row["thresholds"]:
            lines.append(f"    {t('rules.table.threshold', lang)}: {name} = {_value_text(value)}  ({help_text})")
        lines.append("")
    lines.append(t("rules.table.scoring", lang))
    for s in SETTINGS:
        if s.group in ("skor", "peer", "penghasilan"):
            lines.append(f"    {s.name} = {_value_text(settings[s.name])}  ({s.bantuan if lang == 'id' else s.help})")
    lines += ["", t("rules.table.note", lang)]
    return "\n".join(lines) + "\n"
