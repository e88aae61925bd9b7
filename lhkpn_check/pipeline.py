"""The batch: read -> validate -> analyze -> write, each stage timed.

Everything is written into a temporary folder beside the output folder and moved into place at the
end, so an interrupted or failed run never leaves half a report behind.
"""

from __future__ import annotations

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

from lhkpn_check import engine, kepatuhan
from lhkpn_check import pool as pools
from lhkpn_check.errors import OutputError
from lhkpn_check.i18n import t
from lhkpn_check.model import Analysis, Batch
from lhkpn_check.register import RunRecord
from lhkpn_check.schema import SCHEMA
from lhkpn_check.settings import Settings

POOL_MIN_INPUT_BYTES = 16 << 20
"""From this input size on, a run with more than one job starts its worker processes: a smaller batch is
done before spawned workers would have imported what they need."""
SCHEMA_SHEETS = frozenset(SCHEMA)
STAGES = ("read", "validate", *engine.STAGES, "manifest", "html", "excel", "csv")


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
              register=None, jobs: int | None = None) -> RunResult:
    """With `register` (a file), the run is marked against it and recorded in it (register.RunRecord).
    `jobs`: processes that share the work (this one and `jobs - 1` workers; default `pool.default_jobs`).
    The outputs are the same for every number."""
    from lhkpn_check.engine import analyze

    out = Path(out).resolve()
    check_out_dir(out, force, lang, input_path)
    book = RunRecord(register, lang, out) if register is not None else None
    timer = _Timer(progress)
    jobs = pools.default_jobs() if jobs is None else max(int(jobs), 1)
    pool = None
    if jobs > 1 and _input_bytes(Path(input_path)) >= POOL_MIN_INPUT_BYTES:
        try:
            pool = pools.get(jobs)
        except (OSError, RuntimeError):  # no processes may be started here: the run goes on in this one
            pool = None
    try:
        batch = _read_and_validate(input_path, settings, lang, timer, pool)
        analysis = analyze(batch, settings, lang=lang, progress=timer.begin, timings=timer.timings, pool=pool)
        analysis.kepatuhan = kepatuhan.compliance(batch, settings)  # None without a roster
        if book is not None:
            with timer.stage("ranking"):  # ranked again without the findings already explained
                analysis = book.mark(analysis, settings)
        from lhkpn_check.output import build_manifest, write_csvs, write_manifest
        from lhkpn_check.report.excel import WorkbookData, write_workbook_of
        from lhkpn_check.report.html import HtmlReport

        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
        workbook = dossiers = None
        try:
            with timer.stage("manifest"):
                manifest = build_manifest(batch, analysis, settings, command=command, lang=lang,
                                          timings=timer.timings)
            if book is not None:
                manifest["register"] = book.manifest_entry()
            with timer.stage("excel"):  # with a pool, a worker writes it, then pages, while this process does the rest
                data = WorkbookData.of(batch, analysis, settings)
                workbook = pools.Shared(pool, write_workbook_of, [(tmp / "hasil.xlsx", data, settings, lang, manifest,
                                                                   show_ids)])
            with timer.stage("html"):
                report = HtmlReport(tmp, batch, analysis, settings, lang=lang, manifest=manifest,
                                    dossiers=settings.dossiers, show_ids=show_ids)
                dossiers = report.start_dossiers(pool)  # with a pool, its workers write pages too
            with timer.stage("csv"):
                write_csvs(tmp, batch, analysis)
            with timer.stage("html"):
                report.write_index()
                dossiers.results()
            with timer.stage("excel"):
                workbook.results()
            with timer.stage("manifest"):
                manifest["timings_seconds"] = {k: round(v, 3) for k, v in timer.timings.items()}
                write_manifest(tmp / "manifest.json", manifest)
            if book is not None:
                book.record(batch, analysis, manifest)
            _move_into_place(tmp, out)
        except BaseException:
            for tasks in (workbook, dossiers):
                if tasks is not None:
                    tasks.cancel()  # no worker may write into the folder once it is removed
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except BaseException:
        if pool is not None and getattr(pool, "_broken", False):
            pools.discard(pool)
        raise
    finally:
        timer.close()
        if book is not None:
            book.close()
    return RunResult(out=out, batch=batch, analysis=analysis, manifest=manifest, lang=lang,
                     timings=dict(timer.timings))


