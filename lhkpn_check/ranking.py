"""One score 0-100 per official, ordered by the strength of the evidence.

Each finding gives points: its severity's weight, times how direct its basis is (declared figures, the
declaration's own lines against an estimated income, or totals alone: rules.BASES), times how far it
crosses its threshold (1 at the threshold, +0.5 for each doubling, or each halving for a rule that fires
below it). A history whose unexplained remainder stays below its threshold still counts, as a rendah
finding would, in proportion to how near it comes: it orders the officials no finding separates. Findings
that measure one thing count once: the growth of a period, of the whole history (found or near) and a
debt paid off from that growth are one signal. An official's signals add, the strongest in full and each
further one a share of the one before it; the peer score adds its weight. The points become a score that
approaches 100 and never reaches it, so no one ties at a ceiling. Tier tinggi takes at most a set share
of the officials.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.model import RANKING_COLUMNS
from lhkpn_check.rules import RULES, growth_basis, joined_runs

EXTRAS = ("unit_kerja", "eselon", "golongan", "eselon_used", "peer_group", "top_features", "net_worth",
          "harta_total", "hutang_total", "kas", "income_yearly", "luxury_value", "n_declarations", "points")

SIGNAL = {"harta_naik_kumulatif": "harta_naik_tak_terjelaskan",
          "hutang_lunas_tanpa_sumber": "harta_naik_tak_terjelaskan"}
"""Rules that measure what another measures: they count as one signal (the stronger)."""

FIRES_BELOW = frozenset(r.id for r in RULES if r.fires_below)
"""Rules that fire below their threshold (Rule.fires_below): they cross it by threshold/amount."""


def _basis_factor(basis: pd.Series, settings) -> np.ndarray:
    """How direct each basis (rules.BASES) is: declared figures 1, the declaration's own lines against an
    estimated income or totals alone their settings' share."""
    factor = {"declared": 1.0, "items": float(settings.basis_items_factor),
              "totals": float(settings.basis_totals_factor)}
    return basis.map(factor).fillna(1.0).to_numpy(dtype=float)


def finding_points(findings: pd.DataFrame, settings) -> np.ndarray:
    """The points of each finding (see the module docstring)."""
    weight = {"tinggi": float(settings.weight_tinggi), "sedang": float(settings.weight_sedang),
              "rendah": float(settings.weight_rendah)}
    sev = findings["severity"].map(weight).fillna(0.0).to_numpy(dtype=float)
    direct = _basis_factor(findings["basis"], settings)
    amount = findings["amount"].to_numpy(dtype=float)
    threshold = findings["threshold"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((threshold > 0) & np.isfinite(amount), amount / threshold, 1.0)
        # A value near zero counts as crossing a below-threshold eightfold, not infinitely.
        below = findings["rule"].isin(FIRES_BELOW).to_numpy()
        crossed = np.where(below, 1.0 / np.clip(ratio, 1.0 / 8, None), ratio)
    factor = 1.0 + 0.5 * np.log2(np.clip(crossed, 1.0, None))
    return sev * direct * factor


def near_history_points(officials: pd.DataFrame, settings) -> pd.DataFrame:
    """Per official (latest declaration): the share of the history threshold its unexplained remainder
    reaches, up to 1, as points of a rendah signal on the same basis as a history finding (id_pn, signal,
    points; only officials whose history has a remainder)."""
    share = (officials["history_unexplained"] / officials["history_threshold"]).where(
        officials["history_periods"] >= 1).to_numpy(dtype=float)
    keep = np.isfinite(share) & (share > 0)
    o = officials[keep]
    direct = _basis_factor(pd.Series(growth_basis(o)), settings)
    return pd.DataFrame({"id_pn": o["id_pn"].astype(str).to_numpy(), "signal": SIGNAL["harta_naik_kumulatif"],
                         "points": float(settings.weight_rendah) * direct * np.minimum(share[keep], 1.0)})


def official_points(findings: pd.DataFrame, settings, near: pd.DataFrame | None = None) -> pd.Series:
    """Per official: the signals' points added with diminishing weight, strongest first. `near`
    (near_history_points) adds its points to the growth signal, which counts once."""
    parts = [near] if near is not None and len(near) else []
    if len(findings):
        parts.insert(0, pd.DataFrame({"id_pn": findings["id_pn"].astype(str).to_numpy(),
                                      "signal": findings["rule"].map(lambda r: SIGNAL.get(r, r)).to_numpy(),
                                      "points": finding_points(findings, settings)}))
    if not parts:
        return pd.Series(dtype=float)
    f = pd.concat(parts, ignore_index=True)
    per_signal = f.groupby(["id_pn", "signal"], sort=True)["points"].max().reset_index()
    per_signal = per_signal.sort_values(["id_pn", "points", "signal"], ascending=[True, False, True], kind="stable")
    nth = per_signal.groupby("id_pn", sort=False).cumcount().to_numpy()
    per_signal["w"] = per_signal["points"].to_numpy() * float(settings.second_signal_factor) ** nth
    return per_signal.groupby("id_pn", sort=True)["w"].sum()


def rank(officials: pd.DataFrame, findings: pd.DataFrame, settings) -> pd.DataFrame:
    """RANKING_COLUMNS first, then extras; rank 1 = review first (score desc, then id_pn)."""
    o = officials[[c for c in dict.fromkeys((*RANKING_COLUMNS, *EXTRAS)) if c in officials]].copy()
    o["id_pn"] = o["id_pn"].astype(str)
    pts = official_points(findings, settings, near_history_points(officials, settings))
    ml = o["ml_score"].astype(float).fillna(0.0).clip(0, 1)
    points = o["id_pn"].map(pts).fillna(0.0).astype(float) + float(settings.weight_ml) * ml
    half = float(settings.score_half)
    o["points"] = points.round(4)
    o["score"] = (100.0 * points / (points + half)).round(2)
    if len(findings):
        per_rule = findings.drop_duplicates(["id_pn", "rule"]).sort_values(["id_pn", "rule"], kind="stable")
        joined = joined_runs(per_rule["id_pn"].astype(str).to_numpy(dtype=object), per_rule["rule"].tolist(), ";")
        count = findings.groupby("id_pn").size()
    else:
        joined, count = pd.Series(dtype=object), pd.Series(dtype=np.int64)
    o["n_findings"] = o["id_pn"].map(count).fillna(0).astype(np.int64)
    rules = o["id_pn"].map(joined).astype(object)
    o["rules"] = rules.where(rules.notna(), "")
    o["ml_score"] = ml.round(4)
    o = o.sort_values(["points", "id_pn"], ascending=[False, True], kind="stable").reset_index(drop=True)
    o["rank"] = np.arange(1, len(o) + 1, dtype=np.int64)
    room = max(1, int(np.floor(float(settings.tier_tinggi_max_share) * len(o))))
    tinggi = (o["score"] >= float(settings.tier_tinggi_min)) & (o["rank"] <= room)
    o["tier"] = np.where(tinggi, "tinggi", np.where(o["score"] >= float(settings.tier_sedang_min), "sedang", "rendah"))
    for col in RANKING_COLUMNS:
        if col not in o:
            o[col] = None
    o["tahun_lapor"] = o["tahun_lapor"].astype(np.int64)
    extras = [c for c in EXTRAS if c in o and c not in RANKING_COLUMNS]
    return o[[*RANKING_COLUMNS, *extras]]
