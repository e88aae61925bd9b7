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


STAGES = [("lhkpn_check.report.excel", "write_workbook", _boom),
          ("lhkpn_check.report.html", "write_html", _boom),
          ("lhkpn_check.output", "write_manifest", _boom),
          ("lhkpn_check.report.excel", "write_workbook", _interrupt)]


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


def test_html_and_workbook_written_side_by_side_match_and_fail_cleanly(workbook, tmp_path, monkeypatch):
    """Large batches write the workbook and part of the dossiers in forked processes: same files as in one
    process, and a failure there leaves no half report."""
    import importlib

    from lhkpn_check import pipeline
    from lhkpn_check.errors import OutputError

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    from lhkpn_check.report.html import DossierClaims

    one = tmp_path / "satu"
    assert cli("run", workbook, "--out", one).exit_code == 0
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_OFFICIALS", 0)
    monkeypatch.setattr(DossierClaims, "CHUNK", 1)  # both processes write dossiers
    two = tmp_path / "dua"
    assert cli("run", workbook, "--out", two).exit_code == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    lanes = json.loads((two / "manifest.json").read_text(encoding="utf-8"))
    # the CSV files written by whichever is free first: this process after the index, or the workbook's
    assert lanes["stages_side_by_side"] in ([["html", "csv"], ["excel"]], [["html"], ["excel", "csv"]])
    assert {"csv", "html", "excel"} <= set(lanes["timings_seconds"])
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for rel in files:
        if rel.name != "manifest.json":
            assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    report = importlib.import_module("lhkpn_check.report.html").HtmlReport
    monkeypatch.setattr(report, "write_dossiers", lambda self, claims=None: _boom(self.out_dir))
    failed = tmp_path / "gagal"
    result = cli("run", workbook, "--out", failed)
    assert result.exit_code != 0 and not failed.exists()
    assert leftovers(tmp_path, failed) == []

    def disk_full(*args, **kwargs):
        raise OutputError("disk penuh (simulasi)")

    monkeypatch.setattr(report, "write_dossiers", disk_full)
    result = cli("run", workbook, "--out", failed)
    assert result.exit_code == 2 and "disk penuh" in result.output and not failed.exists()

    def csv_disk_full(*args, **kwargs):  # in the workbook's process, after the workbook
        raise OutputError("disk penuh saat menulis CSV (simulasi)")

    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_OFFICIALS", 0)
    monkeypatch.setattr(importlib.import_module("lhkpn_check.output"), "write_csvs", csv_disk_full)
    result = cli("run", workbook, "--out", failed)
    assert result.exit_code == 2 and "menulis CSV" in result.output and not failed.exists()
    assert leftovers(tmp_path, failed) == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_sheets_read_side_by_side_give_the_same_report(tmp_path, monkeypatch, fmt):
    """Large inputs are read and typed in two processes: the report is the same, byte for byte."""
    import json

    from lhkpn_check import pipeline
    from lhkpn_check.sample import generate, write_sample

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    write_sample(generate(n_officials=60, years=3, seed=5), tmp_path / "in", fmt=fmt)
    source = tmp_path / "in" / "sampel.xlsx" if fmt == "xlsx" else tmp_path / "in"
    one, two = tmp_path / "satu", tmp_path / "dua"
    assert cli("run", source, "--out", one).exit_code == 0
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_INPUT_BYTES", 0)
    assert cli("run", source, "--out", two).exit_code == 0
    manifests = [json.loads((out / "manifest.json").read_text(encoding="utf-8")) for out in (one, two)]
    assert [m.pop("sheets_side_by_side") for m in manifests] == [False, True]
    for m in manifests:
        m.pop("timings_seconds")
    assert manifests[0] == manifests[1]
    files = snapshot(one)
    assert files.keys() == snapshot(two).keys()
    for rel, data in files.items():
        if rel != "manifest.json":
            assert data == (two / rel).read_bytes(), rel


def test_sheets_read_side_by_side_bring_the_income_worked_out_beside_validation(tmp_path, monkeypatch):
    """The laporan process works the income out while this one validates, and the batch carries it, as
    the features would have worked it out (they skip it then: ~1 s at 200,000 officials)."""
    import pandas as pd

    from lhkpn_check import pipeline
    from lhkpn_check.features import declaration_income
    from lhkpn_check.income import INCOME_COLUMNS
    from lhkpn_check.sample import generate, write_sample
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import load_batch

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    write_sample(generate(n_officials=60, years=3, seed=5), tmp_path / "in", fmt="csv")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_INPUT_BYTES", 0)
    batch, side_by_side, workers = pipeline._read_and_validate(tmp_path / "in", Settings(), "id",
                                                               pipeline._Timer(False))
    workers.cancel()
    assert side_by_side
    one = load_batch(tmp_path / "in", Settings())
    income = list(INCOME_COLUMNS)
    pd.testing.assert_frame_equal(batch.laporan.drop(columns=income), one.laporan)
    pd.testing.assert_frame_equal(batch.laporan[income], declaration_income(one.laporan, Settings()))


