"""Cost of the report, stage by stage, against floors measured in the same process.

    python bench/render.py                       # 2,000 officials: dossier context vs Jinja vs floor
    python bench/render.py --officials 20000     # also the index page and hasil.xlsx at that size
    python bench/render.py --xlsx-rows 200000    # hasil.xlsx with the ranking tiled to 200k officials

Per dossier: `context` is building the dicts (context.dossier_tables), `jinja` is pejabat.html's render,
`floor` is rendering a one-variable template whose output has the same size as the average page (what
any templating must pay to produce the text). The batch is the bundled synthetic generator run through the
real reader, validation and engine, cached under bench/.cache/ as a pickle.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def analysed(officials: int, years: int, seed: int):
    cache = HERE / ".cache" / f"render-{officials}x{years}-s{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from lhkpn_check.engine import analyze
    from lhkpn_check.reader import read_input
    from lhkpn_check.sample import generate, write_sample
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import validate

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_sample(generate(n_officials=officials, years=years, seed=seed), Path(tmp), fmt="csv")
        settings = Settings()
        batch = validate(read_input(Path(tmp)), settings)
        analysis = analyze(batch, settings)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps((batch, analysis)))
    print(f"analysed {officials:,} officials in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return batch, analysis


def manifest_of(batch) -> dict:
    return {"version": "bench", "command": "bench", "random_seed": 0,
            "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.size, "sheets": list(f.sheets)}
                       for f in batch.inputs],
            "rows": {s: c.as_dict() for s, c in batch.counts.items()}}


def dossiers(batch, analysis, n: int, lang: str) -> None:
    from jinja2 import Environment

    from lhkpn_check.report import context as cx
    from lhkpn_check.report import html
    from lhkpn_check.settings import Settings

    env = html.environment()
    rank, files = html._selection(analysis, n)
    ordered = dataclasses.replace(analysis, ranking=rank)
    frame = cx.ranking_frame(ordered, files, show_ids=False)
    rules = cx.rule_table(Settings(), lang)
    selected = frame[frame["href"].notna()]
    page = env.get_template("pejabat.html")
    labels = html.labels(lang)

    start = time.perf_counter()
    contexts = list(cx.dossier_tables(batch, ordered, selected, lang=lang, rules=rules).contexts())
    context_s = time.perf_counter() - start
    for d in contexts:
        d.context["L"] = labels
    page.render(contexts[0].context)  # first render compiles nothing (cached) but warms the filters
    start = time.perf_counter()
    texts = [page.render(d.context) for d in contexts]
    jinja_s = time.perf_counter() - start
    size = int(np.mean([len(t) for t in texts]))
    trivial = Environment(autoescape=True).from_string("<p>{{ a }}</p>" + "x" * size)
    start = time.perf_counter()
    for _ in contexts:
        trivial.render(a="<b>")
    floor_s = time.perf_counter() - start
    k = len(contexts)
    print(f"dossiers: {k:,} pages, {size / 1024:.0f} KiB each")
    print(f"  context {context_s / k * 1e6:8.0f} us/page")
    print(f"  jinja   {jinja_s / k * 1e6:8.0f} us/page")
    print(f"  floor   {floor_s / k * 1e6:8.0f} us/page   (one-variable template of the same size)")


def index_and_excel(batch, analysis, lang: str, xlsx_rows: int) -> None:
    from lhkpn_check.report import html
    from lhkpn_check.report.excel import write_workbook
    from lhkpn_check.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        html.write_html(out, batch, analysis, Settings(), lang=lang, manifest=manifest_of(batch), dossiers=0)
        index_s = time.perf_counter() - start
        size = (out / "index.html").stat().st_size
        print(f"index.html ({len(analysis.ranking):,} officials, no dossiers, assets included): "
              f"{index_s:.2f} s, {size / 2**20:.1f} MiB")
        ranking = analysis.ranking
        if xlsx_rows > len(ranking):
            reps = -(-xlsx_rows // len(ranking))
            big = pd.concat([ranking] * reps, ignore_index=True).head(xlsx_rows)
            big["id_pn"] = big["id_pn"].astype(str) + "-" + (np.arange(len(big)) // len(ranking)).astype(str)
            big["rank"] = np.arange(1, len(big) + 1)
            analysis = dataclasses.replace(analysis, ranking=big)
        start = time.perf_counter()
        write_workbook(out / "hasil.xlsx", batch, analysis, Settings(), lang=lang, manifest=manifest_of(batch))
        xlsx_s = time.perf_counter() - start
        print(f"hasil.xlsx ({len(analysis.ranking):,} ranking rows, {len(analysis.findings):,} findings): "
              f"{xlsx_s:.2f} s, {(out / 'hasil.xlsx').stat().st_size / 2**20:.1f} MiB")
        start = time.perf_counter()
        analysis.ranking.to_csv(out / "floor.csv", index=False)
        print(f"  floor: the ranking to CSV {time.perf_counter() - start:.2f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--lang", default="id")
    parser.add_argument("--xlsx-rows", type=int, default=0)
    parser.add_argument("--skip-index", action="store_true")
    args = parser.parse_args(argv)
    batch, analysis = analysed(args.officials, args.years, args.seed)
    dossiers(batch, analysis, min(args.dossiers, len(analysis.ranking)), args.lang)
    if not args.skip_index:
        index_and_excel(batch, analysis, args.lang, args.xlsx_rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
