"""Each item with its declaration and its version in the person's previous declaration.

An item held in both declarations is the same kategori and description (case and punctuation aside), the
n-th of its kind when a declaration lists several alike. Its change in value is then revaluation, not
new money, unless its land or building area changed: an added floor is construction, paid for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.features.declarations import run_number
from lhkpn_check.keys import item_declaration
from lhkpn_check.schema import HARTA_KATEGORI

ITEM_CHANGE_COLUMNS = ("kind", "decl_pos", "decl_seq", "prev_value", "comparable", "is_new", "area_changed")
"""What `item_changes` adds to each item (model.py documents them)."""
ITEM_INPUT_COLUMNS = ("id_pn", "tahun_lapor", "kategori", "uraian", "jenis", "merek", "model", "tahun_pembuatan",
                      "asal_usul", "nilai_pelaporan", "luas_tanah", "luas_bangunan", "_sheet", "_row")
"""The harta columns `item_changes` keeps, those the later stages read (luxury, funds, the rules' evidence):
putting millions of items in order costs a pass per column, and the others are read by none of them."""
KINDS = (*HARTA_KATEGORI, "hutang")
"""The canonical kategori, numbered in this order by `kind_codes`."""


def item_changes(harta: pd.DataFrame, decl: pd.DataFrame, settings=None) -> pd.DataFrame:
    """The items of `decl`'s declarations, in declaration order, their ITEM_INPUT_COLUMNS with
    ITEM_CHANGE_COLUMNS: `kind` the kategori as a number (kind_codes), `prev_value` the
    same item's value in the previous declaration of the same person (`decl.prev_pos`), `comparable`
    whether that declaration lists items at all, `is_new` comparable and not held before, `area_changed`
    held before with another land or building area."""
    if harta is None or harta.empty:
        base = ["id_pn", "tahun_lapor", "kategori", "uraian", "asal_usul", "nilai_pelaporan", "luas_tanah",
                "luas_bangunan", "_row", "_sheet"]
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (*base, *ITEM_CHANGE_COLUMNS)})
    pos = item_declaration(harta, decl)
    kept = np.flatnonzero(pos >= 0)
    row = harta["_row"].to_numpy()[kept] if "_row" in harta else kept + 2
    order = np.lexsort((row, pos[kept]))  # declaration order, then spreadsheet row; stable
    at = kept[order]
    # One take of the rows in their final order (a copy of the frame first would consolidate its blocks).
    h = harta[[c for c in ITEM_INPUT_COLUMNS if c in harta]].take(at).reset_index(drop=True)
    h["decl_pos"] = pos[at]
    h["id_pn"] = h["id_pn"].astype(str)
    if "_row" not in h:
        h["_row"] = row[order]
    if "_sheet" not in h:
        h["_sheet"] = "harta"
    for col in ("uraian", "asal_usul", "luas_tanah", "luas_bangunan"):
        if col not in h:
            h[col] = np.nan if col.startswith("luas") else None
    for col in ("nilai_pelaporan", "luas_tanah", "luas_bangunan"):
        h[col] = pd.to_numeric(h[col], errors="coerce").astype(float)
    decl_pos = h["decl_pos"].to_numpy(dtype=np.int64)
    h["decl_seq"] = decl["decl_seq"].to_numpy(dtype=np.int64)[decl_pos]

    h["kind"] = kind_codes(h["kategori"])
    prev_decl = decl["prev_pos"].to_numpy(dtype=np.int64)[decl_pos]
    earlier = previous_version(decl_pos, prev_decl, h["kind"].to_numpy(),
                               harta["_uraian_key"].to_numpy(dtype=np.int64)[at])
    held = earlier >= 0
    listing = np.zeros(len(decl) + 1, dtype=bool)  # the declarations that list items (last slot: none)
    listing[decl_pos] = True
    comparable = (prev_decl >= 0) & listing[prev_decl]

    def differs(col: str) -> np.ndarray:
        now = h[col].to_numpy(dtype=float)
        then = np.where(held, now[np.maximum(earlier, 0)], np.nan)
        return ~np.isnan(now) & ~np.isnan(then) & (np.abs(now - then) > 0.5)

    value = h["nilai_pelaporan"].to_numpy(dtype=float)
    h["prev_value"] = np.where(held, value[np.maximum(earlier, 0)], np.nan)
    h["comparable"] = comparable
    h["is_new"] = comparable & ~held
    h["area_changed"] = held & (differs("luas_tanah") | differs("luas_bangunan"))
    return h


def kind_codes(kategori: pd.Series) -> np.ndarray:
    """One number per kategori as text (a missing one reads 'nan', as str() writes it): a canonical one's
    place in KINDS, any other text a number after them; worked out once per distinct value."""
    codes, uniques = pd.factorize(kategori, use_na_sentinel=False)
    number = {k: i for i, k in enumerate(KINDS)}
    texts = pd.Index(uniques, dtype=object).astype(str)
    for text in texts:
        number.setdefault(text, len(number))
    return np.array([number[text] for text in texts], dtype=np.int64)[codes]


def kind_is(items: pd.DataFrame, names) -> np.ndarray:
    """Whether each item's kategori (its `kind`) is one of the canonical `names` (KINDS)."""
    return np.isin(items["kind"].to_numpy(), [KINDS.index(name) for name in names])


def previous_version(decl: np.ndarray, prev_decl: np.ndarray, kind: np.ndarray, text: np.ndarray) -> np.ndarray:
    """For each item (rows in declaration order), the row of the same item in the declaration `prev_decl`
    (-1: none there, or no previous declaration): the same kind and text, and the same n-th occurrence
    of that pair within its declaration.

    One stable sort by (kind, text, declaration) puts the n-th alike item of a declaration n places after
    the first; the previous version is then found by a binary search, with no hashing of composite keys."""
    if not len(decl):
        return np.zeros(0, dtype=np.int64)
    n_decl = int(max(decl.max(), prev_decl.max())) + 2
    n_kind = int(kind.max()) + 1
    if (int(text.max()) + 1) * n_kind * n_decl >= 2 ** 62:  # keys too large to combine: number them densely
        text = pd.factorize(text)[0].astype(np.int64)
    key = (text * n_kind + kind) * n_decl + decl
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    occ = run_number(ordered)
    # Searched in sorted order, where the previous declarations' keys come in nearly ascending order too.
    prev_sorted = prev_decl[order]
    wanted = ordered - decl[order] + prev_sorted
    at = np.searchsorted(ordered, wanted, side="left") + occ
    inside = np.minimum(at, len(key) - 1)
    hit = (prev_sorted >= 0) & (at < len(key)) & (ordered[inside] == wanted)
    out = np.empty(len(key), dtype=np.int64)
    out[order] = np.where(hit, order[inside], -1)
    return out
