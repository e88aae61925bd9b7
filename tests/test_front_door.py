"""The front door (issue 24): workbooks as units type them, read right or refused out loud.

Each workbook is built with openpyxl the way an office makes one: title rows, a two-row header with a merged
group cell, NIPs typed as numbers, a JUMLAH row, one sheet with its own name, the unit's own headers. Two
officials: one steady, one whose cash rose from Rp 100 jt to Rp 2,9 M in a year.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lhkpn_check.cli import main
from lhkpn_check.settings import load_settings
from lhkpn_check.validate import load_batch

STEADY = ("198203152006041002", "Hendra Gunawan, S.E.")
JUMP = ("198507222010012003", "Ratna Sari Dewi")
YEARS = (2022, 2023)
TANAH, MOBIL, HUTANG = 850_000_000, 240_000_000, 50_000_000


def cash(who, year) -> int:
    if who == JUMP and year == 2023:
        return 2_900_000_000
    return 100_000_000 + (5_000_000 if year == 2023 else 0)


def declarations():
    """(nip, nama, year, tanah, mobil, kas, hutang, total) of the two officials."""
    for who in (STEADY, JUMP):
        for year in YEARS:
            kas = cash(who, year)
            yield who[0], who[1], year, TANAH, MOBIL, kas, HUTANG, TANAH + MOBIL + kas - HUTANG


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def ok(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def refused(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout.strip() == ""
    message = result.stderr
    assert message.startswith("Galat:") and message.count("Galat:") == 1, message
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message}"
    return message


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


# -- workbooks as offices make them ----------------------------------------------------------------------

def two_row_header_book(path: Path, *, nip_as_number: bool = False, same_nip: bool = False) -> Path:
    """Two title rows, a blank row, the header over rows 4-5 (`HARTA` merged over three asset columns, the
    other headers merged down over both rows, line breaks inside), a `No.` column, a JUMLAH row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LHKPN"
    ws["A1"] = "REKAPITULASI LHKPN PEJABAT DINAS PEKERJAAN UMUM"
    ws.merge_cells("A1:L1")
    ws["A2"] = "TAHUN 2022 - 2023"
    ws.merge_cells("A2:L2")
    ws.append([])
    ws.append(["No.", "NIP", "Nama", "Jabatan", "Instansi", "Golongan", "Tahun\nPelaporan", "HARTA", None, None,
               "Hutang\n(Rp)", "Total Harta\nKekayaan (Rp)"])
    ws.append([None] * 7 + ["Tanah dan Bangunan", "Alat Transportasi\ndan Mesin", "Kas dan Setara Kas", None, None])
    for c in (1, 2, 3, 4, 5, 6, 7, 11, 12):
        ws.merge_cells(start_row=4, end_row=5, start_column=c, end_column=c)
    ws.merge_cells("H4:J4")
    for n, (nip, nama, year, tanah, mobil, kas, hutang, total) in enumerate(declarations(), start=1):
        if same_nip:
            nip = "198501012010011001" if nama == JUMP[1] else "198501012010011002"
        ws.append([n, int(nip) if nip_as_number else nip, nama, "Kepala Bidang", "PEMERINTAH KABUPATEN CONTOH",
                   "III/c", year, tanah, mobil, kas, hutang, total])
    last = ws.max_row + 1
    ws.append(["JUMLAH", None, None, None, None, None, None, "=SUM(H6:H9)", "=SUM(I6:I9)", "=SUM(J6:J9)",
               "=SUM(K6:K9)", "=SUM(L6:L9)"])
    ws.merge_cells(start_row=last, end_row=last, start_column=1, end_column=7)
    wb.save(path)
    return path


