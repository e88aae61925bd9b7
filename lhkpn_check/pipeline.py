"""The batch: read -> validate -> analyze -> write, each stage timed.

Everything is written into a temporary folder beside the output folder and moved into place at the
end, so an interrupted or failed run never leaves half a report behind.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click
import pandas as pd

from lhkpn_check import engine, kepatuhan, luxury, scoring
from lhkpn_check.errors import OutputError
from lhkpn_check.forked import CAN_FORK, Claims, Forked, side_by_side, wake_by
from lhkpn_check.i18n import t
from lhkpn_check.memory import WARM_BYTES_PER_ITEM, HeapWarmer, reuse_freed_memory
from lhkpn_check.model import Analysis, Batch
from lhkpn_check.register import RunRecord
from lhkpn_check.settings import Settings

PARALLEL_MIN_OFFICIALS = 2000
"""From this many officials on, the HTML and the workbook are written side by side (two processes), and
the peer scoring runs beside the features and rules."""
PARALLEL_MIN_INPUT_BYTES = 16 << 20
"""From this input size on, the harta sheet is read and typed beside the laporan and temuan sheets, and
the peer scoring process (forked before reading) starts once the first side has read and typed its sheets."""
DOSSIER_NICENESS = 19
"""The niceness of the second process writing dossiers beside the workbook's: it takes a core only when
the workbook's process or this one leaves it, so that the workbook, when it is the long pole, is not
slowed by a third process, and the pages are shared out when it is not."""
GC_THRESHOLD = (10_000, 10, 10)
"""The collector's thresholds during a run. With Python's default (700, 10, 10) it ran ~1,000 times per
process on a province workbook, each pass of the older generations walking the rows just read: ~2 s of
CPU over the processes. A run makes few reference cycles, so collecting less often costs little memory."""
STAGES = ("read", "validate", *engine.STAGES, "csv", "html", "excel", "manifest")


@dataclass
class RunResult:
    out: Path
    batch: Batch
    analysis: Analysis
    manifest: dict
    lang: str = "id"
    timings: dict[str, float] = field(default_factory=dict)

    def summary_text(self) -> str:
        """Counts only: no name or id reaches the terminal."""
        ranking = self.analysis.ranking
        tiers = ranking["tier"].value_counts()
        rows = ", ".join(f"{s} {c.read} dibaca/{c.accepted} diterima/{c.rejected} ditolak"
                         for s, c in self.batch.counts.items() if c.read)
        key = "cli.run_summary"
        text = t(key, self.lang, out=self.out, officials=len(ranking), declarations=len(self.batch.laporan),
                 rows=rows, tinggi=int(tiers.get("tinggi", 0)), sedang=int(tiers.get("sedang", 0)),
                 rendah=int(tiers.get("rendah", 0)), findings=len(self.analysis.findings),
                 problems=len(self.batch.quality),
                 income=t("cli.income_estimated" if self.analysis.income_estimated else "cli.income_declared",
                          self.lang))
        compliance = self.analysis.kepatuhan  # with a roster: its counts on a line of their own
        return text if compliance is None else f"{text}\n  {kepatuhan.summary_line(compliance, self.lang)}"


class _Timer:
    """Seconds per stage, and a stage progress bar on stderr (only when asked: the CLI asks when stderr is a
    terminal, so logs and pipes stay quiet)."""

    def __init__(self, progress: bool):
        self.timings: dict[str, float] = {}
        self._seen: set[str] = set()
        self._bar = None
        if progress:
            self._bar = click.progressbar(length=len(STAGES), label="lhkpn-check", show_eta=False,
                                          file=sys.stderr)
            self._bar.__enter__()

    def begin(self, name: str) -> None:
        """A stage starts: label the bar, and advance it once per stage name."""
        if self._bar is None:
            return
        if name not in self._seen and self._seen:
            self._bar.update(1)
        self._seen.add(name)
        self._bar.label = f"lhkpn-check: {name:<9}"
        self._bar.render_progress()

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        self.begin(name)
        yield
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(len(STAGES))
            self._bar.__exit__(None, None, None)
            self._bar = None


def check_out_dir(out: Path, force: bool, lang: str = "id", input_path: Path | None = None) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(t("cli.out_is_file", lang, path=out))
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputError(t("cli.out_is_file", lang, path=parent))
    if input_path is not None:
        source = Path(input_path).resolve()
        if source == out or out in source.parents:
            raise OutputError(t("cli.out_holds_input", lang, path=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputError(t("cli.out_not_empty", lang, path=out))
    cwd = Path.cwd().resolve()
    if out == cwd or out in cwd.parents:
        raise OutputError(t("cli.out_is_cwd", lang, path=out))


def run_batch(input_path, out, *, settings: Settings, lang: str = "id", force: bool = False,
              show_ids: bool = False, command: str = "lhkpn-check run", progress: bool = False,
              register=None) -> RunResult:
    """With `register` (a file), the run is marked against it and recorded in it (register.RunRecord)."""
    from lhkpn_check.engine import analyze

    out = Path(out).resolve()
    check_out_dir(out, force, lang, input_path)
    book = RunRecord(register, lang, out) if register is not None else None
    warmer = HeapWarmer(enabled=reuse_freed_memory())
    timer = _Timer(progress)
    threshold = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        try:
            batch, sheets_side_by_side, workers = _read_and_validate(input_path, settings, lang, timer, warmer)
            try:
                analysis = analyze(batch, settings, lang=lang, progress=timer.begin, timings=timer.timings,
                                   side_process=CAN_FORK and batch.n_officials >= PARALLEL_MIN_OFFICIALS,
                                   workers=workers, meanwhile=lambda: _warm_report(lang))
            except BaseException:
                if workers is not None:
                    workers.cancel()
                raise
        finally:
            warmer.stop()
        analysis.kepatuhan = kepatuhan.compliance(batch, settings)  # None without a roster
        if book is not None:
            with timer.stage("ranking"):  # ranked again without the findings already explained
                analysis = book.mark(analysis, settings)
        from lhkpn_check.output import build_manifest, write_csvs, write_manifest
        from lhkpn_check.report.excel import write_workbook
        from lhkpn_check.report.html import write_html

        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        try:
            with timer.stage("manifest"):
                manifest = build_manifest(batch, analysis, settings, command=command, lang=lang,
                                          timings=timer.timings)
            manifest["stages_side_by_side"] = []
            manifest["sheets_side_by_side"] = sheets_side_by_side
            if book is not None:
                manifest["register"] = book.manifest_entry()

            def csvs() -> None:
                write_csvs(tmp, batch, analysis)

            def html() -> None:
                write_html(tmp, batch, analysis, settings, lang=lang, manifest=manifest,
                           dossiers=settings.dossiers, show_ids=show_ids)

            def excel() -> None:
                write_workbook(tmp / "hasil.xlsx", batch, analysis, settings, lang=lang, manifest=manifest,
                               show_ids=show_ids)

            if len(analysis.ranking) >= PARALLEL_MIN_OFFICIALS and CAN_FORK:
                for name in ("csv", "html", "excel"):
                    timer.begin(name)
                seconds, manifest["stages_side_by_side"] = _report_side_by_side(
                    tmp, batch, analysis, settings, excel, csvs, lang=lang, manifest=manifest, show_ids=show_ids)
                timer.timings.update(seconds)
            else:
                with timer.stage("csv"):
                    csvs()
                with timer.stage("html"):
                    html()
                with timer.stage("excel"):
                    excel()
            with timer.stage("manifest"):
                manifest["timings_seconds"] = {k: round(v, 3) for k, v in timer.timings.items()}
                write_manifest(tmp / "manifest.json", manifest)
            if book is not None:
                book.record(batch, analysis, manifest)
            _move_into_place(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        timer.close()
        gc.set_threshold(*threshold)
        if book is not None:
            book.close()
    return RunResult(out=out, batch=batch, analysis=analysis, manifest=manifest, lang=lang,
                     timings=dict(timer.timings))


def _report_side_by_side(tmp: Path, batch, analysis, settings, excel, csvs, *, lang: str, manifest: dict,
                         show_ids: bool) -> tuple[dict[str, float], list[list[str]]]:
    """The workbook in a forked process from the start; here, meanwhile, the dossier tables, then the index
    page beside a second process at low priority (DOSSIER_NICENESS), both writing whichever dossiers are
    left (tables made once, shared by the fork). The CSV files go to whichever is free first: the
    workbook's process once the workbook is written (a province's, ~0.4 s, is done before the tables),
    or this one once the index is (at 200,000 officials the workbook takes ~4 s); the dossiers then fill
    in around them. Returns the seconds of each stage and the lanes they ran in."""
    from lhkpn_check.report.html import DossierClaims, HtmlReport

    csv_turn = Claims()  # the CSV files: one piece of work, to whichever process asks first

    def timed_csvs() -> float:
        start = time.perf_counter()
        csvs()
        return time.perf_counter() - start

    def excel_then_csvs() -> float | None:
        excel()
        return timed_csvs() if csv_turn.first() else None

    workbook = Forked("excel", excel_then_csvs)
    try:
        start = time.perf_counter()
        report = HtmlReport(tmp, batch, analysis, settings, lang=lang, manifest=manifest,
                            dossiers=settings.dossiers, show_ids=show_ids)
        report.prepare_dossiers()
        claims = DossierClaims()  # whichever process is free writes the next dossiers
        csv_here: list[float] = []

        def dossiers_when_a_core_is_free():
            os.nice(DOSSIER_NICENESS)
            return report.write_dossiers(claims)

        def index_then_dossiers():
            report.write_index()
            if csv_turn.first():
                csv_here.append(timed_csvs())
            return report.write_dossiers(claims)

        side_by_side(("dossiers", dossiers_when_a_core_is_free), ("html", index_then_dossiers))
        seconds = {"html": time.perf_counter() - start - sum(csv_here)}
    except BaseException:
        workbook.cancel()
        raise
    seconds["excel"], csv_there = workbook.result()
    if csv_there is None:
        seconds["csv"] = csv_here[0]
        return seconds, [["html", "csv"], ["excel"]]
    seconds["csv"] = csv_there
    seconds["excel"] -= csv_there
    return seconds, [["html"], ["excel", "csv"]]


def _large_input(path: Path) -> bool:
    """A workbook or folder of CSV big enough to be worth a second process."""
    if path.is_dir():
        size = sum(p.stat().st_size for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        size = path.stat().st_size
    else:
        return False
    return size >= PARALLEL_MIN_INPUT_BYTES


def _read_and_validate(input_path, settings: Settings, lang: str, timer: _Timer,
                       warmer: HeapWarmer | None = None) -> tuple[Batch, bool, engine.Workers | None]:
    """The typed batch, whether its sheets were read side by side, and, after a side-by-side read, the
    processes it started for the analysis (peer scoring, temuan matching).

    A large workbook or folder of CSV is read in two processes: a forked child reads and types laporan and
    temuan, and works out the declarations' income, while this one reads and types harta (the largest
    sheet); the checks across sheets then run here. The result is the same batch as reading in one process
    (with the income columns in laporan, which the features would add). If anything fails on either side, the
    batch is read again in one process, so that the user sees the same message either way. The `warmer`
    starts once harta is typed."""
    from lhkpn_check.reader import read_input
    from lhkpn_check.validate import validate

    path = Path(input_path)
    limit = settings.max_unzipped_bytes
    warmer = warmer or HeapWarmer(enabled=False)
    if CAN_FORK and _large_input(path):
        stages: dict[str, float] = {}
        try:
            batch, workers = _read_validate_side_by_side(path, settings, lang, timer, stages, warmer)
        except Exception:
            batch = None
        if batch is not None:
            timer.timings.update(stages)
            return batch, True, workers
    with timer.stage("read"):
        raw = read_input(path, max_unzipped_bytes=limit, columns=getattr(settings, "kolom", None))
    with timer.stage("validate"):
        return validate(raw, settings, lang=lang), False, None


def _read_validate_side_by_side(path: Path, settings: Settings, lang: str, timer: _Timer,
                                stages: dict[str, float], warmer: HeapWarmer) -> tuple[Batch, engine.Workers]:
    from lhkpn_check.reader import read_input
    from lhkpn_check.validate import type_sheet

    limit = settings.max_unzipped_bytes

    def part(only: frozenset[str]):
        raw = read_input(path, max_unzipped_bytes=limit, only=only, columns=getattr(settings, "kolom", None))
        read_done = time.perf_counter()
        typed = {name: type_sheet(sheet, settings, lang) for name, sheet in raw.sheets.items()}
        return raw.inputs, raw.notes, typed, read_done

    # The peer worker is forked now, while this process is small (a fork of the process holding harta
    # slowed harta's typing by a third with copy-on-write faults), and woken as soon as one side has read
    # and typed its sheets (the laporan child at 20,000 officials; at 200,000, either side, by a second or
    # less). Its warm-up (PyOD's imports and numba's compiling, ~2-3 s of CPU) then uses the core that side
    # leaves, and is over before the features are. Woken only after harta, it was still warming up when
    # they were ready; woken when the first sheet was read (at 200,000 officials, harta, while the laporan
    # child was still typing), it took a share of both busy cores. The temuan matcher, forked now for the
    # same reason, waits for its input (luxury.temuan_inputs) doing nothing. Both before the wake end is
    # duplicated: only the laporan child may hold it.
    worker = scoring.start_worker(settings, lang, dormant=True)
    try:
        workers = engine.Workers(worker, luxury.start_worker(settings))
    except BaseException:
        worker.cancel()
        raise
    early = [worker.wake_end()]

    def laporan(post) -> pd.DataFrame | None:
        """Posts its typed sheets, then works out the income while this process checks the batch."""
        try:
            inputs, notes, typed, read_done = part(frozenset({"laporan", "temuan", "wajib_lapor"}))
        finally:
            wake_by(early.pop())
        post((inputs, notes, typed, read_done))
        return _income(typed["laporan"], settings) if "laporan" in typed else None

    start = time.perf_counter()
    timer.begin("read")
    try:
        child = Forked("laporan", laporan, drain=True, posts=True)
        try:
            os.close(early.pop())  # the laporan child holds its own copy
            own = part(frozenset({"harta"}))
            worker.wake()
            posted = child.posted()
            if "harta" in own[2]:
                warmer.start(WARM_BYTES_PER_ITEM * len(own[2]["harta"].frame))
            timer.begin("validate")
            batch = _merge_and_validate(path, posted, own, settings, lang)
            _, income = child.result()
        except BaseException:
            child.cancel()
            raise
        batch.laporan = _with_income(batch.laporan, posted[2].get("laporan"), income)
    except BaseException:
        workers.cancel()
        raise
    finally:
        for end in early:
            os.close(end)
    stages["read"] = max(posted[3], own[3]) - start
    stages["validate"] = time.perf_counter() - start - stages["read"]
    return batch, workers


def _income(sheet, settings: Settings) -> pd.DataFrame:
    """The accepted declarations' income (features.declaration_income), worked out in the laporan process
    while this one checks the batch: it then costs the run nothing, where the features took ~1 s for it at
    200,000 officials. It needs the laporan sheet alone."""
    from lhkpn_check.features import declaration_income

    accepted = sheet.frame.loc[~sheet.reject]
    return declaration_income(accepted.assign(tahun_lapor=accepted["tahun_lapor"].astype("int64")), settings)


def _with_income(laporan: pd.DataFrame, sheet, income: pd.DataFrame | None) -> pd.DataFrame:
    """The validated laporan with the income columns `_income` worked out for its typed sheet's accepted
    rows, which are all its rows, in order (no check across sheets rejects a declaration); as it is when
    they do not line up, for the features to work the income out themselves."""
    if sheet is None or income is None or len(income) != len(laporan) or not income.index.equals(
            sheet.frame.index[~sheet.reject]):
        return laporan
    return pd.concat([laporan, income.set_axis(laporan.index)], axis=1)


def _warm_report(lang: str) -> None:
    """The report's imports and compiled templates (~0.2 s), made while the peer scores are awaited, which
    this process would spend waiting. Made in a thread while harta was parsed, they slowed a CSV parse by
    ~0.35 s: pandas' parser holds Python's lock most of the time. A failure here is left for the report
    stage to meet and report."""
    try:
        from lhkpn_check import output  # noqa: F401
        from lhkpn_check.report import excel, html  # noqa: F401

        html.warm_up(lang)
    except Exception:  # pragma: no cover
        pass


def _merge_and_validate(path: Path, child, own, settings: Settings, lang: str) -> Batch:
    from lhkpn_check.model import RawBatch
    from lhkpn_check.validate import validate

    inputs, notes, typed, _ = child
    own_inputs, own_notes, own_typed, _ = own
    # The files and notes in the order one process would have met them.
    files = {f.path: f for f in [*inputs, *own_inputs]}
    order = [p for p in (sorted(files) if path.is_dir() else [str(path)]) if p in files]
    position = {Path(p).name: i for i, p in enumerate(order)}
    raw = RawBatch(sheets={}, inputs=[files[p] for p in order],
                   notes=sorted([*notes, *own_notes], key=lambda n: position.get(n["source"], len(order))))
    return validate(raw, settings, lang=lang, typed={**typed, **own_typed})


def _move_into_place(tmp: Path, out: Path) -> None:
    """Swap the finished folder in; the old one (with --force) is removed only after the swap."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
