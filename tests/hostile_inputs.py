"""Builders of bad input files for the hostile-input suite (tests/test_hostile.py).

A small valid batch (`tiny_book`) is built as plain Python tables, mutated by the tests, and written
as an .xlsx workbook or CSV files exactly as a user's spreadsheet would hold it: money typed as text
(`Rp 1.250.000.000,00`, `750 jt`, `1,25 M`, `-`), dates as Indonesian text, ids as 18-digit text.
Byte-level builders then break the written files: truncation, zip bombs, XML entity tricks.
"""

from __future__ import annotations

import copy
import csv
import io
import struct
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

LAPORAN_HEADERS = [
    "id_pn", "nama", "tahun_lapor", "tanggal_lapor", "jenis_laporan", "lembaga", "unit_kerja", "jabatan",
    "eselon", "golongan", "tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga",
    "kas", "harta_lainnya", "hutang", "total_harta_kekayaan", "penerimaan_pekerjaan", "penerimaan_usaha",
    "penerimaan_lainnya", "pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya",
]
HARTA_HEADERS = [
    "id_pn", "tahun_lapor", "tanggal_lapor", "kategori", "uraian", "merek", "model", "tahun_pembuatan", "luas_tanah",
    "luas_bangunan", "tahun_perolehan", "asal_usul", "atas_nama", "nilai_perolehan", "nilai_pelaporan",
]
TEMUAN_HEADERS = ["id_pn", "tanggal", "jenis", "merek", "model", "uraian", "perkiraan_nilai", "sumber", "bukti"]

HEADERS = {"laporan": LAPORAN_HEADERS, "harta": HARTA_HEADERS, "temuan": TEMUAN_HEADERS}

TEXT_COLUMNS = {
    "laporan": ["nama", "lembaga", "unit_kerja", "jabatan"],
    "harta": ["uraian", "merek", "model"],
    "temuan": ["merek", "model", "uraian", "sumber", "bukti"],
}
"""Free-text columns of each sheet: where formulas and markup are planted."""

MONEY_COLUMNS = {
    "laporan": ["tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas",
                "harta_lainnya", "hutang", "total_harta_kekayaan", "penerimaan_pekerjaan", "penerimaan_usaha",
                "penerimaan_lainnya", "pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya"],
    "harta": ["nilai_perolehan", "nilai_pelaporan"],
    "temuan": ["perkiraan_nilai"],
}
YEAR_COLUMNS = {"laporan": ["tahun_lapor"], "harta": ["tahun_lapor", "tahun_pembuatan", "tahun_perolehan"],
                "temuan": []}
DATE_COLUMNS = {"laporan": ["tanggal_lapor"], "harta": ["tanggal_lapor"], "temuan": ["tanggal"]}
CODE_COLUMNS = {"laporan": ["jenis_laporan", "eselon", "golongan"], "harta": ["kategori", "asal_usul", "atas_nama"],
                "temuan": ["jenis"]}
NUMBER_COLUMNS = {"laporan": [], "harta": ["luas_tanah", "luas_bangunan"], "temuan": []}

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1)", "=1+1", "\t=2+3"]
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
          "<a href=\"https://jahat.example/\">klik</a>"]
HOSTILE_TEXT = FORMULAS + MARKUP
HOSTILE_IDS = ["a/b", "..", "../../etc/passwd", "..\\..\\win.ini", "CON", "x" * 300, '=HYPERLINK("http://x","y")',
               "<script>alert(1)</script>"]

NAMES = ["Sri Wulandari Hartati", "Bambang Priyo Utomo", "Dewi Kusumastuti Ningrum", "Agus Salim Wibisono",
         "Rina Marlina Siregar", "Yohanes Baptista Tanoe"]
BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)

    def col(self, name: str) -> int:
        return self.headers.index(name)

    def column(self, name: str) -> list:
        i = self.col(name)
        return [r[i] for r in self.rows]

    def set(self, row: int, name: str, value) -> None:
        self.rows[row][self.col(name)] = value

    def drop(self, name: str) -> None:
        i = self.col(name)
        self.headers.pop(i)
        for r in self.rows:
            r.pop(i)


Book = dict  # sheet name -> Table, in the order the sheets are written


def nip(i: int) -> str:
    """An 18-digit NIP as text (birth date, appointment, sex, serial)."""
    return f"1975{i + 1:02d}{10 + i:02d}2001{i % 2 + 1}{(i * 7) % 9 + 1}1{i + 1:03d}"[:18].ljust(18, "0")


