"""hasil.xlsx: the workbook an auditor filters and annotates (Ringkasan, Peringkat, Temuan, Kualitas Data).

Written in openpyxl's write-only mode so that a 200k-row ranking streams to disk. Column values are
prepared per column with pandas (masking, formula guard, illegal characters, Excel's cell limit); the row
loop only hands ready values to openpyxl, reusing one styled cell per money column.
"""

from __future__ import annotations

import datetime
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
from lhkpn_check.i18n import t
from lhkpn_check.model import TIERS
from lhkpn_check.safety import mask_id, neutralise_formula
from lhkpn_check.schema import QUALITY_COLUMNS

RUPIAH_FORMAT = '"Rp "#,##0'
SCORE_FORMAT = "0.0"
RATIO_FORMAT = "0.000"
MAX_CELL_TEXT = 32_767
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="13324A")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)

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
QUALITY_SHEET = tuple((c, f"report.col.{k}", "int" if c == "row" else "text") for c, k in zip(
    (*QUALITY_COLUMNS, "kind"), ("source", "sheet", "row", "column", "value", "problem", "action", "kind")))


def clean_text(series: pd.Series) -> pd.Series:
    """Text a spreadsheet can hold and will not run: no control characters, within the cell limit,
    formula-like text prefixed with `'`."""
    text = series.astype("object").where(series.notna(), None)
    mask = text.notna()
    if not mask.any():
        return text
    s = text[mask].astype(str).str.replace(ILLEGAL_CHARACTERS_RE, "", regex=True).str.slice(0, MAX_CELL_TEXT)
    text = text.copy()
    text[mask] = neutralise_formula(s).to_numpy()
    return text


def _numbers(series: pd.Series) -> pd.Series:
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    values = values.where(np.isfinite(values), np.nan)
    return values.astype("object").where(values.notna(), None)


def _column(frame: pd.DataFrame, name: str, kind: str, *, show_ids: bool) -> pd.Series:
    if name not in frame.columns:
        return pd.Series(None, index=frame.index, dtype="object")
    values = frame[name]
    if kind == "id":
        return clean_text(mask_id(values, show=show_ids))
    if kind == "int":
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() < values.notna().sum():  # not all numeric: keep the text
            return clean_text(values.astype("object"))
        return numbers.astype("object").where(numbers.notna(), None).map(
            lambda v: int(v) if v is not None else None)
    if kind in ("score", "ratio", "rupiah", "auto"):
        return _numbers(values)
    return clean_text(values.astype("object"))


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


def _widths(headers: list[str], columns: list[pd.Series]) -> list[float]:
    out = []
    for header, col in zip(headers, columns):
        sample = col.head(2000).dropna()
        if len(sample):
            lengths = sample.map(lambda v: len(str(v)) if not isinstance(v, float) else 14)
            longest = float(np.percentile(lengths.to_numpy(dtype=float), 95))
        else:
            longest = 0.0
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


