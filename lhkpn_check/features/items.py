"""Each item with its declaration and its version in the person's previous declaration.

An item held in both declarations is the same kategori and description (case and punctuation aside), the
n-th of its kind when a declaration lists several alike. Its change in value is then revaluation, not
new money, unless its land or building area changed: an added floor is construction, paid for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.keys import item_declaration

ITEM_CHANGE_COLUMNS = ("decl_pos", "decl_seq", "prev_value", "comparable", "is_new", "area_changed")
"""What `item_changes` adds to each item (model.py documents them)."""


def item_changes(harta: pd.DataFrame, decl: pd.DataFrame, settings=None) -> pd.DataFrame:
    """The items of `decl`'s declarations, in declaration order, with ITEM_CHANGE_COLUMNS: `prev_value` the
    same item's value in the previous declaration of the same person (`decl.prev_pos`), `comparable`
    whether that declaration lists items at all, `is_new` comparable and not held before, `area_changed`
    held before with another land or building area."""
    if harta is None or harta.empty:
        base = ["id_pn", "tahun_lapor", "kategori", "uraian", "asal_usul", "nilai_pelaporan", "luas_tanah",
                "luas_bangunan", "_row", "_sheet"]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (*base, *ITEM_CHANGE_COLUMNS)})
    pos = item_declaration(harta, decl)
    h = harta[pos >= 0].copy()
    h["decl_pos"] = pos[pos >= 0]
    h["id_pn"] = h["id_pn"].astype(str)
    if "_row" not in h:
        h["_row"] = np.flatnonzero(pos >= 0) + 2
    if "_sheet" not in h:
        h["_sheet"] = "harta"
    for col in ("uraian", "asal_usul", "luas_tanah", "luas_bangunan"):
        if col not in h:
            h[col] = np.nan if col.startswith("luas") else None
    h = h.sort_values(["decl_pos", "_row"], kind="stable").reset_index(drop=True)
    for col in ("nilai_pelaporan", "luas_tanah", "luas_bangunan"):
        h[col] = pd.to_numeric(h[col], errors="coerce").astype(float)
    h["decl_seq"] = decl["decl_seq"].to_numpy(dtype=np.int64)[h["decl_pos"].to_numpy()]

    key = pd.DataFrame({"decl": h["decl_pos"].to_numpy(),
                        "kategori": pd.factorize(h["kategori"].astype(str))[0],
                        "text": h["_uraian_key"].to_numpy(dtype=np.int64)})
    key["occ"] = key.groupby(["decl", "kategori", "text"], sort=False).cumcount()
    earlier = key.assign(value=h["nilai_pelaporan"].to_numpy(), tanah=h["luas_tanah"].to_numpy(dtype=float),
                         bangunan=h["luas_bangunan"].to_numpy(dtype=float), held=True)
    prev_decl = decl["prev_pos"].to_numpy(dtype=np.int64)[key["decl"].to_numpy()]
    matched = key.assign(decl=prev_decl).merge(earlier, on=["decl", "kategori", "text", "occ"], how="left")
    held = matched["held"].notna().to_numpy() & (prev_decl >= 0)
    listing = np.zeros(len(decl) + 1, dtype=bool)  # the declarations that list items (last slot: none)
    listing[key["decl"].to_numpy()] = True
    comparable = (prev_decl >= 0) & listing[prev_decl]

    def differs(now: str, then: str) -> np.ndarray:
        a, b = h[now].to_numpy(dtype=float), matched[then].to_numpy(dtype=float)
        return ~np.isnan(a) & ~np.isnan(b) & (np.abs(a - b) > 0.5)

    h["prev_value"] = np.where(held, matched["value"].to_numpy(dtype=float), np.nan)
    h["comparable"] = comparable
    h["is_new"] = comparable & ~held
    h["area_changed"] = held & (differs("luas_tanah", "tanah") | differs("luas_bangunan", "bangunan"))
    return h