def flat_book(path: Path, headers: list[str], row_of, *, title: str = "laporan", extra_sheets=()) -> Path:
    """One header row of the unit's own headers; `row_of(declaration)` gives each row's cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for d in declarations():
        ws.append(row_of(*d))
    for name, rows in extra_sheets:
        other = wb.create_sheet(name)
        for row in rows:
            other.append(row)
    wb.save(path)
    return path


UNIT_HEADERS = ["NIP Baru", "Nama Pegawai", "Instansi", "Jabatan", "Tahun LHKPN", "Tanah dan Bangunan (Rp)",
                "Kendaraan (Rp)", "Kas (Rp)", "Utang (Rp)", "Jumlah Harta Kekayaan (Rp)"]


def unit_row(nip, nama, year, tanah, mobil, kas, hutang, total):
    return [nip, nama, "PEMERINTAH KOTA CONTOH", "Kepala Seksi", year, tanah, mobil, kas, hutang, total]


# -- two-row header, title rows, JUMLAH --------------------------------------------------------------------

def test_two_row_header_is_read_and_the_cash_jump_found(tmp_path):
    path = two_row_header_book(tmp_path / "dua-baris.xlsx")
    out = tmp_path / "hasil"
    result = ok(cli("run", path, "--out", out))
    findings = read_csv(out / "findings.csv")
    jump_rules = {f["rule"] for f in findings if f["id_pn"] == JUMP[0]}
    assert jump_rules & {"kas_melebihi_penghasilan", "harta_naik_tak_terjelaskan"}, findings
    assert not [f for f in findings if f["id_pn"] == STEADY[0] and f["rule"] == "total_tidak_sesuai"]
    assert sorted(r["id_pn"] for r in read_csv(out / "ranking.csv")) == sorted([STEADY[0], JUMP[0]])
    quality = read_csv(out / "data_quality.csv")
    # the JUMLAH row: listed once, never a declaration, and no "id_pn kosong" for the second header row
    assert [q["row"] for q in quality] == ["10"], quality
    assert manifest(out)["rows"]["laporan"] == {"read": 5, "accepted": 4, "rejected": 1}
    assert "1 baris jumlah/total" in result.output


def test_two_row_header_column_map_in_validate_and_manifest(tmp_path):
    path = two_row_header_book(tmp_path / "dua-baris.xlsx")
    text = ok(cli("validate", path)).output
    assert "judul kolom di baris 4-5" in text
    for line in ("'HARTA / Tanah dan Bangunan' -> tanah_bangunan",
                 "'HARTA / Alat Transportasi dan Mesin' -> alat_transportasi",
                 "'HARTA / Kas dan Setara Kas' -> kas", "'Total Harta Kekayaan (Rp)' -> total_harta_kekayaan"):
        assert line in text, text
    assert "Kolom tidak dibaca: 'No.' (A)" in text
    out = tmp_path / "hasil"
    ok(cli("run", path, "--out", out))
    columns = manifest(out)["columns"]["sheets"]["laporan"]
    assert columns["header_rows"] == [4, 5]
    assert {c["field"]: c["column"] for c in columns["read"]}["kas"] == "J"
    assert [c["header"] for c in columns["unread"]] == ["No."]


def test_group_cells_name_the_sub_columns_also_in_a_csv_without_merges(tmp_path):
    """`PENERIMAAN` / `Lainnya` is penerimaan_lainnya and `PENGELUARAN` / `Lainnya` pengeluaran_lainnya: the
    group typed once over its sub-headers (a CSV keeps no merges), with a row of column numbers below."""
    path = tmp_path / "laporan.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["DATA LHKPN 2023"])
        w.writerow(["NIP", "Nama", "Lembaga", "Jabatan", "Tahun", "Kas", "PENERIMAAN", "", "", "PENGELUARAN", "", ""])
        w.writerow(["", "", "", "", "", "", "Pekerjaan", "Usaha", "Lainnya", "Rutin", "Harta", "Lainnya"])
        w.writerow(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)"])
        w.writerow([STEADY[0], STEADY[1], "PEMDA", "Kabid", 2023, "100 jt", "200 jt", "10 jt", "30 jt", "150 jt",
                    "20 jt", "5 jt"])
    batch = load_batch(path)
    assert batch.counts["laporan"].read == 1 and batch.counts["laporan"].accepted == 1
    row = batch.laporan.iloc[0]
    assert (row["penerimaan_pekerjaan"], row["penerimaan_usaha"], row["penerimaan_lainnya"]) == (200e6, 10e6, 30e6)
    assert (row["pengeluaran_rutin"], row["pengeluaran_harta"], row["pengeluaran_lainnya"]) == (150e6, 20e6, 5e6)
    assert batch.columns["sheets"]["laporan"]["header_rows"] == [2, 3]  # the column numbers below: no data row


def test_nip_merged_down_over_an_officials_years_holds_for_each_year(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIP", "Nama", "Instansi", "Jabatan", "Tahun", "Kas"])
    ws.append([STEADY[0], STEADY[1], "PEMDA", "Kabid", 2022, 100e6])
    ws.append([None, None, "PEMDA", "Kabid", 2023, 105e6])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    wb.save(tmp_path / "gabung.xlsx")
    batch = load_batch(tmp_path / "gabung.xlsx")
    assert batch.laporan["id_pn"].tolist() == [STEADY[0]] * 2 and batch.counts["laporan"].rejected == 0


# -- the unit's own headers ----------------------------------------------------------------------------------

def test_common_unit_headers_are_read_and_no_mismatch_is_made_up(tmp_path):
    path = flat_book(tmp_path / "opd.xlsx", UNIT_HEADERS, unit_row)
    out = tmp_path / "hasil"
    ok(cli("run", path, "--out", out))
    columns = manifest(out)["columns"]["sheets"]["laporan"]
    assert columns["unread"] == []
    fields = {c["header"]: c["field"] for c in columns["read"]}
    assert fields["Kendaraan (Rp)"] == "alat_transportasi" and fields["Utang (Rp)"] == "hutang"
    assert fields["Jumlah Harta Kekayaan (Rp)"] == "total_harta_kekayaan" and fields["NIP Baru"] == "id_pn"
    assert not [f for f in read_csv(out / "findings.csv") if f["rule"] == "total_tidak_sesuai"]


def test_unread_money_column_is_named_with_a_suggestion(tmp_path):
    headers = [h if h != "Kendaraan (Rp)" else "Nilai Mobil/Motor" for h in UNIT_HEADERS]
    path = flat_book(tmp_path / "opd.xlsx", headers, unit_row)
    text = ok(cli("validate", path)).output
    assert "'Nilai Mobil/Motor' tidak dikenali — maksudnya alat_transportasi? (kolom G" in text, text
    out = tmp_path / "hasil"
    result = ok(cli("run", path, "--out", out))
    assert "maksudnya alat_transportasi?" in result.output
    rows = [q for q in read_csv(out / "data_quality.csv") if q["column"] == "Nilai Mobil/Motor"]
    assert len(rows) == 1 and rows[0]["row"] == "1" and "alat_transportasi" in rows[0]["problem"]
    unread = manifest(out)["columns"]["sheets"]["laporan"]["unread"]
    assert unread == [{"sheet": "laporan", "column": "G", "header": "Nilai Mobil/Motor", "money": True,
                       "suggestion": "alat_transportasi", "duplicate_of": None}]


def test_unread_columns_that_are_not_money_are_shown_but_not_problems(tmp_path):
    headers = ["No", *UNIT_HEADERS, "Keterangan", "No HP"]
    path = flat_book(tmp_path / "opd.xlsx", headers,
                     lambda *d: [1, *unit_row(*d), "lengkap", 81234567890])
    batch = load_batch(path)
    unread = {c["header"]: c["money"] for c in batch.columns["sheets"]["laporan"]["unread"]}
    assert unread == {"No": False, "Keterangan": False, "No HP": False}
    assert not len(batch.quality)


def test_every_missing_required_column_in_one_refusal(tmp_path):
    headers = ["Nomor Induk", "Nama Pegawai", "Satker", "Kas"]
    path = flat_book(tmp_path / "kurang.xlsx", headers, lambda nip, nama, year, *rest: [nip, nama, "Dinas", rest[2]])
    for command in ("validate", "run"):
        args = (command, path) if command == "validate" else (command, path, "--out", tmp_path / "hasil")
        message = refused(cli(*args), "kurang.xlsx", "'id_pn' (paling mirip: 'Nomor Induk')", "'lembaga'",
                          "'jabatan'", "tahun_lapor", "'Satker'", "[kolom]")
        assert message.count("tidak ditemukan") == 1


def test_nothing_to_analyse_is_exit_2_naming_found_and_expected(tmp_path):
    headers = ["NIP", "Nama", "Instansi", "Jabatan", "Tahun", "Saldo Akhir", "Nilai Aset"]
    path = flat_book(tmp_path / "kosong.xlsx", headers,
                     lambda nip, nama, year, tanah, mobil, kas, hutang, total: [nip, nama, "PEMDA", "Kabid", year,
                                                                               kas, tanah])
    for args in (("validate", path), ("run", path, "--out", tmp_path / "hasil")):
        refused(cli(*args), "tidak ada yang dapat dianalisis", "'Saldo Akhir'", "'Nilai Aset'", "kas",
                "total_harta_kekayaan")
    assert not (tmp_path / "hasil").exists()


# -- NIPs stored as numbers --------------------------------------------------------------------------------------

def test_numeric_nips_are_flagged(tmp_path):
    path = two_row_header_book(tmp_path / "nip-angka.xlsx", nip_as_number=True)
    out = tmp_path / "hasil"
    result = ok(cli("run", path, "--out", out))
    flagged = [q for q in read_csv(out / "data_quality.csv") if q["column"] == "id_pn" and "15 digit" in q["problem"]]
    assert sorted(int(q["row"]) for q in flagged) == [6, 7, 8, 9]
    assert "4 baris dengan NIP/NIK dari sel angka" in result.output
    assert "4 baris dengan NIP/NIK dari sel angka" in ok(cli("validate", path)).output


def test_two_people_whose_numeric_nips_collapsed_are_kept_apart(tmp_path):
    """198501012010011001 and ...002 typed as numbers are one number in a spreadsheet: the second name gets a
    derived id, both are ranked, neither's declarations are rejected as duplicates, and the jump is found."""
    path = two_row_header_book(tmp_path / "nip-sama.xlsx", nip_as_number=True, same_nip=True)
    out = tmp_path / "hasil"
    result = ok(cli("run", path, "--out", out))
    ranking = read_csv(out / "ranking.csv")
    assert sorted(r["nama"] for r in ranking) == sorted([STEADY[1], JUMP[1]])
    ids = {r["nama"]: r["id_pn"] for r in ranking}
    assert ids[JUMP[1]] == ids[STEADY[1]] + "-2"  # the name met second gets the derived id
    assert manifest(out)["rows"]["laporan"]["accepted"] == 4
    quality = read_csv(out / "data_quality.csv")
    assert not [q for q in quality if "ganda" in q["problem"]]
    split = [q for q in quality if "id turunan" in q["problem"]]
    assert sorted(int(q["row"]) for q in split) == [8, 9] and all(ids[JUMP[1]] in q["problem"] for q in split)
    findings = read_csv(out / "findings.csv")
    assert {f["rule"] for f in findings if f["id_pn"] == ids[JUMP[1]]} & {"kas_melebihi_penghasilan",
                                                                          "harta_naik_tak_terjelaskan"}
    assert "id turunan" in result.output
    for secret in (STEADY[1], JUMP[1], ids[JUMP[1]][:10]):
        assert secret not in result.output


