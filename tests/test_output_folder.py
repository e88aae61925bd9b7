"""The output folder (issue 6): never overwritten without --force, never left half written.

The run writes into a temporary folder beside --out and moves it into place at the end, so a failure
at any stage leaves either the old folder exactly as it was or no folder at all, and no temp folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile_inputs import tiny_book, write_csv_folder, write_xlsx
from lhkpn_check.cli import main


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_refused(result, *places: str, usage_ok: bool = False) -> None:
    """Exit 2, one message naming `places`: the tool's `Galat: ...`, or (usage_ok) click's usage error."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    usage = usage_ok and message.startswith("Usage:") and message.count("Error:") == 1
    assert usage or (message.startswith("Galat:") and message.count("Galat:") == 1), message
    for place in places:
        assert place in message, f"{place!r} not named in {message!r}"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, out: Path) -> list[str]:
    """Anything beside --out that the run may have left: temp or backup folders."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{out.name}"))


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return write_xlsx(tiny_book(n_officials=4, years=(2022, 2023)), tmp_path_factory.mktemp("in") / "laporan.xlsx")


@pytest.fixture()
def old_report(tmp_path) -> Path:
    out = tmp_path / "hasil"
    (out / "pejabat").mkdir(parents=True)
    (out / "index.html").write_text("<p>laporan lama auditor</p>", encoding="utf-8")
    (out / "pejabat" / "catatan.txt").write_text("catatan pemeriksaan", encoding="utf-8")
    return out


def test_non_empty_out_is_refused_and_untouched_without_force(workbook, old_report):
    before = snapshot(old_report)
    result = cli("run", workbook, "--out", old_report)
    assert_refused(result, "hasil", "--force")
    assert snapshot(old_report) == before
    assert leftovers(old_report.parent, old_report) == []


def test_folder_with_only_a_hidden_file_is_not_empty(workbook, tmp_path):
    out = tmp_path / "hasil"
    out.mkdir()
    (out / ".catatan").write_text("x", encoding="utf-8")
    assert_refused(cli("run", workbook, "--out", out), "hasil")
    assert (out / ".catatan").read_text(encoding="utf-8") == "x"


def test_empty_existing_out_is_used_without_force(workbook, tmp_path):
    out = tmp_path / "hasil"
    out.mkdir()
    result = cli("run", workbook, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "manifest.json").is_file()
    assert leftovers(tmp_path, out) == []


def test_force_replaces_the_whole_folder(workbook, old_report):
    result = cli("run", workbook, "--out", old_report, "--force")
    assert result.exit_code == 0, result.output
    assert not (old_report / "pejabat" / "catatan.txt").exists()
    assert "laporan lama auditor" not in (old_report / "index.html").read_text(encoding="utf-8")
    assert (old_report / "hasil.xlsx").is_file()
    assert leftovers(old_report.parent, old_report) == []


def test_force_twice_gives_the_same_files(workbook, tmp_path):
    out = tmp_path / "hasil"
    assert cli("run", workbook, "--out", out).exit_code == 0
    first = {k: v for k, v in snapshot(out).items() if k.endswith(".csv")}
    assert cli("run", workbook, "--out", out, "--force").exit_code == 0
    assert {k: v for k, v in snapshot(out).items() if k.endswith(".csv")} == first
    assert leftovers(tmp_path, out) == []


def _boom(*args, **kwargs):
    """A writer that starts writing, then fails."""
    for arg in args:
        if isinstance(arg, Path):
            target = arg if arg.suffix else arg / "setengah.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("setengah jadi", encoding="utf-8")
            break
    raise RuntimeError("gagal di tengah jalan (simulasi)")


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


STAGES = [("lhkpn_check.report.excel", "write_workbook_of", _boom),
          ("lhkpn_check.report.html", "write_dossier_pages", _boom),
          ("lhkpn_check.output", "write_manifest", _boom),
          ("lhkpn_check.report.excel", "write_workbook_of", _interrupt)]


@pytest.mark.parametrize("module,func,failure", STAGES, ids=[f"{m.split('.')[-1]}-{f.__name__}" for m, _, f in STAGES])
def test_failure_midway_leaves_no_half_report(workbook, tmp_path, monkeypatch, module, func, failure):
    import importlib

    monkeypatch.setattr(importlib.import_module(module), func, failure)
    out = tmp_path / "hasil"
    result = cli("run", workbook, "--out", out)
    assert result.exit_code != 0
    assert not out.exists(), f"half report left: {sorted(snapshot(out)) if out.exists() else ''}"
    assert leftovers(tmp_path, out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "something written beside --out"


@pytest.mark.parametrize("module,func,failure", STAGES, ids=[f"{m.split('.')[-1]}-{f.__name__}" for m, _, f in STAGES])
def test_failure_midway_with_force_keeps_the_old_report(workbook, old_report, monkeypatch, module, func, failure):
    import importlib

    before = snapshot(old_report)
    monkeypatch.setattr(importlib.import_module(module), func, failure)
    result = cli("run", workbook, "--out", old_report, "--force")
    assert result.exit_code != 0
    assert snapshot(old_report) == before, "the old report was changed by a failed run"
    assert leftovers(old_report.parent, old_report) == []


def test_bad_input_with_force_keeps_the_old_report(old_report, tmp_path):
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 bukan workbook")
    before = snapshot(old_report)
    assert_refused(cli("run", bad, "--out", old_report, "--force"), "rusak.xlsx")
    assert snapshot(old_report) == before
    assert leftovers(tmp_path, old_report) == []


@pytest.mark.parametrize("force", [False, True])
def test_out_pointing_at_an_existing_file_is_refused(workbook, tmp_path, force):
    target = tmp_path / "hasil.txt"
    target.write_text("berkas auditor", encoding="utf-8")
    result = cli("run", workbook, "--out", target, *(["--force"] if force else []))
    assert_refused(result, "hasil.txt", usage_ok=True)
    assert target.read_text(encoding="utf-8") == "berkas auditor"
    assert leftovers(tmp_path, target) == []


def test_out_below_an_existing_file_is_refused(workbook, tmp_path):
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("berkas", encoding="utf-8")
    result = cli("run", workbook, "--out", blocker / "hasil")
    assert_refused(result, "bukan-folder")
    assert blocker.read_text(encoding="utf-8") == "berkas"


@pytest.mark.parametrize("where", ["input-folder", "parent-of-input"])
def test_force_never_deletes_the_input(tmp_path, where):
    """--force replaces an old report; it must not swallow the very data being checked."""
    book = tiny_book(n_officials=4, years=(2022, 2023))
    if where == "input-folder":
        data = write_csv_folder(book, tmp_path / "data")
        source, out = data, data
    else:
        (tmp_path / "data").mkdir()
        source = write_xlsx(book, tmp_path / "data" / "laporan.xlsx")
        out = tmp_path / "data"
    before = snapshot(tmp_path / "data")
    result = cli("run", source, "--out", out, "--force")
    assert "Traceback" not in result.output
    assert result.exit_code == 2, f"--force over the input was accepted: exit {result.exit_code}"
    assert snapshot(tmp_path / "data") == before


def test_out_is_the_current_folder(workbook, tmp_path, monkeypatch):
    cwd = tmp_path / "kerja"
    cwd.mkdir()
    (cwd / "milik-auditor.txt").write_text("jangan dihapus", encoding="utf-8")
    monkeypatch.chdir(cwd)
    assert_refused(cli("run", workbook, "--out", "."), "--force")
    assert (cwd / "milik-auditor.txt").read_text(encoding="utf-8") == "jangan dihapus"
    result = cli("run", workbook, "--out", ".", "--force")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2) and "Traceback" not in result.output, result.output
    if result.exit_code == 0:
        assert (cwd / "index.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp folder left"
    assert not [p for p in cwd.iterdir() if p.name.startswith(".")], "temp folder left inside --out"
    assert os.getcwd() == str(cwd)


def _identical_but_timings(one: Path, two: Path) -> None:
    """Every file the same bytes; manifest.json the same but for its timings."""
    files = snapshot(one)
    assert files.keys() == snapshot(two).keys()
    for rel, data in files.items():
        if rel != "manifest.json":
            assert data == (two / rel).read_bytes(), rel
    manifests = [json.loads((out / "manifest.json").read_text(encoding="utf-8")) for out in (one, two)]
    for m in manifests:
        m.pop("timings_seconds")
    assert manifests[0] == manifests[1]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_outputs_are_byte_identical_for_one_and_two_jobs(tmp_path, monkeypatch, fmt):
    """With two jobs the sheets are read in two processes, the temuan matched, the peer groups fitted and
    the dossiers written partly in a spawned worker: the same bytes as one process writes."""
    from lhkpn_check import pipeline, scoring, validate
    from lhkpn_check.report import html
    from lhkpn_check.sample import generate, write_sample

    write_sample(generate(n_officials=120, years=3, seed=5), tmp_path / "in", fmt=fmt)
    source = tmp_path / "in" / "sampel.xlsx" if fmt == "xlsx" else tmp_path / "in"
    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
    monkeypatch.setattr(html, "DOSSIERS_PER_TASK", 7)  # many tasks: some go to the worker, some stay here
    monkeypatch.setattr(scoring, "GROUPS_PER_JOB", 8)
    monkeypatch.setattr(validate, "FIELDS_PER_TASK", 50)  # the descriptions read in tasks too
    one, two = tmp_path / "satu", tmp_path / "dua"
    monkeypatch.chdir(tmp_path)  # the command line is in the report: the same one for both runs
    assert cli("run", source, "--out", "satu", "--jobs", "1").exit_code == 0
    monkeypatch.setenv("LHKPN_CHECK_JOBS", "2")
    assert cli("run", source, "--out", "dua").exit_code == 0
    assert len(list((two / "pejabat").glob("*.html"))) == 120
    _identical_but_timings(one, two)


def test_a_failure_beside_the_workers_leaves_no_half_report(workbook, tmp_path, monkeypatch):
    """With two jobs the worker writes the workbook, then pages, while this process writes the rest: when the
    workbook fails there, or the CSV files here, no half report, and an OutputError is still one message
    with exit 2."""
    import importlib
    import tempfile

    from lhkpn_check import pipeline
    from lhkpn_check.errors import OutputError

    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):  # the workbook cannot be written in the folder made: the worker's task fails
        folder = real_mkdtemp(*args, **kwargs)
        (Path(folder) / "hasil.xlsx").mkdir()
        return folder

    monkeypatch.setattr(pipeline.tempfile, "mkdtemp", mkdtemp)
    failed = tmp_path / "gagal"
    result = cli("run", workbook, "--out", failed, "--jobs", "2")
    assert result.exit_code != 0 and not failed.exists()
    assert leftovers(tmp_path, failed) == []

    def csv_disk_full(*args, **kwargs):
        raise OutputError("disk penuh saat menulis CSV (simulasi)")

    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
    monkeypatch.setattr(importlib.import_module("lhkpn_check.output"), "write_csvs", csv_disk_full)
    result = cli("run", workbook, "--out", failed, "--jobs", "2")
    assert result.exit_code == 2 and "menulis CSV" in result.output and not failed.exists()
    assert leftovers(tmp_path, failed) == []


def test_sheets_read_in_two_processes_bring_the_income_worked_out_by_the_worker(tmp_path):
    """The worker that types laporan works the income out while this process types harta, and the batch
    carries it, as the features would have worked it out."""
    import pandas as pd

    from lhkpn_check import pipeline, pool
    from lhkpn_check.features import declaration_income
    from lhkpn_check.income import INCOME_COLUMNS
    from lhkpn_check.sample import generate, write_sample
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import load_batch

    write_sample(generate(n_officials=60, years=3, seed=5), tmp_path / "in", fmt="csv")
    timer = pipeline._Timer(False)
    batch = pipeline._read_and_validate(tmp_path / "in", Settings(), "id", timer, pool.get(2))
    one = load_batch(tmp_path / "in", Settings())
    income = list(INCOME_COLUMNS)
    assert set(income) <= set(batch.laporan.columns) and not set(income) & set(one.laporan.columns)
    pd.testing.assert_frame_equal(batch.laporan.drop(columns=income), one.laporan)
    pd.testing.assert_frame_equal(batch.laporan[income], declaration_income(one.laporan, Settings()))
    for name in ("harta", "temuan", "quality"):
        pd.testing.assert_frame_equal(getattr(batch, name), getattr(one, name))
    assert {"read", "validate"} <= timer.timings.keys()


def test_sheets_read_in_two_processes_refuse_bad_input_with_the_same_message(tmp_path, monkeypatch):
    from lhkpn_check import pipeline

    book = tiny_book(n_officials=4, years=(2022, 2023))
    book["laporan"].headers[book["laporan"].col("jabatan")] = "Keterangan"
    path = write_xlsx(book, tmp_path / "tanpa-jabatan.xlsx")
    one = cli("run", path, "--out", tmp_path / "satu", "--jobs", "1")
    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
    two = cli("run", path, "--out", tmp_path / "dua", "--jobs", "2")
    assert_refused(one, "jabatan")
    assert two.exit_code == 2 and two.stderr == one.stderr


def test_small_inputs_start_no_pool(tmp_path, monkeypatch):
    """A batch below POOL_MIN_INPUT_BYTES is done before spawned workers would be ready: no pool."""
    from lhkpn_check import pipeline, pool

    asked = []
    monkeypatch.setattr(pool, "get", lambda jobs: asked.append(jobs))
    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 16 << 20)
    book = tiny_book(n_officials=4, years=(2022, 2023))
    path = write_xlsx(book, tmp_path / "kecil.xlsx")
    assert cli("run", path, "--out", tmp_path / "hasil", "--jobs", "2").exit_code == 0
    assert asked == []
    monkeypatch.setattr(pipeline, "POOL_MIN_INPUT_BYTES", 0)
    assert cli("run", path, "--out", tmp_path / "lagi", "--jobs", "2").exit_code == 0
    assert asked == [2]
