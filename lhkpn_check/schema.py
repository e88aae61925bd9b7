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


_ID_ALIASES = ("ID PN", "NIP", "NIK", "NHK", "ID", "No Identitas", "NIP Baru", "NIP/NIK", "NIK/NIP", "No NIP",
               "Nomor NIP", "NIP Pegawai", "Nomor Induk Pegawai", "NIP/NRP", "NRP", "NRP/NIP",
               "Nomor Induk Kependudukan", "No KTP", "Nomor Identitas", "ID Pejabat", "ID Wajib Lapor")
_YEAR_ALIASES = ("Tahun Pelaporan", "Tahun Lapor", "Tahun", "Tahun LHKPN", "Tahun LHKASN", "Tahun Laporan",
                 "Periode", "Periode Laporan", "Tahun Periodik", "Tahun Pelaporan LHKPN", "Tahun Harta")
_DATE_ALIASES = ("Tanggal Lapor", "Tanggal Pelaporan", "Tgl Lapor", "Tanggal Laporan", "Tgl Pelaporan",
                 "Tgl Laporan")
"""The reporting date; the date a declaration was sent (Tanggal Kirim, Penyampaian) is `tanggal_kirim`."""

LAPORAN = _cols(
    Column("id_pn", ID, True, _ID_ALIASES),
    Column("nama", TEXT, True, ("Nama", "Nama Lengkap", "Nama PN", "Nama Pejabat", "Nama Pegawai", "Nama ASN",
                                        "Nama Penyelenggara Negara", "Nama Wajib Lapor", "Nama Lengkap dan Gelar",
                                        "Nama dan Gelar", "Nama Pelapor")),
    Column("tahun_lapor", YEAR, False, _YEAR_ALIASES),
    Column("tanggal_lapor", DATE, False, _DATE_ALIASES),
    Column("jenis_laporan", CODE, False, ("Jenis Laporan", "Jenis"), codes="jenis_laporan"),
    Column("lembaga", TEXT, True, ("Lembaga", "Instansi", "Nama Instansi", "Instansi Induk", "Kementerian/Lembaga",
                                          "Lembaga/Instansi", "Instansi/Lembaga", "Pemerintah Daerah",
                                          "Instansi/Satuan Kerja", "Nama Lembaga")),
    Column("unit_kerja", TEXT, False, ("Unit Kerja", "OPD", "Sub Unit Kerja", "Satuan Kerja", "Satker",
                                                  "Perangkat Daerah", "SKPD", "Unit Kerja/OPD", "Nama OPD",
                                                  "Nama Unit Kerja", "Unit Organisasi")),
    Column("jabatan", TEXT, True, ("Jabatan", "Nama Jabatan", "Jabatan Saat Ini", "Jabatan Terakhir",
                                          "Jabatan/Posisi")),
    Column("eselon", CODE, False, ("Eselon", "Eselon/Jenjang", "Jenjang Jabatan"), codes="eselon"),
    Column("golongan", CODE, False, ("Golongan", "Golongan/Ruang", "Pangkat/Golongan", "Gol", "Gol/Ruang",
                                                    "Pangkat/Gol"), codes="golongan"),
    Column("tanah_bangunan", MONEY, False,
           ("Tanah dan Bangunan", "Tanah & Bangunan", "Tanah/Bangunan", "Tanah Bangunan")),
    Column("alat_transportasi", MONEY, False,
           ("Alat Transportasi dan Mesin", "Alat Transportasi", "Alat Transportasi & Mesin",
            "Kendaraan", "Kendaraan Bermotor", "Alat Transportasi/Kendaraan", "Transportasi")),
    Column("harta_bergerak_lain", MONEY, False,
           ("Harta Bergerak Lainnya", "Harta Bergerak Lain", "Harta Bergerak", "Harta Bergerak Lainya")),
    Column("surat_berharga", MONEY, False, ("Surat Berharga", "Surat-surat Berharga")),
    Column("kas", MONEY, False, ("Kas dan Setara Kas", "Kas & Setara Kas", "Kas", "Kas/Setara Kas", "Kas dan Setara",
                                      "Kas/Tabungan", "Kas dan Tabungan", "Tabungan", "Kas dan Bank", "Kas & Bank",
                                      "Giro/Tabungan/Deposito", "Tabungan/Deposito")),
    Column("harta_lainnya", MONEY, False, ("Harta Lainnya", "Harta Lain", "Harta Lainya")),
    Column("hutang", MONEY, False, ("Hutang", "Utang", "Total Hutang", "Total Utang", "Jumlah Hutang", "Jumlah Utang",
                                          "Pinjaman", "Hutang/Pinjaman", "Utang/Pinjaman")),
    Column("total_harta_kekayaan", MONEY, False,
           ("Total Harta Kekayaan", "Total Harta", "Total Kekayaan", "Harta Kekayaan", "Jumlah Harta Kekayaan",
            "Total Harta Kekayaan Bersih", "Harta Kekayaan Bersih", "Kekayaan Bersih", "Jumlah Kekayaan",
            "Total LHKPN", "Total Harta Kekayaan (II-III)", "Jumlah Harta Kekayaan Bersih")),
    Column("penerimaan_pekerjaan", MONEY, False,
           ("Penerimaan dari Pekerjaan", "Penerimaan Pekerjaan", "Penghasilan dari Pekerjaan",
            "Penghasilan Pekerjaan", "Penghasilan Jabatan", "Gaji dan Tunjangan", "Gaji/Tunjangan")),
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
    "laporan": ("laporan", "lhkpn", "lhkasn", "declarations", "deklarasi", "data laporan", "daftar laporan",
                "data lhkpn", "data lhkasn", "daftar lhkpn", "daftar lhkasn", "laporan lhkpn", "laporan lhkasn"),
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


_UNIT = re.compile(r"\(\s*(?:dalam\s+)?(rp|rupiah|idr|m2|m²|tahun)\s*\.?\s*\)$|\b(rp|rupiah|idr)\.?$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm_header(text) -> str:
    """Fold a header or code for matching: case, accents, punctuation, spaces and a trailing unit.

    >>> norm_header(" Kas dan Setara Kas (Rp) ")
    'kas dan setara kas'
    >>> norm_header("ID_PN")
    'id pn'
    """
    s = str(text)
    if not s.isascii():  # ASCII text is its own decomposition
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().replace("²", "2")
    s = s.lower().strip()
    s = _UNIT.sub("", s.strip()).strip()
    return _NON_ALNUM.sub(" ", s).strip()


def header_lookup(sheet: str, extra: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Normalised header -> canonical column for one sheet. `extra` (the config's `[kolom]` table:
    column -> headers as in the user's files) comes first, so a user's mapping wins over an alias."""
    table: dict[str, str] = {}
    for name, labels in (extra or {}).items():
        if name in SCHEMA[sheet]:
            for label in labels:
                table.setdefault(norm_header(label), name)
    for col in SCHEMA[sheet].values():
        for label in (col.name, *col.aliases):
            table.setdefault(norm_header(label), col.name)
    return table


_LEAD_WORDS = ("nilai", "jumlah", "total", "besar", "nominal")


def match_header(key: str, lookup: dict[str, str], sheet: str) -> str | None:
    """The column a normalised header names: itself, or a money column once a leading word such as
    `Nilai` / `Jumlah` is set aside (`Nilai Kendaraan`, `Jumlah Utang`)."""
    if key in lookup:
        return lookup[key]
    first, _, rest = key.partition(" ")
    if first in _LEAD_WORDS and rest in lookup and SCHEMA[sheet][lookup[rest]].kind == MONEY:
        return lookup[rest]
    return None


KEYWORDS: dict[str, tuple[str, ...]] = {
    "id_pn": ("nip", "nik", "nrp", "nhk", "induk", "identitas", "ktp", "id"),
    "nama": ("nama", "pegawai", "pejabat"),
    "tahun_lapor": ("tahun", "periode", "thn"),
    "tanggal_lapor": ("tanggal", "tgl"),
    "lembaga": ("instansi", "lembaga", "kementerian", "pemda", "pemerintah"),
    "unit_kerja": ("unit", "opd", "satker", "skpd", "satuan", "perangkat", "dinas", "bagian"),
    "jabatan": ("jabatan", "posisi"),
    "eselon": ("eselon", "jenjang"),
    "golongan": ("golongan", "gol", "pangkat", "ruang"),
    "tanah_bangunan": ("tanah", "bangunan", "rumah", "properti", "gedung", "lahan"),
    "alat_transportasi": ("kendaraan", "mobil", "motor", "transportasi", "mesin", "otomotif"),
    "harta_bergerak_lain": ("bergerak", "perhiasan", "emas", "logam", "perabot", "elektronik", "barang"),
    "surat_berharga": ("saham", "obligasi", "reksa", "reksadana", "sukuk", "berharga", "investasi", "efek"),
    "kas": ("kas", "tabungan", "deposito", "giro", "uang", "tunai", "bank", "rekening", "simpanan"),
    "harta_lainnya": ("lainnya", "lain", "piutang"),
    "hutang": ("hutang", "utang", "pinjaman", "kredit", "kewajiban", "cicilan", "kpr"),
    "total_harta_kekayaan": ("kekayaan", "bersih", "netto", "total", "jumlah"),
    "penerimaan_pekerjaan": ("gaji", "penghasilan", "tunjangan", "honor", "honorarium", "pekerjaan", "pendapatan"),
    "penerimaan_usaha": ("usaha", "sewa", "bunga", "dividen", "bisnis"),
    "penerimaan_lainnya": ("hibah", "warisan", "hadiah"),
    "pengeluaran_rutin": ("rutin", "belanja", "konsumsi", "rumah tangga"),
    "pengeluaran_harta": ("pembelian", "perolehan"),
    "pengeluaran_lainnya": ("pengeluaran", "pelunasan", "angsuran"),
    "kategori": ("kategori", "jenis", "kelompok", "kode"),
    "uraian": ("uraian", "keterangan", "deskripsi", "rincian"),
    "nilai_pelaporan": ("nilai", "estimasi", "pelaporan", "taksiran"),
    "nilai_perolehan": ("perolehan", "harga", "beli"),
    "perkiraan_nilai": ("perkiraan", "nilai", "taksiran", "estimasi"),
}
"""Words that hint at a column in a header the alias table does not know: used only to suggest a
column to the user, never to read one (a guess is named, not applied)."""


def closest_column(header: str, sheet: str, among=None) -> str | None:
    """The column of `sheet` (optionally only those `among`) a header most likely means, or None when
    nothing is close: keyword hints first, then the spelling of the canonical names and aliases."""
    names = [n for n in SCHEMA[sheet] if among is None or n in among]
    best, best_score = None, 0.0
    for name in names:
        score = column_score(header, sheet, name)
        if score > best_score:
            best, best_score = name, score
    return best


def column_score(header: str, sheet: str, name: str) -> float:
    """How likely a header means column `name` of `sheet`: keyword hints plus the spelling likeness to
    its names; 0 when neither is close."""
    import difflib

    key = norm_header(header)
    if not key:
        return 0.0
    words = set(key.split())
    hit = sum(1 for h in KEYWORDS.get(name, ()) if (h in words if " " not in h else h in key))
    ratio = max(difflib.SequenceMatcher(None, key, norm_header(label)).ratio()
                for label in (name, *SCHEMA[sheet][name].aliases))
    return hit + ratio if hit else (ratio if ratio >= 0.72 else 0.0)


def code_lookup(table: str) -> dict[str, str]:
    """Normalised spelling -> canonical code for one code table."""
    out: dict[str, str] = {}
    for code, spellings in CODES[table].items():
        for s in (code, *spellings):
            out.setdefault(norm_header(s), code)
    return out
