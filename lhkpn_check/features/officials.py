"""One row per official: the latest declaration, with the peer-scoring features (log scale) and peer group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.features.peers import peer_groups

PEER_FEATURES = {
    "f_networth": ("harta bersih/penghasilan", "net worth/income"),
    "f_harta": ("harta/penghasilan", "assets/income"),
    "f_tanah": ("tanah & bangunan/penghasilan", "land & buildings/income"),
    "f_transport": ("alat transportasi/penghasilan", "vehicles/income"),
    "f_kas": ("kas/penghasilan", "cash/income"),
    "f_hutang": ("hutang/penghasilan", "debts/income"),
    "f_luxury": ("barang mewah/penghasilan", "luxury items/income"),
    "f_growth": ("kenaikan harta per tahun/penghasilan", "yearly net worth growth/income"),
    "f_unexplained": ("selisih tak terjelaskan/penghasilan", "unexplained remainder/income"),
    "f_spending": ("pengeluaran/penghasilan", "spending/income"),
}


def officials(decl: pd.DataFrame, settings) -> pd.DataFrame:
    """The latest declaration of each official (declarations are in official order, as
    declarations.declarations puts them), its peer features and peer group, in id order."""
    d = decl.reset_index(drop=True)
    ids = d["id_pn"].to_numpy(dtype=object)
    # Each official's declarations are one run of rows: the runs' ends and reductions over them, with no
    # grouping by the id texts.
    start = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(d) else np.zeros(0, dtype=np.int64)
    end = np.append(start[1:], len(d)) if len(start) else start
    latest = d.take(end - 1).set_index("id_pn")
    inc = latest["income_yearly"].where(latest["income_yearly"] > 0)
    out = latest

    def per_official(col: str, reduce) -> np.ndarray:
        values = d[col].to_numpy()
        return reduce.reduceat(values, start) if len(start) else values[:0]

    def lg(x):
        return np.log1p(np.clip(x, 0, None))

    out["f_networth"] = np.arcsinh(latest["net_worth"] / inc)
    out["f_harta"] = lg(latest["harta_total"] / inc)
    out["f_tanah"] = lg(latest["tanah_bangunan"] / inc)
    out["f_transport"] = lg(latest["alat_transportasi"] / inc)
    out["f_kas"] = lg(latest["kas"] / inc)
    out["f_hutang"] = lg(latest["hutang_total"] / inc)
    out["f_luxury"] = lg(per_official("luxury_ratio", np.fmax))
    out["f_growth"] = np.arcsinh(per_official("growth_yearly_income", np.fmax))
    out["f_unexplained"] = np.arcsinh(per_official("unexplained_years", np.fmax))
    out["f_spending"] = lg((latest["spending_total"] / inc).where(latest["spending_declared"]))
    out["n_declarations"] = end - start
    out["first_tahun"] = per_official("tahun_lapor", np.minimum)
    out["peer_group"] = peer_groups(out["eselon_used"], out["tingkat"], int(settings.peer_group_min_size))
    return out.reset_index()
