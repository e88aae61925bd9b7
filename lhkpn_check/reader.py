"""Read a batch as the user gave it: an .xlsx workbook, a folder of .csv files, or one .csv.

Cells stay as the person typed them (text, or the number/date Excel stored); `validate` types them.
Headers are matched to canonical names, also when title rows sit above the header row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check.errors import InputError
from lhkpn_check.model import InputFile, RawBatch, RawSheet
from lhkpn_check.schema import SHEET_ALIASES, header_lookup, norm_header

HEADER_SCAN_ROWS = 30
SHEETS = frozenset({"laporan", "harta", "temuan", "wajib_lapor"})
_FIX_FORMAT = "Simpan data sebagai .xlsx (Excel) atau .csv, lalu jalankan lagi."


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sheet_name(label: str) -> str | None:
    key = norm_header(label)
    for sheet, aliases in SHEET_ALIASES.items():
        if key in {norm_header(a) for a in aliases}:
            return sheet
    return None


def check_xlsx_archive(path: Path, max_unzipped_bytes: int) -> None:
    """Refuse what is not a workbook, and zip bombs, before any XML is parsed."""
    if path.stat().st_size == 0:
        raise InputError("berkas kosong (0 byte)", file=path.name, fix=_FIX_FORMAT)
    if not zipfile.is_zipfile(path):
        raise InputError("berkas ini bukan workbook Excel .xlsx (mungkin teks/CSV yang diberi nama .xlsx, "
                         "atau berkas terpotong)", file=path.name, fix=_FIX_FORMAT)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > max_unzipped_bytes:
                raise InputError(
                    f"isi workbook bila diekstrak {total:,} byte, melebihi batas {max_unzipped_bytes:,} byte "
                    "(kemungkinan zip bomb)", file=path.name,
                    fix="Periksa asal berkas; bila memang sebesar itu, naikkan max_unzipped_bytes di --config.")
            if "xl/workbook.xml" not in names:
                raise InputError("berkas zip ini bukan workbook Excel .xlsx", file=path.name, fix=_FIX_FORMAT)
            for info in infos:
                if info.filename.endswith(".xml") and info.file_size:
                    with zf.open(info) as fh:
                        head = fh.read(2048)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise InputError("workbook berisi deklarasi DOCTYPE/ENTITY XML yang tidak diizinkan",
                                         file=path.name, sheet=info.filename,
                                         fix="Buka dan simpan ulang berkas di Excel, lalu jalankan lagi.")
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"workbook rusak atau terpotong ({exc})", file=path.name, fix=_FIX_FORMAT) from None


def _find_header(rows: list[list], sheet: str) -> tuple[int | None, list[str], dict]:
    """The header row among the first rows, the column names (canonical where matched) and the original
    header text of each canonical column."""
    lookup = header_lookup(sheet)
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len({lookup[k] for k in (norm_header(c) for c in row if c not in (None, "")) if k in lookup})
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None, [], {}
    names, original, seen = [], {}, set()
    for j, cell in enumerate(rows[best]):
        text = "" if cell is None else str(cell).strip()
        canonical = lookup.get(norm_header(text)) if text else None
        name = canonical if canonical and canonical not in seen else (text or f"kolom_{j + 1}")
        while name in seen:
            name = f"{name}_"
        seen.add(name)
        names.append(name)
        if canonical and canonical == name:
            original[canonical] = text
    return best, names, original


def _frame_from_cells(cells: np.ndarray, names: list[str], first_row: int) -> pd.DataFrame:
    """Blank cells become missing, blank rows go; `_row` is the spreadsheet row number."""
    cells[pd.isna(cells)] = None
    cells[cells == ""] = None
    keep = ~np.equal(cells, None).all(axis=1)
    row_numbers = np.arange(first_row, first_row + len(cells), dtype=np.int64)
    frame = pd.DataFrame(cells[keep], columns=names, dtype="object")
    frame["_row"] = row_numbers[keep]
    return frame


def _empty_sheet(sheet: str, source: str, label: str) -> RawSheet:
    return RawSheet(sheet, source, label, pd.DataFrame({"_row": pd.Series(dtype="int64")}), 1, {})


def _frame_from_rows(rows: list[list], sheet: str, source: str, label: str) -> RawSheet | None:
    """Find the header row, name the columns, keep the spreadsheet row numbers."""
    best, names, original = _find_header(rows, sheet)
    if best is None:
        return _empty_sheet(sheet, source, label)
    body = rows[best + 1:]
    width = len(names)
    if any(len(r) != width for r in body):
        body = [list(r[:width]) + [None] * (width - len(r)) for r in body]
    cells = np.array(body, dtype=object).reshape(len(body), width)
    return RawSheet(sheet, source, label, _frame_from_cells(cells, names, best + 2), best + 1, original)


def _read_xlsx(path: Path, max_unzipped_bytes: int,
               wanted: frozenset[str] = SHEETS) -> tuple[dict[str, RawSheet], tuple[str, ...]]:
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(path, max_unzipped_bytes)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        labels = list(wb.sheet_names)
    except Exception as exc:  # calamine raises its own error types for broken parts
        raise InputError(f"workbook tidak dapat dibaca ({type(exc).__name__}: {exc})", file=path.name,
                         fix=_FIX_FORMAT) from None
    sheets: dict[str, RawSheet] = {}
    for label in labels:
        sheet = _sheet_name(label)
        if sheet is None or sheet in sheets or sheet not in wanted:
            continue
        try:
            rows = wb.get_sheet_by_name(label).to_python(skip_empty_area=False)
        except Exception as exc:
            raise InputError(f"sheet tidak dapat dibaca ({type(exc).__name__}: {exc})", file=path.name,
                             sheet=label, fix=_FIX_FORMAT) from None
        sheets[sheet] = _frame_from_rows(rows, sheet, path.name, label)
    if "laporan" not in sheets and "laporan" in wanted:
        found = ", ".join(f"'{s}'" for s in labels) or "tidak ada"
        raise InputError(f"sheet 'laporan' tidak ditemukan (sheet yang ada: {found})", file=path.name,
                         sheet="laporan",
                         fix="Beri nama sheet berisi daftar laporan 'laporan' (lihat: lhkpn-check template).")
    return sheets, tuple(labels)


def _decode(data: bytes) -> tuple[str, bool]:
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), True


def _read_csv(path: Path, sheet: str, notes: list[dict]) -> RawSheet:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    size = path.stat().st_size
    if not head.strip() and size <= len(head):
        raise InputError("berkas CSV kosong", file=path.name, fix="Isi berkas dengan baris judul kolom dan data.")
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("berkas ini bukan teks CSV (berisi data biner)", file=path.name, fix=_FIX_FORMAT)
    fast = _read_csv_c(path, sheet, head, size)
    if fast is not None:
        return fast
    text, fallback = _decode(path.read_bytes())
    if fallback:
        notes.append({"source": path.name, "sheet": sheet, "row": None, "column": None, "value": None,
                      "kind": "encoding_fallback"})
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    return _frame_from_rows(rows, sheet, path.name, path.stem)


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv_c(path: Path, sheet: str, head: bytes, size: int) -> RawSheet | None:
    """Large, well-formed UTF-8 files through pandas' C parser (every cell kept as text). None when the
    file needs the careful path: another encoding, ragged rows, or line breaks inside the title rows."""
    if size < (1 << 20):
        return None
    try:
        head_text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    lines = head_text.splitlines()[:HEADER_SCAN_ROWS]
    delimiter = _delimiter(head_text)
    rows = list(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter))
    best, names, original = _find_header(rows, sheet)
    if best is None or len(rows) <= best or len(rows[:best + 1]) != len(lines[:best + 1]) or any(
            "\n" in c or "\r" in c for r in rows[:best + 1] for c in r):
        return None
    try:
        frame = pd.read_csv(path, sep=delimiter, header=None, names=names, skiprows=best + 1, dtype=object,
                            keep_default_na=False, na_values=[""], skip_blank_lines=False, encoding="utf-8-sig",
                            engine="c", on_bad_lines="error")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    # The blank cells are already missing; blank rows go. A blank row's first cell is missing, so only
    # those rows are looked at whole (the whole sheet's mask took ~0.7 s at 3.5M rows).
    maybe = np.flatnonzero(frame.iloc[:, 0].isna().to_numpy())
    blank = maybe[frame.iloc[maybe].isna().all(axis=1).to_numpy()] if len(maybe) else maybe
    frame["_row"] = np.arange(best + 2, best + 2 + len(frame), dtype=np.int64)
    if len(blank):
        frame = frame.drop(index=frame.index[blank])
    return RawSheet(sheet, path.name, path.stem, frame.reset_index(drop=True), best + 1, original)


def read_input(path, *, max_unzipped_bytes: int = 1 << 30, only: frozenset[str] = SHEETS) -> RawBatch:
    """Read INPUT into raw sheets (text cells, canonical headers) without judging any value.

    `only` limits the sheets read, so that two processes can each read part of a large batch; `inputs`
    then lists the files read."""
    wanted = frozenset(only)
    path = Path(path)
    if not path.exists():
        raise InputError("berkas atau folder tidak ditemukan", file=str(path),
                         fix="Periksa nama dan letak berkas masukan.")
    notes: list[dict] = []
    inputs: list[InputFile] = []
    sheets: dict[str, RawSheet] = {}
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        for p in files:
            sheet = _sheet_name(p.stem)
            if sheet and sheet not in sheets and sheet in wanted:
                sheets[sheet] = _read_csv(p, sheet, notes)
                inputs.append(InputFile(str(p), _sha256(p), p.stat().st_size, (sheet,)))
        if "laporan" not in sheets and "laporan" in wanted:
            raise InputError(f"folder tidak berisi laporan.csv (berkas .csv yang ada: "
                             f"{', '.join(p.name for p in files) or 'tidak ada'})", file=str(path), sheet="laporan",
                             fix="Beri nama berkas daftar laporan 'laporan.csv'.")
    elif path.suffix.lower() == ".xlsx":
        sheets, labels = _read_xlsx(path, max_unzipped_bytes, wanted)
        inputs.append(InputFile(str(path), _sha256(path), path.stat().st_size, labels))
    elif path.suffix.lower() in (".csv", ".txt"):
        if "laporan" in wanted:
            sheets["laporan"] = _read_csv(path, "laporan", notes)
        inputs.append(InputFile(str(path), _sha256(path), path.stat().st_size, ("laporan",)))
    else:
        raise InputError(f"jenis berkas '{path.suffix or '(tanpa akhiran)'}' tidak didukung", file=path.name,
                         fix="Gunakan workbook .xlsx, satu berkas .csv, atau folder berisi berkas .csv. "
                             "Berkas .xls lama: simpan ulang sebagai .xlsx.")
    return RawBatch(sheets=sheets, inputs=inputs, notes=notes)

