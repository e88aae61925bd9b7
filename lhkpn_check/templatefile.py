"""An empty input workbook: the input sheets (laporan, harta, temuan, wajib_lapor), a Petunjuk sheet and
drop-down lists for coded columns."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lhkpn_check.schema import CODES, SCHEMA

# Drop-down values are the human labels the validator accepts (first spelling of each code).
LISTS = {("laporan", "jenis_laporan"): "jenis_laporan", ("laporan", "eselon"): "eselon",
         ("laporan", "golongan"): "golongan", ("harta", "kategori"): "kategori",
         ("harta", "asal_usul"): "asal_usul", ("harta", "atas_nama"): "atas_nama", ("temuan", "jenis"): "jenis_temuan",
         ("wajib_lapor", "jenis"): "jenis_wajib"}

PETUNJUK = [
    "Petunjuk pengisian lhkpn_check",
    "Isi satu baris per laporan di sheet 'laporan' (wajib), satu baris per harta/hutang di sheet 'harta',",
    "dan satu baris per temuan barang mewah di sheet 'temuan' (boleh kosong).",
    "Sheet 'wajib_lapor' (boleh kosong): daftar pejabat yang wajib lapor dari BKD, untuk menghitung kepatuhan;",
    "isi tanggal_kirim di sheet 'laporan' (tanggal laporan disampaikan) agar ketepatan waktu dapat dinilai.",
    "Kolom wajib laporan: id_pn, nama, lembaga, jabatan, dan tahun_lapor atau tanggal_lapor.",
    "Uang dalam Rupiah: 1250000000, 1.250.000.000, Rp 1.250.000.000,00, 1,25 M, 750 jt. Kosong atau '-' = tidak diisi.",
    "Tanggal: 31 Desember 2022, 2022-12-31 atau tanggal Excel.",
    "Kolom berkode memakai daftar pilihan (drop-down).",
    "",
    "Memakai berkas dengan judul kolom sendiri",
    "Judul kolom dicocokkan longgar: huruf besar/kecil, spasi, tanda baca dan '(Rp)' diabaikan.",
    "Boleh ada baris judul laporan di atas, judul dua baris (mis. HARTA di atas 'Kas dan Setara Kas'),",
    "kolom 'No.' dan baris JUMLAH/TOTAL di bawah (baris jumlah tidak dibaca sebagai laporan).",
    "Banyak judul umum sudah dikenal (NIP Baru, Nama Pegawai, Instansi, Tahun LHKPN, Kendaraan, Utang, ...).",
    "`lhkpn-check validate BERKAS` menampilkan judul mana dibaca sebagai kolom apa, dan kolom yang tidak dibaca.",
    "Judul lain dipetakan di berkas konfigurasi (teks TOML, dipakai dengan --config) pada tabel [kolom]:",
    "nama kolom alat ini = \"judul di berkas Anda\", misalnya:",
    "    [kolom]",
    "    id_pn = \"Nomor Induk\"",
    "    alat_transportasi = \"Nilai Mobil/Motor\"",
    "    hutang = [\"Pinjaman\", \"Kredit\"]      (beberapa judul sekaligus)",
    "    [kolom.harta]                             (hanya untuk sheet harta)",
    "    nilai_pelaporan = \"Nilai Sekarang\"",
    "Nama kolom alat ini: baris judul sheet laporan, harta dan temuan di templat ini.",
    "NIP/NIK: format kolomnya sebagai Teks sebelum mengetik. Excel hanya menyimpan 15 digit angka, sehingga",
    "NIP 18 digit yang diketik sebagai angka kehilangan digit terakhirnya (ditandai di data_quality.csv).",
    "",
    "Setiap red flag hasil alat ini adalah sinyal yang perlu diklarifikasi, bukan tuduhan.",
]


def write_template(path, lang: str = "id") -> None:
    wb = Workbook()
    wb.remove(wb.active)
    daftar = wb.create_sheet("daftar")
    ranges = {}
    for j, (table, codes) in enumerate(CODES.items(), start=1):
        labels = [spellings[0].title() if spellings and not spellings[0].isdigit() else code
                  for code, spellings in codes.items()]
        if table in ("eselon", "golongan", "jenis_wajib"):
            labels = list(codes)
        daftar.cell(1, j, table)
        for i, label in enumerate(labels, start=2):
            daftar.cell(i, j, label)
        col = get_column_letter(j)
        ranges[table] = f"daftar!${col}$2:${col}${len(labels) + 1}"
    daftar.sheet_state = "hidden"
    for sheet, columns in SCHEMA.items():
        ws = wb.create_sheet(sheet, index=len(wb.sheetnames) - 1)
        for j, name in enumerate(columns, start=1):
            cell = ws.cell(1, j, name)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            ws.column_dimensions[get_column_letter(j)].width = max(12, len(name) + 2)
            if (sheet, name) in LISTS:
                dv = DataValidation(type="list", formula1=ranges[LISTS[(sheet, name)]], allow_blank=True)
                ws.add_data_validation(dv)
                dv.add(f"{get_column_letter(j)}2:{get_column_letter(j)}5000")
        ws.freeze_panes = "A2"
    info = wb.create_sheet("Petunjuk", index=0)
    for i, line in enumerate(PETUNJUK, start=1):
        info.cell(i, 1, line).font = Font(bold=(i == 1))
    info.column_dimensions["A"].width = 110
    wb.save(path)
