"""Read a batch as the user gave it: an .xlsx workbook, a folder of .csv files, or one .csv.

Cells stay as the person typed them (text, or the number/date Excel stored); `validate` types them.
Headers are matched to canonical names, also when title rows sit above the header row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check.errors import InputError
from lhkpn_check.model import ColumnRead, InputFile, RawBatch, RawSheet
from lhkpn_check.schema import SCHEMA, SHEET_ALIASES, header_lookup, match_header, norm_header

HEADER_SCAN_ROWS = 30
SHEETS = frozenset(SCHEMA)
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


HEADER_MAX_ROWS = 3
"""A header may span this many rows (a group row merged over sub-headers, and one more)."""


def _cell_text(cell) -> str:
    """A header cell as text: whole numbers without `.0`, line breaks and runs of spaces as one space."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def _fill_header_cells(rows: list[list], merges) -> list[list]:
    """The first rows as text, each merged range filled with its top-left value (a group cell `HARTA` over
    three columns names all three), and, where the file keeps no merges (CSV, or a group typed once), a group
    cell carried right over the cells below it that have sub-headers while its own neighbour has one too."""
    limit = min(len(rows), HEADER_SCAN_ROWS + HEADER_MAX_ROWS)
    width = max((len(r) for r in rows[:limit]), default=0)
    top = [[_cell_text(c) for c in r] + [""] * (width - len(r)) for r in rows[:limit]]
    for (r0, c0), (r1, c1) in merges or ():
        if r0 >= limit or c0 >= width or not top[r0][c0]:
            continue
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                top[r][c] = top[r][c] or top[r0][c0]
    for r in range(len(top) - 1):
        below, row = top[r + 1], top[r]
        for c in range(1, width):
            if not row[c] and row[c - 1] and below[c] and below[c - 1]:
                row[c] = row[c - 1]
    return top


class _Header:
    """The header found in a sheet: its rows and, per column, its label and the column it names."""

    def __init__(self, first: int, count: int, labels: list[str], fields: list, via: list[str], cells: list[str]):
        self.first, self.count, self.labels, self.fields, self.via = first, count, labels, fields, via
        self.cells = cells
        self.data_start = first + count

    @property
    def score(self) -> int:
        return len({f for f in self.fields if f})


_NOTE = re.compile(r"\([^)]*\)")


def _match(text: str, lookup: dict, sheet: str, own, memo: dict) -> tuple[str | None, str]:
    """The column a header text names, and how ('kolom': the config's [kolom]; 'alias'); `memo` keeps the
    answers for one sheet's header search, which meets each text many times."""
    if text not in memo:
        memo[text] = None, ""
        for candidate in (text, _NOTE.sub(" ", text)):  # `Nama Lengkap (dengan gelar)`: the note aside
            key = norm_header(candidate)
            field = match_header(key, lookup, sheet)
            if field:
                memo[text] = field, "kolom" if key in own else "alias"
                break
    return memo[text]


def _header_at(top: list[list[str]], first: int, count: int, sheet: str, lookup: dict, own: set,
               memo: dict) -> _Header:
    """Rows first..first+count-1 read as one header: per column the parts from top to bottom (a part equal to
    the one above it, a vertical merge, counted once); the column is the one named by the parts together
    (`PENERIMAAN` + `Lainnya`), else by the lowest part alone (`HARTA` / `Kas dan Setara Kas`)."""
    width = len(top[first]) if top else 0
    labels, cells, fields, via = [], [], [], []
    for c in range(width):
        parts: list[str] = []
        for r in range(first, first + count):
            text = top[r][c] if c < len(top[r]) else ""
            if text and (not parts or norm_header(parts[-1]) != norm_header(text)):
                parts.append(text)
        field, how = None, ""
        for i in range(len(parts)):
            field, how = _match(" ".join(parts[i:]), lookup, sheet, own, memo)
            if field:
                break
        labels.append(" / ".join(parts))
        cells.append(parts[-1] if parts else "")
        fields.append(field)
        via.append(how)
    return _Header(first, count, labels, fields, via, cells)


