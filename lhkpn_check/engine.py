"""analyze(batch) -> Analysis: features, luxury matching, peer scores, rules, ranking.

Deterministic: every frame is sorted explicitly and the only randomness (IForest) uses settings.seed.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import pandas as pd

from lhkpn_check import features, luxury, ranking, rules, scoring
from lhkpn_check.model import Analysis, Batch
from lhkpn_check.pool import Shared
from lhkpn_check.settings import Settings

STAGES = ("features", "luxury", "funds", "peer", "rules", "ranking")


def analyze(batch: Batch, settings: Settings | None = None, lang: str = "id",
            progress: Callable[[str], None] | None = None,
            timings: dict[str, float] | None = None, pool=None) -> Analysis:
    """`progress(stage)` is called as each of STAGES starts; `timings`, when given, receives the seconds
    each stage took (the pipeline writes them into manifest.json). With a `pool` (pool.get), the temuan
    matching and the peer scoring go to its workers while the other work goes on here; the result is the
    same."""
    settings = settings or Settings()
    clock = {"name": None, "start": 0.0}

    def step(name: str | None) -> None:
        now = time.perf_counter()
        if timings is not None and clock["name"] is not None:
            timings[clock["name"]] = timings.get(clock["name"], 0.0) + now - clock["start"]
        clock["name"], clock["start"] = name, now
        if progress is not None and name is not None:
            progress(name)

    step("features")
    decl = features.declarations(batch.laporan, settings)
    harta = _with_ids(batch.harta)
    observed = _with_ids(batch.temuan)
    matching = None
    if pool is not None and len(observed):
        matching = Shared(pool, luxury.match_temuan, [(*luxury.temuan_inputs(observed, harta, decl), settings)])
    items = features.item_changes(harta, decl, settings)
    step("luxury")
    lux = luxury.declared_luxury(items, settings)
    if matching is not None:
        temuan = matching.results()[0]
    else:
        temuan = luxury.match_temuan(observed, harta, decl, settings)
    step("funds")
    decl = features.funds(decl, items, lux, settings)
    officials = features.officials(decl, settings)
    ctx = rules.RuleContext(decl=decl, items=items, luxury=lux, temuan=temuan, officials=officials,
                            settings=settings, lang=lang)
    frames = []
    step("peer")
    scores = scoring.start(officials, settings, lang, pool)
    if pool is not None:  # the rules that need no peer score run here while the workers fit the groups
        step("rules")
        frames += rules.compute(ctx, [r for r in rules.RULES if not r.uses_peer_scores])
        step("peer")
    peer = scores.result()
    officials = pd.concat([officials, peer], axis=1)
    step("rules")
    ctx.officials = officials
    frames += rules.compute(ctx, [r for r in rules.RULES if pool is None or r.uses_peer_scores])
    findings = rules.collect(frames)
    step("ranking")
    ranked = ranking.rank(officials, findings, settings)
    detectors = scoring.DETECTORS if bool(officials["peer_fitted"].any()) else ()
    step(None)
    return Analysis(declarations=decl, officials=officials, findings=findings, ranking=ranked,
                    luxury=lux, temuan=temuan, peer_detectors=detectors,
                    income_estimated=bool((decl["income_source"] == "estimated").any()))


def _with_ids(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame()
    out = frame.copy(deep=False)  # copy-on-write: the batch's frame stays as it was
    if "id_pn" in out:
        out["id_pn"] = out["id_pn"].astype(str)
    if "_row" not in out:
        out["_row"] = np.arange(2, len(out) + 2)
    return out
