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
        rules = _joined_rules(per_rule)
        count = findings.groupby("id_pn").size()
    else:
        pts, rules, count = pd.Series(dtype=float), pd.Series(dtype=object), pd.Series(dtype=int)
    ml = o["ml_score"].astype(float).fillna(0.0).clip(0, 1)
    raw = o["id_pn"].map(pts).fillna(0.0) + float(settings.weight_ml) * ml
    o["score"] = raw.clip(0, 100).round(2)
    o["n_findings"] = o["id_pn"].map(count).fillna(0).astype(np.int64)
    o["rules"] = o["id_pn"].map(rules).astype(object).fillna("")
    o["tier"] = np.select([o["score"] >= float(settings.tier_tinggi_min), o["score"] >= float(settings.tier_sedang_min)],
                          ["tinggi", "sedang"], "rendah")
    o["ml_score"] = ml.round(4)
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