def _numbering_row(row: list, width: int) -> bool:
    """A row of column numbers under the header ((1) (2) (3) ... or 1 2 3 ...): part of the header."""
    numbers = []
    for cell in row:
        text = _cell_text(cell).strip("() .")
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or len(text) > 3:
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and numbers == sorted(set(numbers)) and numbers[-1] <= width + 1


def _find_header(rows: list[list], sheet: str, extra: dict | None = None, merges=()) -> _Header | None:
    """The header among the first rows: the rows (one to HEADER_MAX_ROWS) naming the most columns of
    `sheet`; of equal ones the fewest rows, then the first. None when no row names any column."""
    lookup = header_lookup(sheet, extra)
    own = {norm_header(h) for name, labels in (extra or {}).items() if name in SCHEMA[sheet] for h in labels}
    top = _fill_header_cells(rows, merges)
    memo: dict = {}
    best: _Header | None = None
    for first in range(min(len(top), HEADER_SCAN_ROWS)):
        for count in range(1, HEADER_MAX_ROWS + 1):
            if first + count > len(top):
                break
            found = _header_at(top, first, count, sheet, lookup, own, memo)
            if found.score and (best is None or (found.score, -found.count) > (best.score, -best.count)):
                best = found
    if best is None:
        return None
    # Merged cells copied down make the lower header row name every column by itself: the row above still
    # belongs to the header when a cell of it is merged down into that row, it names columns on its own
    # (not a title) and loses none.
    while best.first > 0 and best.count < HEADER_MAX_ROWS and any(
            a and a == b for a, b in zip(top[best.first - 1], top[best.first])):
        above = _header_at(top, best.first - 1, best.count + 1, sheet, lookup, own, memo)
        if above.score < best.score or not _header_at(top, best.first - 1, 1, sheet, lookup, own, memo).score:
            break
        best = above
    width = max((len(r) for r in rows[:best.data_start]), default=0)
    if best.data_start < len(rows) and _numbering_row(rows[best.data_start], width):
        best.data_start += 1
    return best


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


def _names(header: _Header, sheet: str, label: str) -> tuple[list[str], dict, list[ColumnRead]]:
    """Frame column names (canonical where a header names a column not named before), the original header
    of each canonical column, and the column map."""
    names, original, seen, columns = [], {}, set(), []
    for j, (text, field, how) in enumerate(zip(header.labels, header.fields, header.via)):
        name = field if field and field not in seen else (text or f"kolom_{j + 1}")
        while name in seen:
            name = f"{name}_"
        seen.add(name)
        names.append(name)
        read = bool(field) and field == name
        if read:
            original[field] = text
        if text or read:
            columns.append(ColumnRead(label, _letter(j), text, field if read else None, how if read else "",
                                      name, None if read or not field else field, header.cells[j]))
    return names, original, columns


def _frame_from_cells(cells: np.ndarray, names: list[str], first_row: int) -> pd.DataFrame:
    """Blank cells become missing, blank rows go; `_row` is the spreadsheet row number."""
    blank = pd.isna(cells)
    blank |= cells == ""
    cells[blank] = None
    keep = ~blank.all(axis=1)
    row_numbers = np.arange(first_row, first_row + len(cells), dtype=np.int64)
    if not keep.all():
        cells, row_numbers = cells[keep], row_numbers[keep]
    frame = pd.DataFrame(cells, columns=names, dtype="object")
    frame["_row"] = row_numbers
    return frame


def _empty_sheet(sheet: str, source: str, label: str, chosen_by: str = "name") -> RawSheet:
    return RawSheet(sheet, source, label, pd.DataFrame({"_row": pd.Series(dtype="int64")}), 1, {},
                    chosen_by=chosen_by)


def _fill_merged_down(rows: list[list], merges, data_start: int) -> None:
    """A cell merged down over several data rows (one official's NIP and name over their yearly rows)
    holds for each of those rows."""
    for (r0, c0), (r1, _) in merges or ():
        if r0 < data_start or r1 <= r0 or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            if c0 < len(rows[r]) and rows[r][c0] in (None, ""):
                rows[r][c0] = value


