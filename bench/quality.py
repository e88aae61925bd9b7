"""How well the ranking finds what an inspectorate must find, on batches it was not written for; PyOD beside it.

    python bench/quality.py                              # seeds 101-103, 600 officials, 3-5 declarations each
    python bench/quality.py --seeds 7 8 --officials 1200 --years 5
    python bench/quality.py --check                      # exit 1 unless the targets below hold
    python bench/quality.py --explain                    # also list each look-alike in the first K, each hidden
                                                         # official beyond it, with its rules and planted figures

The batches come from bench/scenarios.py: a province simulated from how declarations behave (salaries,
savings, cars replaced, loans paid down, revaluations), with hidden families (unexplained growth, luxury,
cash hoards, debts paid from nowhere, gifts without a deed ...) and look-alike families (wealthy or changing,
explained by their own figures). It was written from the SPEC, the income notes and the real files, not from
the rule list, so a high score here means more than on `lhkpn-check sample` batches.

Each seed's batch is written in two forms, as .xlsx workbooks with e-LHKPN headers, into bench/.cache/:
  declared  with penerimaan_* and pengeluaran_* (what an inspectorate gets from the full form)
  public    as the e-Announcement publishes it: no penerimaan/pengeluaran, the tool estimates income
and the tool runs on each (lhkpn_check.pipeline.run_batch, as `lhkpn-check run` does; `--cli` runs the
command instead). Only the output ranking.csv (id_pn, score, rank, tier) is read.

Per form, over the officials the form can judge (a family planted in lines the public form lacks is left
out of its metrics; see scenarios.py):
  K         hidden officials;  AP  average precision of `score` (tied scores count as one threshold)
  P@K       hidden among the first K by the tool's `rank`;  LA@K  look-alikes among the first K
  tinggi    share of officials in tier tinggi;  ties  officials sharing the top score
Per family: members, how many in the first K and 2K, the worst (hidden) or best (look-alike) position.
Baseline: plain PyOD IForest(random_state=seed) on the latest declaration's category totals (six harta
categories + hutang, missing -> 0): no rules, no income, no peers.

--check fails unless, in both forms and for every seed: AP >= 0.95, P@K >= 0.90, LA@K <= 2 and every
hidden family wholly within the first 2K.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import scenarios  # noqa: E402  (bench/ is not a package)

TOTALS = ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas", "harta_lainnya",
          "hutang")
FORMS = ("declared", "public")
DEFAULT_SEEDS = (101, 102, 103)
TARGETS = {"ap": 0.95, "p_at_k": 0.90, "la_at_k": 2}
CACHE = BENCH / ".cache"
METRICS = ["K", "AP", "P@K", "LA@K", "tinggi", "ties", "seconds"]


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


def positions(order_key) -> np.ndarray:
    """1-based position of each row when sorted by ascending `order_key` (stable; NaN last)."""
    k = np.asarray(order_key, dtype=float)
    k = np.where(np.isnan(k), np.inf, k)
    pos = np.empty(len(k), dtype=int)
    pos[np.argsort(k, kind="stable")] = np.arange(1, len(k) + 1)
    return pos


def evaluate_form(key: pd.DataFrame, score: np.ndarray, order_key: np.ndarray, tier=None) -> dict:
    """Metrics of one ranking over the officials of `key` (rows aligned with score/order_key)."""
    y = (key["kind"] == "hidden").to_numpy()
    look = (key["kind"] == "lookalike").to_numpy()
    k = int(y.sum())
    pos = positions(order_key)
    s = np.where(np.isnan(np.asarray(score, dtype=float)), -np.inf, np.asarray(score, dtype=float))
    out = {"K": k, "AP": average_precision(y, s), "P@K": float((y & (pos <= k)).sum() / k) if k else np.nan,
           "LA@K": int((look & (pos <= k)).sum()), "ties": int((s == s.max()).sum())}
    out["tinggi"] = float(np.mean(np.asarray(tier) == "tinggi")) if tier is not None else np.nan
    fam = []
    for (family, kind), idx in key.groupby(["family", "kind"], sort=False).indices.items():
        if kind == "normal":
            continue
        p = pos[idx]
        fam.append({"family": family, "kind": kind, "n": len(idx), "@K": int((p <= k).sum()),
                    "@2K": int((p <= 2 * k).sum()), "pos": int(p.max() if kind == "hidden" else p.min())})
    out["families"] = pd.DataFrame(fam)
    return out


# The planted batches of `lhkpn-check sample` (--sample): one planted kind per rule, answer key `planted`/`kind`.

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
    return {kind: float(top[kinds == kind].mean()) if (kinds == kind).any() else float("nan")
            for kind in planted_kinds}


def lookalikes_in_top_k(kinds, order_score, k: int) -> int:
    kinds = pd.Series(np.asarray(kinds, dtype=object)).fillna("").astype(str)
    return int((kinds.str.startswith("lookalike_").to_numpy() & top_k(order_score, k)).sum())


def evaluate(answer_key: pd.DataFrame, score: pd.Series, order: pd.Series | None = None,
             planted_kinds=None) -> dict:
    """Metrics of one ranking of a planted batch. `score` and `order` (higher = earlier; default: score) are
    indexed by id_pn; an official missing from them counts as ranked last."""
    if planted_kinds is None:
        planted_kinds = sorted(answer_key.loc[answer_key["planted"] == 1, "kind"].unique())
    ids = answer_key["id_pn"].astype(str)
    s = ids.map(score).astype(float).to_numpy()
    o = s if order is None else ids.map(order).astype(float).to_numpy()
    y = answer_key["planted"].to_numpy()
    k = int(y.sum())
    return {"k": k, "ap": average_precision(y, s), "p_at_k": precision_at_k(y, o, k),
            "lookalikes_at_k": lookalikes_in_top_k(answer_key["kind"], o, k),
            "recall": recall_by_kind(answer_key["kind"], o, k, planted_kinds)}


def run_sample(seeds, officials: int, years: int, use_cli: bool = False, out=sys.stdout) -> pd.DataFrame:
    """The planted batches, for comparison: what the engine scores on cases written one per rule."""
    from lhkpn_check.sample import generate, write_sample

    rows = []
    for seed in seeds:
        sample = generate(n_officials=officials, years=years, seed=seed)
        with tempfile.TemporaryDirectory(prefix="lhkpn-quality-") as tmp:
            path = write_sample(sample, Path(tmp) / "in", fmt="xlsx")[0]
            ranking, _ = tool_ranking(Path(path), Path(tmp) / "out", use_cli)
        r = ranking.set_index("id_pn")
        for name, score, order in (("engine", r["score"], -r["rank"]),
                                   ("baseline", baseline_scores(sample.laporan, seed), None)):
            m = evaluate(sample.answer_key, score, order)
            rows.append({"seed": seed, "ranking": name, "K": m["k"], "AP": m["ap"], "P@K": m["p_at_k"],
                         "LA@K": m["lookalikes_at_k"]})
    table = pd.DataFrame(rows)
    mean = table.groupby("ranking", sort=False)[["K", "AP", "P@K", "LA@K"]].mean().reset_index()
    table = pd.concat([table, mean.assign(seed="mean")[table.columns]], ignore_index=True)
    print(f"Planted batches of `lhkpn-check sample` (one planted kind per rule): {officials} officials x {years} "
          f"years\n", file=out)
    for c, f in (("K", "{:.0f}"), ("AP", "{:.3f}"), ("P@K", "{:.3f}"), ("LA@K", "{:.1f}")):
        table[c] = table[c].map(f.format)
    print(table.to_string(index=False), file=out)
    return table


def passes(m: dict) -> list[str]:
    """The targets one form's metrics miss (empty: all met)."""
    miss = []
    if not m["AP"] >= TARGETS["ap"]:
        miss.append(f"AP {m['AP']:.3f} < {TARGETS['ap']}")
    if not m["P@K"] >= TARGETS["p_at_k"]:
        miss.append(f"P@K {m['P@K']:.3f} < {TARGETS['p_at_k']}")
    if m["LA@K"] > TARGETS["la_at_k"]:
        miss.append(f"LA@K {m['LA@K']} > {TARGETS['la_at_k']}")
    f = m["families"]
    outside = f[(f["kind"] == "hidden") & (f["@2K"] < f["n"])]["family"].tolist()
    if outside:
        miss.append("beyond 2K: " + ", ".join(outside))
    return miss


