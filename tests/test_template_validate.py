"""The template round trip and the reader on the real public files."""

from pathlib import Path

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
    assert (won.quality["kind"] == "summary_row").sum() == won.counts["harta"].rejected
    yog = load_batch(REAL / "yogyakarta_totals.csv")
    assert yog.counts["laporan"].read == 726 == yog.counts["laporan"].accepted
    assert yog.laporan["total_harta_kekayaan"].notna().all()