def test_items_of_a_shared_numeric_id_go_to_the_person_of_their_year_or_are_listed(tmp_path):
    from lhkpn_check.model import RawBatch, RawSheet
    from lhkpn_check.validate import validate
    import pandas as pd

    lap = pd.DataFrame({"id_pn": [1.98501012010011e17] * 3, "nama": ["A", "B", "B"],
                        "tahun_lapor": [2022, 2023, 2022], "lembaga": "L", "jabatan": "J", "kas": 1e8,
                        "_row": [2, 3, 4]}).astype(object)
    harta = pd.DataFrame({"id_pn": [1.98501012010011e17] * 2 + ["1,98501E+17"], "tahun_lapor": [2023, 2022, 2023],
                          "kategori": "kas", "nilai_pelaporan": 1e8, "_row": [2, 3, 4]}).astype(object)
    batch = validate(RawBatch({"laporan": RawSheet("laporan", "u.xlsx", "laporan", lap),
                               "harta": RawSheet("harta", "u.xlsx", "harta", harta)}, []))
    base = str(int(1.98501012010011e17))  # what the spreadsheet kept: the last digits are not the NIP's
    assert sorted(batch.laporan["id_pn"]) == [base, f"{base}-2", f"{base}-2"]
    assert batch.harta["id_pn"].tolist() == [f"{base}-2"]  # 2023: only B declared
    kinds = batch.quality.groupby("kind")["row"].apply(list).to_dict()
    assert kinds["id_shared_ambiguous"] == [3]  # 2022: both declared
    assert kinds["id_from_number"] == [2, 3, 4, 2, 3, 4] and batch.counts["harta"].rejected == 2


