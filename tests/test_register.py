"""The case register (SPEC §4): the yearly cycle run -> decisions in hasil.xlsx -> review -> next year's run,
and the register's refusals (not a register, corrupted, newer schema, busy, a bad review row)."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from lhkpn_check import register as register_module
from lhkpn_check.cli import main
from lhkpn_check.i18n import t
from lhkpn_check.model import FINDING_COLUMNS, RANKING_COLUMNS
from lhkpn_check.sample import generate, raw_frames

EXPLANATION = "Tanah warisan orang tua (akta keterangan waris 2019)"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"id_pn": str, "tahun_lapor": int}, keep_default_na=False)


def keys(frame: pd.DataFrame) -> set[tuple]:
    return set(zip(frame["id_pn"], frame["rule"], frame["tahun_lapor"]))


def _year(text: pd.Series) -> pd.Series:
    return text.astype(str).str.extract(r"(\d{4})\s*$")[0].astype(int)


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> SimpleNamespace:
    """One synthetic batch of four years cut into the batch of year Y (years <= Y) and of year Y+1."""
    frames = raw_frames(generate(n_officials=60, years=4, seed=11))
    last = int(_year(frames["laporan"]["Tanggal Lapor"]).max())
    root = tmp_path_factory.mktemp("tahun")
    out = {}
    for name, limit in (("one", last - 1), ("two", last)):
        folder = root / name
        folder.mkdir()
        for sheet, column in (("laporan", "Tanggal Lapor"), ("harta", "Tanggal Lapor"), ("temuan", "Tanggal")):
            frame = frames[sheet]
            frame[_year(frame[column]) <= limit].to_csv(folder / f"{sheet}.csv", index=False, encoding="utf-8")
        out[name] = folder
    return SimpleNamespace(**out)


def _review_columns(ws) -> dict[str, int]:
    header = [c.value for c in ws[1]]
    return {field: header.index(t(key, "id")) + 1 for field, key in register_module.REVIEW_COLUMNS.items()}


def _row_of(ws, rank: int) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == rank:
            return row
    raise AssertionError(f"rank {rank} not in Peringkat")


@pytest.fixture(scope="module")
def cycle(batches, tmp_path_factory) -> SimpleNamespace:
    """Year 1 with a register, the auditors' decisions filled into hasil.xlsx and imported, then year 2."""
    root = tmp_path_factory.mktemp("siklus")
    reg = root / "register.sqlite"
    one, two, plain = root / "hasil-1", root / "hasil-2", root / "hasil-2-tanpa-register"
    for args in (("run", batches.one, "--out", one, "--register", reg), ("run", batches.two, "--out", plain)):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    f1, f_plain = read_csv(one / "findings.csv"), read_csv(plain / "findings.csv")
    r1, r_plain = read_csv(one / "ranking.csv"), read_csv(plain / "ranking.csv")
    base_score = dict(zip(r_plain["id_pn"], r_plain["score"]))
    # A: an official whose year-1 findings of some rule are all of that rule's findings next year (so that
    # explaining them takes the rule's weight away) and whose score next year is not at the cap.
    explained_id = None
    for pid, own in f1.groupby("id_pn"):
        later = f_plain[f_plain["id_pn"] == pid]
        if base_score.get(pid, 100) >= 99 or later.empty:
            continue
        if any(keys(later[later["rule"] == rule]) <= keys(own) for rule in set(later["rule"]) & set(own["rule"])):
            explained_id = pid
            break
    assert explained_id is not None, "no official fits the cycle test: choose another seed"
    letter_id = next(p for p in r1.loc[r1["n_findings"] > 0, "id_pn"] if p != explained_id)
    rank_of = dict(zip(r1["id_pn"], r1["rank"]))

    filled = root / "hasil-1-diisi.xlsx"
    wb = load_workbook(one / "hasil.xlsx")
    ws = wb["Peringkat"]
    col = _review_columns(ws)
    for pid, status, note, date in ((explained_id, "dijelaskan", EXPLANATION, datetime.datetime(2025, 2, 1)),
                                    (letter_id, "klarifikasi dikirim", "Surat 700/2/ITDA", "03/02/2025")):
        row = _row_of(ws, rank_of[pid])
        ws.cell(row, col["status"]).value = status
        ws.cell(row, col["catatan"]).value = note
        ws.cell(row, col["peninjau"]).value = "Auditor Satu"
        ws.cell(row, col["tanggal"]).value = date
    wb.save(filled)
    imported = [invoke("review", reg, filled) for _ in range(2)]
    result = invoke("run", batches.two, "--out", two, "--register", reg)
    assert result.exit_code == 0, result.output
    return SimpleNamespace(reg=reg, one=one, two=two, plain=plain, filled=filled, imported=imported,
                           explained_id=explained_id, letter_id=letter_id, f1=f1, r1=r1, f_plain=f_plain,
                           r_plain=r_plain, base_score=base_score, run_output=result.output)


