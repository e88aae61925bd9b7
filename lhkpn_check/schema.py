"""The canonical input schema: sheets, columns, their kinds, header aliases and code tables.

Everything after the reader speaks these canonical names. A header in a user's file is matched
by `norm_header` against the canonical name and every alias (e-LHKPN form labels).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HARTA_KATEGORI = (
    "tanah_bangunan",
    "alat_transportasi",
    "harta_bergerak_lain",
    "surat_berharga",
    "kas",
    "harta_lainnya",
)
"""The six asset categories of section IV, in form order."""

PENERIMAAN = ("penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya")
PENGELUARAN = ("pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya")

SHEETS = ("laporan", "harta", "temuan")
REQUIRED_SHEET = "laporan"

# Column kinds: how a cell is parsed.
ID, TEXT, MONEY, YEAR, DATE, NUMBER, CODE = "id", "text", "money", "year", "date", "number", "code"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    codes: str | None = None
    """Name of the code table in CODES for kind CODE."""


def _cols(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


_ID_ALIASES = ("ID PN", "NIP", "NIK", "NHK", "ID", "No Identitas")
_YEAR_ALIASES = ("Tahun Pelaporan", "Tahun Lapor", "Tahun")
_DATE_ALIASES = ("Tanggal Lapor", "Tanggal Pelaporan", "Tgl Lapor")

LAPORAN = _cols(
    Column("id_pn", ID, True, _ID_ALIASES),
    Column("nama", TEXT, True, ("Nama", "Nama Lengkap", "Nama PN", "Nama Pejabat")),
    Column("tahun_lapor", YEAR, False, _YEAR_ALIASES),
    Column("tanggal_lapor", DATE, False, _DATE_ALIASES),
    Column("jenis_laporan", CODE, False, ("Jenis Laporan", "Jenis"), codes="jenis_laporan"),
    Column("lembaga", TEXT, True, ("Lembaga", "Instansi", "Nama Instansi")),
    Column("unit_kerja", TEXT, False, ("Unit Kerja", "OPD", "Sub Unit Kerja", "Satuan Kerja")),
    Column("jabatan", TEXT, True, ("Jabatan", "Nama Jabatan")),
    Column("eselon", CODE, False, ("Eselon", "Eselon/Jenjang", "Jenjang Jabatan"), codes="eselon"),
    Column("golongan", CODE, False, ("Golongan", "Golongan/Ruang", "Pangkat/Golongan"), codes="golongan"),
    Column("tanah_bangunan", MONEY, False, ("Tanah dan Bangunan", "Tanah & Bangunan")),
    Column("alat_transportasi", MONEY, False,
           ("Alat Transportasi dan Mesin", "Alat Transportasi", "Alat Transportasi & Mesin")),
    Column("harta_bergerak_lain", MONEY, False,
           ("Harta Bergerak Lainnya", "Harta Bergerak Lain", "Harta Bergerak")),
    Column("surat_berharga", MONEY, False, ("Surat Berharga",)),
    Column("kas", MONEY, False, ("Kas dan Setara Kas", "Kas & Setara Kas", "Kas")),
    Column("harta_lainnya", MONEY, False, ("Harta Lainnya", "Harta Lain")),
    Column("hutang", MONEY, False, ("Hutang", "Utang", "Total Hutang", "Total Utang")),
    Column("total_harta_kekayaan", MONEY, False,
           ("Total Harta Kekayaan", "Total Harta", "Total Kekayaan", "Harta Kekayaan", "Jumlah Harta Kekayaan")),
    Column("penerimaan_pekerjaan", MONEY, False,
           ("Penerimaan dari Pekerjaan", "Penerimaan Pekerjaan", "Penghasilan dari Pekerjaan")),
    Column("penerimaan_usaha", MONEY, False,
           ("Penerimaan dari Usaha dan Kekayaan", "Penerimaan dari Usaha", "Penerimaan Usaha",
            "Penghasilan dari Usaha dan Kekayaan")),
    Column("penerimaan_lainnya", MONEY, False, ("Penerimaan Lainnya", "Penerimaan Lain")),
    Column("pengeluaran_rutin", MONEY, False, ("Pengeluaran Rutin",)),
    Column("pengeluaran_harta", MONEY, False, ("Pengeluaran Harta", "Pengeluaran untuk Harta")),
    Column("pengeluaran_lainnya", MONEY, False, ("Pengeluaran Lainnya", "Pengeluaran Lain")),
    Column("tanggal_kirim", DATE, False,
           ("Tanggal Kirim", "Tanggal Penyampaian", "Tanggal Submit", "Tgl Kirim", "Tanggal Pengiriman")),
)
"""`tanggal_kirim` is the date the declaration was submitted (for filing compliance, kepatuhan.py), not the
reporting date: last, so that the other columns keep their places."""

HARTA = _cols(
    Column("id_pn", ID, True, _ID_ALIASES),
    Column("tahun_lapor", YEAR, False, _YEAR_ALIASES),
    Column("tanggal_lapor", DATE, False, _DATE_ALIASES),
    Column("kategori", CODE, True, ("Kategori", "Jenis Harta", "Kode Harta"), codes="kategori"),
    Column("uraian", TEXT, False, ("Uraian", "Keterangan", "Deskripsi", "Uraian Harta")),
    Column("jenis", TEXT, False, ("Jenis",)),
    Column("merek", TEXT, False, ("Merek", "Merk")),
    Column("model", TEXT, False, ("Model", "Tipe", "Type")),
    Column("tahun_pembuatan", YEAR, False, ("Tahun Pembuatan", "Tahun Buat")),
    Column("luas_tanah", NUMBER, False, ("Luas Tanah", "Luas Tanah (m2)")),
    Column("luas_bangunan", NUMBER, False, ("Luas Bangunan", "Luas Bangunan (m2)")),
    Column("lokasi", TEXT, False, ("Lokasi", "Alamat", "Kabupaten/Kota")),
    Column("tahun_perolehan", YEAR, False, ("Tahun Perolehan", "Tahun Peroleh")),
    Column("asal_usul", CODE, False, ("Asal Usul", "Asal Usul Harta", "Asal-usul"), codes="asal_usul"),
    Column("atas_nama", CODE, False, ("Atas Nama", "Kepemilikan"), codes="atas_nama"),
    Column("nilai_perolehan", MONEY, False, ("Nilai Perolehan", "Harga Perolehan")),
    Column("nilai_pelaporan", MONEY, False,
           ("Nilai Pelaporan", "Nilai Estimasi Saat Pelaporan", "Nilai Saat Pelaporan", "Nilai", "Nilai Estimasi")),
)

TEMUAN = _cols(
    Column("id_pn", ID, True, _ID_ALIASES),
    Column("tanggal", DATE, False, ("Tanggal", "Tanggal Temuan", "Tanggal Diamati", "Tahun")),
    Column("jenis", CODE, False, ("Jenis", "Jenis Barang"), codes="jenis_temuan"),
    Column("merek", TEXT, False, ("Merek", "Merk")),
    Column("model", TEXT, False, ("Model", "Tipe", "Type")),
    Column("uraian", TEXT, False, ("Uraian", "Keterangan", "Deskripsi")),
    Column("perkiraan_nilai", MONEY, False, ("Perkiraan Nilai", "Nilai", "Estimasi Nilai", "Taksiran Nilai")),
    Column("sumber", TEXT, False, ("Sumber", "Sumber Informasi")),
    Column("bukti", TEXT, False, ("Bukti", "Tautan", "Link", "Referensi")),
)

WAJIB_LAPOR = _cols(
    Column("id_pn", ID, True, _ID_ALIASES),
    Column("nama", TEXT, True, ("Nama", "Nama Lengkap", "Nama PN", "Nama Pejabat", "Nama Pegawai")),
    Column("jabatan", TEXT, False, ("Jabatan", "Nama Jabatan")),
    Column("unit_kerja", TEXT, False, ("Unit Kerja", "OPD", "Sub Unit Kerja", "Satuan Kerja")),
    Column("lembaga", TEXT, False, ("Lembaga", "Instansi", "Nama Instansi")),
    Column("jenis", CODE, False, ("Jenis", "Jenis Laporan", "Jenis Wajib Lapor", "LHKPN/LHKASN"), codes="jenis_wajib"),
    Column("tahun_lapor", YEAR, False, _YEAR_ALIASES),
    Column("batas_lapor", DATE, False,
           ("Batas Lapor", "Batas Waktu", "Batas Waktu Pelaporan", "Batas Waktu Penyampaian", "Tenggat")),
)
"""The roster of officials who must file (wajib lapor, from the personnel office): SPEC §5."""

SCHEMA: dict[str, dict[str, Column]] = {"laporan": LAPORAN, "harta": HARTA, "temuan": TEMUAN,
                                        "wajib_lapor": WAJIB_LAPOR}

SHEET_ALIASES = {
    "laporan": ("laporan", "lhkpn", "lhkasn", "declarations", "deklarasi", "data laporan", "daftar laporan"),
    "harta": ("harta", "rincian harta", "items", "aset", "harta kekayaan"),
    "temuan": ("temuan", "observasi", "pengamatan", "observations", "barang mewah"),
    "wajib_lapor": ("wajib lapor", "wajib_lapor", "daftar wajib lapor", "wajib lhkpn", "roster", "daftar wl"),
}

# Code tables: canonical value -> accepted spellings (matched after norm_header).
CODES: dict[str, dict[str, tuple[str, ...]]] = {
    "kategori": {
        "tanah_bangunan": ("tanah dan bangunan", "tanah bangunan", "tanah", "bangunan", "1", "a", "iv a"),
        "alat_transportasi": ("alat transportasi dan mesin", "alat transportasi", "kendaraan", "2", "b", "iv b"),
        "harta_bergerak_lain": ("harta bergerak lainnya", "harta bergerak lain", "harta bergerak", "3", "c", "iv c"),
        "surat_berharga": ("surat berharga", "4", "d", "iv d"),
        "kas": ("kas dan setara kas", "kas", "5", "e", "iv e"),
        "harta_lainnya": ("harta lainnya", "harta lain", "6", "f", "iv f"),
        "hutang": ("hutang", "utang", "7", "g", "iv g"),
    },
    "asal_usul": {
        "hasil_sendiri": ("hasil sendiri", "1"),
        "warisan": ("warisan", "2"),
        "hibah_dengan_akta": ("hibah dengan akta", "3"),
        "hibah_tanpa_akta": ("hibah tanpa akta", "4"),
        "hadiah": ("hadiah", "5"),
        "lainnya": ("lainnya", "lain lain", "6"),
    },
    "atas_nama": {
        "pn": ("pn", "penyelenggara negara", "sendiri", "1"),
        "pasangan_anak": ("pasangan anak", "pasangan", "anak", "istri", "suami", "2"),
        "lainnya": ("lainnya", "lain lain", "3"),
    },
    "jenis_laporan": {
        "periodik": ("periodik",),
        "khusus_calon": ("khusus calon pn", "calon pn", "khusus calon"),
        "khusus_awal": ("khusus awal menjabat", "awal menjabat", "khusus awal"),
        "khusus_akhir": ("khusus akhir menjabat", "akhir menjabat", "khusus akhir"),
    },
    "eselon": {
        "I": ("i", "1", "eselon i", "jpt utama", "jpt madya", "pimpinan tinggi utama", "pimpinan tinggi madya",
              "ia", "ib"),
        "II": ("ii", "2", "eselon ii", "jpt pratama", "pimpinan tinggi pratama", "iia", "iib"),
        "III": ("iii", "3", "eselon iii", "administrator", "iiia", "iiib"),
        "IV": ("iv", "4", "eselon iv", "pengawas", "iva", "ivb"),
        "non-eselon": ("non eselon", "noneselon", "v", "pelaksana", "fungsional", "jabatan fungsional",
                       "staf", "staff", "0", "tidak ada"),
        "DPRD": ("dprd", "anggota dprd", "legislatif"),
        "Kepala Daerah": ("kepala daerah", "gubernur", "bupati", "walikota", "wali kota",
                          "wakil gubernur", "wakil bupati", "wakil walikota", "wakil wali kota"),
    },
    "golongan": {
        f"{g}/{r}": (f"{g}/{r}", f"{g} {r}", f"{g}{r}")
        for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
        for r in rs
    },
    "jenis_wajib": {
        "LHKPN": ("lhkpn", "penyelenggara negara", "pn"),
        "LHKASN": ("lhkasn", "asn", "aparatur sipil negara"),
    },
    "jenis_temuan": {
        "mobil": ("mobil", "car", "kendaraan roda 4"),
        "motor": ("motor", "sepeda motor", "motorcycle", "moge", "kendaraan roda 2"),
        "jam tangan": ("jam tangan", "jam", "arloji", "watch"),
        "tas": ("tas", "bag", "tas tangan"),
        "perhiasan": ("perhiasan", "jewelry", "jewellery", "emas"),
        "properti": ("properti", "rumah", "apartemen", "villa", "tanah", "property"),
        "perjalanan luar negeri": ("perjalanan luar negeri", "perjalanan", "liburan luar negeri", "travel"),
        "lainnya": ("lainnya", "lain lain", "other"),
    },
}

QUALITY_COLUMNS = ("source", "sheet", "row", "column", "value", "problem", "action")
"""Columns of data_quality.csv, as the spec names them."""


_UNIT = re.compile(r"\((rp|rupiah|idr|m2|m²|tahun)\)$|\b(rp|rupiah|idr)$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm_header(text) -> str:
    """Fold a header or code for matching: case, accents, punctuation, spaces and a trailing unit.

    >>> norm_header(" Kas dan Setara Kas (Rp) ")
    'kas dan setara kas'
    >>> norm_header("ID_PN")
    'id pn'
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower().strip()
    s = s.replace("²", "2")
    s = _UNIT.sub("", s.strip()).strip()
    return _NON_ALNUM.sub(" ", s).strip()


def header_lookup(sheet: str) -> dict[str, str]:
    """Normalised header -> canonical column for one sheet."""
    table: dict[str, str] = {}
    for col in SCHEMA[sheet].values():
        for label in (col.name, *col.aliases):
            table.setdefault(norm_header(label), col.name)
    return table


def code_lookup(table: str) -> dict[str, str]:
    """Normalised spelling -> canonical code for one code table."""
    out: dict[str, str] = {}
    for code, spellings in CODES[table].items():
        for s in (code, *spellings):
            out.setdefault(norm_header(s), code)
    return out