def test_sheets_read_side_by_side_refuse_bad_input_with_the_same_message(tmp_path, monkeypatch):
    from lhkpn_check import pipeline

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    book = tiny_book(n_officials=4, years=(2022, 2023))
    book["laporan"].headers[book["laporan"].col("jabatan")] = "Keterangan"
    path = write_xlsx(book, tmp_path / "tanpa-jabatan.xlsx")
    one = cli("run", path, "--out", tmp_path / "satu")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_INPUT_BYTES", 0)
    two = cli("run", path, "--out", tmp_path / "dua")
    assert_refused(one, "jabatan")
    assert two.exit_code == 2 and two.stderr == one.stderr


def test_dossier_claims_hand_each_chunk_to_exactly_one_process():
    from lhkpn_check.forked import Forked
    from lhkpn_check.report.html import DossierClaims

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    claims = DossierClaims()
    n = 50 * DossierClaims.CHUNK + 7
    child = Forked("claims", lambda: [(s.start, s.stop) for s in claims.take(n)])
    mine = [(s.start, s.stop) for s in claims.take(n)]
    _, theirs = child.result()
    taken = sorted(mine + theirs)
    assert taken == [(a, min(a + DossierClaims.CHUNK, n)) for a in range(0, n, DossierClaims.CHUNK)]
    assert claims.left(n) == 0


def test_first_come_work_goes_to_exactly_one_process():
    from lhkpn_check.forked import Claims, Forked

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    for _ in range(20):
        turn = Claims()
        child = Forked("turn", lambda: turn.first())
        mine = turn.first()
        _, theirs = child.result()
        assert [mine, theirs].count(True) == 1
        assert not turn.first()


def test_dormant_child_runs_only_once_woken_and_never_hangs(tmp_path):
    """The peer worker is forked dormant before reading and woken by the first reader done: nothing of it
    may run before a wake; `result()` wakes a child never woken, `cancel()` stops a sleeping one, and a
    sibling process can wake it through `wake_end`."""
    import signal
    import time

    from lhkpn_check.forked import Forked

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    started = tmp_path / "mulai"

    def work():
        started.write_text("ya", encoding="utf-8")
        return time.monotonic()

    child = Forked("dormant", work, dormant=True)
    time.sleep(0.3)
    assert not started.exists()
    woken = time.monotonic()
    child.wake()
    _, began = child.result()
    assert began >= woken and started.exists()
    started.unlink()

    def hung(*_):
        raise TimeoutError("result() waited for a child it never woke")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        assert Forked("dormant", work, dormant=True).result()[1] > woken and started.exists()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    started.unlink()
    sleeping = Forked("dormant", work, dormant=True)
    sleeping.cancel()
    assert not started.exists()

    # Woken from a sibling process (the laporan reader wakes the peer worker when it is done).
    from lhkpn_check.forked import wake_by

    child = Forked("dormant", work, dormant=True)
    end = child.wake_end()
    sibling = Forked("sibling", lambda: wake_by(end))
    os.close(end)
    sibling.result()
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists(), "the sibling's wake did not reach the dormant child"
    asked = time.monotonic()
    assert child.result()[1] < asked, "the child started only when result() woke it"