def _frame_from_rows(rows: list[list], sheet: str, source: str, label: str, extra: dict | None = None,
                     merges=(), chosen_by: str = "name") -> RawSheet:
    """Find the header rows, name the columns, keep the spreadsheet row numbers."""
    header = _find_header(rows, sheet, extra, merges)
    if header is None:
        sheet_ = _empty_sheet(sheet, source, label, chosen_by)
        width = max((len(r) for r in rows[:HEADER_SCAN_ROWS]), default=0)
        first = next((r for r in rows[:HEADER_SCAN_ROWS] if any(_cell_text(c) for c in r)), [])
        sheet_.columns = [ColumnRead(label, _letter(j), _cell_text(c), key=_cell_text(c), cell=_cell_text(c))
                          for j, c in enumerate(first[:width]) if _cell_text(c)]
        return sheet_
    names, original, columns = _names(header, sheet, label)
    _fill_merged_down(rows, merges, header.data_start)
    body = rows[header.data_start:]
    width = len(names)
    if set(map(len, body)) - {width}:
        body = [list(r[:width]) + [None] * (width - len(r)) for r in body]
    cells = np.array(body, dtype=object).reshape(len(body), width)
    frame = _frame_from_cells(cells, names, header.data_start + 1)
    return RawSheet(sheet, source, label, frame, header.first + 1, original, columns, chosen_by,
                    tuple(range(header.first + 1, header.first + header.count + 1)))


def _extra(columns: dict | None, sheet: str) -> dict[str, tuple[str, ...]]:
    """The config's [kolom] mapping for one sheet: the mappings for every sheet, then the sheet's own."""
    columns = columns or {}
    return {**columns.get("*", {}), **columns.get(sheet, {})}


def _merges(ws) -> list:
    try:
        return list(getattr(ws, "merged_cell_ranges", None) or ())
    except Exception:  # an older calamine, or a part it cannot read: merges are a help, not a need
        return []


def _head_rows(ws) -> list[list]:
    """The first rows of a sheet, enough to find its header, without reading the whole sheet."""
    import itertools

    limit = HEADER_SCAN_ROWS + HEADER_MAX_ROWS + 1
    if hasattr(ws, "iter_rows"):
        return [list(r) for r in itertools.islice(ws.iter_rows(), limit)]
    return ws.to_python(skip_empty_area=False)[:limit]


def _looks_like(rows: list[list], merges, columns: dict | None) -> tuple[str | None, int]:
    """The sheet of the schema whose headers these rows carry: every required column and two more found
    (an answer key's `id_pn` and `keterangan` are not a temuan sheet), the most columns named; with that
    number. (None, the laporan columns named) if none."""
    best, best_score = None, 0
    laporan_score = 0
    for kind, cols in SCHEMA.items():
        header = _find_header(rows, kind, _extra(columns, kind), merges)
        if header is None:
            continue
        fields = {f for f in header.fields if f}
        if kind == "laporan":
            laporan_score = len(fields)
        required = {c.name for c in cols.values() if c.required}
        if required <= fields and len(fields) >= len(required) + 2 and len(fields) > best_score:
            best, best_score = kind, len(fields)
    return (best, best_score) if best else (None, laporan_score)