def _input_bytes(path: Path) -> int:
    """The size of a workbook or of a folder's CSV files (0 for anything else)."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if path.is_file():
            return path.stat().st_size
    except OSError:
        pass
    return 0


def _read_and_validate(input_path, settings: Settings, lang: str, timer: _Timer, pool=None) -> Batch:
    """The typed batch. With a pool, a worker reads and types laporan and temuan and works out the
    declarations' income, while this process reads and types harta (the largest sheet); the checks
    across sheets then run here. The batch is the same as one process makes (with the income columns in
    laporan, which the features would add). If the worker fails, the batch is read again here, so that
    the user sees the same message either way."""
    from lhkpn_check.reader import read_input
    from lhkpn_check.validate import validate

    path = Path(input_path)
    if pool is not None and not (path.is_dir() or path.suffix.lower() == ".xlsx"):
        pools.warm_up(pool, lang)
    if pool is not None and (path.is_dir() or path.suffix.lower() == ".xlsx"):
        stages: dict[str, float] = {}
        try:
            batch = _read_validate_shared(path, settings, lang, timer, stages, pool)
        except Exception:
            batch = None
        if batch is not None:
            timer.timings.update(stages)
            return batch
    with timer.stage("read"):
        raw = read_input(path, max_unzipped_bytes=settings.max_unzipped_bytes, columns=getattr(settings, "kolom", None))
    with timer.stage("validate"):
        return validate(raw, settings, lang=lang, pool=pool)


def read_part(path: Path, only: frozenset[str], settings: Settings, lang: str, with_income: bool = False,
              pool=None, digest: frozenset[str] | None = None):
    """Read and type the sheets `only` of the input (validate.type_sheet): (files read, with the SHA-256
    of those of the sheets `digest` (reader.read_input), reader notes, typed sheets, when the reading
    ended, and, `with_income`, the accepted declarations' income)."""
    from lhkpn_check.reader import read_input
    from lhkpn_check.validate import type_sheet

    raw = read_input(path, max_unzipped_bytes=settings.max_unzipped_bytes, only=only,
                     columns=getattr(settings, "kolom", None), digest=digest)
    read_done = time.time()
    typed = {name: type_sheet(sheet, settings, lang, pool) for name, sheet in raw.sheets.items()}
    income = _income(typed["laporan"], settings) if with_income and "laporan" in typed else None
    return raw.inputs, raw.notes, typed, read_done, income


def _read_validate_shared(path: Path, settings: Settings, lang: str, timer: _Timer, stages: dict[str, float],
                          pool) -> Batch:
    start = time.time()
    timer.begin("read")
    # The worker, with less to read and type, hashes every input file, this one's too.
    other = pool.submit(read_part, path, frozenset({"laporan", "temuan", "wajib_lapor"}), settings, lang, True,
                        digest=SCHEMA_SHEETS)
    try:
        # The worker warms up after its reading, which ends before this process has typed harta.
        pools.warm_up(pool, lang)
        own = read_part(path, frozenset({"harta"}), settings, lang, pool=pool, digest=frozenset())
        posted = other.result()
    except BaseException:
        other.cancel()
        raise
    timer.begin("validate")
    batch = _merge_and_validate(path, posted, own, settings, lang)
    batch.laporan = _with_income(batch.laporan, posted[2].get("laporan"), posted[4])
    stages["read"] = max(posted[3], own[3]) - start
    stages["validate"] = time.time() - start - stages["read"]
    return batch


def _income(sheet, settings: Settings) -> pd.DataFrame:
    """The accepted declarations' income (features.declaration_income), worked out in the worker that
    typed laporan while this process types harta: it needs the laporan sheet alone."""
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


def _merge_and_validate(path: Path, child, own, settings: Settings, lang: str) -> Batch:
    from lhkpn_check.model import RawBatch
    from lhkpn_check.validate import validate

    inputs, notes, typed = child[:3]
    own_inputs, own_notes, own_typed = own[:3]
    # The files and notes in the order one process would have met them; a file both read, with the
    # digest the worker took.
    files: dict = {}
    for f in [*inputs, *own_inputs]:
        if f.path not in files or not files[f.path].sha256:
            files[f.path] = f
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
