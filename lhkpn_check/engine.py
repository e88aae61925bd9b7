"""analyze(batch) -> Analysis: features, luxury matching, peer scores, rules, ranking.

Deterministic: every frame is sorted explicitly and the only randomness (IForest) uses settings.seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from lhkpn_check import features, luxury, ranking, rules, scoring
from lhkpn_check.model import Analysis, Batch
from lhkpn_check.settings import Settings

STAGES = ("features", "luxury", "funds", "peer", "rules", "ranking")


@dataclass
class Workers:
    """Processes that `analyze` hands work to, forked before the batch was read (while the main process was
    small) with the run's settings and language: the peer scoring (scoring.start_worker) and, for a large
    batch, the temuan matching (luxury.start_worker)."""

    peer: object
    temuan: object | None = None

    def cancel(self) -> None:
        for worker in (self.peer, self.temuan):
            if worker is not None:
                worker.cancel()


def analyze(batch: Batch, settings: Settings | None = None, lang: str = "id",
            progress: Callable[[str], None] | None = None,
            timings: dict[str, float] | None = None, side_process: bool = False,
            workers: Workers | None = None, meanwhile: Callable[[], None] | None = None) -> Analysis:
    """`progress(stage)` is called as each of STAGES starts; `timings`, when given, receives the seconds
    each stage took (the pipeline writes them into manifest.json). With `side_process`, the peer scoring
    runs in a forked process (scoring.start_worker, or the `workers` started earlier); the result is the
    same. `meanwhile` is called while this process would wait for that process's scores (the pipeline
    warms up the report there)."""
    settings = settings or Settings()
    if workers is None and side_process:
        workers = Workers(scoring.start_worker(settings, lang))
    try:
        return _analyze(batch, settings, lang, progress, timings, workers, meanwhile)
    except BaseException:
        if workers is not None:
            workers.cancel()
        raise


def _analyze(batch, settings, lang, progress, timings, workers: Workers | None, meanwhile) -> Analysis:
    clock = {"name": None, "start": 0.0}

    def step(name: str | None) -> None:
        now = time.perf_counter()
        if timings is not None and clock["name"] is not None:
            timings[clock["name"]] = timings.get(clock["name"], 0.0) + now - clock["start"]
        clock["name"], clock["start"] = name, now
        if progress is not None and name is not None:
            progress(name)

    worker = workers.peer if workers is not None else None
    matcher = workers.temuan if workers is not None else None
    step("features")
    decl = features.declarations(batch.laporan, settings)
    harta = _with_ids(batch.harta)
    observed = _with_ids(batch.temuan)
    if matcher is not None:
        matcher.send(luxury.temuan_inputs(observed, harta, decl))
    items = features.item_changes(harta, decl, settings)
    step("luxury")
    lux = luxury.declared_luxury(items, settings)
    if matcher is not None:
        _, temuan = matcher.result()
    else:
        temuan = luxury.match_temuan(observed, harta, decl, settings)
    step("funds")
    decl = features.funds(decl, items, lux, settings)
    officials = features.officials(decl, settings)
    ctx = rules.RuleContext(decl=decl, items=items, luxury=lux, temuan=temuan, officials=officials,
                            settings=settings, lang=lang)
    frames = []
    if worker is not None:
        step("rules")
        worker.send(officials[list(scoring.SCORE_INPUT)])
        frames += rules.compute(ctx, [r for r in rules.RULES if not r.uses_peer_scores])
        step("peer")
        if meanwhile is not None:
            meanwhile()
        _, peer = worker.result()
    else:
        step("peer")
        peer = scoring.score(officials, settings, lang)
    officials = pd.concat([officials, peer], axis=1)
    step("rules")
    ctx.officials = officials
    frames += rules.compute(ctx, [r for r in rules.RULES if worker is None or r.uses_peer_scores])
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
