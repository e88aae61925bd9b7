"""Peer groups: officials compared with others of the same eselon and level of government."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.parse import distinct_rows

ESELON_FAMILY = {"Kepala Daerah": "pimpinan", "I": "pimpinan", "II": "pimpinan", "III": "administrator",
                 "IV": "administrator", "DPRD": "dprd"}


def peer_levels(eselon: pd.Series, tingkat: pd.Series) -> list[pd.Series]:
    """Peer-group labels from finest to coarsest: eselon x level, eselon, family, everyone. Made once per
    distinct (eselon, level) pair: officials share a handful of them."""
    codes, first = distinct_rows(pd.DataFrame({"eselon": eselon.to_numpy(dtype=object),
                                               "tingkat": tingkat.to_numpy(dtype=object)}))
    es = eselon.iloc[first].fillna("non-eselon").astype(str)
    fam = es.map(ESELON_FAMILY).fillna("lainnya")
    labels = [es + " / " + tingkat.iloc[first].fillna("lainnya").astype(str), es, "kelompok " + fam]
    return [*(label.take(codes).set_axis(eselon.index) for label in labels), pd.Series("semua", index=eselon.index)]


def peer_groups(eselon: pd.Series, tingkat: pd.Series, min_size: int) -> pd.Series:
    """The finest label whose group has at least min_size members (coarser otherwise)."""
    levels = peer_levels(eselon, tingkat)
    out = levels[-1].copy()
    done = pd.Series(False, index=out.index)
    for labels in levels[:-1]:
        codes = pd.factorize(labels)[0]
        big = np.bincount(codes)[codes] >= min_size  # the size of each label's group
        out[big & ~done] = labels[big & ~done]
        done |= big
    return out