# -- which sheet is which ---------------------------------------------------------------------------------------

def test_a_one_sheet_workbook_is_laporan_whatever_its_name(tmp_path):
    """Also beside the empty Sheet2 and Sheet3 older Excel adds to every new workbook."""
    path = flat_book(tmp_path / "opd.xlsx", UNIT_HEADERS, unit_row, title="Data LHKPN 2023 (final)",
                     extra_sheets=[("Sheet2", []), ("Sheet3", [])])
    text = ok(cli("validate", path)).output
    assert "Sheet laporan: 'Data LHKPN 2023 (final)' (satu-satunya sheet (atau berkas CSV) berisi data)" in text
    out = tmp_path / "hasil"
    result = ok(cli("run", path, "--out", out))
    assert "satu-satunya sheet" in result.output
    assert manifest(out)["columns"]["sheets"]["laporan"]["chosen_by"] == "only_sheet"
    assert len(read_csv(out / "ranking.csv")) == 2


def test_sheets_found_by_their_headers_and_the_others_shown(tmp_path):
    items = [["NIP", "Tahun", "Kategori", "Uraian", "Nilai"],
             [JUMP[0], 2023, "Kas dan Setara Kas", "Tabungan", 2_900_000_000]]
    path = flat_book(tmp_path / "opd.xlsx", UNIT_HEADERS, unit_row, title="Rekap Pejabat",
                     extra_sheets=[("Petunjuk", [["Isi data mulai baris 2"]]), ("Rincian Aset", items),
                                   ("Sheet3", [])])
    batch = load_batch(path)
    sheets = batch.columns["sheets"]
    assert (sheets["laporan"]["sheet"], sheets["laporan"]["chosen_by"]) == ("Rekap Pejabat", "headers")
    assert (sheets["harta"]["sheet"], sheets["harta"]["chosen_by"]) == ("Rincian Aset", "headers")
    assert batch.counts["harta"].accepted == 1
    assert [s["sheet"] for s in batch.columns["ignored_sheets"]] == ["Petunjuk"]
    text = ok(cli("validate", path)).output
    assert "'Rincian Aset' (menurut judul kolomnya)" in text and "Sheet tidak dibaca: 'Petunjuk'" in text


