"""hasil.xlsx: the workbook an auditor filters and annotates (Ringkasan, Peringkat, Temuan, Kualitas Data).

openpyxl (write-only) makes the workbook: Ringkasan, the styles, and each table sheet's header, widths,
frozen pane and filter. The data rows of the table sheets (up to a national ranking) are not handed to
openpyxl cell by cell, which took a minute at 200k officials: each distinct text is cleaned and escaped once,
the `<sheetData>` rows are joined from those pieces in chunks and spliced into openpyxl's sheet XML as the
archive is written. Numbers are `<v>` cells; every text is an inline string, XML-escaped, so no text can ever
become a formula (the `'` prefix on formula-like text is kept for the auditor's eye and for CSV tools).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lhkpn_check import __version__
from lhkpn_check.i18n import has, t
from lhkpn_check.model import TIERS
from lhkpn_check.safety import mask_id, neutralise_formula
from lhkpn_check.schema import QUALITY_COLUMNS

RUPIAH_FORMAT = '"Rp "#,##0'
SCORE_FORMAT = "0.0"
RATIO_FORMAT = "0.000"
PERCENT_FORMAT = "0.0%"
MAX_CELL_TEXT = 32_767
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="13324A")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
ILLEGAL_XML = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
ROWS_PER_CHUNK = 50_000

# (source column, label key, kind): kind is text | int | score | ratio | rupiah | auto
RANKING_SHEET = (
    ("rank", "report.col.rank", "int"), ("score", "report.col.score", "score"), ("tier", "report.col.tier", "text"),
    ("id_pn", "report.col.id", "id"), ("nama", "report.col.nama", "text"), ("jabatan", "report.col.jabatan", "text"),
    ("unit_kerja", "report.col.unit_kerja", "text"), ("lembaga", "report.col.lembaga", "text"),
    ("eselon", "report.col.eselon", "text"), ("tahun_lapor", "report.col.year", "int"),
    ("n_findings", "report.col.n_findings", "int"), ("rules", "report.col.rules", "text"),
    ("net_worth", "report.col.net_worth", "rupiah"), ("income_yearly", "report.col.income_yearly", "rupiah"),
    ("income_source", "report.col.income_source", "text"), ("ml_score", "report.col.ml_score", "ratio"),
    ("peer_group", "report.col.peer_group", "text"),
)
FINDINGS_SHEET = (
    ("id_pn", "report.col.id", "id"), ("nama", "report.col.nama", "text"), ("tahun_lapor", "report.col.year", "int"),
    ("rule", "report.col.rule_id", "text"), ("title", "report.col.rule_title", "text"),
    ("severity", "report.col.severity", "text"), ("amount", "report.col.amount", "auto"),
    ("threshold", "report.col.threshold", "auto"), ("message", "report.col.message", "text"),
    ("evidence", "report.col.evidence", "text"),
)
KEPATUHAN_SHEET = (
    ("id_pn", "report.col.id", "id"), ("nama", "report.col.nama", "text"), ("jabatan", "report.col.jabatan", "text"),
    ("unit_kerja", "report.col.unit_kerja", "text"), ("lembaga", "report.col.lembaga", "text"),
    ("jenis", "kepatuhan.report.col_jenis", "text"), ("tahun_lapor", "report.col.year", "int"),
    ("status_txt", "kepatuhan.report.col_status", "text"), ("hari_terlambat", "kepatuhan.report.col_days", "int"),
    ("batas_lapor", "kepatuhan.report.col_deadline", "text"), ("tanggal_kirim", "kepatuhan.report.col_sent", "text"),
)
KEPATUHAN_UNITS_SHEET = (
    ("tahun_lapor", "report.col.year", "int"), ("lembaga", "report.col.lembaga", "text"),
    ("unit_kerja", "report.col.unit_kerja", "text"), ("wajib", "kepatuhan.report.listed", "int"),
    ("tepat_waktu", "kepatuhan.status.tepat waktu", "int"), ("terlambat", "kepatuhan.status.terlambat", "int"),
    ("sudah_lapor", "kepatuhan.status.sudah lapor", "int"), ("belum_lapor", "kepatuhan.status.belum lapor", "int"),
    ("rate", "kepatuhan.report.rate", "percent"), ("rate_tepat", "kepatuhan.report.rate_tepat", "percent"),
)
REVIEW_SHEET = (
    ("n_baru", "report.col.n_baru", "int"), ("status_tinjauan", "report.col.latest_status", "text"),
    ("catatan_tinjauan", "report.col.latest_note", "text"),
    ("_isi_status", "report.col.review_status", "text"), ("_isi_catatan", "report.col.review_note", "text"),
    ("_isi_peninjau", "report.col.reviewer", "text"), ("_isi_tanggal", "report.col.review_date", "text"),
    ("kunci_tinjauan", "report.col.review_key", "text"),
)
"""With a register (SPEC §4): the Peringkat sheet's columns after RANKING_SHEET. The four `_isi_` columns are
left empty for the reviewer (Status tinjauan a drop-down); the key, hidden, maps the row back to the
official for `lhkpn-check review`."""
HIDDEN_COLUMNS = ("kunci_tinjauan",)
REVIEW_WIDTHS = {"_isi_status": 22.0, "_isi_catatan": 45.0, "_isi_peninjau": 20.0, "_isi_tanggal": 14.0}
REVIEW_FINDING_COLUMNS = (("status_temuan", "report.col.status_temuan", "text"),
                          ("penjelasan", "report.col.penjelasan", "text"))
QUALITY_SHEET = tuple((c, f"report.col.{k}", "int" if c == "row" else "text") for c, k in zip(
    (*QUALITY_COLUMNS, "kind"), ("source", "sheet", "row", "column", "value", "problem", "action", "kind")))


def _clean_distinct(text: pd.Series) -> np.ndarray:
    """`clean_text` of distinct texts (str). A step that one scan of all the texts joined shows would change
    nothing is skipped: at 200,000 officials most names and ids need none of them."""
    joined = "\n".join(text.to_numpy(dtype=object))
    if ILLEGAL_XML.search(joined):
        text = text.str.replace(ILLEGAL_XML, "", regex=True)
    out = neutralise_formula(text).to_numpy(dtype=object)
    if max(map(len, out), default=0) >= MAX_CELL_TEXT:  # a cell may not hold it with a `'` prefix
        out = pd.Series(out, dtype="object").str.slice(0, MAX_CELL_TEXT).to_numpy(dtype=object)
    return out


def _clean_coded(series: pd.Series, mask=None) -> tuple[np.ndarray, np.ndarray]:
    """`clean_text` as codes (-1 = no text) into the cleaned distinct texts, `mask` (a function of the
    distinct texts) applied first: each distinct text is cleaned once."""
    present = series.notna().to_numpy()
    codes = np.full(len(series), -1, dtype=np.intp)
    if not present.any():
        return codes, np.empty(0, dtype=object)
    found, uniques = pd.factorize(series[present].astype("object").astype(str))
    codes[present] = found
    texts = pd.Series(uniques, dtype="object")
    return codes, _clean_distinct(mask(texts) if mask is not None else texts)


def clean_text(series: pd.Series) -> pd.Series:
    """Text a spreadsheet can hold and will not run: no characters XML forbids, formula-like text prefixed
    with `'`, within Excel's cell limit (cut after the prefix, so the cell never exceeds it)."""
    codes, texts = _clean_coded(series)
    return pd.Series(np.append(texts, None)[codes], index=series.index, dtype="object")