# -- the batches and the two rankings -------------------------------------------------------------------------

def batch_files(pop, officials: int, years: int, cache: Path = CACHE) -> dict[str, Path]:
    """Both forms' workbooks, written once per (generator source, seed, size) into the cache."""
    source = hashlib.sha256(Path(scenarios.__file__).read_bytes()).hexdigest()[:12]  # never a stale batch
    folder = cache / f"{source}-seed{pop.seed}-n{officials}-y{years}"
    paths = {form: folder / f"{form}.xlsx" for form in FORMS}
    if not all(p.exists() for p in paths.values()):
        folder.mkdir(parents=True, exist_ok=True)
        for form, p in paths.items():
            tmp = p.with_suffix(".partial.xlsx")
            scenarios.write_workbook(pop, form, tmp)
            tmp.replace(p)
        pop.answer_key.to_csv(folder / "answer_key.csv", index=False)
    return paths


def tool_ranking(path: Path, out: Path, use_cli: bool = False) -> tuple[pd.DataFrame, dict]:
    """Run the tool on one workbook; its ranking.csv and the manifest's row counts."""
    if not use_cli:
        try:
            from lhkpn_check.pipeline import run_batch
            from lhkpn_check.settings import load_settings

            run_batch(path, out, settings=load_settings(None, {"dossiers": 0}), force=True,
                      command="bench/quality.py")
        except (ImportError, TypeError):  # the library entry moved: the command is the stable contract
            use_cli = True
    if use_cli:
        cmd = [sys.executable, "-m", "lhkpn_check", "run", str(path), "--out", str(out), "--force",
               "--dossiers", "0"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"lhkpn-check run failed on {path}:\n{done.stderr}")
    ranking = pd.read_csv(out / "ranking.csv", dtype={"id_pn": str})
    rows = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("rows", {})
    return ranking, rows


