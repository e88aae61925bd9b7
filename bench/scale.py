"""Speed and scale of `lhkpn-check run`, as ratios to a floor measured in the same run.

    python bench/scale.py province     # 20,000 officials x 5 years in one .xlsx   (target: whole <= 2x floor)
    python bench/scale.py national     # 200,000 officials x 5 years as .csv files (target: whole <= 4x floor,
                                       #                                             peak memory <= 8 GiB)
    python bench/scale.py custom --officials 2000 --years 5 --format xlsx

The floor is what no implementation can avoid: reading the same input with the fastest reader
(python-calamine for .xlsx, pandas' C parser for .csv) plus one ECOD fit on the run's feature matrix.
The whole run is `lhkpn-check run` as a separate process (wall clock, peak RSS of that process);
its stages come from the run's manifest.json. Generated batches are cached under bench/.cache/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PRESETS = {
    "province": dict(officials=20_000, years=5, fmt="xlsx", target=2.0),
    "national": dict(officials=200_000, years=5, fmt="csv", target=4.0),
}
MEMORY_TARGET_GIB = 8.0


def make_batch(officials: int, years: int, fmt: str, seed: int) -> Path:
    from lhkpn_check.sample import generate, write_sample

    folder = HERE / ".cache" / f"{officials}x{years}-{fmt}-s{seed}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        write_sample(generate(n_officials=officials, years=years, seed=seed), folder, fmt=fmt)
        done.write_text("ok")
        print(f"generated {folder.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder / "sampel.xlsx" if fmt == "xlsx" else folder


def floor_read(path: Path) -> tuple[float, dict[str, int]]:
    start = time.perf_counter()
    if path.suffix == ".xlsx":
        frames = pd.read_excel(path, sheet_name=None, engine="calamine")
    else:
        frames = {p.stem: pd.read_csv(p) for p in sorted(path.glob("*.csv")) if p.stem != "kunci_jawaban"}
    return time.perf_counter() - start, {k: len(v) for k, v in frames.items()}


def floor_ecod(features: np.ndarray) -> float:
    from pyod.models.ecod import ECOD

    ECOD().fit(features[:64])  # numba compiles once per process: not part of the floor
    start = time.perf_counter()
    ECOD().fit(features)
    return time.perf_counter() - start


def whole_run(path: Path, out: Path) -> tuple[float, float, dict]:
    cmd = [sys.executable, "-m", "lhkpn_check", "run", str(path), "--out", str(out), "--force"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    peak_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1024 ** 2)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return wall, peak_gib, manifest


def feature_matrix(out: Path) -> np.ndarray:
    """The run's own peer-scoring matrix, as the engine saved it; else the ranking's numeric columns."""
    saved = out / ".bench-features.npy"
    if saved.exists():
        return np.load(saved)
    ranking = pd.read_csv(out / "ranking.csv")
    return ranking.select_dtypes("number").fillna(0).to_numpy()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=[*PRESETS, "custom"])
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--target", type=float, default=None)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    conf = PRESETS.get(args.preset, dict(officials=args.officials, years=args.years, fmt=args.fmt,
                                         target=args.target or 2.0))
    path = make_batch(conf["officials"], conf["years"], conf["fmt"], args.seed)
    out = HERE / ".cache" / f"out-{args.preset}"
    env_note = f"{os.cpu_count()} cores"

    wall, peak_gib, manifest = whole_run(path, out)
    read_s, rows = floor_read(path)
    ecod_s = floor_ecod(feature_matrix(out))
    floor = read_s + ecod_s
    ratio = wall / floor

    print(f"\n{args.preset}: {conf['officials']:,} officials x {conf['years']} years, .{conf['fmt']} "
          f"({', '.join(f'{k} {v:,}' for k, v in rows.items())}), {env_note}")
    print(f"{'stage':<12}{'seconds':>10}{'x floor':>10}")
    for stage, seconds in manifest["timings_seconds"].items():
        print(f"{stage:<12}{seconds:>10.2f}{seconds / floor:>10.2f}")
    print(f"{'floor':<12}{floor:>10.2f}{1:>10.2f}   (read {read_s:.2f} s + ECOD fit {ecod_s:.2f} s)")
    print(f"{'whole run':<12}{wall:>10.2f}{ratio:>10.2f}   target <= {conf['target']:.0f}x: "
          f"{'met' if ratio <= conf['target'] else 'NOT met'}")
    print(f"peak memory {peak_gib:.2f} GiB   target <= {MEMORY_TARGET_GIB:.0f} GiB: "
          f"{'met' if peak_gib <= MEMORY_TARGET_GIB else 'NOT met'}")
    return 0 if ratio <= conf["target"] and peak_gib <= MEMORY_TARGET_GIB else 1


if __name__ == "__main__":
    sys.exit(main())