def test_a_second_sheet_shaped_like_laporan_is_listed_not_dropped_silently(tmp_path):
    path = flat_book(tmp_path / "dua-tahun.xlsx", UNIT_HEADERS, unit_row, title="2023",
                     extra_sheets=[("2022", [UNIT_HEADERS, unit_row(*next(declarations()))])])
    batch = load_batch(path)
    ignored = batch.quality[batch.quality["kind"] == "sheet_ignored"]
    assert ignored["sheet"].tolist() == ["2022"]
    assert "PERHATIAN" in ok(cli("validate", path)).output
    out = tmp_path / "hasil"
    assert "Sheet tidak dibaca: '2022'" in ok(cli("run", path, "--out", out)).output
    assert [q["sheet"] for q in read_csv(out / "data_quality.csv")] == ["2022"]


# -- the [kolom] table ---------------------------------------------------------------------------------------------

OWN_HEADERS = ["Nomor Induk", "Nama", "Instansi", "Jabatan", "Tahun", "Tanah (Rp)", "Nilai Mobil/Motor", "Kas",
               "Pinjaman", "Kekayaan Bersih"]


def test_kolom_maps_the_units_own_headers(tmp_path):
    path = flat_book(tmp_path / "opd.xlsx", OWN_HEADERS, unit_row)
    refused(cli("validate", path), "'id_pn' (paling mirip: 'Nomor Induk')")
    config = tmp_path / "kolom.toml"
    config.write_text('[kolom]\nid_pn = "Nomor Induk"\nalat_transportasi = "Nilai Mobil/Motor"\n'
                      'tanah_bangunan = ["Tanah (Rp)", "Nilai Tanah"]\n', encoding="utf-8")
    text = ok(cli("validate", path, "--config", config)).output
    assert "'Nomor Induk' -> id_pn (dari [kolom] config)" in text
    assert "'Nilai Mobil/Motor' -> alat_transportasi (dari [kolom] config)" in text
    out = tmp_path / "hasil"
    ok(cli("run", path, "--config", config, "--out", out))
    m = manifest(out)
    assert m["column_mapping"]["all sheets"]["id_pn"] == ["Nomor Induk"]
    read = {c["header"]: (c["field"], c["via"]) for c in m["columns"]["sheets"]["laporan"]["read"]}
    assert read["Nilai Mobil/Motor"] == ("alat_transportasi", "kolom")
    assert read["Pinjaman"][0] == "hutang" and read["Kekayaan Bersih"][0] == "total_harta_kekayaan"
    assert sorted(r["id_pn"] for r in read_csv(out / "ranking.csv")) == sorted([STEADY[0], JUMP[0]])
    assert not [f for f in read_csv(out / "findings.csv") if f["rule"] == "total_tidak_sesuai"]


