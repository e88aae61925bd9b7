"""Source and application of funds (the net-worth method) between a person's consecutive declarations, and
over their whole declared history:

    unexplained = (net worth change - revaluation of items held in both) + routine spending
                  - recurring income - one-off sources (gifts, inheritance, receipts other than loans)

A land or vehicle held in both declarations with the same description and areas may be revalued to any
value (an NJOP update after years is the ordinary case); securities and other movables held in both gain
at most `revaluation_cap_rate` a year as revaluation, since more of the same security under one
description is new money. A new item is new money unless it came as warisan, hibah or hadiah. Loans add
as much debt as cash, so they cancel out. A sale's price, which the form lists among penerimaan usaha dan
kekayaan, is not income: the sold asset leaving the list already carries it (`sale_proceeds`).

The history adds the periods of one chain of comparable declarations (declarations.previous_positions):
each year a little more than income explains adds up to years of it. Net worth less the history's
remainder is `explained_net_worth`, the line the dossier's chart draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.features.declarations import num
from lhkpn_check.features.items import kind_is
from lhkpn_check.parse import isin

GIFT_ASAL = ("warisan", "hibah_dengan_akta", "hibah_tanpa_akta", "hadiah")
REVALUED_IN_FULL = ("tanah_bangunan", "alat_transportasi")
REVALUED_CAPPED = ("surat_berharga", "harta_bergerak_lain")
PREV_COLUMNS = ("net_worth", "net_worth_high", "hutang_total", "kas", "surat_berharga", "tahun_lapor", "tanggal_lapor", "_row",
                "harta_total")


def _at(values: np.ndarray, pos: np.ndarray, missing=np.nan) -> np.ndarray:
    """values[pos], `missing` where pos is -1."""
    out = values[np.maximum(pos, 0)]
    if out.dtype.kind in "iub":
        out = out.astype(float)
    out = out.copy()
    out[pos < 0] = missing
    return out


def _per_decl(n: int, decl_pos: np.ndarray, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Sum of `values` per declaration (0 where none), over the items where `mask` holds."""
    if mask is not None:
        decl_pos, values = decl_pos[mask], values[mask]
    return np.bincount(decl_pos, weights=np.nan_to_num(values), minlength=n)[:n]


def item_revaluation(items: pd.DataFrame, years: np.ndarray, settings) -> np.ndarray:
    """Per item, the part of its change in value since the previous declaration that is revaluation.
    `years`: the years elapsed of each item's declaration."""
    held = items["prev_value"].notna().to_numpy() & items["comparable"].to_numpy(dtype=bool)
    diff = items["nilai_pelaporan"].to_numpy(dtype=float) - items["prev_value"].to_numpy(dtype=float)
    full = held & kind_is(items, REVALUED_IN_FULL) & ~items["area_changed"].to_numpy(dtype=bool)
    capped = held & kind_is(items, REVALUED_CAPPED)
    cap = np.abs(items["prev_value"].to_numpy(dtype=float)) * float(settings.revaluation_cap_rate) * \
        np.nan_to_num(years, nan=1.0)
    reval = np.where(full, diff, np.where(capped, np.minimum(diff, cap), 0.0))
    return np.nan_to_num(reval)


def _assets_gone(d: pd.DataFrame, at: np.ndarray, value: np.ndarray, loan: np.ndarray, prev_value: np.ndarray,
                 prev: np.ndarray) -> np.ndarray:
    """The last declared value of the assets the previous declaration listed and this one no longer does
    (sold, given away or used up); 0 where the two declarations cannot be compared item by item. `at`,
    `value`, `loan`, `prev_value`: per item, its declaration, value, whether it is a debt, value before."""
    n = len(d)
    listed = _per_decl(n, at, value, ~loan)
    kept = _per_decl(n, at, prev_value, ~np.isnan(prev_value) & ~loan)
    comparable = d["has_item_diff"].to_numpy(dtype=bool) & (prev >= 0)
    return np.where(comparable, _at(listed, prev, 0.0) - kept, 0.0).clip(min=0)


def _sale_proceeds(d: pd.DataFrame, root: np.ndarray) -> np.ndarray:
    """The part of a declaration's penerimaan usaha dan kekayaan that is the price of assets it no longer
    lists. The form puts a sale's proceeds there, but the sold asset's leaving the list already carries
    them: counted as income too, a sale would explain growth twice and swell the yearly income. Only what
    rises above the official's usual penerimaan usaha and at most the last declared value of the assets
    gone is taken as proceeds. The usual is the lower median over the periods in which nothing left the
    list (an official who replaces a car every year would otherwise have sales as their usual), or over
    all periods when every one had a sale."""
    usaha = num(d, "penerimaan_usaha").to_numpy(dtype=float)
    if np.isnan(usaha).all():
        return np.zeros(len(d))
    gone = d["assets_gone"].to_numpy(dtype=float)
    quiet = d["has_item_diff"].to_numpy(dtype=bool) & (d["prev_pos"].to_numpy() >= 0) & (gone <= 0)
    usual = _lower_median(np.where(quiet, usaha, np.nan), root)
    usual = np.where(np.isnan(usual), _lower_median(usaha, root), usual)
    excess = np.nan_to_num(usaha - usual).clip(min=0)
    declared = d["income_source"].eq("declared").to_numpy()
    return np.where(declared, np.minimum(excess, gone), 0.0)