def _decisions(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id_pn, run_id, status, catatan, peninjau, tanggal FROM decisions "
                            "ORDER BY decision_id").fetchall()


def test_review_imports_the_filled_workbook_once(cycle):
    first, second = cycle.imported
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.output.startswith("2 keputusan baru dicatat")
    assert second.output.startswith("0 keputusan baru dicatat")
    assert sorted(_decisions(cycle.reg)) == sorted([
        (cycle.explained_id, 1, "dijelaskan", EXPLANATION, "Auditor Satu", "2025-02-01"),
        (cycle.letter_id, 1, "klarifikasi dikirim", "Surat 700/2/ITDA", "Auditor Satu", "2025-02-03")])


def test_next_year_marks_each_finding_baru_berulang_or_sudah_dijelaskan(cycle):
    f2 = read_csv(cycle.two / "findings.csv")
    assert list(f2.columns) == [*FINDING_COLUMNS, "status_temuan"]
    seen = keys(cycle.f1)
    explained = keys(cycle.f1[cycle.f1["id_pn"] == cycle.explained_id])
    expected = ["sudah dijelaskan" if k in explained else "berulang" if k in seen else "baru" for k in
                zip(f2["id_pn"], f2["rule"], f2["tahun_lapor"])]
    assert f2["status_temuan"].tolist() == expected
    assert set(expected) == {"baru", "berulang", "sudah dijelaskan"}
    # the same findings as a run without the register: the marks add a column, they remove nothing
    assert f2[list(FINDING_COLUMNS)].equals(cycle.f_plain[list(FINDING_COLUMNS)])
    counts = f2["status_temuan"].value_counts()
    assert (f"Register: {counts['baru']} temuan baru, {counts['berulang']} berulang, "
            f"{counts['sudah dijelaskan']} sudah dijelaskan") in cycle.run_output


def test_an_explained_finding_no_longer_raises_the_score(cycle):
    r2 = read_csv(cycle.two / "ranking.csv")
    assert list(r2.columns) == [*RANKING_COLUMNS, "status_tinjauan"]
    score = dict(zip(r2["id_pn"], r2["score"]))
    assert score[cycle.explained_id] < cycle.base_score[cycle.explained_id]
    others = [p for p in score if p != cycle.explained_id]
    assert [score[p] for p in others] == [cycle.base_score[p] for p in others]
    status = dict(zip(r2["id_pn"], r2["status_tinjauan"]))
    assert status[cycle.explained_id] == "dijelaskan" and status[cycle.letter_id] == "klarifikasi dikirim"
    assert {status[p] for p in others if p != cycle.letter_id} == {"belum ditinjau"}