def test_drained_child_sends_its_result_while_this_process_is_busy():
    """The laporan reader's typed sheets (~230 MB at 200,000 officials) cross while this process types harta:
    with `drain`, a child whose result outgrows the pipe finishes sending and ends before `result()` asks;
    `cancel()` still stops a drained child that is working."""
    import time

    from lhkpn_check.forked import Forked

    if not hasattr(os, "fork") or not os.path.exists("/proc/self/stat"):
        pytest.skip("needs fork and /proc")
    payload = bytes(range(256)) * (32 << 10)  # 8 MiB: far more than a pipe holds

    def ended(pid: int) -> bool:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"

    for drain in (True, False):
        child = Forked("besar", lambda: payload, drain=drain)
        pid = child._pid
        deadline = time.monotonic() + (10 if drain else 1)  # the undrained child: still there after 1 s
        while not ended(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ended(pid) is drain, "a drained child ends on its own; an undrained one waits to be read"
        assert child.result()[1] == payload

    busy = Forked("sibuk", lambda: time.sleep(30), drain=True)
    started = time.monotonic()
    busy.cancel()
    assert time.monotonic() - started < 10


def test_posted_message_arrives_before_the_child_returns(tmp_path):
    """The laporan reader posts its typed sheets, then works out the income while this process validates:
    `posted()` returns before the child is done, `result()` then gives what it returned, and a child that
    fails before posting raises its error from `posted()`. Drained or not."""
    import time

    from lhkpn_check.forked import Forked

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    for drain in (True, False):
        go_on = tmp_path / f"lanjut-{drain}"

        def work(post):
            post({"typed": list(range(100_000))})
            deadline = time.monotonic() + 20
            while not go_on.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            return "income" if go_on.exists() else "waited in vain"

        child = Forked("laporan", work, drain=drain, posts=True)
        assert child.posted() == {"typed": list(range(100_000))}
        go_on.write_text("ya", encoding="utf-8")
        assert child.result()[1] == "income"

        def fails(post):
            raise ValueError("kolom hilang")

        with pytest.raises(ValueError, match="kolom hilang"):
            Forked("laporan", fails, drain=drain, posts=True).posted()


def _glibc() -> bool:
    """The C library is glibc, with mallopt."""
    import ctypes
    import platform

    try:
        return platform.libc_ver()[0] == "glibc" and hasattr(ctypes.CDLL(None), "mallopt")
    except (OSError, TypeError):
        return False


def _glibc_only() -> None:
    if not _glibc():
        pytest.skip("glibc only")


def _faults_of_next_block(tmp_path, size: int, setups: dict[str, str]) -> dict[str, int]:
    """The page faults a fresh interpreter takes for its next `size` bytes, after each setup (Python code)."""
    import subprocess
    import sys

    faults = {}
    for how, setup in setups.items():
        probe = tmp_path / f"probe_{how}.py"
        probe.write_text(setup + "\nimport resource\n"
                         "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
                         f"block = bytearray({size})\n"
                         "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n", encoding="utf-8")
        faults[how] = int(subprocess.run([sys.executable, str(probe)], capture_output=True, text=True,
                                         check=True).stdout)
    return faults


def test_memory_a_thread_freed_is_reused_by_the_main_thread_on_glibc(tmp_path):
    """The thread that receives the laporan reader's sheets frees its buffer into the pool the main thread
    allocates from (one arena): a fresh interpreter's next 200 MB then need no fresh pages."""
    _glibc_only()
    thread = ("import threading\n"
              "t = threading.Thread(target=lambda: bytearray(200 << 20)); t.start(); t.join()\n")
    faults = _faults_of_next_block(tmp_path, 200 << 20, {
        "reuse": "from lhkpn_check.memory import reuse_freed_memory\nreuse_freed_memory()\n" + thread,
        "default": thread})
    pages = (200 << 20) // 4096
    assert faults["reuse"] < pages // 10 < faults["default"], faults


def test_memory_warmed_by_the_background_thread_needs_no_fresh_pages_later(tmp_path):
    """The heap warmer's thread touches new memory and frees it into the pool: afterwards the main thread's
    next 150 MB need no fresh pages, where without it they all do. A warmer not enabled starts nothing."""
    from lhkpn_check.memory import HeapWarmer

    idle = HeapWarmer(enabled=False)
    idle.start(1 << 30)
    assert not idle.busy
    idle.stop()
    _glibc_only()
    setup = ("import time\n"
             "from lhkpn_check.memory import HeapWarmer, reuse_freed_memory\n"
             "warmer = HeapWarmer(enabled=reuse_freed_memory())\n")
    faults = _faults_of_next_block(tmp_path, 150 << 20, {
        "warm": setup + "warmer.start(200 << 20)\nwhile warmer.busy:\n    time.sleep(0.01)\nwarmer.stop()\n",
        "cold": setup + "warmer.stop()\n"})
    pages = (150 << 20) // 4096
    assert faults["warm"] < pages // 10 < faults["cold"], faults


def test_freed_memory_is_kept_for_reuse_where_the_allocator_allows():
    """On glibc the run keeps freed large arrays for the next ones (mallopt accepts both settings); on other
    C libraries the call changes nothing and says so."""
    from lhkpn_check.memory import reuse_freed_memory

    assert reuse_freed_memory() is _glibc()
