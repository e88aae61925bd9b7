"""Peer groups: officials compared with others of the same eselon and level of government."""

from __future__ import annotations

import pandas as pd

ESELON_FAMILY = {"Kepala Daerah": "pimpinan", "I": "pimpinan", "II": "pimpinan", "III": "administrator",
                 "IV": "administrator", "DPRD": "dprd"}


def peer_levels(eselon: pd.Series, tingkat: pd.Series) -> list[pd.Series]:
    """Peer-group labels from finest to coarsest: eselon x level, eselon, family, everyone."""
    es = eselon.fillna("non-eselon").astype(str)
    fam = es.map(ESELON_FAMILY).fillna("lainnya")
    return [es + " / " + tingkat.fillna("lainnya").astype(str), es, "kelompok " + fam,
            pd.Series("semua", index=es.index)]


def peer_groups(eselon: pd.Series, tingkat: pd.Series, min_size: int) -> pd.Series:
    """The finest label whose group has at least min_size members (coarser otherwise)."""
    levels = peer_levels(eselon, tingkat)
    out = levels[-1].copy()
    done = pd.Series(False, index=out.index)
    for labels in levels[:-1]:
        big = labels.map(labels.value_counts()) >= min_size
        out[big & ~done] = labels[big & ~done]
        done |= big
    return out
