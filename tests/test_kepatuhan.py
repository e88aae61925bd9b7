"""Filing compliance (kepatuhan, SPEC §5): the roster read with care, each status as the answer key has it,
rates per unit, and every output that shows it (CSV, workbook, index, dossier, terminal)."""

import json
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from lhkpn_check import kepatuhan
from lhkpn_check.errors import ConfigError
from lhkpn_check.model import KEPATUHAN_COLUMNS
from lhkpn_check.pipeline import run_batch
from lhkpn_check.sample import generate, write_sample
from lhkpn_check.settings import Settings
from lhkpn_check.templatefile import write_template
from lhkpn_check.validate import load_batch

LAPORAN_HEAD = ["ID PN", "Nama", "Tahun Lapor", "Lembaga", "Unit Kerja", "Jabatan", "Tanggal Penyampaian", "Kas"]


def _workbook(path, laporan_rows, roster_head=None, roster_rows=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "laporan"
    ws.append(LAPORAN_HEAD)
    for row in laporan_rows:
        ws.append(row)
    if roster_head:
        ws = wb.create_sheet("Wajib Lapor")
        for row in (roster_head, *roster_rows):
            ws.append(list(row))
    wb.save(path)
    return path


def _decl(nip, nama, sent, year=2023, unit="DINAS A"):
    return [nip, nama, year, "PEMDA UJI", unit, "KEPALA BIDANG", sent, 1_000_000]


@pytest.fixture
def small(tmp_path):
    """Five officials on the roster of 2023 (one typed with spaces, one with dots, one twice in both forms,
    one blank name row without an id) and one filer not on it."""
    laporan = [
        _decl("198001012005011001", "Tepat", "10 Maret 2024"),
        _decl("198001012005011002", "Telat", "2024-04-15"),
        _decl("198001012005011003", "Tanpa Tanggal", None, unit="DINAS B"),
        _decl("198001012005011004", "Tahun Lalu", "2023-03-01", year=2022, unit="DINAS B"),
        _decl("198001012005011005", "Di Luar Daftar", "2024-03-31", unit="DINAS B"),
        _decl("198001012005011006", "Pas Batas", "31 Maret 2024", unit="DINAS B"),
    ]
    roster = [
        ("19800101 200501 1 001", "Tepat", "KEPALA BIDANG", "DINAS A", "LHKPN"),
        ("19800101.200501.1.002", "Telat", "KEPALA BIDANG", "DINAS A", "LHKASN"),
        ("198001012005011003", "Tanpa Tanggal", "KEPALA BIDANG", "DINAS B", "LHKPN"),
        ("198001012005011004", "Tahun Lalu", "KEPALA BIDANG", "DINAS B", "lhkpn"),
        ("19800101 200501 1 004", "Tahun Lalu (lagi)", "KEPALA BIDANG", "DINAS B", "LHKPN"),
        (None, "Tanpa NIP", "STAF", "DINAS B", "LHKASN"),
        (None, None, None, None, None),
        ("198001012005011006", "Pas Batas", "KEPALA BIDANG", "DINAS B", "LHKPN"),
    ]
    return _workbook(tmp_path / "kecil.xlsx", laporan, ("NIP", "Nama", "Jabatan", "Unit Kerja", "Jenis"), roster)


def test_statuses_days_late_and_the_unlisted_filer(small):
    batch = load_batch(small)
    result = kepatuhan.compliance(batch, Settings())
    by_id = result.officials.set_index("id_pn")
    assert by_id["status"].to_dict() == {
        "198001012005011001": "tepat waktu", "198001012005011002": "terlambat",
        "198001012005011003": "sudah lapor", "198001012005011004": "belum lapor",
        "198001012005011006": "tepat waktu",  # submitted on the deadline itself
        "198001012005011005": "tidak di daftar"}
    assert by_id.loc["198001012005011002", "hari_terlambat"] == 15  # 15 April against 31 March
    assert by_id["hari_terlambat"].notna().sum() == 1
    assert result.years == (2023,)
    units = result.units.set_index("unit_kerja")
    assert units.loc["DINAS A", ["wajib", "tepat_waktu", "terlambat"]].tolist() == [2, 1, 1]
    assert units.loc["DINAS A", "rate"] == 1.0 and units.loc["DINAS A", "rate_tepat"] == 0.5
    assert units.loc["DINAS B", ["wajib", "sudah_lapor", "belum_lapor"]].tolist() == [3, 1, 1]
    assert units.loc["DINAS B", "rate"] == pytest.approx(2 / 3)
    assert result.units["unit_kerja"].tolist() == ["DINAS B", "DINAS A"]  # lowest rate first
    assert result.lembaga[["wajib", "belum_lapor"]].iloc[0].tolist() == [5, 1]


def test_messy_roster_is_reported_and_nothing_is_lost(small):
    batch = load_batch(small)
    count = batch.counts["wajib_lapor"]
    assert (count.read, count.accepted, count.rejected) == (7, 5, 2)  # the blank row is no row
    q = batch.quality[batch.quality["sheet"] == "Wajib Lapor"]
    assert sorted(q["kind"]) == ["duplicate_roster", "id_missing", "roster_id_normalised", "roster_id_normalised",
                                 "roster_id_normalised"]
    dup = q[q["kind"] == "duplicate_roster"].iloc[0]
    assert dup["row"] == 6 and "5" in dup["problem"] and dup["value"] == "19800101 200501 1 004"
    assert batch.wajib_lapor["id_pn"].tolist()[:2] == ["198001012005011001", "198001012005011002"]
    assert batch.wajib_lapor["jenis"].tolist()[3] == "LHKPN"


def test_deadline_from_the_roster_and_from_the_setting(tmp_path):
    laporan = [_decl("11", "A", "2024-04-10"), _decl("12", "B", "2024-04-10")]
    path = _workbook(tmp_path / "b.xlsx", laporan, ("id_pn", "nama", "batas_lapor"),
                     [("11", "A", "30 April 2024"), ("12", "B", None)])
    batch = load_batch(path)
    status = kepatuhan.compliance(batch, Settings()).officials.set_index("id_pn")
    assert status["status"].to_dict() == {"11": "tepat waktu", "12": "terlambat"}
    later = kepatuhan.compliance(batch, Settings({"batas_lapor": "30-04"})).officials.set_index("id_pn")
    assert later.loc["12", "status"] == "tepat waktu"
    with pytest.raises(ConfigError, match="batas_lapor"):
        kepatuhan.compliance(batch, Settings({"batas_lapor": "akhir Maret"}))
    assert kepatuhan.default_deadlines(pd.Series([2023], dtype="Int64"), "29-02").iloc[0] == pd.Timestamp(2024, 2, 29)
    assert kepatuhan.default_deadlines(pd.Series([2024], dtype="Int64"), "29-02").iloc[0] == pd.Timestamp(2025, 2, 28)


def test_ids_match_in_both_directions_after_spaces_and_dots_go(tmp_path):
    laporan = [_decl("19800101 200501 1 001", "A", "2024-01-10")]
    path = _workbook(tmp_path / "c.xlsx", laporan, ("NIP", "Nama"), [("19800101.200501.1.001", "A")])
    result = kepatuhan.compliance(load_batch(path), Settings())
    assert result.officials["status"].tolist() == ["tepat waktu"]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kepatuhan")
    sample = generate(n_officials=160, years=3, seed=11, wajib_lapor=True)
    write_sample(sample, folder / "in")
    result = run_batch(folder / "in" / "sampel.xlsx", folder / "out", settings=Settings())
    return sample, result, folder / "out"


def test_every_count_equals_the_answer_key(sample_run):
    sample, result, out = sample_run
    key = sample.kepatuhan_key
    got = pd.read_csv(out / "kepatuhan.csv", dtype={"id_pn": str})
    assert tuple(got.columns) == KEPATUHAN_COLUMNS
    assert got["status"].value_counts().to_dict() == key["status"].value_counts().to_dict()
    assert set(key["status"]) == {"tepat waktu", "terlambat", "sudah lapor", "belum lapor", "tidak di daftar"}
    merged = key.merge(got, on="id_pn", suffixes=("_key", ""), validate="one_to_one")
    assert (merged["status_key"] == merged["status"]).all()
    late = merged[merged["status"] == "terlambat"]
    assert (late["hari_terlambat_key"].astype(int) == late["hari_terlambat"].astype(int)).all()
    listed = key[key["status"] != "tidak di daftar"]
    want = listed.groupby(["unit_kerja", "status"]).size().unstack(fill_value=0)
    units = result.analysis.kepatuhan.units.set_index("unit_kerja")
    for unit, row in want.iterrows():
        for status, n in row.items():
            assert units.loc[unit, status.replace(" ", "_")] == n, (unit, status)
    assert "Kepatuhan pelaporan" in result.summary_text()
    assert not any(n in result.summary_text() for n in sample.kepatuhan_key["id_pn"])


def test_a_non_filer_is_no_finding(sample_run):
    sample, result, out = sample_run
    never = set(sample.kepatuhan_key.loc[sample.kepatuhan_key["status"] == "belum lapor", "id_pn"])
    findings = pd.read_csv(out / "findings.csv", dtype={"id_pn": str})
    assert not never & set(findings["id_pn"])
    assert not {"kepatuhan", "belum lapor"} & set(findings["rule"])


def test_workbook_index_and_dossier_show_it_with_ids_masked(sample_run):
    sample, result, out = sample_run
    wb = load_workbook(out / "hasil.xlsx", read_only=True)
    assert wb.sheetnames[-2:] == ["Kepatuhan", "Kepatuhan Unit"]
    rows = list(wb["Kepatuhan"].iter_rows(values_only=True))
    assert len(rows) == len(sample.kepatuhan_key) + 1
    ids = [r[0] for r in rows[1:]]
    assert all(str(i).startswith("*") for i in ids)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="kepatuhan"' in index and 'id="chart-kepatuhan"' in index
    shown = index.count('<tr data-status="belum lapor"') + index.count('<tr data-status="terlambat"')
    assert shown == int(sample.kepatuhan_key["status"].isin(["belum lapor", "terlambat"]).sum())
    section = index[index.index('id="kepatuhan"'):index.index('id="kualitas"')]
    assert not any(i in section for i in sample.kepatuhan_key["id_pn"])
    assert (out / "assets" / "kepatuhan.js").exists()
    late = sample.kepatuhan_key.loc[sample.kepatuhan_key["status"] == "terlambat"].iloc[0]
    stem = result.analysis.ranking.reset_index(drop=True)
    position = stem.index[stem["id_pn"] == late["id_pn"]][0]
    page = (out / "pejabat" / f"pejabat-{position + 1:06d}.html").read_text(encoding="utf-8")
    assert f"terlambat {late['hari_terlambat']} hari" in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"]["wajib_lapor"]["read"] == manifest["rows"]["wajib_lapor"]["accepted"] + \
        manifest["rows"]["wajib_lapor"]["rejected"]


def test_without_a_roster_nothing_about_it_is_written(tmp_path):
    sample = generate(n_officials=40, years=3, seed=5)
    write_sample(sample, tmp_path / "in")
    result = run_batch(tmp_path / "in" / "sampel.xlsx", tmp_path / "out", settings=Settings())
    out = tmp_path / "out"
    assert not (out / "kepatuhan.csv").exists() and not (out / "assets" / "kepatuhan.js").exists()
    assert "kepatuhan" not in (out / "index.html").read_text(encoding="utf-8")
    assert "wajib_lapor" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["rows"]
    with zipfile.ZipFile(out / "hasil.xlsx") as z:
        assert b"Kepatuhan" not in z.read("xl/workbook.xml")
    assert "Kepatuhan" not in result.summary_text()


def test_formula_text_from_the_roster_never_reaches_excel(tmp_path):
    laporan = [_decl("11", "A", "2024-01-10")]
    path = _workbook(tmp_path / "f.xlsx", laporan, ("id_pn", "nama", "unit_kerja"),
                     [("12", "@SUM(1+1)", "+SUM(A1)")])
    run_batch(path, tmp_path / "out", settings=Settings(), show_ids=True)
    wb = load_workbook(tmp_path / "out" / "hasil.xlsx")
    cells = [c.value for row in wb["Kepatuhan"].iter_rows() for c in row if isinstance(c.value, str)]
    assert {"'@SUM(1+1)", "'+SUM(A1)"} <= set(cells) and not any(c.startswith(("=", "+", "@")) for c in cells)
    csv = (tmp_path / "out" / "kepatuhan.csv").read_text(encoding="utf-8")
    assert "'@SUM(1+1)" in csv and "'+SUM(A1)" in csv


def test_template_workbook_has_the_roster_sheet(tmp_path):
    write_template(tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    assert [c.value for c in wb["wajib_lapor"][1]][:2] == ["id_pn", "nama"]
    assert "tanggal_kirim" in [c.value for c in wb["laporan"][1]]
    assert wb["wajib_lapor"].data_validations.dataValidation


def test_sample_command_writes_the_roster_only_when_asked(tmp_path):
    from click.testing import CliRunner

    from lhkpn_check.cli import main

    plain = CliRunner().invoke(main, ["sample", str(tmp_path / "a"), "--officials", "40", "--format", "csv"])
    asked = CliRunner().invoke(main, ["sample", str(tmp_path / "b"), "--officials", "40", "--format", "csv",
                                      "--wajib-lapor"])
    assert plain.exit_code == 0 and asked.exit_code == 0
    assert not (tmp_path / "a" / "wajib_lapor.csv").exists()
    assert "Tanggal Kirim" not in (tmp_path / "a" / "laporan.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (tmp_path / "b" / "wajib_lapor.csv").exists() and (tmp_path / "b" / "kunci_kepatuhan.csv").exists()
    assert "Tanggal Kirim" in (tmp_path / "b" / "laporan.csv").read_text(encoding="utf-8").splitlines()[0]
    for name in ("harta.csv", "temuan.csv", "kunci_jawaban.csv"):  # the roster does not move the batch
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