def rupiah(value: int, style: int) -> str | int:
    """A money value as different people type it."""
    if style == 0:
        return value
    if style == 1:
        return "Rp " + f"{value:,}".replace(",", ".") + ",00"
    if style == 2:
        return f"{value:,}".replace(",", ".")
    if style == 3 and value % 1_000_000 == 0:
        return f"{value // 1_000_000} jt"
    return f"Rp. {value}"


def tanggal(i: int, k: int, year: int) -> str:
    """A reporting date typed in Indonesian, in the reporting year (day <= 28: valid in every month)."""
    return f"{28 - i % 20} {BULAN[(i + k) % 12]} {year}"


def tiny_book(n_officials: int = 5, years: tuple[int, ...] = (2021, 2022, 2023)) -> Book:
    """A small valid batch: `laporan`, `harta` and `temuan`, canonical headers, values as typed."""
    laporan = Table(list(LAPORAN_HEADERS))
    harta = Table(list(HARTA_HEADERS))
    temuan = Table(list(TEMUAN_HEADERS))
    eselon = ["II", "III", "IV", "III", "Pelaksana", "IV"]
    golongan = ["IV/c", "IV/a", "III/d", "III/c", "III/a", "III/b"]
    for i in range(n_officials):
        id_pn = nip(i)
        for k, year in enumerate(years):
            growth = 1 + 0.05 * k
            tanah = int((800 + 150 * i) * growth) * 1_000_000
            mobil = (250 + 20 * i) * 1_000_000
            kas = int((60 + 10 * i + 5 * k) * 1_000_000)
            hutang = (100 - 20 * k) * 1_000_000 if i % 2 == 0 else 0
            gaji = (150 + 15 * i) * 1_000_000
            style = (i + k) % 4
            laporan.rows.append([
                id_pn, NAMES[i % len(NAMES)], year, tanggal(i, k, year), "Periodik",
                "PEMERINTAH PROVINSI LAMPUNG", "DINAS PENDIDIKAN DAN KEBUDAYAAN", f"Kepala Bidang {i + 1}",
                eselon[i % len(eselon)], golongan[i % len(golongan)],
                rupiah(tanah, style), rupiah(mobil, (style + 1) % 4), "-", "", rupiah(kas, style), "-",
                rupiah(hutang, style) if hutang else "-", rupiah(tanah + mobil + kas - hutang, 0),
                rupiah(gaji, (style + 2) % 4), "-", "", rupiah(gaji // 2, 0), "-", "",
            ])
            harta.rows.append([id_pn, year, tanggal(i, k, year), "Tanah dan Bangunan",
                               f"Tanah dan Bangunan Seluas {200 + i} m2/{90 + i} m2 di KAB / KOTA WONOGIRI, "
                               "HASIL SENDIRI", "", "", "", 200 + i, 90 + i, 2010, "hasil sendiri", "PN",
                               rupiah(tanah // 2, 2), rupiah(tanah, style)])
            harta.rows.append([id_pn, year, tanggal(i, k, year), "Alat Transportasi dan Mesin", "MOBIL, TOYOTA INNOVA Tahun 2019, "
                               "HASIL SENDIRI", "TOYOTA", "INNOVA", 2019, "", "", 2019, "1", "1",
                               rupiah(mobil, 0), rupiah(mobil, (style + 1) % 4)])
            harta.rows.append([id_pn, year, tanggal(i, k, year), "Kas dan Setara Kas", "Tabungan", "", "", "", "", "", year,
                               "hasil sendiri", "PN", "", rupiah(kas, style)])
            if hutang:
                harta.rows.append([id_pn, year, tanggal(i, k, year), "hutang", "Kredit pemilikan rumah", "", "", "", "", "", 2015,
                                   "", "PN", "", rupiah(hutang, style)])
        temuan.rows.append([id_pn, f"12 Maret {years[-1]}", "jam tangan", "ROLEX", "DAYTONA",
                            "Terlihat di unggahan media sosial", "450 jt", "pengaduan masyarakat",
                            "arsip pengaduan no. 12"])
    return {"laporan": laporan, "harta": harta, "temuan": temuan}


def clone(book: Book) -> Book:
    return copy.deepcopy(book)


def ids_of(book: Book) -> list[str]:
    return sorted({str(v) for v in book["laporan"].column("id_pn")})


def names_of(book: Book) -> list[str]:
    return sorted({str(v) for v in book["laporan"].column("nama")})


def xlsx_safe(value):
    """openpyxl refuses control characters in cells; a real workbook cannot hold them either."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(book: Book, path: Path, *, title_rows: int = 0) -> Path:
    """Write the tables as sheets; text starting with '=' stays text (a typed value, not a formula)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, table in book.items():
        ws = wb.create_sheet(name)
        for t in range(title_rows):
            ws.append([f"DAFTAR {name.upper()} LHKPN" if t == 0 else None])
        ws.append(table.headers)
        for row in table.rows:
            ws.append([xlsx_safe(v) for v in row])
        for row in ws.iter_rows(min_row=title_rows + 2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # what a user sees after typing '=... : text, not a formula
    wb.save(path)
    return path


def csv_bytes(table: Table, *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(table: Table, path: Path, **kw) -> Path:
    path.write_bytes(csv_bytes(table, **kw))
    return path


def write_csv_folder(book: Book, folder: Path, **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in book.items():
        write_csv(table, folder / f"{name}.csv", **kw)
    return folder


def data_rows(book: Book) -> dict[str, int]:
    """Rows written per sheet (the header not counted): what the tool must account for."""
    return {name: len(table.rows) for name, table in book.items()}


# -- byte-level breakage -------------------------------------------------------------------------------

def truncated(src: Path, dst: Path, n: int) -> Path:
    dst.write_bytes(src.read_bytes()[:n])
    return dst


def _rezip(src: Path, dst: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None):
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def sheet_member(path: Path, sheet: str = "laporan") -> str:
    """The zip member holding one sheet (openpyxl numbers them in creation order)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        wb = z.read("xl/workbook.xml").decode()
    # attribute order differs between openpyxl's writers (with and without lxml installed)
    order = re.findall(r'<sheet\b[^>]*?\bname="([^"]*)"', wb)
    return [n for n in names if n.startswith("xl/worksheets/sheet")][order.index(sheet)]


def zip_declaring_huge_member(src: Path, dst: Path, member: str | None = None,
                              declared: int = 0xF000_0000) -> Path:
    """A copy of the workbook whose sheet member *declares* ~4 GB uncompressed (headers patched)."""
    member = member or sheet_member(src)
    data = bytearray(src.read_bytes())
    target = member.encode()
    # central directory entries: PK\x01\x02, uncompressed size at +24, name length at +28, name at +46
    pos = 0
    patched = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == target:
            struct.pack_into("<I", data, pos + 24, declared)
            patched += 1
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 26)[0]
        if bytes(data[pos + 30:pos + 30 + name_len]) == target:
            struct.pack_into("<I", data, pos + 22, declared)
        pos += 4
    assert patched == 1, f"member {member} not found in central directory"
    dst.write_bytes(bytes(data))
    return dst


def zip_with_zeros(src: Path, dst: Path, size: int, member: str = "xl/media/nol.bin") -> Path:
    """A copy of the workbook with an extra member of `size` zero bytes (compresses ~1000:1)."""
    return _rezip(src, dst, add={member: bytes(size)})


def billion_laughs(depth: int = 10) -> str:
    lines = ['<!ENTITY lol0 "lol">']
    for d in range(1, depth):
        lines.append(f'<!ENTITY lol{d} "{("&lol%d;" % (d - 1)) * 10}">')
    return "\n".join(lines)


def xlsx_with_doctype(src: Path, dst: Path, *, kind: str, secret_file: Path | None = None,
                      part: str | None = None) -> Path:
    """A copy of the workbook whose `part` (default: the laporan sheet) carries a DOCTYPE with entity tricks,
    referenced in place of the first official's name.

    kind 'laughs': billion laughs (10^10 'lol'); 'external': an external entity reading `secret_file`.
    """
    part = part or sheet_member(src)
    with zipfile.ZipFile(src) as z:
        xml = z.read(part).decode("utf-8")
    body = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    root_tag = xml[xml.index("<", body) + 1:].split(None, 1)[0].rstrip(">")
    if kind == "laughs":
        decl, ref = billion_laughs(), "&lol9;"
    elif kind == "external":
        decl, ref = f'<!ENTITY xxe SYSTEM "{Path(secret_file).resolve().as_uri()}">', "&xxe;"
    else:
        raise ValueError(kind)
    xml = xml[:body] + f"\n<!DOCTYPE {root_tag} [\n{decl}\n]>\n" + xml[body:]
    xml = xml.replace(f"<t>{NAMES[0]}</t>", f"<t>{ref}</t>")
    assert ref in xml, f"no cell text {NAMES[0]!r} in {part}"
    return _rezip(src, dst, replace={part: xml.encode("utf-8")})
