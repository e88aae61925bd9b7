"""Speed and scale of `lhkpn-check run`, as ratios to a floor measured in the same run.

    python bench/scale.py province     # 20,000 officials x 5 years in one .xlsx   (target: whole <= 2x floor)
    python bench/scale.py national     # 200,000 officials x 5 years as .csv files (target: whole <= 4x floor,
                                       #                                             peak memory <= 8 GiB)
    python bench/scale.py custom --officials 2000 --years 5 --format xlsx

The floor is what no implementation can avoid: reading the same input with the fastest reader
(python-calamine for .xlsx, pandas' C parser for .csv) plus one ECOD fit on the run's feature matrix.
The floor's ECOD fit uses the engine's own peer feature matrix (features.PEER_FEATURES of every
official, built in the bench process after the timed run). The whole run is `lhkpn-check run` as a
separate process: wall clock, and peak memory as the larger of the biggest process's RSS and the
sampled PSS sum over the run's processes (large batches write HTML and Excel in a forked child), taken in
one more run that is not timed, since sampling the memory slows the run it samples (~5%). Its
stages come from the run's manifest.json, whose stages_side_by_side lists the lanes that ran at the same
time (csv then html in one process, excel in another); the stages of a lane count one after the other.
Generated batches are cached under bench/.cache/. The run and the floor's read are each timed
--repeat times (default 3), in turn, and the fastest of each counts, since other work on the machine
only ever slows them. Every run writes a new output folder,
as a first run does, and the bench deletes them only after all timing (see "Fresh folders" below).
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
    "province": dict(officials=20_000, years=5, fmt="xlsx", target=2.0),
    "national": dict(officials=200_000, years=5, fmt="csv", target=4.0),
}
MEMORY_TARGET_GIB = 8.0
# Fresh folders: on an ext4 file system without a journal (this machine's), creating a file soon after
# many were deleted is slow, because the kernel passes over every inode freed in the last minutes (one to
# five by its rule; seen longer) before it picks one. Deleting the last run's output (5,000 dossier
# pages) right before a run made that run's pages cost up to 1 ms each instead of ~0.05 ms: 1-3 s of a
# province run. So each run writes a new folder, and the folders are deleted after the floor is timed.
# A bench started soon after large output folders were deleted still pays some of it.


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
    """Proportional set size of a process and its descendants: shared copy-on-write pages of a forked writer
    are counted once, private ones in full."""
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("preset", choices=[*PRESETS, "custom"])
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--target", type=float, default=None)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3,
                        help="time the run and the floor's read this many times each and keep the fastest")
    parser.add_argument("run_args", nargs="*", help="extra arguments for `lhkpn-check run` (after --)")
    args = parser.parse_args(argv)
    conf = PRESETS.get(args.preset, dict(officials=args.officials, years=args.years, fmt=args.fmt,
                                         target=args.target or 2.0))
    path = make_batch(conf["officials"], conf["years"], conf["fmt"], args.seed)
    out = HERE / ".cache" / f"out-{args.preset}"
    env_note = f"{os.cpu_count()} cores"

    print("$ " + " ".join(["python", *sys.argv]), flush=True)
    shutil.rmtree(out, ignore_errors=True)  # what an interrupted bench left
    runs, reads = [], []
    for i in range(max(args.repeat, 1)):  # run and floor in turn, so both meet the machine in each state
        runs.append(whole_run(path, out / f"run-{i + 1}", args.run_args))
        reads.append(floor_read(path))
    cmd, wall, _, _, manifest = min(runs, key=lambda r: r[1])
    memory_run = whole_run(path, out / "memory", args.run_args, sample_memory=True)  # not timed
    peak_rss, peak_pss = max(r[2] for r in [*runs, memory_run]), memory_run[3]
    peak_gib = max(peak_rss, peak_pss)
    print("$ " + " ".join(["python", *cmd[1:]]), "  # timed: wall clock + peak memory",
          flush=True)
    read_s, rows = min(reads, key=lambda r: r[0])
    matrix = feature_matrix(path)
    ecod_s = min(floor_ecod(matrix) for _ in range(max(args.repeat, 1)))
    floor = read_s + ecod_s
    shutil.rmtree(out, ignore_errors=True)  # only now: see "Fresh folders" above
    ratio = wall / floor
    stages = manifest["timings_seconds"]
    # Lanes that ran at the same time, each its stages one after the other (an older manifest: one stage each).
    lanes = [[lane] if isinstance(lane, str) else lane for lane in manifest.get("stages_side_by_side", [])]
    side = [stage for lane in lanes for stage in lane]
    rest = wall - sum(v for k, v in stages.items() if k not in side) - max(
        (sum(stages[k] for k in lane) for lane in lanes), default=0)

    print(f"\n{args.preset}: {conf['officials']:,} officials x {conf['years']} years, .{conf['fmt']} "
          f"({', '.join(f'{k} {v:,}' for k, v in rows.items())}), {env_note}")
    print(f"{'stage':<22}{'seconds':>10}{'x floor':>10}")
    for stage, seconds in stages.items():
        note = "   (side by side: " + " || ".join(" + ".join(lane) for lane in lanes) + ")" if stage in side else ""
        print(f"{stage:<22}{seconds:>10.2f}{seconds / floor:>10.2f}{note}")
    print(f"{'startup+imports+exit':<22}{rest:>10.2f}{rest / floor:>10.2f}   (wall clock minus the stages)")
    print(f"{'floor':<22}{floor:>10.2f}{1:>10.2f}   (read {read_s:.2f} s + ECOD fit {ecod_s:.2f} s on the "
          f"peer matrix {matrix.shape[0]:,} x {matrix.shape[1]})")
    met = ratio <= conf["target"]
    print(f"{'whole run':<22}{wall:>10.2f}{ratio:>10.2f}   target <= {conf['target']:.0f}x floor: "
          f"{'PASS' if met else 'FAIL'}   (fastest of {len(runs)}: "
          f"{', '.join(f'{r[1]:.2f}' for r in runs)} s; floor reads {', '.join(f'{r[0]:.2f}' for r in reads)} s)")
    mem_met = peak_gib <= MEMORY_TARGET_GIB
    print(f"{'peak memory':<22}{peak_gib:>9.2f}G{'':>10}   target <= {MEMORY_TARGET_GIB:.0f} GiB: "
          f"{'PASS' if mem_met else 'FAIL'}   (largest process RSS {peak_rss:.2f} GiB; all processes' "
          f"PSS {peak_pss:.2f} GiB, sampled every 0.2 s in one more run, not timed)")
    return 0 if met and mem_met else 1


if __name__ == "__main__":
    sys.exit(main())
