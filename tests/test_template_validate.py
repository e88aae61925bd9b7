"""The template round trip and the reader on the real public files."""

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from lhkpn_check.templatefile import write_template
from lhkpn_check.validate import load_batch

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def test_template_has_dropdowns_and_validates_once_filled(tmp_path):
    path = tmp_path / "templat.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert {"Petunjuk", "laporan", "harta", "temuan"} <= set(wb.sheetnames)
    assert wb["harta"].data_validations.dataValidation, "harta needs drop-downs"
    daftar = wb["daftar"]
    kategori_col = [c.value for c in daftar[1]].index("kategori") + 1
    kategori = daftar.cell(2, kategori_col).value
    lap, harta = wb["laporan"], wb["harta"]
    head = {c.value: i + 1 for i, c in enumerate(lap[1])}
    for r, ident in ((2, "198501012010011001"), (3, "198601012010011002")):
        lap.cell(r, head["id_pn"], ident)
        lap.cell(r, head["nama"], f"Uji {r}")
        lap.cell(r, head["tahun_lapor"], 2023)
        lap.cell(r, head["lembaga"], "PEMERINTAH PROVINSI UJI")
        lap.cell(r, head["jabatan"], "KEPALA BIDANG")
        lap.cell(r, head["eselon"], "III")
        lap.cell(r, head["kas"], "Rp 12.500.000")
    hh = {c.value: i + 1 for i, c in enumerate(harta[1])}
    harta.cell(2, hh["id_pn"], "198501012010011001")
    harta.cell(2, hh["tahun_lapor"], 2023)
    harta.cell(2, hh["kategori"], kategori)
    harta.cell(2, hh["nilai_pelaporan"], "750 jt")
    wb.save(path)
    batch = load_batch(path)
    assert batch.counts["laporan"].rejected == 0 and batch.counts["harta"].rejected == 0
    assert sorted(batch.laporan["id_pn"]) == ["198501012010011001", "198601012010011002"]
    assert batch.laporan["kas"].tolist() == [12_500_000.0, 12_500_000.0]


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_files_every_row_accounted_for():
    won = load_batch(REAL / "wonogiri_eannouncement.xlsx")
    assert won.counts["laporan"].read == 227 and won.counts["harta"].read == 1591
    for c in won.counts.values():
        assert c.read == c.accepted + c.rejected
    assert won.n_officials == 48
    harta_kinds = won.quality.loc[won.quality["sheet"] == "harta", "kind"]
    assert harta_kinds.isin(["summary_row", "ambiguous_item", "duplicate_item"]).sum() == won.counts["harta"].rejected
    # The namesake ids carry identity conflicts; copies of declarations are rejected with their items.
    conflicts = won.quality.loc[won.quality["kind"] == "identity_conflict", "value"]
    assert {"WNG-004", "WNG-019", "WNG-021"} <= set(conflicts)
    assert (won.quality["kind"] == "duplicate_declaration").sum() == won.counts["laporan"].rejected == 17
    assert won.laporan.loc[won.laporan["id_pn"].isin(["WNG-004", "WNG-019", "WNG-021"]), "probable_namesake"].all()
    yog = load_batch(REAL / "yogyakarta_totals.csv")
    assert yog.counts["laporan"].read == 726 == yog.counts["laporan"].accepted
    assert yog.laporan["total_harta_kekayaan"].notna().all()


def test_two_declarations_in_one_year_each_sum_their_own_items(tmp_path):
    """A Khusus (June) and a Periodik (December) declaration of one year: each category total is the sum of
    the items dated as that declaration, not of every item of the year."""
    folder = tmp_path / "batch"
    folder.mkdir()
    pd.DataFrame({
        "ID PN": ["A", "A", "A"], "Nama": ["Pejabat A"] * 3,
        "Tanggal Lapor": ["31 Desember 2024", "23 April 2025", "31 Desember 2025"],
        "Jenis Laporan": ["Periodik", "Khusus, Awal Menjabat", "Periodik"],
        "Lembaga": ["PEMERINTAH KABUPATEN CONTOH"] * 3, "Jabatan": ["WAKIL BUPATI"] * 3,
        "Kas dan Setara Kas": ["80.000.000"] * 3, "Hutang": ["0"] * 3,
        "Total Harta Kekayaan": ["Rp.1.630.000.000", "Rp.1.810.000.000", "Rp.1.630.000.000"],
    }).to_csv(folder / "laporan.csv", index=False)
    rumah = "Tanah dan Bangunan Seluas 426 m2/426 m2 di KAB / KOTA WONOGIRI, HASIL SENDIRI"
    mobil = "MOBIL, TOYOTA INNOVA VENTURER Tahun 2019, HASIL SENDIRI"
    brio = "MOBIL, HONDA BRIO Tahun 2020, HASIL SENDIRI"
    rows = [("31 Desember 2024", "Tanah dan Bangunan", rumah, "1.110.000.000"),
            ("31 Desember 2024", "Alat Transportasi dan Mesin", mobil, "440.000.000"),
            ("23 April 2025", "Tanah dan Bangunan", rumah, "1.110.000.000"),
            ("23 April 2025", "Alat Transportasi dan Mesin", mobil, "440.000.000"),
            ("23 April 2025", "Alat Transportasi dan Mesin", brio, "180.000.000"),
            ("31 Desember 2025", "Tanah dan Bangunan", rumah, "1.110.000.000"),
            ("31 Desember 2025", "Alat Transportasi dan Mesin", mobil, "440.000.000")]
    pd.DataFrame(rows, columns=["Tanggal Lapor", "Kategori", "Uraian", "Nilai Pelaporan"]).assign(
        **{"ID PN": "A"}).to_csv(folder / "harta.csv", index=False)
    batch = load_batch(folder)
    lap = batch.laporan.sort_values("tanggal_lapor")
    assert lap["tanah_bangunan"].tolist() == [1_110e6, 1_110e6, 1_110e6]
    assert lap["alat_transportasi"].tolist() == [440e6, 620e6, 440e6]
    assert "total_differs_from_items" not in set(batch.quality["kind"])
    assert (batch.quality["kind"] == "same_year_declarations").sum() == 2


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_khusus_and_periodik_of_one_year_match_their_declared_totals():
    """WNG-002 filed a Khusus and a Periodik in 2025: the parts of each equal what the official declared."""
    from lhkpn_check.features import declarations
    from lhkpn_check.settings import Settings

    won = load_batch(REAL / "wonogiri_eannouncement.xlsx")
    d = declarations(won.laporan[won.laporan["id_pn"] == "WNG-002"], Settings())
    assert (d["tahun_lapor"] == 2025).sum() == 2
    assert d["total_diff"].abs().max() < 1