def baseline_scores(laporan: pd.DataFrame, seed: int) -> pd.Series:
    """Plain PyOD: IForest on the raw totals of each official's latest declaration."""
    from pyod.models.iforest import IForest

    latest = (laporan.sort_values(["id_pn", "tahun_lapor"], kind="stable")
              .drop_duplicates("id_pn", keep="last"))
    x = latest[list(TOTALS)].astype(float).fillna(0.0).to_numpy()
    model = IForest(random_state=seed)
    model.fit(x)
    return pd.Series(model.decision_scores_, index=latest["id_pn"].astype(str).to_numpy())


def judged(key: pd.DataFrame, form: str) -> pd.DataFrame:
    """The officials a form's metrics count: all but the families planted in lines the form lacks."""
    return key[(key["forms"] == "both") | (key["forms"] == form) | (key["kind"] == "normal")].reset_index(drop=True)


# -- the run --------------------------------------------------------------------------------------------------

def run(seeds, officials: int, years: int, use_cli: bool = False, cache: Path = CACHE) -> dict:
    rows, fams, failures, rejected, cases, batches = [], [], [], [], [], []
    for seed in seeds:
        pop = scenarios.generate(n_officials=officials, years=years, seed=seed)
        paths = batch_files(pop, officials, years, cache)
        base = baseline_scores(pop.laporan, seed)
        kinds = pop.answer_key["kind"].value_counts()
        batches.append(f"seed {seed}: {officials} officials ({kinds.get('hidden', 0)} hidden, "
                       f"{kinds.get('lookalike', 0)} look-alikes), {len(pop.laporan)} declarations, "
                       f"{len(pop.harta)} harta rows, {len(pop.temuan)} temuan")
        for form in FORMS:
            key = judged(pop.answer_key, form)
            start = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="lhkpn-quality-") as tmp:
                ranking, counts = tool_ranking(paths[form], Path(tmp) / "out", use_cli)
            seconds = time.perf_counter() - start
            for sheet, c in counts.items():
                if c.get("rejected"):
                    rejected.append(f"seed {seed} {form} {sheet}: {c['rejected']} of {c['read']} rows rejected")
            r = ranking.set_index("id_pn")
            eng = evaluate_form(key, key["id_pn"].map(r["score"]).to_numpy(float),
                           key["id_pn"].map(r["rank"]).to_numpy(float), key["id_pn"].map(r["tier"]).to_numpy())
            b = key["id_pn"].map(base).to_numpy(float)
            bas = evaluate_form(key, b, -b)
            for name, m in (("engine", eng), ("baseline", bas)):
                rows.append({"form": form, "seed": seed, "ranking": name, "K": m["K"], "AP": m["AP"],
                             "P@K": m["P@K"], "LA@K": m["LA@K"], "tinggi": m["tinggi"],
                             "ties": m["ties"], "seconds": seconds if name == "engine" else np.nan})
                fams.append(m["families"].assign(form=form, seed=seed, ranking=name))
            cases.append(_cases(key, r, eng["K"]).assign(form=form, seed=seed))
            miss = passes(eng)
            if miss:
                failures.append(f"seed {seed} {form}: " + "; ".join(miss))
    return {"table": pd.DataFrame(rows), "families": pd.concat(fams, ignore_index=True), "failures": failures,
            "rejected": rejected, "cases": pd.concat(cases, ignore_index=True), "batches": batches}


