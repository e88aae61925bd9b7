"""How well the ranking finds the planted cases of fresh synthetic batches, next to plain PyOD.

    python bench/quality.py                          # seeds 11-15, 300 officials x 4 years
    python bench/quality.py --seeds 21 22 --officials 1000 --years 5
    python bench/quality.py --via-files              # write each batch as .xlsx and read it back first

For each seed: generate a batch (lhkpn_check.sample), run the engine, and compare the ranking with the
answer key. K = number of planted officials. Seed 7 makes the bundled samples/sampel.xlsx, which the engine
was looked at on; the default seeds stay away from it.

  AP        average precision of the ranking score against planted (ties counted as sklearn does)
  P@K       share of planted officials among the first K of the ranking (rank order)
  LA@K      look-alikes (wealthy but explained) among the first K
  recall    per planted kind: share of that kind's officials found in the first K

Baseline: plain PyOD IForest(random_state=seed) on the raw category totals (six harta categories + hutang,
missing -> 0) of each official's latest declaration — what one gets without rules, income or peer groups.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

TOTALS = ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas", "harta_lainnya",
          "hutang")


# -- metrics ------------------------------------------------------------------------------------------------

def average_precision(y_true, score) -> float:
    """Average precision: mean of precision at each threshold weighted by the recall it adds.

    Tied scores form one threshold (as sklearn.metrics.average_precision_score), so a tie never helps.
    """
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(score, dtype=float)
    if y.sum() == 0:
        return float("nan")
    s = np.where(np.isnan(s), -np.inf, s)
    order = np.argsort(-s, kind="stable")
    y, s = y[order], s[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.cumsum(y)[last_of_tie]
    precision = tp / (last_of_tie + 1)
    recall = tp / y.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def top_k(order_score, k: int) -> np.ndarray:
    """Boolean mask of the first k by descending score (stable: earlier rows first on ties)."""
    s = np.asarray(order_score, dtype=float)
    s = np.where(np.isnan(s), -np.inf, s)
    mask = np.zeros(len(s), dtype=bool)
    mask[np.argsort(-s, kind="stable")[:k]] = True
    return mask


def precision_at_k(y_true, order_score, k: int) -> float:
    if k <= 0:
        return float("nan")
    return float(np.asarray(y_true, dtype=float)[top_k(order_score, k)].sum() / k)


def recall_by_kind(kinds, order_score, k: int, planted_kinds) -> dict[str, float]:
    kinds = np.asarray(kinds, dtype=object)
    top = top_k(order_score, k)
    out = {}
    for kind in planted_kinds:
        sel = kinds == kind
        out[kind] = float(top[sel].mean()) if sel.any() else float("nan")
    return out


def lookalikes_in_top_k(kinds, order_score, k: int) -> int:
    kinds = pd.Series(np.asarray(kinds, dtype=object)).fillna("").astype(str)
    return int((kinds.str.startswith("lookalike_").to_numpy() & top_k(order_score, k)).sum())


def evaluate(answer_key: pd.DataFrame, score: pd.Series, order: pd.Series | None = None,
             planted_kinds=None) -> dict:
    """Metrics of one ranking. `score` and `order` (higher = earlier; default: score) are indexed by id_pn;
    an official missing from them counts as ranked last."""
    if planted_kinds is None:
        planted_kinds = sorted(answer_key.loc[answer_key["planted"] == 1, "kind"].unique())
    ids = answer_key["id_pn"].astype(str)
    s = ids.map(score).astype(float).to_numpy()
    o = s if order is None else ids.map(order).astype(float).to_numpy()
    y = answer_key["planted"].to_numpy()
    k = int(y.sum())
    return {
        "k": k,
        "ap": average_precision(y, s),
        "p_at_k": precision_at_k(y, o, k),
        "lookalikes_at_k": lookalikes_in_top_k(answer_key["kind"], o, k),
        "recall": recall_by_kind(answer_key["kind"], o, k, planted_kinds),
    }


# -- the two rankings -----------------------------------------------------------------------------------------

def baseline_scores(laporan: pd.DataFrame, seed: int) -> pd.Series:
    """Plain PyOD: IForest on the raw totals of each official's latest declaration."""
    from pyod.models.iforest import IForest

    latest = (laporan.sort_values(["id_pn", "tahun_lapor"], kind="stable")
              .drop_duplicates("id_pn", keep="last"))
    x = latest[list(TOTALS)].astype(float).fillna(0.0).to_numpy()
    model = IForest(random_state=seed)
    model.fit(x)
    return pd.Series(model.decision_scores_, index=latest["id_pn"].astype(str).to_numpy())


