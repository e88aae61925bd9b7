"""One row per declaration: its order among the official's, its net worth and income, and the declaration
it is compared with (`prev_pos`).

A declaration is compared with the official's previous one only when both are one person's: never across
an identity conflict (two different declarations of one id on one date) and never between the agency
groups of a probable namesake (validate's identity columns, see identity.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.income import INCOME_COLUMNS, add_income
from lhkpn_check.schema import HARTA_KATEGORI, PENGELUARAN

IDENTITY_DEFAULTS = {"identity_conflict": False, "probable_namesake": False, "identity_group": 0}
"""validate's identity columns, for a laporan frame made without validate (a test's, or a library user's)."""


def num(frame: pd.DataFrame, col: str) -> pd.Series:
    """A money or number column as float (NaN = not given); all-NaN when the frame lacks it."""
    if col in frame:
        return pd.to_numeric(frame[col], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def in_declaration_order(laporan: pd.DataFrame) -> pd.DataFrame:
    """The declarations sorted (id_pn, tahun_lapor, tanggal_lapor, _row), missing dates first, with the
    columns `declarations` needs and `decl_seq`, each one's number among its official's. The officials are
    put in order by validate's `_id_pn_code` (model.Batch), which sorts as the ids do."""
    n = len(laporan)
    ids = laporan["id_pn"].astype(str)
    dates = pd.to_datetime(laporan["tanggal_lapor"]) if "tanggal_lapor" in laporan else \
        pd.Series(pd.NaT, index=laporan.index, dtype="datetime64[ns]")
    rows = laporan["_row"] if "_row" in laporan else pd.Series(np.arange(2, n + 2), index=laporan.index)
    official = laporan["_id_pn_code"].to_numpy(dtype=np.int64)
    order = np.lexsort((sort_codes(rows), sort_codes(dates), sort_codes(laporan["tahun_lapor"]), official))
    # Copied into one block per type before the rows are put in order: the later stages add many columns,
    # and a frame of one block per column is slow to grow (pandas warns about it).
    lap = laporan.copy().take(order).reset_index(drop=True)
    if "tanggal_lapor" not in lap:
        lap["tanggal_lapor"] = pd.NaT
    if "_row" not in lap:
        lap["_row"] = rows.to_numpy()[order]
    if "_sheet" not in lap:
        lap["_sheet"] = "laporan"
    for col, default in IDENTITY_DEFAULTS.items():
        if col not in lap:
            lap[col] = default
    lap["id_pn"] = ids.take(order).to_numpy()
    lap["tanggal_lapor"] = dates.take(order).to_numpy()
    lap["decl_seq"] = run_number(official[order])
    return lap


def sort_codes(values: pd.Series) -> np.ndarray:
    """Numbers that sort as `values` do in sort_values, a missing value first."""
    return pd.factorize(values, sort=True, use_na_sentinel=True)[0].astype(np.int64)


def run_number(keys: np.ndarray) -> np.ndarray:
    """For keys whose equal values are adjacent, each position's number within its run (0, 1, ...)."""
    at = np.arange(len(keys), dtype=np.int64)
    start = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
    return at - np.maximum.accumulate(np.where(start, at, 0))


def previous_positions(lap: pd.DataFrame) -> np.ndarray:
    """Each declaration's previous one of the same person (same id and identity group), -1 for none or
    when either is in an identity conflict. `lap` is in declaration order."""
    official = pd.factorize(lap["id_pn"])[0].astype(np.int64)
    group = pd.factorize(lap["identity_group"])[0].astype(np.int64)
    person = np.where((official >= 0) & (group >= 0), official * (int(group.max(initial=0)) + 1) + group, -1)
    order = np.argsort(person, kind="stable")
    ordered = person[order]
    same = np.r_[False, (ordered[1:] == ordered[:-1]) & (ordered[1:] >= 0)] if len(lap) else np.zeros(0, bool)
    prev = np.full(len(lap), -1, dtype=np.int64)
    prev[order[same]] = order[np.flatnonzero(same) - 1]
    conflict = lap["identity_conflict"].to_numpy(dtype=bool)
    prev[conflict] = -1
    prev[(prev >= 0) & conflict[np.maximum(prev, 0)]] = -1
    return prev


def declarations(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """Declarations in order with decl_seq, prev_pos, income (income.add_income), category totals, net worth
    and the declared total's difference from its parts.

    Net worth comes from the parts when all six categories are known (given, or summed from the items);
    when one is not and the declaration states its total, from that total: a missing category is not zero,
    and counting it so made a false 'total does not match its parts'."""
    lap = in_declaration_order(laporan)
    if not all(c in lap for c in INCOME_COLUMNS):
        lap = add_income(lap, settings)
    parts = pd.DataFrame({c: num(lap, c) for c in HARTA_KATEGORI})
    for c in HARTA_KATEGORI:
        lap[c] = parts[c]
    lap["harta_total"] = parts.sum(axis=1, min_count=1)
    debt = num(lap, "hutang")
    lap["hutang_total"] = debt.fillna(0.0)
    declared_total = num(lap, "total_harta_kekayaan")
    complete = parts.notna().all(axis=1) & (debt.notna() | declared_total.isna())
    from_parts = lap["harta_total"].notna() & (complete | declared_total.isna())
    parts_net = lap["harta_total"] - lap["hutang_total"]
    lap["net_worth"] = parts_net.where(from_parts, declared_total)
    lap["net_worth_source"] = np.where(from_parts, "parts", np.where(declared_total.notna(), "declared_total", ""))
    lap["parts_complete"] = complete.to_numpy()
    lap["total_diff"] = (declared_total - parts_net).where(complete)
    # A declaration whose total disagrees with its parts has two readings; changes are measured on the
    # one more favourable to the official (the disagreement is its own finding).
    other = declared_total.where(complete & declared_total.notna(), lap["net_worth"])
    lap["net_worth_low"] = np.fmin(lap["net_worth"], other)
    lap["net_worth_high"] = np.fmax(lap["net_worth"], other)
    spend = pd.DataFrame({c: num(lap, c) for c in PENGELUARAN})
    lap["spending_total"] = spend.sum(axis=1, min_count=1)
    lap["spending_declared"] = spend.notna().any(axis=1)
    lap["prev_pos"] = previous_positions(lap)
    return lap


def declaration_income(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """The income columns `declarations` adds, for `laporan`'s rows in their own order."""
    lap = laporan.reset_index(drop=True).assign(_at=np.arange(len(laporan)))
    ordered = add_income(in_declaration_order(lap), settings)
    back = np.empty(len(lap), dtype=np.int64)
    back[ordered["_at"].to_numpy()] = np.arange(len(lap))
    return ordered[list(INCOME_COLUMNS)].take(back).set_axis(laporan.index)
