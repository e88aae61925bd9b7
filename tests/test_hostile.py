"""Hostile and messy input (issue 6): clear refusals, nothing lost, nothing executed, nothing leaked.

Every bad input goes through the command line. It must end in exit 0 with the problem listed in
data_quality.csv, or exit 2 with one plain message naming the place; never a traceback, never exit 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_inputs import (CODE_COLUMNS, DATE_COLUMNS, FORMULAS, HOSTILE_IDS, HOSTILE_TEXT, MARKUP,
                            MONEY_COLUMNS, NAMES, NUMBER_COLUMNS, TEXT_COLUMNS, YEAR_COLUMNS, Table,
                            data_rows, ids_of, names_of, tiny_book, truncated, write_csv, write_csv_folder,
                            write_xlsx, xlsx_with_doctype, zip_declaring_huge_member, zip_with_zeros)
from lhkpn_check.cli import main

HYPO = settings(max_examples=20, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
NETWORK_REF = re.compile(r"""(?:\bsrc|\bhref|\baction|\bposter|\bdata)\s*=\s*["']?\s*(?:https?:|javascript:|//)"""
                         r"""|url\(\s*["']?\s*(?:https?:|//)|@import""", re.I)
LIVE_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror", '<a href="https://jahat.example/')


# -- running the tool ----------------------------------------------------------------------------------

def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_no_bug(result) -> None:
    """Exit 0 or 2, never a traceback or exit 1."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"exit {result.exit_code}: {type(result.exception).__name__}: {result.exception}\n{result.output}")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


def assert_refused(result, *places: str) -> None:
    """Exit 2 with ONE plain message on stderr that names each of `places`."""
    assert_no_bug(result)
    assert result.exit_code == 2, f"expected a refusal (exit 2), got exit 0:\n{result.output}"
    message = result.stderr.strip()
    assert message.startswith("Galat:") and message.count("Galat:") == 1, message
    assert result.stdout.strip() == "", result.stdout
    for place in places:
        assert place.lower() in message.lower(), f"{place!r} not named in: {message}"


def run_ok(input_path: Path, out: Path, *extra) -> Path:
    result = cli("run", input_path, "--out", out, *extra)
    assert_no_bug(result)
    assert result.exit_code == 0, result.output
    return out


def run_module(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    """The real program in its own process: real stderr, real exit code, and a hang becomes a failure."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "lhkpn_check", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env)