def _cases(key: pd.DataFrame, ranking: pd.DataFrame, k: int) -> pd.DataFrame:
    """The engine's misses: look-alikes within the first K and hidden officials beyond it, with the why."""
    d = key.assign(rank=key["id_pn"].map(ranking["rank"]), score=key["id_pn"].map(ranking["score"]),
                   rules=key["id_pn"].map(ranking["rules"]).fillna(""))
    d["pos"] = positions(d["rank"].to_numpy(float))
    miss = ((d["kind"] == "lookalike") & (d["pos"] <= k)) | ((d["kind"] == "hidden") & (d["pos"] > k))
    return d.loc[miss, ["id_pn", "family", "kind", "pos", "score", "rules", "income", "note"]]


def family_table(fams: pd.DataFrame) -> pd.DataFrame:
    """Per family and form, summed over seeds: members, in first K / 2K, worst (hidden) or best (look-alike)."""
    out = []
    for (family, kind), g in fams.groupby(["family", "kind"], sort=False):
        row = {"family": family, "kind": kind}
        for form in FORMS:
            e = g[(g["form"] == form) & (g["ranking"] == "engine")]
            b = g[(g["form"] == form) & (g["ranking"] == "baseline")]
            if e.empty:
                row[(form, "n")] = "-"
                continue
            row[(form, "n")] = int(e["n"].sum())
            row[(form, "@K")] = int(e["@K"].sum())
            row[(form, "@2K")] = int(e["@2K"].sum())
            row[(form, "pos")] = int(e["pos"].max() if kind == "hidden" else e["pos"].min())
            row[(form, "base@K")] = int(b["@K"].sum())
        out.append(row)
    order = {k: i for i, k in enumerate(scenarios.HIDDEN + scenarios.LOOKALIKE)}
    t = pd.DataFrame(out)
    t = t.iloc[sorted(range(len(t)), key=lambda i: order.get(t["family"].iloc[i], 99))].reset_index(drop=True)
    return t