def test_index_dossier_and_workbook_show_decisions_marks_and_new_count(cycle):
    f2 = read_csv(cycle.two / "findings.csv")
    r2 = read_csv(cycle.two / "ranking.csv")
    n_new = int((f2["status_temuan"] == "baru").sum())
    index = (cycle.two / "index.html").read_text(encoding="utf-8")
    assert f'<span class="big">{n_new}</span><span>{t("report.review.card_new", "id")}</span>' in index
    assert EXPLANATION in index and 'data-filter="mark"' in index
    rank = int(r2.loc[r2["id_pn"] == cycle.explained_id, "rank"].iloc[0])
    dossier = (cycle.two / "pejabat" / f"pejabat-{rank:06d}.html").read_text(encoding="utf-8")
    assert "<strong>dijelaskan</strong> · 2025-02-01 · Auditor Satu" in dossier
    n_explained = int(((f2["id_pn"] == cycle.explained_id) & (f2["status_temuan"] == "sudah dijelaskan")).sum())
    assert dossier.count(f'<span class="badge">sudah dijelaskan</span> Sudah dijelaskan: {EXPLANATION}') == n_explained
    assert cycle.explained_id not in dossier  # ids stay masked
    pages = [p.read_text(encoding="utf-8") for p in (cycle.two / "pejabat").glob("*.html")]
    assert len(pages) == len(r2)
    # an explanation only on explained findings, never a stray "nan" on the others
    assert sum(page.count("Sudah dijelaskan:") for page in pages) == (f2["status_temuan"] == "sudah dijelaskan").sum()
    assert sum(page.count('<span class="badge">berulang</span>') for page in pages) == \
        (f2["status_temuan"] == "berulang").sum()

    wb = load_workbook(cycle.two / "hasil.xlsx", read_only=True)
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(values_only=True) if len(r) > 1}
    assert summary[t("report.review.card_new", "id")] == n_new
    rows = list(wb["Peringkat"].iter_rows(values_only=True))
    header = rows[0]
    by_rank = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    row = by_rank[rank]
    assert (row["Keputusan terakhir"], row["Catatan keputusan terakhir"]) == ("dijelaskan", EXPLANATION)
    assert row["Status tinjauan"] is None  # left for this year's reviewer
    assert sum(r["Temuan baru"] for r in by_rank.values()) == n_new
    temuan = list(wb["Temuan"].iter_rows(values_only=True))
    marks = [dict(zip(temuan[0], r)) for r in temuan[1:]]
    assert sorted(m["Status temuan"] for m in marks) == sorted(f2["status_temuan"])
    assert {m["Penjelasan"] for m in marks if m["Status temuan"] == "sudah dijelaskan"} == {EXPLANATION}
    assert all(cycle.explained_id not in str(v) for r in rows for v in r)


def test_peringkat_has_the_status_drop_down_and_a_hidden_key(cycle):
    wb = load_workbook(cycle.one / "hasil.xlsx")
    ws = wb["Peringkat"]
    col = _review_columns(ws)
    rules = ws.data_validations.dataValidation
    assert len(rules) == 1 and rules[0].type == "list"
    assert rules[0].formula1 == '"' + ",".join(register_module.STATUSES) + '"'
    letter = ws.cell(1, col["status"]).column_letter
    assert str(rules[0].sqref) == f"{letter}2:{letter}{ws.max_row}"
    key = ws.cell(1, col["kunci_tinjauan"]).column_letter
    assert ws.column_dimensions[key].hidden
    assert re.fullmatch(r"[0-9a-f]{8}/1/1", ws.cell(2, col["kunci_tinjauan"]).value)


def test_without_a_register_the_outputs_have_no_register_columns(cycle):
    assert list(read_csv(cycle.plain / "ranking.csv").columns) == list(RANKING_COLUMNS)
    assert list(read_csv(cycle.plain / "findings.csv").columns) == list(FINDING_COLUMNS)
    wb = load_workbook(cycle.plain / "hasil.xlsx")
    assert not wb["Peringkat"].data_validations.dataValidation
    assert t("report.col.review_status", "id") not in [c.value for c in wb["Peringkat"][1]]
    assert 'id="register"' not in (cycle.plain / "index.html").read_text(encoding="utf-8")


def test_a_bad_review_row_is_reported_with_its_row_and_nothing_is_recorded(cycle, tmp_path):
    reg = tmp_path / "r.sqlite"
    reg.write_bytes(cycle.reg.read_bytes())
    before = _decisions(reg)
    wb = load_workbook(cycle.filled)
    ws = wb["Peringkat"]
    col = _review_columns(ws)
    ws.cell(3, col["status"]).value = "ditutup"  # a good row, not recorded either
    ws.cell(4, col["status"]).value = "dijelasakan"
    ws.cell(5, col["status"]).value = "ditutup"
    ws.cell(5, col["kunci_tinjauan"]).value = "0000zzzz/1/5"
    ws.cell(6, col["catatan"]).value = "tanpa status"
    bad = tmp_path / "salah.xlsx"
    wb.save(bad)
    result = invoke("review", reg, bad)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "salah.xlsx" in result.output and "3 baris" in result.output
    for row in (4, 5, 6):
        assert f"baris {row}," in result.output
    assert "dijelasakan" in result.output
    assert _decisions(reg) == before