def _numbers(series: pd.Series) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    return values.where(np.isfinite(values), np.nan)


@dataclasses.dataclass
class _SheetColumn:
    """One table column as its cells show it: float64 numbers (NaN = empty cell), or text as codes (-1 =
    empty cell) into its distinct cleaned texts."""

    numbers: np.ndarray | None = None
    codes: np.ndarray | None = None
    texts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.numbers if self.numbers is not None else self.codes)

    def head_lengths(self, n: int) -> np.ndarray:
        """Characters shown in the first `n` non-empty cells (14 for a number)."""
        if self.numbers is not None:
            return np.full(np.count_nonzero(~np.isnan(self.numbers[:n])), 14.0)
        codes = self.codes[:n]
        return np.fromiter(map(len, self.texts[codes[codes >= 0]]), dtype=float)


def _column(frame: pd.DataFrame, name: str, kind: str, *, show_ids: bool) -> _SheetColumn:
    if name not in frame.columns:
        return _SheetColumn(codes=np.full(len(frame), -1, dtype=np.intp), texts=np.empty(0, dtype=object))
    values = frame[name]
    if kind == "id":  # a missing id shows as an empty text, as mask_id makes it
        masked = values.astype("object").where(values.notna(), "")
        codes, texts = _clean_coded(masked, mask=lambda ids: mask_id(ids, show=show_ids))
        return _SheetColumn(codes=codes, texts=texts)
    if kind == "int":
        numbers = _numbers(values)
        if numbers.notna().sum() == values.notna().sum():  # all numeric; else the text is kept
            return _SheetColumn(numbers=np.trunc(numbers.to_numpy()))
    elif kind in ("score", "ratio", "rupiah", "auto", "percent"):
        return _SheetColumn(numbers=_numbers(values).to_numpy())
    codes, texts = _clean_coded(values)
    return _SheetColumn(codes=codes, texts=texts)


XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
"""Escapes for an XML text node, `&` first; CR as a character reference, since parsers turn a raw CR
into LF."""


def _xml_text(text: pd.Series) -> pd.Series:
    """Escaped for an XML text node (each replacement only when some text needs it)."""
    joined = "\n".join(text.to_numpy(dtype=object))
    for char, escape in XML_ESCAPES:
        if char in joined:
            text = text.str.replace(char, escape, regex=False)
    return text


def _number_xml(values: np.ndarray) -> np.ndarray:
    """Shortest round-trip text of each number; whole numbers below 2**53 without a decimal point. Written
    once per distinct number (by bit pattern): years, counts and scores repeat down a column."""
    codes, distinct = pd.factorize(np.ascontiguousarray(values, dtype=np.float64).view(np.int64))
    return _distinct_number_xml(np.asarray(distinct).view(np.float64))[codes]


def _distinct_number_xml(v: np.ndarray) -> np.ndarray:
    whole = (v == np.trunc(v)) & (np.abs(v) < 2.0 ** 53)
    out = np.empty(len(v), dtype=object)
    out[whole] = v[whole].astype(np.int64).astype(str).astype(object)
    out[~whole] = v[~whole].astype(str).astype(object)
    return out


INLINE_OPEN = ('" t="inlineStr"><is><t>', '" t="inlineStr"><is><t xml:space="preserve">')
INLINE_CLOSE = "</t></is></c>"


def _inline_string(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An inline-string cell's opening after its reference (keeping spaces at either end, where the text has
    them) and its escaped text; the cell closes with INLINE_CLOSE. Python's strip and the regex `\\s` know
    the same whitespace."""
    spaced = (text.str.strip() != text).to_numpy()
    return np.where(spaced, INLINE_OPEN[1], INLINE_OPEN[0]).astype(object), _xml_text(text).to_numpy(dtype=object)


def _sheet_rows(columns: list[_SheetColumn], styles: list[int], first_row: int = 2):
    """`<row>` XML of a table, as UTF-8 chunks of ROWS_PER_CHUNK rows. Each chunk is one join of a grid of
    pieces, five per cell (reference, row number, opening, value, closing), with each distinct text escaped
    once and nothing concatenated cell by cell; an empty cell's pieces are all ''."""
    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    texts = [None if col.texts is None else
             tuple(np.append(part, "") for part in _inline_string(pd.Series(col.texts, dtype="object")))
             for col in columns]
    n = len(columns[0]) if columns else 0
    for start in range(0, n, ROWS_PER_CHUNK):
        stop = min(start + ROWS_PER_CHUNK, n)
        rows = np.arange(first_row + start, first_row + stop).astype(str).astype(object)
        grid = np.empty((stop - start, 5 * len(columns) + 4), dtype=object)
        grid[:, 0], grid[:, 1], grid[:, 2], grid[:, -1] = '<row r="', rows, '">', "</row>"
        for j, (col, letter, style, text) in enumerate(zip(columns, letters, styles, texts)):
            cell = grid[:, 5 * j + 3:5 * j + 8]
            cell[:, 0], cell[:, 1] = '<c r="' + letter, rows
            if text is not None:
                codes = col.codes[start:stop]
                cell[:, 2], cell[:, 3], cell[:, 4] = text[0][codes], text[1][codes], INLINE_CLOSE
                empty = codes < 0
            else:
                values = col.numbers[start:stop]
                empty = np.isnan(values)
                cell[:, 2], cell[:, 4] = (f'" s="{style}"><v>' if style else '"><v>'), "</v></c>"
                cell[~empty, 3] = _number_xml(values[~empty])
            cell[empty] = ""
        yield "".join(grid.ravel().tolist()).encode("utf-8")