def _write_table(wb: Workbook, title: str, frame: pd.DataFrame, spec, *, lang: str, show_ids: bool) -> None:
    ws = wb.create_sheet(title)
    headers = [t(key, lang) for _, key, _ in spec]
    columns = [_column(frame, name, kind, show_ids=show_ids) for name, _, kind in spec]
    for i, width in enumerate(_widths(headers, columns), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(len(spec))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    ws.append(_header_cells(ws, headers))
    styled = {}
    for i, (_, _, kind) in enumerate(spec):
        fmt = {"rupiah": RUPIAH_FORMAT, "score": SCORE_FORMAT, "ratio": RATIO_FORMAT}.get(kind)
        if fmt:
            cell = WriteOnlyCell(ws)
            cell.number_format = fmt
            styled[i] = cell
    if not len(frame):
        return
    table = pd.concat(columns, axis=1, ignore_index=True)
    for row in table.itertuples(index=False, name=None):
        if styled:
            row = list(row)
            for i, cell in styled.items():
                if row[i] is not None:
                    cell.value = row[i]
                    row[i] = cell
        ws.append(row)


def _summary(wb: Workbook, batch, analysis, settings, *, lang: str, manifest: dict) -> None:
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
    ranking = analysis.ranking
    tiers = ranking["tier"].value_counts() if "tier" in ranking else pd.Series(dtype=int)
    income = ranking["income_source"].value_counts() if "income_source" in ranking else pd.Series(dtype=int)
    rows = [
        (t("report.card.officials", lang), len(ranking)),
        (t("report.card.declarations", lang), len(batch.laporan)),
        (t("report.card.findings", lang), len(analysis.findings)),
        *((t("report.card.tier", lang, tier=t(f"report.tier.{k}", lang)), int(tiers.get(k, 0))) for k in TIERS),
        (t("report.card.quality", lang), len(batch.quality)),
        (t("report.col.income_source", lang) + ": " + t("report.income_source.declared", lang),
         int(income.get("declared", 0))),
        (t("report.col.income_source", lang) + ": " + t("report.income_source.estimated", lang),
         int(income.get("estimated", 0))),
    ]
    for label, value in rows:
        ws.append([label, value])
    if analysis.income_estimated or income.get("estimated", 0):
        ws.append([bold(t("report.xlsx.estimated", lang, n=int(income.get("estimated", 0))))])
    ws.append([])
    ws.append([bold(t("report.inputs.heading", lang))])
    ws.append([bold(t("report.col.file", lang)), bold("SHA-256"), bold(t("report.col.bytes", lang))])
    inputs = manifest.get("inputs") or [{"path": f.path, "sha256": f.sha256, "bytes": f.size} for f in batch.inputs]
    frame = pd.DataFrame(inputs, columns=["path", "sha256", "bytes"])
    for path, sha, size in zip(clean_text(frame["path"]), clean_text(frame["sha256"]), frame["bytes"]):
        ws.append([path, sha, size])
    ws.append([])
    ws.append([bold(t("report.inputs.rows", lang)), bold(t("report.col.read", lang)),
               bold(t("report.col.accepted", lang)), bold(t("report.col.rejected", lang))])
    counts = manifest.get("rows") or {s: c.as_dict() for s, c in batch.counts.items()}
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


def write_workbook(path: Path, batch, analysis, settings, *, lang: str = "id", manifest: dict,
                   show_ids: bool = False) -> None:
    """Write hasil.xlsx: Ringkasan, Peringkat, Temuan, Kualitas Data (English names with lang='en')."""
    wb = Workbook(write_only=True)
    _summary(wb, batch, analysis, settings, lang=lang, manifest=manifest)
    ranking = analysis.ranking
    if "rank" in ranking.columns:
        ranking = ranking.sort_values("rank", kind="stable", na_position="last")
    _write_table(wb, t("report.xlsx.peringkat", lang), ranking, RANKING_SHEET, lang=lang, show_ids=show_ids)
    findings = analysis.findings.copy()
    if len(findings) and "nama" in ranking.columns:
        names = ranking.drop_duplicates("id_pn").set_index("id_pn")["nama"]
        findings["nama"] = findings["id_pn"].map(names)
    if "rule" in findings.columns:
        from lhkpn_check.report.context import rule_title

        titles = {r: rule_title(str(r), lang) for r in findings["rule"].dropna().unique()}
        findings["title"] = findings["rule"].map(titles)
    if "evidence" in findings.columns:
        findings["evidence"] = _evidence_text(findings["evidence"], lang)
    _write_table(wb, t("report.xlsx.temuan", lang), findings, FINDINGS_SHEET, lang=lang, show_ids=show_ids)
    _write_table(wb, t("report.xlsx.kualitas", lang), batch.quality, QUALITY_SHEET, lang=lang, show_ids=show_ids)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _save_reproducible(wb, path)


FIXED_TIME = (2000, 1, 1, 0, 0, 0)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time and mode, so the same input gives the same bytes."""

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
        with open(filename, "rb") as src, self.open(info, "w") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


def _save_reproducible(wb: Workbook, path: Path) -> None:
    from openpyxl.writer.excel import ExcelWriter

    stamp = datetime.datetime(*FIXED_TIME)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "lhkpn-check"
    with _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