def test_review_of_one_official_by_id(cycle, tmp_path):
    reg = tmp_path / "r.sqlite"
    reg.write_bytes(cycle.reg.read_bytes())
    args = ("review", reg, "--id", cycle.letter_id, "--status", "perlu pemeriksaan", "--note", "akta tidak ada")
    assert invoke(*args).exit_code == 0
    assert invoke(*args).output.startswith("Keputusan yang sama sudah tercatat")
    assert _decisions(reg)[-1] == (cycle.letter_id, 2, "perlu pemeriksaan", "akta tidak ada", "", "")
    assert len(_decisions(reg)) == len(_decisions(cycle.reg)) + 1
    unknown = invoke("review", reg, "--id", "0000", "--status", "ditutup")
    assert unknown.exit_code == 2 and "r.sqlite" in unknown.output
    bad = invoke("review", reg, "--id", cycle.letter_id, "--status", "selesai")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_decisions_are_append_only(cycle, tmp_path):
    reg = tmp_path / "r.sqlite"
    reg.write_bytes(cycle.reg.read_bytes())
    with sqlite3.connect(reg) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE decisions SET status = 'ditutup'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM decisions")


def test_the_register_records_runs_outcomes_and_findings(cycle):
    with sqlite3.connect(cycle.reg) as conn:
        runs = conn.execute("SELECT run_id, command, inputs, settings, n_officials, n_findings FROM runs").fetchall()
        assert [r[0] for r in runs] == [1, 2]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == register_module.SCHEMA_VERSION
        outcomes = conn.execute("SELECT COUNT(*) FROM outcomes WHERE run_id = 1").fetchone()[0]
        findings = conn.execute("SELECT id_pn, rule, tahun_lapor FROM findings WHERE run_id = 1").fetchall()
    assert runs[0][1] == json.loads((cycle.one / "manifest.json").read_text(encoding="utf-8"))["command"]
    assert json.loads((cycle.two / "manifest.json").read_text(encoding="utf-8"))["register"] == \
        {"file": "register.sqlite", "run": 2}
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in json.loads(runs[0][2]))
    assert "seed" in runs[0][3]
    assert (runs[0][4], runs[0][5]) == (len(cycle.r1), len(cycle.f1)) == (outcomes, len(findings))
    assert set(findings) == keys(cycle.f1)


def test_rekap_counts_match_the_register(cycle, tmp_path):
    out = tmp_path / "rekap.xlsx"
    result = invoke("rekap", cycle.reg, "--tahun", int(cycle.r1["tahun_lapor"].max()), "--out", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out, read_only=True)
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(values_only=True) if len(r) > 1}
    with sqlite3.connect(cycle.reg) as conn:
        officials = conn.execute("SELECT COUNT(DISTINCT id_pn) FROM outcomes WHERE run_id = 1").fetchone()[0]
        letters = conn.execute("SELECT COUNT(DISTINCT id_pn) FROM decisions WHERE run_id = 1 "
                               "AND status = 'klarifikasi dikirim'").fetchone()[0]
        explained = conn.execute("SELECT COUNT(*) FROM findings f JOIN decisions d ON d.run_id = f.run_id "
                                 "AND d.id_pn = f.id_pn WHERE d.status = 'dijelaskan'").fetchone()[0]
    assert summary["Pejabat diverifikasi"] == officials == len(cycle.r1)
    assert summary["Pejabat yang dikirimi surat klarifikasi"] == letters == 1
    assert summary["Temuan yang sudah dijelaskan"] == explained > 0
    assert summary["Hasil akhir: dijelaskan"] == 1 and summary["Hasil akhir: belum ditinjau"] == officials - 2
    explained_rows = list(wb["Dijelaskan"].iter_rows(values_only=True))[1:]
    assert len(explained_rows) == explained and {r[5] for r in explained_rows} == {EXPLANATION}
    units = list(wb["Per unit"].iter_rows(values_only=True))[1:]
    assert sum(r[1] for r in units) == officials and sum(r[2] for r in units) == letters
    # the next year: nothing decided yet, every official of the year-2 run not reviewed
    later = invoke("rekap", cycle.reg, "--out", tmp_path / "rekap-2.xlsx")
    assert later.exit_code == 0 and "0 keputusan" in later.output
    missing = invoke("rekap", cycle.reg, "--tahun", 1990, "--out", tmp_path / "x.xlsx")
    assert missing.exit_code == 2 and "1990" in missing.output


# -- refusals ---------------------------------------------------------------------------------------------


def _copy(cycle, tmp_path) -> Path:
    reg = tmp_path / "register.sqlite"
    reg.write_bytes(cycle.reg.read_bytes())
    return reg