def _evidence_text(series: pd.Series, lang: str) -> pd.Series:
    """Evidence JSON as one readable line per finding: `laporan baris 5: kas = Rp 150.000.000; ...`."""
    from lhkpn_check.report.context import _evidence
    from lhkpn_check.report.filters import auto

    row_word = t("report.col.row", lang).lower()

    def line(entries):
        parts = []
        for e in entries:
            where = " ".join(str(x) for x in (e.get("sheet"), row_word if e.get("row") is not None else None,
                                              e.get("row")) if x is not None)
            value = e.get("value")
            value = auto(value, lang) if isinstance(value, (int, float)) else (value if value is not None else "")
            parts.append(f"{where}: {e.get('label', '')} = {value}" if where else f"{e.get('label', '')} = {value}")
        return "; ".join(parts)

    text = series.astype("object").where(series.notna(), None)
    distinct = pd.Series(pd.unique(text.dropna()), dtype="object")
    table = dict(zip(distinct, (line(p) for p in _evidence(distinct))))
    return text.map(table)


def _widths(headers: list[str], columns: list[_SheetColumn]) -> list[float]:
    out = []
    for header, col in zip(headers, columns):
        lengths = col.head_lengths(2000)
        longest = float(np.percentile(lengths, 95)) if len(lengths) else 0.0
        out.append(min(60.0, max(len(header) + 2.0, longest + 2.0, 8.0)))
    return out