def _choose_sheets(wb, labels: list[str], path: Path, columns: dict | None) -> tuple[dict, list, dict]:
    """Which sheet of the workbook is which: by its name; else a workbook's only sheet with content is
    `laporan`; else a sheet whose headers are those of a schema sheet is taken as it. Returns
    {sheet: (label, how)}, the sheets left unread as (label, reason), and the head rows read so far."""
    chosen: dict[str, tuple[str, str]] = {}
    ignored: list[tuple[str, str]] = []
    unnamed: list[str] = []
    for label in labels:
        sheet = _sheet_name(label)
        if sheet is None:
            unnamed.append(label)
        elif sheet in chosen:
            ignored.append((label, f"sheet '{chosen[sheet][0]}' sudah dibaca sebagai {sheet}"))
        else:
            chosen[sheet] = (label, "name")
    heads: dict[str, tuple[list, list]] = {}
    for label in unnamed:
        try:
            ws = wb.get_sheet_by_name(label)
            heads[label] = (_head_rows(ws), _merges(ws))
        except Exception as exc:
            raise InputError(f"sheet tidak dapat dibaca ({type(exc).__name__}: {exc})", file=path.name,
                             sheet=label, fix=_FIX_FORMAT) from None
    filled = [label for label in unnamed if any(_cell_text(c) for r in heads[label][0] for c in r)]
    if len(filled) == 1 and not chosen:
        chosen["laporan"] = (filled[0], "only_sheet")
        unnamed = []
    nearest, nearest_score = None, 1
    for label in unnamed:
        if label not in filled:
            continue
        kind, score = _looks_like(*heads[label], columns)
        if kind is None:
            if score > nearest_score:
                nearest, nearest_score = label, score
            ignored.append((label, "judul kolomnya bukan judul kolom sheet mana pun"))
        elif kind in chosen:
            ignored.append((label, f"berjudul kolom {kind}, tetapi sheet '{chosen[kind][0]}' sudah dibaca "
                                   f"sebagai {kind}; gabungkan isinya ke satu sheet"))
        else:
            chosen[kind] = (label, "headers")
    if "laporan" not in chosen and nearest is not None:
        # The sheet closest to a laporan: read as one, so that the user hears which columns it lacks.
        chosen["laporan"] = (nearest, "headers")
        ignored = [(label, why) for label, why in ignored if label != nearest]
    return chosen, ignored, heads