def test_kolom_per_sheet_and_wins_over_an_alias(tmp_path):
    config = tmp_path / "kolom.toml"
    config.write_text('[kolom.laporan]\nkas = "Kas dan Setara Kas"\nhutang = "Kas Bon"\n', encoding="utf-8")
    settings = load_settings(config)
    assert settings.kolom == {"*": {}, "laporan": {"kas": ("Kas dan Setara Kas",), "hutang": ("Kas Bon",)}}


@pytest.mark.parametrize("text,key", [('[kolom]\nbukan_kolom = "X"\n', "bukan_kolom"),
                                      ('[kolom]\nid_pn = 12\n', "id_pn"),
                                      ('[kolom.harta]\nnama = "Nama"\n', "nama"),
                                      ('kolom = "NIP"\n', "kolom")])
def test_kolom_mistakes_are_refused_naming_the_key(tmp_path, text, key):
    config = tmp_path / "salah.toml"
    config.write_text(text, encoding="utf-8")
    path = flat_book(tmp_path / "opd.xlsx", UNIT_HEADERS, unit_row)
    refused(cli("validate", path, "--config", config), "salah.toml", key)


def test_template_petunjuk_explains_kolom(tmp_path):
    path = tmp_path / "templat.xlsx"
    ok(cli("template", path))
    text = "\n".join(str(c.value) for row in openpyxl.load_workbook(path)["Petunjuk"].iter_rows() for c in row
                     if c.value)
    assert "[kolom]" in text and 'id_pn = "Nomor Induk"' in text


def test_a_key_value_title_block_above_the_header_is_not_part_of_it(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Instansi", ":", "PEMERINTAH KABUPATEN CONTOH"])
    ws.append(["Tahun", ":", 2023])
    ws.append(["NIP", "Nama Lengkap (dengan gelar)", "Instansi", "Jabatan", "Tahun", "Kas (Rp.)"])
    ws.append([STEADY[0], STEADY[1], "PEMDA", "Kabid", 2023, "Rp 100.000.000,00"])
    wb.save(tmp_path / "judul.xlsx")
    batch = load_batch(tmp_path / "judul.xlsx")
    info = batch.columns["sheets"]["laporan"]
    assert info["header_rows"] == [3] and info["unread"] == []
    assert batch.laporan[["nama", "kas"]].values.tolist() == [[STEADY[1], 100e6]]


def test_a_folder_of_csv_files_with_their_own_names(tmp_path):
    folder = tmp_path / "kiriman-opd"
    folder.mkdir()
    with (folder / "data_2023.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(UNIT_HEADERS)
        for d in declarations():
            w.writerow(unit_row(*d))
    batch = load_batch(folder)
    assert batch.counts["laporan"].accepted == 4
    assert batch.columns["sheets"]["laporan"]["chosen_by"] == "only_sheet"
    with (folder / "rincian.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["NIP", "Tahun", "Kategori", "Uraian", "Nilai"])
        w.writerow([JUMP[0], 2023, "Kas dan Setara Kas", "Tabungan", "2,9 M"])
    batch = load_batch(folder)
    sheets = batch.columns["sheets"]
    assert (sheets["laporan"]["sheet"], sheets["harta"]["sheet"]) == ("data_2023", "rincian")
    assert batch.counts["harta"].accepted == 1