def _refused(result, name: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and name in result.output


def test_a_file_that_is_not_a_register_is_refused_and_left_alone(batches, tmp_path):
    text = tmp_path / "catatan.sqlite"
    text.write_text("bukan database", encoding="utf-8")
    other = tmp_path / "lain.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE pegawai (nip TEXT)")
    for path in (text, other):
        before = path.read_bytes()
        _refused(invoke("run", batches.one, "--out", tmp_path / f"out-{path.stem}", "--register", path), path.name)
        _refused(invoke("review", path, "--id", "1", "--status", "ditutup"), path.name)
        _refused(invoke("rekap", path, "--out", tmp_path / "r.xlsx"), path.name)
        assert path.read_bytes() == before
        assert not (tmp_path / f"out-{path.stem}").exists()
    _refused(invoke("rekap", tmp_path / "tidak-ada.sqlite", "--out", tmp_path / "r.xlsx"), "tidak-ada.sqlite")
    assert not (tmp_path / "tidak-ada.sqlite").exists()


def test_a_corrupted_register_is_refused(cycle, tmp_path):
    reg = _copy(cycle, tmp_path)
    data = bytearray(reg.read_bytes())
    page = 4096
    data[page:len(data)] = bytes((i * 7 + 13) % 256 for i in range(len(data) - page))
    reg.write_bytes(bytes(data))
    result = invoke("rekap", reg, "--out", tmp_path / "r.xlsx")
    _refused(result, "register.sqlite")
    assert "rusak" in result.output


def test_a_register_from_a_newer_schema_is_refused(cycle, tmp_path):
    reg = _copy(cycle, tmp_path)
    with sqlite3.connect(reg) as conn:
        conn.execute("PRAGMA user_version = 99")
    result = invoke("review", reg, "--id", cycle.letter_id, "--status", "ditutup")
    _refused(result, "register.sqlite")
    assert "lebih baru" in result.output
    with sqlite3.connect(reg) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99