def _csv_head(path: Path) -> list[list]:
    """The first rows of a CSV file, enough to find its header."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    text = _decode(head)[0] if b"\x00" not in head[:4096] else ""
    lines = text.splitlines()[:HEADER_SCAN_ROWS + HEADER_MAX_ROWS]
    return list(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=_delimiter(text)))


def _choose_csv_files(files: list[Path], columns: dict | None) -> tuple[dict, list]:
    """Which file of a folder is which sheet: by its name (`laporan.csv`); else a folder's only CSV is
    `laporan`; else a file whose headers are those of a schema sheet is taken as it."""
    chosen: dict[str, tuple[Path, str]] = {}
    ignored: list[tuple[str, str]] = []
    unnamed = []
    for p in files:
        sheet = _sheet_name(p.stem)
        if sheet is None:
            unnamed.append(p)
        elif sheet in chosen:
            ignored.append((p.name, f"berkas '{chosen[sheet][0].name}' sudah dibaca sebagai {sheet}"))
        else:
            chosen[sheet] = (p, "name")
    workbooks = unnamed and any(p.suffix.lower() == ".xlsx" for p in unnamed[0].parent.iterdir())
    if len(unnamed) == 1 and not chosen and not workbooks:  # beside a workbook, a lone CSV is no laporan
        return {"laporan": (unnamed[0], "only_sheet")}, ignored
    for p in unnamed:
        kind, _ = _looks_like(_csv_head(p), (), columns)
        if kind is None:
            ignored.append((p.name, "judul kolomnya bukan judul kolom sheet mana pun"))
        elif kind in chosen:
            ignored.append((p.name, f"berjudul kolom {kind}, tetapi berkas '{chosen[kind][0].name}' sudah dibaca "
                                    f"sebagai {kind}; gabungkan isinya ke satu berkas"))
        else:
            chosen[kind] = (p, "headers")
    return chosen, ignored


def _ignored_notes(source: str | None, ignored: list, wanted: frozenset) -> list[dict]:
    """The sheets (or files) not read, as reader notes: `sheet_ignored`, a data-quality row, for one shaped
    like a sheet already read (its rows are not read); `sheet_skipped`, only shown, for notes or a recap.
    Noted by the process that reads laporan, so that a batch read in two processes notes them once."""
    if "laporan" not in wanted:
        return []
    return [{"source": source or label, "sheet": label, "row": None, "column": None, "value": why,
             "kind": "sheet_ignored" if why.startswith("berjudul kolom") else "sheet_skipped"}
            for label, why in ignored]


def _read_xlsx(path: Path, max_unzipped_bytes: int, wanted: frozenset[str] = SHEETS,
               columns: dict | None = None) -> tuple[dict[str, RawSheet], tuple[str, ...], list]:
    from python_calamine import CalamineWorkbook

    check_xlsx_archive(path, max_unzipped_bytes)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        labels = list(wb.sheet_names)
    except Exception as exc:  # calamine raises its own error types for broken parts
        raise InputError(f"workbook tidak dapat dibaca ({type(exc).__name__}: {exc})", file=path.name,
                         fix=_FIX_FORMAT) from None
    chosen, ignored, _ = _choose_sheets(wb, labels, path, columns)
    sheets: dict[str, RawSheet] = {}
    for sheet, (label, how) in chosen.items():
        if sheet not in wanted:
            continue
        try:
            ws = wb.get_sheet_by_name(label)
            rows = ws.to_python(skip_empty_area=False)
            merges = _merges(ws)
        except Exception as exc:
            raise InputError(f"sheet tidak dapat dibaca ({type(exc).__name__}: {exc})", file=path.name,
                             sheet=label, fix=_FIX_FORMAT) from None
        sheets[sheet] = _frame_from_rows(rows, sheet, path.name, label, _extra(columns, sheet), merges, how)
    if "laporan" not in sheets and "laporan" in wanted:
        found = ", ".join(f"'{s}'" for s in labels) or "tidak ada"
        raise InputError(f"sheet 'laporan' tidak ditemukan (sheet yang ada: {found}); tidak ada sheet bernama "
                         "'laporan' dan tidak ada sheet yang judul kolomnya judul kolom laporan "
                         "(id_pn, nama, lembaga, jabatan)", file=path.name, sheet="laporan",
                         fix="Beri nama sheet berisi daftar laporan 'laporan' (lihat: lhkpn-check template).")
    return sheets, tuple(labels), _ignored_notes(path.name, ignored, wanted)


def _decode(data: bytes) -> tuple[str, bool]:
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), True


def _read_csv(path: Path, sheet: str, notes: list[dict], extra: dict | None = None) -> RawSheet:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    size = path.stat().st_size
    if not head.strip() and size <= len(head):
        raise InputError("berkas CSV kosong", file=path.name, fix="Isi berkas dengan baris judul kolom dan data.")
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("berkas ini bukan teks CSV (berisi data biner)", file=path.name, fix=_FIX_FORMAT)
    fast = _read_csv_c(path, sheet, head, size, extra)
    if fast is not None:
        return fast
    text, fallback = _decode(path.read_bytes())
    if fallback:
        notes.append({"source": path.name, "sheet": sheet, "row": None, "column": None, "value": None,
                      "kind": "encoding_fallback"})
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    return _frame_from_rows(rows, sheet, path.name, path.stem, extra)


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv_c(path: Path, sheet: str, head: bytes, size: int, extra: dict | None = None) -> RawSheet | None:
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
    header = _find_header(rows, sheet, extra)
    if header is None or len(rows) <= header.data_start or header.data_start != len(
            lines[:header.data_start]) or any("\n" in c or "\r" in c for r in rows[:header.data_start] for c in r):
        return None
    best = header.data_start - 1
    names, original, columns = _names(header, sheet, path.stem)
    try:
        frame = pd.read_csv(path, sep=delimiter, header=None, names=names, skiprows=best + 1, dtype=object,
                            keep_default_na=False, na_values=[""], skip_blank_lines=False, encoding="utf-8-sig",
                            engine="c", on_bad_lines="error")
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None
    # The blank cells are already missing; blank rows go. A blank row's first cell is missing, so only
    # those rows are looked at whole, not the whole sheet.
    maybe = np.flatnonzero(frame.iloc[:, 0].isna().to_numpy())
    blank = maybe[frame.iloc[maybe].isna().all(axis=1).to_numpy()] if len(maybe) else maybe
    frame["_row"] = np.arange(best + 2, best + 2 + len(frame), dtype=np.int64)
    if len(blank):
        frame = frame.drop(index=frame.index[blank])
    frame = frame.reset_index(drop=True)
    return RawSheet(sheet, path.name, path.stem, frame, header.first + 1, original, columns, "name",
                    tuple(range(header.first + 1, header.first + header.count + 1)))


def read_input(path, *, max_unzipped_bytes: int = 1 << 30, only: frozenset[str] = SHEETS,
               columns: dict | None = None, digest: frozenset[str] | None = None) -> RawBatch:
    """Read INPUT into raw sheets (text cells, canonical headers) without judging any value.

    `only` limits the sheets read, so that two processes can each read part of a large batch; `inputs`
    then lists the files read. `digest` (default: `only`) names the sheets whose files are listed with
    their SHA-256, a file of them not read included (so that the process with less to read hashes the
    other's file); the other files read are listed with an empty one.
    `columns` is the config's [kolom] table as `settings.load_settings` gives it ({'*' or sheet: {column:
    (header, ...)}}): headers of the user's own that name a column."""
    wanted = frozenset(only)
    digest = wanted if digest is None else frozenset(digest)
    path = Path(path)
    if not path.exists():
        raise InputError("berkas atau folder tidak ditemukan", file=str(path),
                         fix="Periksa nama dan letak berkas masukan.")
    notes: list[dict] = []
    inputs: list[InputFile] = []
    sheets: dict[str, RawSheet] = {}
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        chosen, ignored = _choose_csv_files(files, columns)
        for sheet, (p, how) in chosen.items():
            if sheet in wanted:
                sheets[sheet] = _read_csv(p, sheet, notes, _extra(columns, sheet))
                sheets[sheet].chosen_by = how
            if sheet in wanted | digest:
                inputs.append(InputFile(str(p), _sha256(p) if sheet in digest else "", p.stat().st_size, (sheet,)))
        notes += _ignored_notes(None, ignored, wanted)
        if "laporan" not in sheets and "laporan" in wanted:
            raise InputError(f"folder tidak berisi laporan.csv (berkas .csv yang ada: "
                             f"{', '.join(p.name for p in files) or 'tidak ada'}); tidak ada berkas yang judul "
                             "kolomnya judul kolom laporan (id_pn, nama, lembaga, jabatan)", file=str(path),
                             sheet="laporan", fix="Beri nama berkas daftar laporan 'laporan.csv'" + (
                                 f", atau berikan workbook di folder ini sebagai INPUT ({', '.join(books)})."
                                 if (books := sorted(p.name for p in path.iterdir() if p.suffix.lower() == ".xlsx"))
                                 else "."))
    elif path.suffix.lower() == ".xlsx":
        sheets, labels, sheet_notes = _read_xlsx(path, max_unzipped_bytes, wanted, columns)
        notes += sheet_notes
        inputs.append(InputFile(str(path), _sha256(path) if digest else "", path.stat().st_size, labels))
    elif path.suffix.lower() in (".csv", ".txt"):
        if "laporan" in wanted:
            sheets["laporan"] = _read_csv(path, "laporan", notes, _extra(columns, "laporan"))
            sheets["laporan"].chosen_by = "file"
        inputs.append(InputFile(str(path), _sha256(path), path.stat().st_size, ("laporan",)))
    else:
        raise InputError(f"jenis berkas '{path.suffix or '(tanpa akhiran)'}' tidak didukung", file=path.name,
                         fix="Gunakan workbook .xlsx, satu berkas .csv, atau folder berisi berkas .csv. "
                             "Berkas .xls lama: simpan ulang sebagai .xlsx.")
    return RawBatch(sheets=sheets, inputs=inputs, notes=notes)