def main_table(table: pd.DataFrame) -> pd.DataFrame:
    """Rows: form, ranking, seed (then the mean over seeds); metrics formatted for print."""
    t = table.copy()
    mean = t.groupby(["form", "ranking"], sort=False)[METRICS].mean().reset_index().assign(seed="mean")
    t = pd.concat([t, mean[t.columns]], ignore_index=True)
    seeds = list(dict.fromkeys(table["seed"]))
    t["_f"] = t["form"].map(FORMS.index)
    t["_r"] = t["ranking"].map(["engine", "baseline"].index)
    t["_s"] = t["seed"].map(lambda v: len(seeds) if v == "mean" else seeds.index(v))
    t = t.sort_values(["_f", "_r", "_s"], kind="stable")[["form", "ranking", "seed", *METRICS]]
    fmt = {"K": "{:.0f}", "AP": "{:.3f}", "P@K": "{:.3f}", "LA@K": "{:.1f}", "tinggi": "{:.1%}", "ties": "{:.0f}",
           "seconds": "{:.1f}"}
    for c, f in fmt.items():
        t[c] = t[c].map(lambda v, f=f: "" if pd.isna(v) else f.format(v))
    return t


def report(result: dict, seeds, officials: int, years: int, command: str, explain: bool = False,
           out=sys.stdout) -> None:
    print(f"$ {command}\n", file=out)
    span = "3" if years == 3 else f"3-{years}"
    print(f"Ranking quality on province scenarios (bench/scenarios.py): {officials} officials, {span} declarations "
          f"each, seeds {' '.join(map(str, seeds))}", file=out)
    print("\n".join(result["batches"]), file=out)
    print("\nK = hidden officials; AP by score; P@K, LA@K by the tool's rank; tinggi = share in tier tinggi; "
          "ties = officials sharing the top score.\n", file=out)
    print(main_table(result["table"]).to_string(index=False), file=out)
    ft = family_table(result["families"])
    print("\nPer family, summed over seeds (n members; @K/@2K in the first K/2K; pos = worst position of a hidden "
          "member,\nbest of a look-alike; base@K = the PyOD baseline's @K; '-' = not judged in that form):\n",
          file=out)
    ft.columns = [c if isinstance(c, str) else f"{c[0][:4]} {c[1]}" for c in ft.columns]
    for c in ft.columns[2:]:
        ft[c] = ft[c].map(lambda v: "" if pd.isna(v) else v if isinstance(v, str) else f"{v:.0f}")
    print(ft.to_string(index=False), file=out)
    if explain:
        c = result["cases"].sort_values(["form", "seed", "kind", "pos"], kind="stable")
        print("\nThe engine's misses (look-alikes within the first K, hidden officials beyond it):\n", file=out)
        with pd.option_context("display.max_colwidth", 80, "display.width", 250):
            print(c[["form", "seed", "kind", "family", "pos", "score", "id_pn", "income", "rules", "note"]]
                  .to_string(index=False), file=out)
    if result["rejected"]:
        print("\nRows rejected (the scenarios should have none):\n  " + "\n  ".join(result["rejected"]), file=out)
    if result["failures"]:
        print("\nTargets missed (AP >= 0.95, P@K >= 0.90, LA@K <= 2, hidden families within 2K):\n  "
              + "\n  ".join(result["failures"]), file=out)
    else:
        print("\nAll targets met (AP >= 0.95, P@K >= 0.90, LA@K <= 2, hidden families within 2K).", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--officials", type=int, default=600)
    parser.add_argument("--years", type=int, default=5, help="most declarations per official (at least 3)")
    parser.add_argument("--cli", action="store_true", help="run the `lhkpn-check run` command, not the library")
    parser.add_argument("--explain", action="store_true",
                        help="list the look-alikes ranked within the first K and the hidden officials beyond it")
    parser.add_argument("--sample", action="store_true",
                        help="score the planted batches of `lhkpn-check sample` instead (one planted kind per rule)")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every target is met")
    args = parser.parse_args(argv)
    if args.years < 3:
        parser.error("--years must be at least 3")
    given = sys.argv[1:] if argv is None else list(argv)
    if args.sample:
        print(f"$ {shlex.join(['python', 'bench/quality.py', *given])}\n")
        run_sample(args.seeds, args.officials, args.years, use_cli=args.cli)
        return 0
    result = run(args.seeds, args.officials, args.years, use_cli=args.cli)
    report(result, args.seeds, args.officials, args.years, shlex.join(["python", "bench/quality.py", *given]),
           explain=args.explain)
    if args.check and (result["failures"] or result["rejected"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