def assert_process_refused(proc: subprocess.CompletedProcess, *places: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines and lines[0].startswith("Galat:") and proc.stderr.count("Galat:") == 1, proc.stderr
    for place in places:
        assert place.lower() in proc.stderr.lower(), f"{place!r} not named in: {proc.stderr}"


def load(path: Path, config: Path | None = None):
    from lhkpn_check.settings import load_settings
    from lhkpn_check.validate import load_batch

    return load_batch(path, load_settings(config), lang="id")


# -- reading what was written --------------------------------------------------------------------------

def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def quality_rows(out: Path) -> list[dict]:
    return read_csv(out / "data_quality.csv")


def has_problem(rows, *, sheet: str, row: int, column: str) -> bool:
    """A data-quality row pointing at this cell (row as the spreadsheet shows it, header = 1)."""
    def val(r, key):
        return str(r[key] if isinstance(r, dict) else r.get(key)).lstrip("'")
    return any(val(r, "sheet") == sheet and val(r, "column") == column and val(r, "row") in (str(row), f"{row}.0")
               for r in rows)


def batch_quality(batch) -> list[dict]:
    return batch.quality.astype("object").where(batch.quality.notna(), None).to_dict("records")


def assert_nothing_lost_in_manifest(out: Path, written: dict[str, int]) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = manifest["rows"]
    for sheet, n in written.items():
        assert sheet in rows, f"sheet {sheet} not accounted for in manifest: {rows}"
        c = rows[sheet]
        assert c["read"] == n, f"{sheet}: wrote {n} data rows, manifest says read {c['read']}"
        assert c["read"] == c["accepted"] + c["rejected"], (sheet, c)
        if c["rejected"]:
            assert any(q["sheet"].lstrip("'") == sheet for q in quality_rows(out)), (
                f"{sheet}: {c['rejected']} rows rejected without a data-quality row")
    return manifest


def assert_nothing_lost_in_batch(batch, written: dict[str, int]) -> None:
    for sheet, n in written.items():
        c = batch.counts[sheet]
        assert c.read == n, f"{sheet}: wrote {n} data rows, read {c.read}"
        assert c.read == c.accepted + c.rejected, (sheet, c)
    assert len(batch.laporan) == batch.counts["laporan"].accepted


def xlsx_cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def xlsx_text(path: Path) -> str:
    """Every text part of the workbook, raw (shared strings, inline strings, sheet names)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def assert_nothing_executed(out: Path) -> None:
    for sheet, cell in xlsx_cells(out / "hasil.xlsx"):
        assert cell.data_type != "f", f"hasil.xlsx {sheet}!{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str) and cell.value.startswith("="):
            assert cell.data_type in ("s", "inlineStr"), (sheet, cell.coordinate, cell.value)
    for name in ("ranking.csv", "findings.csv", "data_quality.csv"):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            for n, row in enumerate(csv.reader(fh), start=1):
                for field in row:
                    if field.startswith(RISKY_START):
                        try:
                            float(field)
                        except ValueError:
                            pytest.fail(f"{name} line {n}: field {field!r} would run as a formula")


def html_pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def assert_markup_inert(out: Path) -> None:
    pages = html_pages(out)
    assert (out / "index.html") in pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for live in LIVE_MARKUP:
            assert live not in text, f"{page.relative_to(out)}: live markup {live!r}"
        m = NETWORK_REF.search(text)
        assert m is None, f"{page.relative_to(out)} references the network: {text[m.start():m.end() + 40]!r}"


def assert_safe_dossier_names(out: Path) -> None:
    for path in out.rglob("*"):
        rel = path.relative_to(out)
        for part in rel.parts:
            assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", part) and ".." not in part, f"unsafe name {rel}"
            assert len(part) <= 120, f"name too long: {rel}"
        assert path.resolve().is_relative_to(out.resolve())


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# -- fixtures ------------------------------------------------------------------------------------------

@pytest.fixture()
def book():
    return tiny_book()


@pytest.fixture()
def workbook(tmp_path, book) -> Path:
    return write_xlsx(book, tmp_path / "laporan.xlsx")


def small_config(tmp_path: Path, limit: int) -> Path:
    path = tmp_path / "batas.toml"
    path.write_text(f"max_unzipped_bytes = {limit}\n", encoding="utf-8")
    return path


# ======================================================================================================
# The tiny valid batch itself: the baseline every mutation is measured against
# ======================================================================================================

def test_tiny_book_is_read_whole(tmp_path, book, workbook):
    batch = load(workbook)
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert batch.counts["laporan"].accepted == len(book["laporan"].rows)
    assert sorted(batch.laporan["id_pn"].unique()) == ids_of(book)


# ======================================================================================================
# Files that are not what they claim: exit 2 naming the file
# ======================================================================================================

@pytest.mark.parametrize("name", ["kosong.xlsx", "kosong.csv"])
def test_empty_file_is_refused_naming_it(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert_refused(cli("validate", path), name)
    assert_refused(cli("run", path, "--out", tmp_path / "hasil"), name)
    assert not (tmp_path / "hasil").exists()


def test_empty_file_real_process_stderr(tmp_path):
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert_process_refused(run_module("validate", path), "kosong.xlsx")


@given(cut=st.floats(min_value=0.0, max_value=0.999))
@HYPO
def test_truncated_workbook_is_refused_naming_it(cut):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        whole = write_xlsx(tiny_book(), tmp / "utuh.xlsx")
        n = int(whole.stat().st_size * cut)
        broken = truncated(whole, tmp / "terpotong.xlsx", n)
        assert_refused(cli("validate", broken), "terpotong.xlsx")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_named_xlsx_is_refused_or_read_never_a_traceback(tmp_path, book, delimiter):
    path = write_csv(book["laporan"], tmp_path / "bukan-excel.xlsx", delimiter=delimiter)
    result = cli("validate", path)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "bukan-excel.xlsx")
    else:
        assert_nothing_lost_in_batch(load(path), {"laporan": len(book["laporan"].rows)})


def test_plain_text_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "catatan.xlsx"
    path.write_text("Ini catatan rapat, bukan lembar kerja.\nBaris kedua.\n", encoding="utf-8")
    assert_refused(cli("validate", path), "catatan.xlsx")


def test_binary_junk_named_csv_is_refused_or_listed(tmp_path):
    path = tmp_path / "sampah.csv"
    path.write_bytes(bytes(range(256)) * 40)
    result = cli("validate", path)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "sampah.csv")


def test_workbook_without_laporan_is_refused_naming_the_sheet(tmp_path, book):
    del book["laporan"]
    path = write_xlsx(book, tmp_path / "tanpa-laporan.xlsx")
    assert_refused(cli("validate", path), "tanpa-laporan.xlsx", "laporan")


def test_workbook_with_only_an_unrelated_sheet_is_refused(tmp_path):
    path = write_xlsx({"Sheet1": Table(["kolom a", "kolom b"], [["1", "2"], ["3", "4"]])}, tmp_path / "lain.xlsx")
    assert_refused(cli("validate", path), "lain.xlsx", "laporan")


def test_missing_input_folder_of_csv_without_laporan_is_refused(tmp_path, book):
    folder = write_csv_folder({"harta": book["harta"]}, tmp_path / "folder-csv")
    assert_refused(cli("validate", folder), "folder-csv", "laporan")


# ======================================================================================================
# Missing required columns: exit 2 naming file, sheet and column
# ======================================================================================================

@pytest.mark.parametrize("column", ["id_pn", "nama", "lembaga", "jabatan"])
def test_missing_required_column_is_refused_naming_it(tmp_path, book, column):
    book["laporan"].drop(column)
    path = write_xlsx(book, tmp_path / "kurang-kolom.xlsx")
    assert_refused(cli("validate", path), "kurang-kolom.xlsx", "laporan", column)


def test_missing_both_year_and_date_is_refused_naming_them(tmp_path, book):
    book["laporan"].drop("tahun_lapor")
    book["laporan"].drop("tanggal_lapor")
    path = write_xlsx(book, tmp_path / "tanpa-tahun.xlsx")
    result = cli("validate", path)
    assert_refused(result, "tanpa-tahun.xlsx", "laporan")
    assert "tahun_lapor" in result.stderr or "tanggal_lapor" in result.stderr, result.stderr


def test_missing_year_but_date_given_takes_the_year_from_the_date(tmp_path, book):
    years = book["laporan"].column("tahun_lapor")
    book["laporan"].drop("tahun_lapor")
    path = write_xlsx(book, tmp_path / "hanya-tanggal.xlsx")
    batch = load(path)
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert sorted(batch.laporan["tahun_lapor"].astype(int)) == sorted(years)


def test_missing_required_column_real_process_stderr(tmp_path, book):
    book["laporan"].drop("jabatan")
    path = write_xlsx(book, tmp_path / "kurang.xlsx")
    assert_process_refused(run_module("validate", path), "kurang.xlsx", "laporan", "jabatan")


def test_missing_required_column_in_csv_names_the_file(tmp_path, book):
    book["laporan"].drop("id_pn")
    path = write_csv(book["laporan"], tmp_path / "laporan.csv")
    assert_refused(cli("validate", path), "laporan.csv", "id_pn")


def test_harta_without_kategori_is_refused_or_fully_accounted(tmp_path, book):
    book["harta"].drop("kategori")
    path = write_xlsx(book, tmp_path / "harta-kurang.xlsx")
    result = cli("validate", path)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "harta-kurang.xlsx", "harta", "kategori")
    else:
        batch = load(path)
        assert_nothing_lost_in_batch(batch, data_rows(book))
        assert any(str(q.get("column")) == "kategori" for q in batch_quality(batch))


# ======================================================================================================
# Wrong types in every typed column (hypothesis): exit 0, the cell listed in data quality
# ======================================================================================================

TYPED_CELLS = [(sheet, col) for kinds in (MONEY_COLUMNS, YEAR_COLUMNS, DATE_COLUMNS, CODE_COLUMNS, NUMBER_COLUMNS)
               for sheet, cols in kinds.items() for col in cols]
NONSENSE = st.from_regex(r"\Aqz[a-zA-Z ]{0,14}[a-zA-Z]\Z")
"""Text that is no number, date, year or code in any language (always starts 'qz')."""


@given(cell=st.sampled_from(TYPED_CELLS), row=st.integers(0, 3), text=NONSENSE)
@HYPO
def test_text_in_a_typed_column_is_listed_not_fatal(cell, row, text):
    sheet, column = cell
    book = tiny_book()
    book[sheet].set(row, column, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(book, Path(tmp) / "salah-tipe.xlsx")
        result = cli("validate", path)
        assert_no_bug(result)
        assert result.exit_code == 0, result.output
        batch = load(path)
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert has_problem(batch_quality(batch), sheet=sheet, row=row + 2, column=column), (
        f"{sheet} row {row + 2} column {column} = {text!r} not listed in data quality")


@pytest.mark.parametrize("cell", TYPED_CELLS, ids=[f"{s}-{c}" for s, c in TYPED_CELLS])
def test_nonsense_in_each_typed_column_is_listed(tmp_path, cell):
    """Every typed column, not a sample: a cell that is no number/date/year/code is never silently replaced."""
    sheet, column = cell
    book = tiny_book(n_officials=2, years=(2022, 2023))
    book[sheet].set(1, column, "qz tidak tahu")
    path = write_xlsx(book, tmp_path / "salah-tipe.xlsx")
    batch = load(path)
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert has_problem(batch_quality(batch), sheet=sheet, row=3, column=column), (
        f"{sheet} row 3 column {column} = 'qz tidak tahu' not listed in data quality")


@pytest.mark.parametrize("typo", ["20222", "-2021", "2O21", "21"])
def test_mistyped_year_with_a_valid_date_is_still_listed(tmp_path, book, typo):
    """A year the reader cannot use is noted even when the date can stand in for it."""
    book["laporan"].set(1, "tahun_lapor", typo)
    batch = load(write_xlsx(book, tmp_path / "tahun-salah.xlsx"))
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert has_problem(batch_quality(batch), sheet="laporan", row=3, column="tahun_lapor"), typo


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(sheet_col=st.sampled_from([(s, c) for s, cols in
                                  {"laporan": tiny_book()["laporan"].headers,
                                   "harta": tiny_book()["harta"].headers,
                                   "temuan": tiny_book()["temuan"].headers}.items() for c in cols]),
       row=st.integers(0, 3), text=ANY_TEXT)
@HYPO
def test_any_text_in_any_cell_of_a_workbook_never_breaks_the_tool(sheet_col, row, text):
    sheet, column = sheet_col
    book = tiny_book()
    book[sheet].set(row, column, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_xlsx(book, Path(tmp) / "acak.xlsx")
        result = cli("validate", path)
        assert_no_bug(result)
        assert result.exit_code == 0, result.output  # one odd cell never stops the batch
        assert_nothing_lost_in_batch(load(path), data_rows(book))


@given(column=st.sampled_from(tiny_book()["laporan"].headers), row=st.integers(0, 3),
       text=st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
@HYPO
def test_any_text_in_any_cell_of_a_csv_never_breaks_the_tool(column, row, text):
    book = tiny_book()
    book["laporan"].set(row, column, text)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(book["laporan"], Path(tmp) / "laporan.csv")
        result = cli("validate", path)
        assert_no_bug(result)
        if result.exit_code == 0:
            assert_nothing_lost_in_batch(load(path), {"laporan": len(book["laporan"].rows)})
        else:
            assert_refused(result, "laporan.csv")


# ======================================================================================================
# Negative, absurd and out-of-range values; duplicates
# ======================================================================================================

def test_negative_and_absurd_money_is_listed(tmp_path, book):
    lap = book["laporan"]
    planted = {(0, "kas"): -5, (1, "tanah_bangunan"): 10 ** 18, (2, "surat_berharga"): "Rp 1.000.000.000.000.000.000",
               (3, "alat_transportasi"): "Rp -5", (4, "hutang"): -1_000_000}
    for (row, col), value in planted.items():
        lap.set(row, col, value)
    book["harta"].set(0, "nilai_pelaporan", 10 ** 18)
    path = write_xlsx(book, tmp_path / "nilai-aneh.xlsx")
    out = run_ok(path, tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, data_rows(book))
    quality = quality_rows(out)
    for (row, col), value in planted.items():
        assert has_problem(quality, sheet="laporan", row=row + 2, column=col), f"{col}={value!r} not listed"
    assert has_problem(quality, sheet="harta", row=2, column="nilai_pelaporan")
    for r in read_csv(out / "findings.csv"):
        if r["amount"]:
            assert abs(float(r["amount"])) < 1e16, f"absurd value reached a finding: {r}"


def test_years_in_the_future_or_before_1990_are_listed(tmp_path, book):
    future = dt.date.today().year + 3
    lap = book["laporan"]
    lap.set(0, "tahun_lapor", future)
    lap.set(0, "tanggal_lapor", f"31 Desember {future}")
    lap.set(1, "tahun_lapor", 1985)
    lap.set(1, "tanggal_lapor", "31 Desember 1985")
    lap.set(2, "tahun_lapor", 20222)
    lap.set(3, "tahun_lapor", -2021)
    path = write_xlsx(book, tmp_path / "tahun-aneh.xlsx")
    out = run_ok(path, tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, data_rows(book))
    quality = quality_rows(out)
    for row in (0, 1, 2, 3):
        assert has_problem(quality, sheet="laporan", row=row + 2, column="tahun_lapor"), f"row {row + 2}"
    years = {int(r["tahun_lapor"]) for r in read_csv(out / "ranking.csv") if r["tahun_lapor"]}
    assert all(1990 <= y <= dt.date.today().year + 1 for y in years), years


@pytest.mark.parametrize("conflicting", [False, True])
def test_duplicate_declarations_are_reported_never_merged(tmp_path, book, conflicting):
    lap = book["laporan"]
    copy_row = list(lap.rows[1])
    if conflicting:
        copy_row[lap.col("kas")] = "Rp 999.000.000"
    lap.rows.append(copy_row)
    dup_row = len(lap.rows) + 1  # as the spreadsheet shows it
    path = write_xlsx(book, tmp_path / "ganda.xlsx")
    out = run_ok(path, tmp_path / "hasil")
    manifest = assert_nothing_lost_in_manifest(out, data_rows(book))
    quality = [q for q in quality_rows(out) if q["sheet"] == "laporan"]
    rows_named = {q["row"].lstrip("'") for q in quality}
    assert {"3", str(dup_row)} & rows_named, f"duplicate of row 3 at row {dup_row} not reported: {quality}"
    counts = manifest["rows"]["laporan"]
    # never silently merged: either both kept, or one rejected with its own quality row
    assert counts["accepted"] + counts["rejected"] == len(lap.rows)


# ======================================================================================================
# Encodings and delimiters
# ======================================================================================================

def _with_accents(book):
    lap = book["laporan"]
    first = lap.rows[0][lap.col("id_pn")]
    for r, row in enumerate(lap.rows):
        if row[lap.col("id_pn")] == first:  # every declaration of the official: the ranking shows the latest
            lap.set(r, "nama", "Dédé Müller Çakrawala")
            lap.set(r, "jabatan", "Kepala Seksi Pengadaan Barang & Jasa – Bagian Umum")
    return book


def test_latin1_csv_is_read_with_a_note(tmp_path, book):
    book = _with_accents(book)
    path = write_csv(book["laporan"], tmp_path / "laporan.csv", encoding="cp1252")
    out = run_ok(path, tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, {"laporan": len(book["laporan"].rows)})
    names = {r["nama"] for r in read_csv(out / "ranking.csv")}
    assert "Dédé Müller Çakrawala" in names, names
    assert any("laporan.csv" in q["source"] for q in quality_rows(out)), "encoding fallback without a note"


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_utf8_csv_with_or_without_bom_any_delimiter(tmp_path, book, delimiter, bom):
    book = _with_accents(book)
    path = write_csv(book["laporan"], tmp_path / "laporan.csv", delimiter=delimiter, bom=bom)
    batch = load(path)
    assert_nothing_lost_in_batch(batch, {"laporan": len(book["laporan"].rows)})
    assert batch.counts["laporan"].accepted == len(book["laporan"].rows)
    assert "Dédé Müller Çakrawala" in set(batch.laporan["nama"])
    assert sorted(batch.laporan["id_pn"].unique()) == ids_of(book)


def test_folder_of_csv_semicolon_bom_reads_every_sheet(tmp_path, book):
    folder = write_csv_folder(book, tmp_path / "csv", delimiter=";", bom=True)
    out = run_ok(folder, tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, data_rows(book))


def test_large_csv_read_fast_drops_blank_rows_as_the_careful_reader_does(tmp_path, monkeypatch):
    """A CSV over 1 MiB goes through pandas' C parser; blank lines and rows of delimiters alone go, a row
    whose first cell alone is empty stays, and every row keeps its line number, as in the careful path."""
    from lhkpn_check import reader

    lines = ["id_pn,nama,lembaga,jabatan,tahun_lapor"]
    for i in range(40_000):
        lines.append("" if i % 997 == 5 else ",,,," if i % 1009 == 7 else
                     f",Tanpa Id {i},Dinas Uji,Staf,2023" if i % 1013 == 9 else f"{1000 + i},Pejabat {i},Dinas Uji,Staf,2023")
    path = tmp_path / "laporan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    fast = reader.read_input(path).sheets["laporan"].frame
    monkeypatch.setattr(reader, "_read_csv_c", lambda *a: None)
    careful = reader.read_input(path).sheets["laporan"].frame

    def cells(frame):  # missing alike, whether None or NaN
        return frame.astype(object).where(frame.notna(), None)

    pd.testing.assert_frame_equal(cells(fast), cells(careful))
    assert len(fast) == 40_000 - sum(1 for i in range(40_000) if i % 997 == 5 or i % 1009 == 7)
    assert fast["id_pn"].isna().sum() == sum(1 for i in range(40_000) if i % 1013 == 9 and i % 997 != 5 and i % 1009 != 7)
    assert fast["_row"].iloc[-1] == 40_001


# ======================================================================================================
# Huge cells
# ======================================================================================================

def test_100k_character_cells_are_read_and_reported(tmp_path, book):
    big = "A" * 100_000
    book["laporan"].set(0, "nama", big)
    book["laporan"].set(1, "kas", "9" * 100_000)
    book["laporan"].set(2, "jabatan", "<b>" * 33_000)
    book["harta"].set(0, "uraian", "MOBIL, " + "X" * 100_000)
    book["temuan"].set(0, "bukti", "https://contoh.example/" + "x" * 100_000)
    path = write_xlsx(book, tmp_path / "sel-raksasa.xlsx")
    out = run_ok(path, tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, data_rows(book))
    assert has_problem(quality_rows(out), sheet="laporan", row=3, column="kas")
    truncated = [q for q in quality_rows(out) if q.get("column") == "nama" and str(q.get("row")) == "2"]
    assert truncated and truncated[0]["value"] == "A" * 60, "the long name is listed, shortened"
    assert_markup_inert(out)
    assert_nothing_executed(out)


# ======================================================================================================
# Formulas, markup and hostile ids in every text column: nothing executed, nothing leaked
# ======================================================================================================

def hostile_book():
    """Every text cell holds a formula or markup payload; ids are path tricks and payloads."""
    book = tiny_book(n_officials=len(HOSTILE_IDS), years=(2022, 2023))
    id_of = dict(zip(sorted(set(book["laporan"].column("id_pn"))), HOSTILE_IDS))
    for name, table in book.items():
        for r, row in enumerate(table.rows):
            row[table.col("id_pn")] = id_of[row[table.col("id_pn")]]
            for k, col in enumerate(TEXT_COLUMNS[name]):
                row[table.col(col)] = HOSTILE_TEXT[(r + k) % len(HOSTILE_TEXT)]
    return book


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("jahat")
    book = hostile_book()
    (root / "masukan").mkdir()
    path = write_xlsx(book, root / "masukan" / "jahat.xlsx")
    cwd = root / "kerja"
    cwd.mkdir()
    before = files_under(root)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = cli("run", path, "--out", root / "a" / "b" / "hasil")
    finally:
        os.chdir(old)
    return root, book, result, before


def test_hostile_text_run_exits_0_and_loses_nothing(hostile_run):
    root, book, result, _ = hostile_run
    assert_no_bug(result)
    assert result.exit_code == 0, result.output
    assert_nothing_lost_in_manifest(root / "a" / "b" / "hasil", data_rows(book))
    ranked = {r["id_pn"].removeprefix("'") for r in read_csv(root / "a" / "b" / "hasil" / "ranking.csv")}
    assert ranked == set(HOSTILE_IDS), "an official with a hostile id was lost"


def test_hostile_text_nothing_executed(hostile_run):
    root, _, result, _ = hostile_run
    assert result.exit_code == 0, result.output
    assert_nothing_executed(root / "a" / "b" / "hasil")


def test_hostile_text_markup_inert(hostile_run):
    root, _, result, _ = hostile_run
    assert result.exit_code == 0, result.output
    assert_markup_inert(root / "a" / "b" / "hasil")


def test_hostile_ids_write_nothing_outside_out(hostile_run):
    root, _, result, before = hostile_run
    assert result.exit_code == 0, result.output
    out = root / "a" / "b" / "hasil"
    new = files_under(root) - before
    outside = sorted(str(p.relative_to(root)) for p in new if not p.resolve().is_relative_to(out.resolve()))
    assert outside == [], f"files written outside --out: {outside}"
    assert sorted(p.name for p in (root / "a" / "b").iterdir()) == ["hasil"], "temp folder left beside --out"
    assert_safe_dossier_names(out)
    assert len(list((out / "pejabat").glob("*.html"))) == len(HOSTILE_IDS)


@pytest.mark.parametrize("bad_id", ["12\x003", "\x00", "a\x00/../../x", "1" * 10_000])
def test_nul_and_very_long_ids_in_csv(tmp_path, book, bad_id):
    book["laporan"].set(0, "id_pn", bad_id)
    path = write_csv(book["laporan"], tmp_path / "laporan.csv")
    out = tmp_path / "x" / "hasil"
    before = files_under(tmp_path)
    result = cli("run", path, "--out", out)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "laporan.csv")
        return
    assert_nothing_lost_in_manifest(out, {"laporan": len(book["laporan"].rows)})
    new = files_under(tmp_path) - before
    assert all(p.resolve().is_relative_to(out.resolve()) for p in new)
    assert_safe_dossier_names(out)
    for page in html_pages(out):
        assert "\x00" not in page.read_text(encoding="utf-8")


@given(payload=st.sampled_from(HOSTILE_TEXT), column=st.sampled_from(TEXT_COLUMNS["laporan"]),
       extra=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12))
@settings(max_examples=6, deadline=None, derandomize=True)
def test_payload_with_random_tail_in_a_csv_run(payload, column, extra):
    book = tiny_book(n_officials=3, years=(2022, 2023))
    book["laporan"].set(0, column, payload + extra)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_csv(book["laporan"], tmp / "laporan.csv")
        out = run_ok(path, tmp / "hasil")
        assert_nothing_lost_in_manifest(out, {"laporan": len(book["laporan"].rows)})
        assert_nothing_executed(out)
        assert_markup_inert(out)


# ======================================================================================================
# Zip bombs and XML entity tricks
# ======================================================================================================

def test_member_declaring_a_huge_size_is_refused_before_parsing(tmp_path, workbook):
    bomb = zip_declaring_huge_member(workbook, tmp_path / "bom.xlsx")
    config = small_config(tmp_path, 1_000_000)
    assert_refused(cli("validate", bomb, "--config", config), "bom.xlsx")
    assert_refused(cli("validate", bomb), "bom.xlsx")  # ~4 GB declared: over the default 1 GiB too
    assert_refused(cli("run", bomb, "--out", tmp_path / "hasil"), "bom.xlsx")
    assert not (tmp_path / "hasil").exists()


def test_real_zip_bomb_is_refused_by_the_configured_limit(tmp_path, workbook):
    bomb = zip_with_zeros(workbook, tmp_path / "nol.xlsx", 50_000_000)
    assert bomb.stat().st_size < 1_000_000
    assert_refused(cli("validate", bomb, "--config", small_config(tmp_path, 10_000_000)), "nol.xlsx")
    # the limit is what refused it: with room enough the same file is read
    roomy = tmp_path / "lega"
    roomy.mkdir()
    result = cli("validate", bomb, "--config", small_config(roomy, 100_000_000))
    assert_no_bug(result)
    assert result.exit_code == 0, result.output


def test_small_limit_still_reads_a_small_workbook(tmp_path, book, workbook):
    batch = load(workbook, small_config(tmp_path, 1_000_000))
    assert_nothing_lost_in_batch(batch, data_rows(book))


def test_zip_bomb_real_process_stderr(tmp_path, workbook):
    bomb = zip_with_zeros(workbook, tmp_path / "nol.xlsx", 50_000_000)
    proc = run_module("validate", bomb, "--config", small_config(tmp_path, 10_000_000))
    assert_process_refused(proc, "nol.xlsx")


@pytest.mark.parametrize("kind", ["laughs", "external"])
def test_xml_entity_tricks_are_refused_or_not_expanded(tmp_path, workbook, kind):
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-XXE-7f3a", encoding="utf-8")
    trick = xlsx_with_doctype(workbook, tmp_path / f"entitas-{kind}.xlsx", kind=kind, secret_file=secret)
    out = tmp_path / "hasil"
    proc = run_module("run", trick, "--out", out, timeout=120)  # a hang is a failure, not a stuck suite
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 2), (proc.returncode, proc.stderr)
    if proc.returncode == 2:
        assert_process_refused(proc, trick.name)
        return
    for path in files_under(out):
        data = path.read_bytes()
        assert b"RAHASIA-XXE" not in data, f"external entity content leaked into {path.name}"
        assert b"lollollollollollollollollollol" not in data, f"entities expanded into {path.name}"


# ======================================================================================================
# Configuration files
# ======================================================================================================

@pytest.mark.parametrize("text", ["ini bukan toml [[[", "max_unzipped_bytes = = 3", "\x00\x01\x02"])
def test_config_that_is_not_toml_is_refused_naming_the_file(tmp_path, workbook, text):
    config = tmp_path / "konfig.toml"
    config.write_text(text, encoding="utf-8")
    assert_refused(cli("validate", workbook, "--config", config), "konfig.toml")
    assert_refused(cli("run", workbook, "--config", config, "--out", tmp_path / "hasil"), "konfig.toml")


def test_config_in_latin1_is_refused_or_read(tmp_path, workbook):
    config = tmp_path / "konfig.toml"
    config.write_bytes("# catatan: ambang untuk Dédé\nseed = 3\n".encode("cp1252"))
    result = cli("validate", workbook, "--config", config)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "konfig.toml")


@pytest.mark.parametrize("text,key", [("ambang_rahasia = 3\n", "ambang_rahasia"),
                                      ("[lhkpn_check]\nbatas_zip = 10\n", "batas_zip"),
                                      ('max_unzipped_bytes = "banyak"\n', "max_unzipped_bytes"),
                                      ("seed = true\n", "seed"),
                                      ("max_unzipped_bytes = [1, 2]\n", "max_unzipped_bytes")])
def test_config_unknown_key_or_wrong_type_is_refused_naming_the_key(tmp_path, workbook, text, key):
    config = tmp_path / "konfig.toml"
    config.write_text(text, encoding="utf-8")
    assert_refused(cli("validate", workbook, "--config", config), "konfig.toml", key)


def test_config_is_a_folder_or_missing(tmp_path, workbook):
    assert_no_bug(cli("validate", workbook, "--config", tmp_path))
    assert cli("validate", workbook, "--config", tmp_path).exit_code == 2
    assert_refused(cli("validate", workbook, "--config", tmp_path / "tidak-ada.toml"), "tidak-ada.toml")


# ======================================================================================================
# Privacy: masked ids, counts only on the terminal, hashes not contents in the manifest
# ======================================================================================================

@pytest.fixture(scope="module")
def private_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("privasi")
    book = tiny_book()
    path = write_xlsx(book, root / "laporan.xlsx")
    masked = cli("run", path, "--out", root / "tersamar")
    shown = cli("run", path, "--out", root / "terbuka", "--show-ids")
    checked = cli("validate", path)
    return root, book, path, masked, shown, checked


def _report_text(out: Path) -> dict[str, str]:
    texts = {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in html_pages(out)}
    texts["hasil.xlsx"] = xlsx_text(out / "hasil.xlsx")
    return texts


def test_ids_masked_in_html_and_excel_by_default(private_runs):
    root, book, _, masked, _, _ = private_runs
    assert masked.exit_code == 0, masked.output
    for name, text in _report_text(root / "tersamar").items():
        for id_pn in ids_of(book):
            at = text.find(id_pn)
            assert at < 0, f"full id {id_pn} visible in {name}: ...{text[max(0, at - 80):at + 40]!r}..."
    xlsx_values = " ".join(str(c.value) for _, c in xlsx_cells(root / "tersamar" / "hasil.xlsx"))
    for id_pn in ids_of(book):
        assert id_pn[-4:] in xlsx_values, "the masked id should still show its last 4 digits"


def test_dossier_file_names_do_not_reveal_full_ids_by_default(private_runs):
    root, book, _, masked, _, _ = private_runs
    assert masked.exit_code == 0, masked.output
    names = [str(p.relative_to(root / "tersamar")) for p in files_under(root / "tersamar")]
    for id_pn in ids_of(book):
        assert not any(id_pn in n for n in names), f"full id {id_pn} in a file name: {names}"


def test_ids_shown_with_show_ids(private_runs):
    root, book, _, _, shown, _ = private_runs
    assert shown.exit_code == 0, shown.output
    texts = _report_text(root / "terbuka")
    html = "\n".join(v for k, v in texts.items() if k.endswith(".html"))
    for id_pn in ids_of(book):
        assert id_pn in html, f"--show-ids: {id_pn} not in any page"
        assert id_pn in texts["hasil.xlsx"], f"--show-ids: {id_pn} not in hasil.xlsx"


def test_terminal_output_has_counts_only(private_runs):
    _, book, _, masked, shown, checked = private_runs
    for result in (masked, shown, checked):
        assert result.exit_code == 0, result.output
        for secret in ids_of(book) + names_of(book):
            assert secret not in result.output, f"{secret!r} printed to the terminal"
        for secret in ids_of(book):
            assert secret[:10] not in result.output


def test_manifest_holds_hashes_not_contents(private_runs):
    root, book, path, masked, _, _ = private_runs
    assert masked.exit_code == 0, masked.output
    text = (root / "tersamar" / "manifest.json").read_text(encoding="utf-8")
    for secret in ids_of(book) + names_of(book) + ["PEMERINTAH PROVINSI LAMPUNG", "Kepala Bidang"]:
        assert secret not in text, f"{secret!r} in manifest.json"
    manifest = json.loads(text)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert [f["sha256"] for f in manifest["inputs"]] == [digest]


def test_reports_never_reference_the_network(private_runs):
    root, _, _, masked, shown, _ = private_runs
    assert masked.exit_code == 0 and shown.exit_code == 0
    assert_markup_inert(root / "tersamar")
    assert_markup_inert(root / "terbuka")


def test_names_with_markup_are_escaped_not_dropped(tmp_path, book):
    for r in range(len(book["laporan"].rows)):
        if book["laporan"].rows[r][1] == NAMES[0]:
            book["laporan"].set(r, "nama", MARKUP[0])
    out = run_ok(write_xlsx(book, tmp_path / "nama.xlsx"), tmp_path / "hasil")
    pages = "\n".join(p.read_text(encoding="utf-8") for p in html_pages(out))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages or "&lt;script&gt;alert(1)&lt;&#x2f;script&gt;" in pages
    assert MARKUP[0] not in pages


def test_formula_names_reach_excel_as_text(tmp_path, book):
    lap = book["laporan"]
    official = {id_pn: k for k, id_pn in enumerate(ids_of(book))}
    for r, row in enumerate(lap.rows):
        lap.set(r, "nama", FORMULAS[official[row[lap.col("id_pn")]] % len(FORMULAS)])
    out = run_ok(write_xlsx(book, tmp_path / "rumus.xlsx"), tmp_path / "hasil")
    assert_nothing_executed(out)
    texts = [str(c.value) for _, c in xlsx_cells(out / "hasil.xlsx") if isinstance(c.value, str)]
    assert any("HYPERLINK" in t for t in texts), "the formula-like name was dropped instead of shown as text"


# ======================================================================================================
# Odd shapes: title rows, header-only sheets, everything rejected, duplicate headers, foreign formats
# ======================================================================================================

def test_title_rows_above_the_header_keep_row_numbers_true(tmp_path, book):
    book["laporan"].set(2, "kas", "qzbukan angka")
    path = write_xlsx(book, tmp_path / "berjudul.xlsx", title_rows=2)
    batch = load(path)
    assert_nothing_lost_in_batch(batch, data_rows(book))
    # data row index 2 sits below 2 title rows and the header: spreadsheet row 2 + 1 + 2 + 1 = 6
    assert has_problem(batch_quality(batch), sheet="laporan", row=6, column="kas"), batch_quality(batch)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_header_only_laporan(tmp_path, fmt):
    table = Table(list(tiny_book()["laporan"].headers))
    path = (write_xlsx({"laporan": table}, tmp_path / "kosong.xlsx") if fmt == "xlsx"
            else write_csv(table, tmp_path / "kosong.csv"))
    for args in (("validate", path), ("run", path, "--out", tmp_path / "hasil")):
        result = cli(*args)
        assert_no_bug(result)
        if result.exit_code == 2:
            assert_refused(result, path.name)
        elif args[0] == "run":
            assert_nothing_lost_in_manifest(tmp_path / "hasil", {"laporan": 0})


def test_every_row_rejected_is_exit_0_with_all_listed_or_a_refusal(tmp_path, book):
    for r in range(len(book["laporan"].rows)):
        book["laporan"].set(r, "tahun_lapor", "qz")
        book["laporan"].set(r, "tanggal_lapor", "qz")
    path = write_xlsx(book, tmp_path / "semua-salah.xlsx")
    result = cli("run", path, "--out", tmp_path / "hasil")
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "semua-salah.xlsx")
        return
    manifest = assert_nothing_lost_in_manifest(tmp_path / "hasil", data_rows(book))
    assert manifest["rows"]["laporan"]["rejected"] == len(book["laporan"].rows)


def test_single_official_single_year_runs(tmp_path):
    book = tiny_book(n_officials=1, years=(2023,))
    out = run_ok(write_xlsx(book, tmp_path / "satu.xlsx"), tmp_path / "hasil")
    assert_nothing_lost_in_manifest(out, data_rows(book))
    assert len(read_csv(out / "ranking.csv")) == 1


@pytest.mark.parametrize("second", ["kas", "Kas dan Setara Kas", "KAS (Rp)"])
def test_duplicate_headers_are_listed_or_refused(tmp_path, book, second):
    lap = book["laporan"]
    lap.headers.append(second)
    for r in lap.rows:
        r.append("Rp 5.000.000")
    path = write_xlsx(book, tmp_path / "kolom-ganda.xlsx")
    result = cli("validate", path)
    assert_no_bug(result)
    if result.exit_code == 2:
        assert_refused(result, "kolom-ganda.xlsx", "kas")
    else:
        assert_nothing_lost_in_batch(load(path), data_rows(book))


def test_ids_typed_as_numbers_stay_text(tmp_path, book):
    number = {id_pn: 12345 + k for k, id_pn in enumerate(ids_of(book))}
    for table in book.values():
        for r, row in enumerate(table.rows):
            table.set(r, "id_pn", number[row[table.col("id_pn")]])
    batch = load(write_xlsx(book, tmp_path / "id-angka.xlsx"))
    assert_nothing_lost_in_batch(batch, data_rows(book))
    assert sorted(batch.laporan["id_pn"].unique()) == sorted(str(n) for n in number.values())


@pytest.mark.parametrize("name,data", [
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
    ("dokumen.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
    ("laporan.ods", b"PK\x03\x04" + bytes(100)),
    ("laporan.txt", b"id_pn,nama\n1,a\n"),
])
def test_foreign_formats_are_refused_naming_the_file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("validate", path)
    assert_no_bug(result)
    if name.endswith(".txt") and result.exit_code == 0:
        return  # a .txt that is a CSV may be read as one
    assert_refused(result, name)


def test_folder_without_any_csv_is_refused(tmp_path):
    folder = tmp_path / "folder-kosong"
    folder.mkdir()
    (folder / "catatan.docx").write_bytes(b"PK\x03\x04")
    assert_refused(cli("validate", folder), "folder-kosong")


def test_harta_with_year_but_no_date_column(tmp_path, book):
    """The spec allows `tahun_lapor` alone on `harta` (`tanggal_lapor` is the alternative, not required)."""
    book["harta"].drop("tanggal_lapor")
    path = write_xlsx(book, tmp_path / "harta-tanpa-tanggal.xlsx")
    result = cli("validate", path)
    assert_no_bug(result)
    assert result.exit_code == 0, result.output
    assert_nothing_lost_in_batch(load(path), data_rows(book))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_laporan_with_year_but_no_date_column(tmp_path, book, fmt):
    """`tahun_lapor` alone is enough on `laporan` (spec 1.1: year, or a date from which the year is taken)."""
    book["laporan"].drop("tanggal_lapor")
    only = {"laporan": book["laporan"]}
    path = (write_xlsx(only, tmp_path / "tanpa-tanggal.xlsx") if fmt == "xlsx"
            else write_csv(book["laporan"], tmp_path / "laporan.csv"))
    result = cli("validate", path)
    assert_no_bug(result)
    assert result.exit_code == 0, result.output
    assert_nothing_lost_in_batch(load(path), {"laporan": len(book["laporan"].rows)})