def engine_ranking(sample, seed: int, via_files: bool) -> pd.DataFrame:
    try:
        from lhkpn_check.engine import analyze
    except ImportError as exc:
        raise SystemExit(f"bench/quality.py needs the analysis engine (lhkpn_check/engine.py): {exc}") from None
    from lhkpn_check.settings import load_settings

    settings = load_settings(None)
    if via_files:
        batch = _batch_via_files(sample, settings)
    else:
        batch = sample.batch
    analysis = analyze(batch, settings, lang="id")
    ranking = analysis.ranking.copy()
    ranking["id_pn"] = ranking["id_pn"].astype(str)
    return ranking


def _batch_via_files(sample, settings):
    from lhkpn_check.sample import write_sample

    folder = Path(tempfile.mkdtemp(prefix="lhkpn-quality-"))
    paths = write_sample(sample, folder, fmt="xlsx")
    try:
        from lhkpn_check import validate as validate_mod
    except ImportError as exc:
        raise SystemExit(f"--via-files needs the reader and validator: {exc}") from None
    if hasattr(validate_mod, "load_batch"):
        return validate_mod.load_batch(paths[0], settings)
    from lhkpn_check.reader import read_input

    raw = read_input(paths[0], max_unzipped_bytes=settings.max_unzipped_bytes)
    return validate_mod.validate(raw, settings, lang="id")


# -- report ---------------------------------------------------------------------------------------------------

BUNDLED_SEED = 7
DEFAULT_SEEDS = (11, 12, 13, 14, 15)


def run(seeds, officials: int, years: int, via_files: bool = False, out=sys.stdout, command: str | None = None) -> dict:
    from lhkpn_check.sample import PLANTED_KINDS, generate

    if command:
        print(f"$ {command}\n", file=out)
    rows, recalls = [], {"engine": [], "baseline": []}
    for seed in seeds:
        start = time.perf_counter()
        sample = generate(n_officials=officials, years=years, seed=seed)
        ranking = engine_ranking(sample, seed, via_files)
        elapsed = time.perf_counter() - start
        score = pd.Series(ranking["score"].to_numpy(dtype=float), index=ranking["id_pn"])
        order = pd.Series(-ranking["rank"].to_numpy(dtype=float), index=ranking["id_pn"])
        eng = evaluate(sample.answer_key, score, order, PLANTED_KINDS)
        base = evaluate(sample.answer_key, baseline_scores(sample.laporan, seed), None, PLANTED_KINDS)
        for name, m in (("engine", eng), ("baseline", base)):
            rows.append({"seed": seed, "ranking": name, "K": m["k"], "AP": m["ap"], "P@K": m["p_at_k"],
                         "LA@K": m["lookalikes_at_k"], "seconds": elapsed if name == "engine" else np.nan})
            recalls[name].append(pd.Series(m["recall"], name=seed))
    table = pd.DataFrame(rows)
    mean = table.groupby("ranking", sort=False)[["K", "AP", "P@K", "LA@K", "seconds"]].mean()
    mean.insert(0, "seed", "mean")
    mean = mean.reset_index()[table.columns]
    table = pd.concat([table, mean], ignore_index=True)

    print(f"Ranking quality: {officials} officials x {years} years, seeds {' '.join(map(str, seeds))}"
          f"{' (via .xlsx files)' if via_files else ''}", file=out)
    if BUNDLED_SEED in seeds:
        print(f"Note: seed {BUNDLED_SEED} is the bundled sample, not a fresh batch.", file=out)
    print("K = planted officials; AP = average precision of score; P@K = precision in the first K; "
          "LA@K = look-alikes in the first K.\n", file=out)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}", na_rep=""), file=out)
    recall = pd.DataFrame({name: pd.concat(r, axis=1).mean(axis=1) for name, r in recalls.items()})
    per_seed = pd.concat(recalls["engine"], axis=1)
    per_seed.columns = [f"seed {c}" for c in per_seed.columns]
    both = pd.concat([per_seed, recall.rename(columns={"engine": "engine mean", "baseline": "baseline mean"})], axis=1)
    print("\nRecall in the first K per planted kind (engine per seed; mean of engine and baseline):\n", file=out)
    print(both.to_string(float_format=lambda v: f"{v:.2f}"), file=out)
    return {"table": table, "recall": recall, "recall_per_seed": per_seed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--officials", type=int, default=300)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--via-files", action="store_true",
                        help="write each batch as .xlsx and read it back through the reader and validator")
    args = parser.parse_args(argv)
    given = sys.argv[1:] if argv is None else list(argv)
    run(args.seeds, args.officials, args.years, via_files=args.via_files,
        command=shlex.join(["python", "bench/quality.py", *given]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