def _header_cells(ws, labels: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _write_table(wb: Workbook, title: str, frame: pd.DataFrame, spec, *, lang: str, show_ids: bool,
                 rows: dict, ws=None, header_row: int = 1) -> None:
    """Header, widths, frozen pane and filter through openpyxl; the data rows go to `rows` (archive name ->
    chunks) for the archive writer to splice in. With `ws`, the table goes below what that sheet holds
    (its header at `header_row`), without a frozen pane."""
    headers = [t(key, lang) for _, key, _ in spec]
    columns = [_column(frame, name, kind, show_ids=show_ids) for name, _, kind in spec]
    if ws is None:
        ws = wb.create_sheet(title)
        _set_widths(ws, headers, columns)
        for i, (name, _, _) in enumerate(spec, start=1):  # before the first row: write-only sheets write <cols> then
            if name in REVIEW_WIDTHS:
                ws.column_dimensions[get_column_letter(i)].width = REVIEW_WIDTHS[name]
            if name in HIDDEN_COLUMNS:
                ws.column_dimensions[get_column_letter(i)].hidden = True
        ws.freeze_panes = "A2"
    last = get_column_letter(len(spec))
    ws.auto_filter.ref = f"A{header_row}:{last}{len(frame) + header_row}"
    ws.append(_header_cells(ws, headers))
    styles = []
    for _, _, kind in spec:
        fmt = {"rupiah": RUPIAH_FORMAT, "score": SCORE_FORMAT, "ratio": RATIO_FORMAT,
               "percent": PERCENT_FORMAT}.get(kind)
        cell = WriteOnlyCell(ws)
        if fmt:
            cell.number_format = fmt
        styles.append(cell.style_id if fmt else 0)
    if len(frame):
        # ExcelWriter names the sheets' parts by their position in the workbook
        rows[f"xl/worksheets/sheet{wb.worksheets.index(ws) + 1}.xml"] = _sheet_rows(columns, styles,
                                                                                    first_row=header_row + 1)
    return ws


def _review_columns(ws, spec, n_rows: int, lang: str) -> None:
    """The reviewer's Status tinjauan as a drop-down: an Excel data validation list, which openpyxl writes
    after the rows, where the sheet's XML wants it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from lhkpn_check.register import STATUSES

    names = [name for name, _, _ in spec]
    status = get_column_letter(names.index("_isi_status") + 1)
    rule = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                          showDropDown=False, showErrorMessage=True, errorStyle="stop",
                          errorTitle=t("report.col.review_status", lang), error=t("report.review.status_error", lang),
                          promptTitle=t("report.col.review_status", lang), prompt=t("report.review.status_help", lang),
                          showInputMessage=True)
    rule.add(f"{status}2:{status}{max(n_rows, 1) + 1}")
    ws.data_validations.append(rule)


def _set_widths(ws, headers: list[str], columns: list[_SheetColumn]) -> None:
    """Column widths from the header and the first cells (set before the sheet's first row)."""
    for i, width in enumerate(_widths(headers, columns), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _kind_codes(kind: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each problem's kind (a missing one 'lainnya') as a number into the distinct kinds, hashed once per
    run of equal kinds: the problems of a batch come in long runs of one kind."""
    cells = kind.to_numpy(dtype=object, na_value="lainnya")
    n = len(cells)
    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]]) if n else np.zeros(0, dtype=np.intp)
    run_codes, uniques = pd.factorize(cells[starts])
    alike, kinds = pd.factorize(np.array([str(u) for u in uniques], dtype=object))  # one text, one kind
    return np.repeat(alike[run_codes], np.diff(np.r_[starts, n])), np.asarray(kinds, dtype=object)


def quality_by_kind(quality: pd.DataFrame) -> pd.DataFrame:
    """The problems counted by kind (most first, then by kind), with each kind's first action given."""
    codes, kinds = _kind_codes(quality["kind"])
    counts = pd.Series(np.bincount(codes, minlength=len(kinds)), index=pd.Index(kinds, dtype=object))
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(dtype=object), -counts.to_numpy()))]
    # each kind's first action given (groupby's first), by one pass backwards over the rows that have one
    given = np.flatnonzero(quality["action"].notna().to_numpy())
    first = np.full(len(kinds), -1, dtype=np.int64)
    first[codes[given][::-1]] = given[::-1]
    action = np.append(quality["action"].to_numpy(dtype=object), None)  # -1: the None after the rows
    actions = pd.Series(action[first], index=pd.Index(kinds, dtype=object))
    return pd.DataFrame({"count": counts, "action": actions.reindex(counts.index).astype("object")})


def _quality_sheet(wb: Workbook, data: WorkbookData, *, lang: str, rows: dict) -> None:
    """Kualitas Data: the problems counted by kind, then the first problem rows as a filterable table
    (data_quality.csv holds every row): a batch where every declaration has a problem gives millions."""
    title = t("report.xlsx.kualitas", lang)
    total, detail = data.n_quality, data.quality
    if not total:
        _write_table(wb, title, detail, QUALITY_SHEET, lang=lang, show_ids=False, rows=rows)
        return
    ws = wb.create_sheet(title)
    _set_widths(ws, [t(key, lang) for _, key, _ in QUALITY_SHEET],
                [_column(detail, name, kind, show_ids=False) for name, _, kind in QUALITY_SHEET])
    kinds = data.quality_kinds
    labels = [t(f"quality.{k}", lang).split("{")[0].strip(" (:") if has(f"quality.{k}") else k for k in kinds.index]
    heading = WriteOnlyCell(ws, value=t("report.xlsx.quality_kinds", lang))
    heading.font = BOLD
    ws.append([heading])
    ws.append([t("report.xlsx.quality_cut" if len(detail) < total else "report.xlsx.quality_all", lang,
                 total=f"{total:,}".replace(",", "."), shown=f"{len(detail):,}".replace(",", "."))])
    ws.append(_header_cells(ws, [t(f"report.col.{c}", lang) for c in ("kind", "problem", "count", "action")]))
    for k, label, n, action in zip(clean_text(pd.Series(kinds.index, dtype=object)),
                                   clean_text(pd.Series(labels, dtype=object)), kinds["count"].to_numpy(),
                                   clean_text(kinds["action"])):
        ws.append([k, label, int(n), action])
    ws.append([])
    _write_table(wb, title, detail, QUALITY_SHEET, lang=lang, show_ids=False, rows=rows, ws=ws,
                 header_row=len(kinds) + 5)


def _summary(wb: Workbook, data: WorkbookData, settings, *, lang: str, manifest: dict) -> None:
    ws = wb.create_sheet(t("report.xlsx.ringkasan", lang))
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 16

    def bold(text):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = BOLD
        return cell

    title = WriteOnlyCell(ws, value=t("report.title", lang))
    title.font = TITLE_FONT
    ws.append([title])
    ws.append([t("report.signal_not_accusation", lang)])
    ws.append([])
    ranking = data.ranking
    tiers = ranking["tier"].value_counts() if "tier" in ranking else pd.Series(dtype=int)
    income = ranking["income_source"].value_counts() if "income_source" in ranking else pd.Series(dtype=int)
    rows = [
        (t("report.card.officials", lang), len(ranking)),
        (t("report.card.declarations", lang), data.n_declarations),
        (t("report.card.findings", lang), len(data.findings)),
        *((t("report.card.tier", lang, tier=t(f"report.tier.{k}", lang)), int(tiers.get(k, 0))) for k in TIERS),
        (t("report.card.quality", lang), data.n_quality),
        (t("report.col.income_source", lang) + ": " + t("report.income_source.declared", lang),
         int(income.get("declared", 0))),
        (t("report.col.income_source", lang) + ": " + t("report.income_source.estimated", lang),
         int(income.get("estimated", 0))),
    ]
    if "status_temuan" in data.findings.columns:
        marks = data.findings["status_temuan"].value_counts()
        rows += [(t("report.review.card_new", lang), int(marks.get("baru", 0))),
                 (t("report.review.card_seen", lang), int(marks.get("berulang", 0))),
                 (t("report.review.card_explained", lang), int(marks.get("sudah dijelaskan", 0))),
                 (t("report.review.card_officials_new", lang), int((ranking["n_baru"] > 0).sum()))]
    for label, value in rows:
        ws.append([label, value])
    if data.income_estimated or income.get("estimated", 0):
        ws.append([bold(t("report.xlsx.estimated", lang, n=int(income.get("estimated", 0))))])
    if manifest.get("register"):
        entry = manifest["register"]
        note = t("report.review.register", lang, run=entry.get("run"), file=entry.get("file"))
        ws.append([clean_text(pd.Series([note], dtype="object")).iloc[0]])
    ws.append([])
    ws.append([bold(t("report.inputs.heading", lang))])
    ws.append([bold(t("report.col.file", lang)), bold("SHA-256"), bold(t("report.col.bytes", lang))])
    inputs = manifest.get("inputs") or [{"path": f.path, "sha256": f.sha256, "bytes": f.size} for f in data.inputs]
    frame = pd.DataFrame(inputs, columns=["path", "sha256", "bytes"])
    for path, sha, size in zip(clean_text(frame["path"]), clean_text(frame["sha256"]), frame["bytes"]):
        ws.append([path, sha, size])
    ws.append([])
    ws.append([bold(t("report.inputs.rows", lang)), bold(t("report.col.read", lang)),
               bold(t("report.col.accepted", lang)), bold(t("report.col.rejected", lang))])
    counts = manifest.get("rows") or {s: c.as_dict() for s, c in data.counts.items()}
    for sheet, c in counts.items():
        ws.append([sheet, c.get("read"), c.get("accepted"), c.get("rejected")])
    ws.append([])
    ws.append([bold(t("report.inputs.config", lang)), bold(t("report.col.value", lang)),
               bold(t("report.col.source_setting", lang))])
    config = manifest.get("configuration") or {k: {"value": v, "source": settings.source(k)}
                                               for k, v in settings.as_dict().items()}
    names = pd.Series(list(config), dtype="object")
    values = pd.Series([str(e.get("value") if isinstance(e, dict) else e) for e in config.values()], dtype="object")
    sources = pd.Series([str(e.get("source", "")) if isinstance(e, dict) else "" for e in config.values()],
                        dtype="object")
    for row in zip(clean_text(names), clean_text(values), clean_text(sources)):
        ws.append(list(row))
    ws.append([])
    meta = [(t("report.inputs.command", lang), manifest.get("command", "")),
            (t("report.inputs.seed", lang), manifest.get("random_seed", getattr(settings, "seed", ""))),
            (t("report.inputs.version", lang), manifest.get("version", __version__))]
    labels = clean_text(pd.Series([m[0] for m in meta], dtype="object"))
    texts = clean_text(pd.Series([str(m[1]) for m in meta], dtype="object"))
    for label, text in zip(labels, texts):
        ws.append([label, text])


@dataclasses.dataclass
class WorkbookData:
    """What hasil.xlsx shows of a run, and no more (`of`): the ranking, the findings, the first problem rows
    and the counts, without the declarations and items, so that a worker process is handed it cheaply."""

    ranking: pd.DataFrame
    findings: pd.DataFrame
    quality: pd.DataFrame
    """The first problem rows, as many as the Kualitas Data sheet lists (settings.quality_rows_in_workbook)."""
    quality_kinds: pd.DataFrame
    """Every problem counted by kind (`quality_by_kind`)."""
    n_quality: int
    n_declarations: int
    income_estimated: bool
    inputs: list
    counts: dict
    kepatuhan: object = None

    @classmethod
    def of(cls, batch, analysis, settings) -> WorkbookData:
        quality = batch.quality
        shown = quality.iloc[:max(int(settings.quality_rows_in_workbook), 0)]
        kinds = quality_by_kind(quality) if len(quality) else pd.DataFrame(columns=["count", "action"])
        return cls(ranking=analysis.ranking, findings=analysis.findings, quality=shown, quality_kinds=kinds,
                   n_quality=len(quality), n_declarations=len(batch.laporan),
                   income_estimated=bool(analysis.income_estimated), inputs=list(batch.inputs),
                   counts=dict(batch.counts), kepatuhan=getattr(analysis, "kepatuhan", None))


def write_workbook(path: Path, batch, analysis, settings, *, lang: str = "id", manifest: dict,
                   show_ids: bool = False) -> None:
    """Write hasil.xlsx: Ringkasan, Peringkat, Temuan, Kualitas Data (English names with lang='en')."""
    write_workbook_of(path, WorkbookData.of(batch, analysis, settings), settings, lang, manifest, show_ids)


def write_workbook_of(path: Path, data: WorkbookData, settings, lang: str = "id", manifest: dict | None = None,
                      show_ids: bool = False) -> None:
    """`write_workbook` from a run's WorkbookData (in any process: the workbook depends only on it)."""
    manifest = manifest or {}
    wb = Workbook(write_only=True)
    rows: dict = {}
    _summary(wb, data, settings, lang=lang, manifest=manifest)
    ranking = data.ranking
    if "rank" in ranking.columns:
        ranking = ranking.sort_values("rank", kind="stable", na_position="last")
    spec = (*RANKING_SHEET, *REVIEW_SHEET) if "kunci_tinjauan" in ranking.columns else RANKING_SHEET
    ws = _write_table(wb, t("report.xlsx.peringkat", lang), ranking, spec, lang=lang, show_ids=show_ids, rows=rows)
    if spec is not RANKING_SHEET:
        _review_columns(ws, spec, len(ranking), lang)
    findings = data.findings.copy()
    if len(findings) and "nama" in ranking.columns:
        names = ranking.drop_duplicates("id_pn").set_index("id_pn")["nama"]
        findings["nama"] = findings["id_pn"].map(names)
    if "rule" in findings.columns:
        from lhkpn_check.report.context import rule_title

        titles = {r: rule_title(str(r), lang) for r in findings["rule"].dropna().unique()}
        findings["title"] = findings["rule"].map(titles)
    if "evidence" in findings.columns:
        findings["evidence"] = _evidence_text(findings["evidence"], lang)
    spec = (*FINDINGS_SHEET, *REVIEW_FINDING_COLUMNS) if "status_temuan" in findings.columns else FINDINGS_SHEET
    _write_table(wb, t("report.xlsx.temuan", lang), findings, spec, lang=lang, show_ids=show_ids, rows=rows)
    _quality_sheet(wb, data, lang=lang, rows=rows)
    if data.kepatuhan is not None:
        _kepatuhan_sheets(wb, data.kepatuhan, lang=lang, show_ids=show_ids, rows=rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_reproducible(wb, path, rows)


def _kepatuhan_sheets(wb: Workbook, result, *, lang: str, show_ids: bool, rows: dict) -> None:
    """Kepatuhan (one row per listed official and unlisted filer, who needs a reminder first) and Kepatuhan
    Unit (rates per unit, then per agency as `(semua unit)` rows): last, so the other sheets keep their places."""
    from lhkpn_check.model import KEPATUHAN_STATUS

    officials = result.officials.copy()
    order = {s: i for i, s in enumerate(KEPATUHAN_STATUS)}
    officials = officials.assign(_order=officials["status"].map(order)).sort_values(
        ["_order", "tahun_lapor", "unit_kerja", "nama"], kind="stable", na_position="last")
    officials["status_txt"] = officials["status"].map({s: t(f"kepatuhan.status.{s}", lang) for s in KEPATUHAN_STATUS})
    for col in ("batas_lapor", "tanggal_kirim"):
        dates = pd.to_datetime(officials[col])
        officials[col] = dates.dt.strftime("%Y-%m-%d").where(dates.notna(), None)
    _write_table(wb, t("kepatuhan.report.sheet", lang), officials, KEPATUHAN_SHEET, lang=lang, show_ids=show_ids,
                 rows=rows)
    agencies = result.lembaga.assign(unit_kerja=t("kepatuhan.report.all_units", lang))
    units = pd.concat([result.units, agencies], ignore_index=True)
    _write_table(wb, t("kepatuhan.report.sheet_units", lang), units, KEPATUHAN_UNITS_SHEET, lang=lang,
                 show_ids=show_ids, rows=rows)


FIXED_TIME = (2000, 1, 1, 0, 0, 0)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time and mode, so the same input gives the same bytes; sheets named
    in `rows` get those `<row>` chunks spliced in after openpyxl's header row."""

    rows: dict = {}

    def _info(self, name: str, size: int = 0) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = size
        return info

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        info = self._info(arcname or Path(filename).name, Path(filename).stat().st_size)
        chunks = self.rows.get(info.filename)
        if chunks is not None:  # the big sheets: fastest deflate (a third larger, a third of the time)
            info._compresslevel = 1  # ZipInfo has no public setter before Python 3.13
        with open(filename, "rb") as src, self.open(info, "w") as dst:
            if chunks is None:
                shutil.copyfileobj(src, dst, 1 << 20)
                return
            head, sep, tail = src.read().partition(b"</sheetData>")
            if not sep:
                raise RuntimeError(f"no <sheetData> in openpyxl's {info.filename}")
            dst.write(head)
            for chunk in chunks:
                dst.write(chunk)
            dst.write(sep + tail)


def _save_reproducible(wb: Workbook, path: Path, rows: dict | None = None) -> None:
    from openpyxl.writer.excel import ExcelWriter

    stamp = datetime.datetime(*FIXED_TIME)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "lhkpn-check"
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        archive.rows = rows or {}
        ExcelWriter(wb, archive).save()
