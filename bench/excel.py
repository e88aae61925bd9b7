"""Time hasil.xlsx at scale: the 20k-official bench batch with its ranking tiled to N rows.

    python bench/excel.py                 # 20,000 and 200,000 ranking rows
    python bench/excel.py --rows 200000 --profile

The findings are tiled to N/2 rows and a synthetic quality table of N/10 rows is added, so every big sheet
is exercised. Uses bench/render.py's cached analysis (built on first run).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render import analysed, manifest_of  # noqa: E402


def tiled(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    if not len(frame):
        return frame
    reps = -(-rows // len(frame))
    big = pd.concat([frame] * reps, ignore_index=True).head(rows)
    big["id_pn"] = big["id_pn"].astype(str) + "-" + (np.arange(len(big)) // len(frame)).astype(str)
    return big


def scaled(batch, analysis, rows: int):
    ranking = tiled(analysis.ranking, rows)
    ranking["rank"] = np.arange(1, len(ranking) + 1)
    findings = tiled(analysis.findings, rows // 2)
    n = rows // 10
    quality = pd.DataFrame({
        "source": "laporan.csv", "sheet": "laporan", "row": np.arange(2, n + 2).astype(object),
        "column": "penghasilan", "value": pd.Series(np.arange(n)).astype(str).radd("=x"),
        "problem": "bukan angka", "action": "baris diabaikan", "kind": "error"})
    return dataclasses.replace(batch, quality=quality), dataclasses.replace(analysis, ranking=ranking,
                                                                         findings=findings)


def main(argv=None) -> int:
    from lhkpn_check.report.excel import write_workbook
    from lhkpn_check.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 200_000])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    batch, analysis = analysed(20_000, 5, 11)
    for rows in args.rows:
        b, a = scaled(batch, analysis, rows)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "hasil.xlsx"
            prof = cProfile.Profile() if args.profile else None
            start = time.perf_counter()
            if prof:
                prof.enable()
            write_workbook(path, b, a, Settings(), manifest=manifest_of(b))
            if prof:
                prof.disable()
            took = time.perf_counter() - start
            print(f"hasil.xlsx: {len(a.ranking):,} ranking, {len(a.findings):,} findings, {len(b.quality):,} quality "
                  f"rows: {took:.2f} s, {path.stat().st_size / 2**20:.1f} MiB")
            if prof:
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