def _lower_median(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per element, the lower median of its group's non-missing values (NaN for a group with none), as
    `quantile(0.5, interpolation="lower")` per group, for all groups at once."""
    order = np.lexsort((values, group))  # by group, then value; NaN last within its group
    g, v = group[order], values[order]
    start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, dtype=np.int64)
    counts = np.add.reduceat((~np.isnan(v)).astype(np.int64), start) if len(g) else start
    median = np.where(counts > 0, v[start + np.maximum(counts - 1, 0) // 2], np.nan)
    per_sorted = np.repeat(median, np.diff(np.r_[start, len(g)]))
    out = np.empty(len(values))
    out[order] = per_sorted
    return out


def _chain_roots(prev: np.ndarray) -> np.ndarray:
    """The first declaration of each declaration's chain of comparable predecessors (prev < own position)."""
    root = np.where(prev < 0, np.arange(len(prev)), prev)
    while True:
        nxt = root[root]
        if (nxt == root).all():
            return root
        root = nxt


def funds(decl: pd.DataFrame, items: pd.DataFrame, luxury: pd.DataFrame | None, settings) -> pd.DataFrame:
    """`decl` (declarations.declarations) with the period's and the history's flows. `items` is
    item_changes of the batch's items; it gains `revaluation`, the part of each item's change counted as
    such (the findings name those items)."""
    d = decl
    n = len(d)
    prev = d["prev_pos"].to_numpy(dtype=np.int64)
    for col in PREV_COLUMNS:
        values = d[col].to_numpy()
        if col == "tanggal_lapor":
            d[f"prev_{col}"] = pd.to_datetime(pd.Series(np.where(prev >= 0, values[np.maximum(prev, 0)],
                                                                 np.datetime64("NaT")), index=d.index))
        else:
            d[f"prev_{col}"] = _at(pd.to_numeric(d[col], errors="coerce").to_numpy(dtype=float), prev)
    gap_date = (pd.to_datetime(d["tanggal_lapor"]) - d["prev_tanggal_lapor"]).dt.days / 365.25
    gap_year = (d["tahun_lapor"] - d["prev_tahun_lapor"]).astype(float)
    # Periodik declarations at 31 December: a year is a year, not 365 or 366 days.
    gap_date = gap_date.where((gap_date - gap_year).abs() >= 0.1, gap_year)
    gap = gap_date.where(gap_date.notna(), gap_year).astype(float)
    d["years_elapsed"] = gap.where(gap > 0)

    if len(items):
        at = items["decl_pos"].to_numpy(dtype=np.int64)
        items["revaluation"] = item_revaluation(items, d["years_elapsed"].to_numpy(dtype=float)[at], settings)
        d["revaluation"] = _per_decl(n, at, items["revaluation"].to_numpy())
        is_new = items["is_new"].to_numpy(dtype=bool)
        value = items["nilai_pelaporan"].to_numpy(dtype=float)
        loan = kind_is(items, ["hutang"])
        gift = isin(items["asal_usul"], GIFT_ASAL) & ~loan
        d["new_gift_value"] = _per_decl(n, at, value, is_new & gift)
        d["new_loans_items"] = _per_decl(n, at, value, is_new & loan)
        d["new_assets_value"] = _per_decl(n, at, value, is_new & ~loan)
        d["has_item_diff"] = np.bincount(at, weights=items["comparable"].to_numpy(dtype=float), minlength=n)[:n] > 0
        d["assets_gone"] = _assets_gone(d, at, value, loan, items["prev_value"].to_numpy(dtype=float), prev)
    else:
        for col in ("revaluation", "new_gift_value", "new_loans_items", "new_assets_value", "assets_gone"):
            d[col] = 0.0
        d["has_item_diff"] = False
    root = _chain_roots(prev)
    d["sale_proceeds"] = _sale_proceeds(d, root)
    d["income_yearly"] = d["income_yearly"] - d["sale_proceeds"]

    years = d["years_elapsed"]
    income = d["income_yearly"]
    share = float(settings.estimated_spending_share)
    d["routine_yearly"] = num(d, "pengeluaran_rutin").where(d["spending_declared"], income * share)
    d["income_period"] = income * years
    d["routine_period"] = d["routine_yearly"] * years
    new_loans = d["new_loans_items"].where(d["has_item_diff"],
                                           (d["hutang_total"] - d["prev_hutang_total"]).clip(lower=0))
    lainnya = num(d, "penerimaan_lainnya").fillna(0.0)
    d["new_loans"] = new_loans.fillna(0.0)
    d["other_sources"] = np.maximum(d["new_gift_value"], (lainnya - d["new_loans"]).clip(lower=0))
    # The smaller of the changes the two readings of a self-contradicting declaration allow.
    d["net_worth_change"] = np.fmin(d["net_worth"] - d["prev_net_worth"], d["net_worth_low"] - d["prev_net_worth_high"])
    unexplained = (d["net_worth_change"] - d["revaluation"] + d["routine_period"] - d["income_period"]
                   - d["other_sources"])
    d["unexplained"] = unexplained.where(years.notna())
    d["debt_drop"] = (d["prev_hutang_total"] - d["hutang_total"]).clip(lower=0).where(years.notna())
    positive = d["unexplained"].clip(lower=0)
    d["payoff_unexplained"] = np.minimum(d["debt_drop"], positive)
    d["growth_unexplained"] = positive - d["payoff_unexplained"]
    d["unexplained_years"] = d["unexplained"] / income
    d["growth_yearly_income"] = d["net_worth_change"] / (income * years)
    _history(d, root, settings)

    # Money and debt ratios of the declaration itself.
    d["kas_ratio"] = d["kas"] / income
    liquid_prev = d["prev_kas"].fillna(0) + d["prev_surat_berharga"].fillna(0)
    liquid_now = d["kas"].fillna(0) + d["surat_berharga"].fillna(0)
    has_prev = (d["prev_kas"].notna() | d["prev_surat_berharga"].notna()).to_numpy()
    d["liquid_start"] = liquid_prev.where(has_prev, liquid_now)
    # Spending is paid from receipts, from cash and securities drawn down, from new debts or from assets
    # sold; what none of them covers came from outside the form. Without a previous declaration the
    # drawdown is unknown: all liquid assets held are taken as available.
    d["liquid_drawn"] = np.where(has_prev, (d["liquid_start"] - liquid_now).clip(lower=0), liquid_now)
    d["loans_unentered"] = (d["new_loans"] - lainnya).clip(lower=0)
    # An asset gone may have been sold at its last declared value even when the receipts leave the price out.
    d["sales_unentered"] = (d["assets_gone"] - d["sale_proceeds"]).clip(lower=0)
    d["spending_funded"] = (d["income_declared"].fillna(0) + d["liquid_drawn"] + d["loans_unentered"]
                            + d["sales_unentered"])
    d["spending_unfunded"] = (d["spending_total"] - d["spending_funded"]).where(d["spending_declared"])
    capacity = income - d["routine_yearly"]
    d["debt_ratio"] = d["hutang_total"] / income
    d["repay_years"] = (d["hutang_total"] / capacity.where(capacity > 0)).fillna(np.inf).where(d["hutang_total"] > 0, 0)

    if luxury is not None and len(luxury):
        d["luxury_value"] = _per_decl(n, luxury["decl_pos"].to_numpy(dtype=np.int64),
                                      luxury["nilai_pelaporan"].to_numpy(dtype=float))
    else:
        d["luxury_value"] = 0.0
    d["luxury_ratio"] = d["luxury_value"] / income
    return d


def _history(d: pd.DataFrame, root: np.ndarray, settings) -> None:
    """Cumulative flows along each chain of comparable declarations, up to each declaration, and the
    history's threshold: `history_unexplained_years` of average income for a long history, a year's for each
    year a short one covers, never less than one period's threshold (rules.harta_naik_kumulatif fires at
    it; ranking counts how near an official comes below it)."""
    valid = d["unexplained"].notna().to_numpy()
    flows = pd.DataFrame({col: np.where(valid, values.to_numpy(dtype=float), 0.0) for col, values in (
        ("history_unexplained", d["unexplained"]), ("history_income", d["income_period"]),
        ("history_routine", d["routine_period"]), ("history_years", d["years_elapsed"]),
        ("history_other", d["other_sources"]), ("history_revaluation", d["revaluation"]))})
    flows["history_periods"] = valid.astype(np.int64)
    history = flows.groupby(root, sort=False).cumsum()
    for col in flows.columns:
        d[col] = history[col].to_numpy()
    d["history_start_pos"] = root
    d["history_start_tahun"] = d["tahun_lapor"].to_numpy()[root]
    years = d["history_years"]
    avg_income = d["history_income"] / years.where(years > 0)
    d["history_unexplained_years"] = d["history_unexplained"] / avg_income
    d["explained_net_worth"] = (d["net_worth"] - d["history_unexplained"]).where(d["net_worth"].notna())
    span = np.maximum(np.minimum(float(settings.history_unexplained_years),
                                 float(settings.history_unexplained_rate) * years),
                      float(settings.unexplained_growth_years))
    d["history_threshold"] = np.maximum(span * avg_income, float(settings.unexplained_min_rupiah))