def test_a_busy_register_is_refused_after_waiting(cycle, batches, tmp_path, monkeypatch):
    reg = _copy(cycle, tmp_path)
    monkeypatch.setattr(register_module, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(reg, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = invoke("run", batches.two, "--out", tmp_path / "out", "--register", reg)
        _refused(result, "register.sqlite")
        assert "sedang dipakai" in result.output
        _refused(invoke("review", reg, "--id", cycle.letter_id, "--status", "ditutup"), "register.sqlite")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not (tmp_path / "out").exists()


def test_a_failed_run_adds_nothing_to_the_register(cycle, batches, tmp_path, monkeypatch):
    from lhkpn_check.errors import OutputError
    from lhkpn_check.report import excel

    reg = _copy(cycle, tmp_path)

    def broken(*args, **kwargs):
        raise OutputError("disk penuh (uji)")

    monkeypatch.setattr(excel, "write_workbook_of", broken)
    result = invoke("run", batches.two, "--out", tmp_path / "out", "--register", reg)
    assert result.exit_code == 2 and "disk penuh" in result.output
    with sqlite3.connect(reg) as conn, sqlite3.connect(cycle.reg) as original:
        for table in ("runs", "outcomes", "findings", "decisions"):
            query = f"SELECT * FROM {table}"
            assert conn.execute(query).fetchall() == original.execute(query).fetchall(), table


def test_the_cli_offers_exactly_the_register_statuses():
    option = next(p for p in main.commands["review"].params if p.name == "status")
    assert tuple(option.type.choices) == register_module.STATUSES


NODE = shutil.which("node")
DOM_STUB = r"""
// The little of the DOM that report.js's ranking table uses, enough to run it under node.
var fs = require("fs");
var page = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
function El(tag) { this.tagName = tag; this.children = []; this.attrs = {}; this.textContent = "";
                   this.className = ""; this.hidden = false; this.title = ""; }
El.prototype.appendChild = function (c) { var i = this.children.indexOf(c); if (i >= 0) { this.children.splice(i, 1); }
                                          this.children.push(c); return c; };
El.prototype.setAttribute = function (k, v) { this.attrs[k] = String(v); };
El.prototype.getAttribute = function (k) { return k in this.attrs ? this.attrs[k] : null; };
El.prototype.removeAttribute = function (k) { delete this.attrs[k]; };
El.prototype.addEventListener = function () {};
var controls = {};
page.filters.forEach(function (k) { controls[k] = new El("select"); controls[k].value = ""; });
var form = new El("form");
form.querySelector = function (sel) { return controls[sel.match(/data-filter="(\w+)"/)[1]] || null; };
var heads = page.heads.map(function (h) { var th = new El("th"); th.setAttribute("data-key", h[0]);
                                            th.setAttribute("data-type", h[1]); return th; });
var tbody = new El("tbody");
var table = new El("table"); table.tBodies = [tbody]; table.tHead = { rows: [{ cells: heads }] };
var counter = new El("p"); counter.setAttribute("data-template", "{shown}/{total}");
var byId = { "ranking": table, "ranking-data": { textContent: page.blob }, "filters": form, "row-count": counter,
             "reset-filters": new El("button") };
global.document = { readyState: "complete", documentElement: { lang: "id" },
                    getElementById: function (id) { return byId[id] || null; },
                    querySelectorAll: function () { return []; }, createElement: function (t) { return new El(t); },
                    addEventListener: function () {} };
global.window = { location: { hash: page.hash }, addEventListener: function () {} };
global.history = { replaceState: function () {} };
eval(fs.readFileSync(page.script, "utf8"));
var rows = tbody.children.filter(function (tr) { return !tr.hidden; }).map(function (tr) {
  return tr.children.map(function (td) { return td.children.length ? td.children[0].textContent : td.textContent; });
});
process.stdout.write(JSON.stringify({ rows: rows, cells: tbody.children.map(function (tr) { return tr.children.length; }),
                                      count: counter.textContent }));
"""


@pytest.mark.skipif(NODE is None, reason="node not found: the ranking table's script is not run")
def test_the_ranking_table_shows_decisions_and_filters_on_the_marks(cycle, tmp_path):
    """report.js under a small DOM stub: the register's two cells line up with their headers, and the
    `mark`/`status` filters from the URL hash keep the officials they name."""
    index = (cycle.two / "index.html").read_text(encoding="utf-8")
    heads = re.findall(r'<th data-key="([a-z_]+)" data-type="([a-z]+)"', index)
    blob = re.search(r'<script type="application/json" id="ranking-data">(.*?)</script>', index, re.S).group(1)
    filters = re.findall(r'data-filter="([a-z_]+)"', index)
    f2, r2 = read_csv(cycle.two / "findings.csv"), read_csv(cycle.two / "ranking.csv")
    stub = tmp_path / "stub.js"
    stub.write_text(DOM_STUB, encoding="utf-8")

    def table(hash_: str) -> dict:
        page = tmp_path / "page.json"
        page.write_text(json.dumps({"heads": heads, "blob": blob, "filters": filters, "hash": hash_,
                                    "script": str(cycle.two / "assets" / "report.js")}), encoding="utf-8")
        done = subprocess.run([NODE, str(stub), str(page)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    everything = table("")
    assert set(everything["cells"]) == {len(heads)} and len(everything["rows"]) == len(r2)
    rank = int(r2.loc[r2["id_pn"] == cycle.explained_id, "rank"].iloc[0])
    row = next(r for r in everything["rows"] if r[0] == str(rank))
    assert row[-1] == f"dijelaskan: {EXPLANATION}"
    for mark in ("baru", "sudah dijelaskan"):
        shown = table("#mark=" + mark.replace(" ", "%20"))["rows"]
        expected = r2[r2["id_pn"].isin(f2.loc[f2["status_temuan"] == mark, "id_pn"])]["rank"]
        assert sorted(int(r[0]) for r in shown) == sorted(expected) and len(shown) < len(r2)
    shown = table("#status=klarifikasi%20dikirim")["rows"]
    assert [int(r[0]) for r in shown] == r2.loc[r2["id_pn"] == cycle.letter_id, "rank"].tolist()


def test_a_note_that_looks_like_a_formula_stays_text_in_the_rekap(cycle, tmp_path):
    reg = _copy(cycle, tmp_path)
    note = '=HYPERLINK("http://contoh.invalid","klik")'
    assert invoke("review", reg, "--id", cycle.letter_id, "--status", "dijelaskan", "--note", note).exit_code == 0
    out = tmp_path / "rekap.xlsx"
    assert invoke("rekap", reg, "--out", out).exit_code == 0  # the year of run 2, where the decision belongs
    wb = load_workbook(out)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) >= 2  # the history and the explained findings
    assert all(c.data_type == "s" and c.value == "'" + note for c in cells)


def test_a_register_inside_the_output_folder_is_refused(cycle, batches, tmp_path):
    out = tmp_path / "hasil"
    out.mkdir()
    reg = out / "register.sqlite"
    reg.write_bytes(cycle.reg.read_bytes())
    result = invoke("run", batches.two, "--out", out, "--register", reg, "--force")
    _refused(result, "register.sqlite")
    assert reg.read_bytes() == cycle.reg.read_bytes()
