"""One score 0-100 per official from the rules that fired (weights by severity) and the peer score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.model import RANKING_COLUMNS

EXTRAS = ("unit_kerja", "eselon", "golongan", "eselon_used", "peer_group", "top_features", "net_worth",
          "harta_total", "hutang_total", "kas", "income_yearly", "luxury_value", "n_declarations")


def rank(officials: pd.DataFrame, findings: pd.DataFrame, settings) -> pd.DataFrame:
    """RANKING_COLUMNS first, then extras; rank 1 = review first (score desc, then id_pn)."""
    o = officials[[c for c in dict.fromkeys((*RANKING_COLUMNS, *EXTRAS)) if c in officials]].copy()
    o["id_pn"] = o["id_pn"].astype(str)
    weight = {"tinggi": float(settings.weight_tinggi), "sedang": float(settings.weight_sedang),
              "rendah": float(settings.weight_rendah)}
    if len(findings):
        per_rule = findings.drop_duplicates(["id_pn", "rule"])
        pts = per_rule.assign(w=per_rule["severity"].map(weight).fillna(0.0)).groupby("id_pn")["w"].sum()
        rules = _joined_rules(per_rule).reindex(pts.index)
        count = findings.groupby("id_pn").size().reindex(pts.index)
        at = pts.index.get_indexer(o["id_pn"])  # each official's row in the three (-1: no finding)
    else:
        pts, rules, count = pd.Series(dtype=float), pd.Series(dtype=object), pd.Series(dtype=np.int64)
        at = np.full(len(o), -1, dtype=np.int64)

    def per_official(values: pd.Series, missing) -> np.ndarray:
        return np.where(at >= 0, values.to_numpy()[np.maximum(at, 0)], missing) if len(values) else \
            np.full(len(o), missing)

    ml = o["ml_score"].astype(float).fillna(0.0).clip(0, 1)
    raw = pd.Series(per_official(pts, 0.0).astype(float), index=o.index) + float(settings.weight_ml) * ml
    o["score"] = raw.clip(0, 100).round(2)
    o["n_findings"] = per_official(count, 0).astype(np.int64)
    o["rules"] = pd.Series(per_official(rules, ""), index=o.index, dtype=object)
    o["tier"] = np.select([o["score"] >= float(settings.tier_tinggi_min), o["score"] >= float(settings.tier_sedang_min)],
                          ["tinggi", "sedang"], "rendah")
    o["ml_score"] = ml.round(4)
    if "_id_pn_code" in officials:  # validate's rank of the ids in text order: a sort of numbers, not texts
        order = np.lexsort((officials["_id_pn_code"].to_numpy(dtype=np.int64), -o["score"].to_numpy()))
        o = o.take(order).reset_index(drop=True)
    else:
        o = o.sort_values(["score", "id_pn"], ascending=[False, True], kind="stable").reset_index(drop=True)
    o["rank"] = np.arange(1, len(o) + 1, dtype=np.int64)
    for col in RANKING_COLUMNS:
        if col not in o:
            o[col] = None
    o["tahun_lapor"] = o["tahun_lapor"].astype(np.int64)
    extras = [c for c in EXTRAS if c in o and c not in RANKING_COLUMNS]
    return o[[*RANKING_COLUMNS, *extras]]


def _joined_rules(per_rule: pd.DataFrame) -> pd.Series:
    """id_pn -> its rule ids, sorted and joined by `;` (one sort, then a slice per official)."""
    ordered = per_rule.sort_values(["id_pn", "rule"], kind="stable")
    ids = ordered["id_pn"].to_numpy(dtype=object)
    names = ordered["rule"].astype(str).tolist()
    cuts = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts, ends = np.r_[0, cuts], np.r_[cuts, len(ids)]
    return pd.Series([";".join(names[a:b]) for a, b in zip(starts.tolist(), ends.tolist())],
                     index=ids[starts], dtype=object)
