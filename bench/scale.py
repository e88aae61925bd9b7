"""Speed and scale of `lhkpn-check run`, as ratios to a floor measured in the same run.

    python bench/scale.py province       # 20,000 officials x 5 years, one .xlsx      (--jobs 2: <= 2x, --jobs 1: <= 3x)
    python bench/scale.py national       # 200,000 officials x 5 years, .csv files    (--jobs 2: <= 5x)
    python bench/scale.py messy          # the national batch, every declaration's totals off its items (<= 8x)
    python bench/scale.py all            # the three, the table of the README
    python bench/scale.py custom --officials 2000 --years 5 --format xlsx [--messy] [--shape sample]

The batches are made by bench/shapes.py, independently of `lhkpn_check.sample` (18-digit NIPs, one
description per item, float-text and dotted money, optionally totals that differ from their items);
`--shape sample` benches sample.py's batches instead. Each batch is run with `--jobs 1` and `--jobs 2`
(`--jobs-list` to choose).

The floor is what no implementation can avoid: reading the same input with the fastest reader
(python-calamine for .xlsx, pandas' C parser for .csv) plus one ECOD fit on the run's peer feature matrix
(features.PEER_FEATURES of every official, built in the bench process after the timed runs). The whole run
is `lhkpn-check run` as a separate process: wall clock; peak memory is the larger of the biggest process's
RSS and the PSS of all its processes sampled every 0.2 s in one more run that is not timed (sampling slows
the run it samples). The runs and the floor's read are timed --repeat times (default 2), in turn, and the
fastest of each counts, since other work on the machine only ever slows them. Every run writes a new
output folder, and the bench deletes them only after all timing (see "Fresh folders" below).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PRESETS = {
    "province": dict(officials=20_000, years=5, fmt="xlsx", messy=False, targets={1: 3.0, 2: 2.0}),
    "national": dict(officials=200_000, years=5, fmt="csv", messy=False, targets={2: 5.0}),
    "messy": dict(officials=200_000, years=5, fmt="csv", messy=True, targets={2: 8.0}),
}
MEMORY_TARGET_GIB = 8.0
# Fresh folders: on an ext4 file system without a journal (this machine's), creating a file soon after
# many were deleted is slow, because the kernel passes over every inode freed in the last minutes (one to
# five by its rule; seen longer) before it picks one. Deleting the last run's output (5,000 dossier
# pages) right before a run made that run's pages cost up to 1 ms each instead of ~0.05 ms: 1-3 s of a
# province run. So each run writes a new folder, and the folders are deleted after the floor is timed.
# A bench started soon after large output folders were deleted still pays some of it.


def make_batch(officials: int, years: int, fmt: str, seed: int, messy: bool = False, shape: str = "shapes") -> Path:
    folder = HERE / ".cache" / f"{shape}-{officials}x{years}-{fmt}-s{seed}{'-messy' if messy else ''}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        if shape == "sample":
            from lhkpn_check.sample import generate, write_sample

            write_sample(generate(n_officials=officials, years=years, seed=seed), folder, fmt=fmt)
        else:
            sys.path.insert(0, str(HERE))
            import shapes

            shapes.write(shapes.generate(officials, years, seed=seed, messy=messy), folder, fmt)
        done.write_text("ok")
        print(f"generated {folder.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if fmt == "csv":
        return folder
    return folder / ("sampel.xlsx" if shape == "sample" else "batch.xlsx")


SHEETS = ("laporan", "harta", "temuan")


def floor_read(path: Path) -> tuple[float, dict[str, int]]:
    """The sheets the tool reads, with the fastest reader: calamine's rows (no DataFrame) or pandas' C parser."""
    start = time.perf_counter()
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        rows = {name: len(wb.get_sheet_by_name(name).to_python()) - 1 for name in wb.sheet_names if name in SHEETS}
    else:
        rows = {name: len(pd.read_csv(path / f"{name}.csv", engine="c", low_memory=False))
                for name in SHEETS if (path / f"{name}.csv").exists()}
    return time.perf_counter() - start, rows


def floor_ecod(features: np.ndarray) -> float:
    from pyod.models.ecod import ECOD

    ECOD().fit(features[:64])  # numba compiles once per process: not part of the floor
    start = time.perf_counter()
    ECOD().fit(features)
    return time.perf_counter() - start


def _tree_pss_gib(pid: int) -> float:
    """Proportional set size of a process and its descendants (the run's workers): pages they share are
    counted once, private ones in full."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / (1024 ** 2)


def whole_run(path: Path, out: Path, extra: list[str],
              sample_memory: bool = False) -> tuple[list[str], float, float, float, dict]:
    """Wall clock, peak RSS of the largest process, and, with `sample_memory`, peak PSS of the whole process
    tree (sampled every 0.2 s; else 0). Reading smaps_rollup walks each process's page tables: at 200,000
    officials the sampling made the run 0.75-1.1 s slower, so the timed runs are not sampled."""
    cmd = [sys.executable, "-m", "lhkpn_check", "run", str(path), "--out", str(out), "--force", *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_pss = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_pss
        while not stop.is_set():
            peak_pss = max(peak_pss, _tree_pss_gib(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    if sample_memory:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({proc.returncode}):\n{stderr[-3000:]}")
    peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (1024 ** 2)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return cmd, wall, peak_rss, peak_pss, manifest


def feature_matrix(path: Path) -> np.ndarray:
    """The engine's own peer-scoring matrix (PEER_FEATURES of every official), built in this process the way
    `analyze` builds it, so the floor's ECOD fit sees exactly what the run's detectors see."""
    from lhkpn_check import features, luxury
    from lhkpn_check.engine import _with_ids
    from lhkpn_check.scoring import _matrix
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import load_batch

    settings = Settings()
    batch = load_batch(path, settings)
    decl = features.declarations(batch.laporan, settings)
    harta = _with_ids(batch.harta)
    items = features.item_changes(harta, decl, settings)
    lux = luxury.declared_luxury(items, settings)
    decl = features.funds(decl, items, lux, settings)
    return _matrix(features.officials(decl, settings))


def bench(name: str, conf: dict, args, out: Path) -> list[dict]:
    """Time one batch with each number of jobs; a row of the table per number."""
    path = make_batch(conf["officials"], conf["years"], conf["fmt"], args.seed, conf.get("messy", False), args.shape)
    rows = []
    timed: dict[int, list] = {j: [] for j in args.jobs_list}
    reads = []
    for i in range(max(args.repeat, 1)):  # runs and floor in turn, so all meet the machine in each state
        for jobs in args.jobs_list:
            timed[jobs].append(whole_run(path, out / f"{name}-j{jobs}-{i + 1}", ["--jobs", str(jobs), *args.run_args]))
        reads.append(floor_read(path))
    read_s, counts = min(reads, key=lambda r: r[0])
    matrix = feature_matrix(path)
    ecod_s = min(floor_ecod(matrix) for _ in range(max(args.repeat, 1)))
    floor = read_s + ecod_s
    for jobs in args.jobs_list:
        memory_run = whole_run(path, out / f"{name}-j{jobs}-memory", ["--jobs", str(jobs), *args.run_args],
                               sample_memory=True)  # not timed
        runs = timed[jobs]
        cmd, wall, _, _, manifest = min(runs, key=lambda r: r[1])
        peak = max(max(r[2] for r in runs), memory_run[2], memory_run[3])
        target = conf["targets"].get(jobs)
        rows.append(dict(name=name, jobs=jobs, wall=wall, floor=floor, read=read_s, ecod=ecod_s, peak=peak,
                         target=target, walls=[r[1] for r in runs], stages=manifest["timings_seconds"],
                         conf=conf, counts=counts, matrix=matrix.shape))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=[*PRESETS, "all", "custom"])
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--messy", action="store_true")
    parser.add_argument("--shape", choices=["shapes", "sample"], default="shapes")
    parser.add_argument("--target", type=float, default=None)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--jobs-list", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2,
                        help="time the runs and the floor's read this many times each and keep the fastest")
    parser.add_argument("run_args", nargs="*", help="extra arguments for `lhkpn-check run` (after --)")
    args = parser.parse_args(argv)
    if args.preset == "custom":
        presets = {"custom": dict(officials=args.officials, years=args.years, fmt=args.fmt, messy=args.messy,
                                  targets={j: args.target for j in args.jobs_list if args.target})}
    elif args.preset == "all":
        presets = PRESETS
    else:
        presets = {args.preset: PRESETS[args.preset]}
    out = HERE / ".cache" / "out"
    print("$ " + " ".join(["python", *sys.argv]), f"  # {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}",
          flush=True)
    shutil.rmtree(out, ignore_errors=True)  # what an interrupted bench left
    rows = []
    for name, conf in presets.items():
        rows += bench(name, conf, args, out)
        shutil.rmtree(out, ignore_errors=True)  # only after the timing: see "Fresh folders" above
        row = rows[-1]
        print(f"\n{name}: {conf['officials']:,} officials x {conf['years']} years, .{conf['fmt']}"
              f"{' (messy)' if conf.get('messy') else ''} ({', '.join(f'{k} {v:,}' for k, v in row['counts'].items())}); "
              f"floor {row['floor']:.2f} s = read {row['read']:.2f} + ECOD {row['ecod']:.2f} on "
              f"{row['matrix'][0]:,} x {row['matrix'][1]}", flush=True)
        for r in rows:
            if r["name"] == name:
                print(f"  --jobs {r['jobs']}: " + ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items()),
                      flush=True)
    ok = True
    print("\n| batch | --jobs | whole run | floor | ratio (target) | peak memory |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["wall"] / r["floor"]
        met = r["target"] is None or ratio <= r["target"]
        ok &= met and r["peak"] <= MEMORY_TARGET_GIB
        target = f" (<= {r['target']:g}x{'' if met else ', MISSED'})" if r["target"] else ""
        print(f"| {r['name']} | {r['jobs']} | {r['wall']:.1f} s | {r['floor']:.1f} s | {ratio:.2f}x{target} | "
              f"{r['peak']:.1f} GiB |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
