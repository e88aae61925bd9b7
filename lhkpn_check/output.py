"""Machine-readable outputs: ranking.csv, findings.csv, data_quality.csv, kepatuhan.csv (with a roster) and
manifest.json.

CSV files are UTF-8, comma-separated, with the spec's columns in the spec's order. Text that a
spreadsheet would run as a formula is neutralised; numbers are written with fixed precision so that the
same input gives the same bytes.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check import __version__
from lhkpn_check.model import FINDING_COLUMNS, KEPATUHAN_COLUMNS, RANKING_COLUMNS, Analysis, Batch
from lhkpn_check.safety import LINE_STARTS_FORMULA, neutralise_formula
from lhkpn_check.schema import QUALITY_COLUMNS

ROUNDING = {"score": 2, "ml_score": 4, "amount": 2, "threshold": 4}


def _csv_ready(frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        values = frame[col] if col in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="object")
        if col in ROUNDING and pd.api.types.is_numeric_dtype(values):
            values = values.astype("float64").round(ROUNDING[col])
        elif not pd.api.types.is_numeric_dtype(values):
            values = neutralise_formula(values.astype("object").where(values.notna(), None))
        out[col] = values
    return out


CSV_ROWS_PER_CHUNK = 100_000


_CSV_SPECIAL = (",", '"', "\n")
"""What makes pandas' writer quote a field (the delimiter, the quote and the line terminator)."""


def _csv_field(text: str) -> str:
    """One field as pandas' writer (the csv module, minimal quoting) writes it."""
    if any(c in text for c in _CSV_SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_texts(texts: pd.Series) -> np.ndarray:
    """The CSV fields of texts (str): formula-like text neutralised, then quoted where needed. One join of
    the texts shows whether either is needed at all (for most columns neither is)."""
    lined = "\n" + "\n".join(texts.tolist())
    if LINE_STARTS_FORMULA.search(lined):  # neutralise_formula's own test
        return _csv_fields(neutralise_formula(texts).to_numpy(dtype=object))
    if "," in lined or '"' in lined or lined.count("\n") > len(texts):  # a text holds a line break itself
        return _csv_fields(texts.to_numpy(dtype=object))
    return texts.to_numpy(dtype=object)


def _csv_fields(texts: np.ndarray) -> np.ndarray:
    """`_csv_field` of each text: quoted only where a special character stands."""
    joined = "\x00".join(texts.tolist())
    if not any(c in joined for c in _CSV_SPECIAL):
        return texts
    series = pd.Series(texts, dtype=object)
    special = series.str.contains('[,"\n]', regex=True).to_numpy(dtype=bool)
    out = texts.copy()
    out[special] = ('"' + series[special].str.replace('"', '""', regex=False) + '"').to_numpy(dtype=object)
    return out


_MOSTLY_DISTINCT = 0.5
"""A text column whose first cells are more than this share distinct is written cell by cell, not per
distinct value (hashing a column of amounts costs more than it saves)."""


def _distinct(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values) of a column with None for missing (code -1): per distinct value where they repeat."""
    head = cells[:10_000]
    if len(head) and len(pd.unique(head)) > _MOSTLY_DISTINCT * len(head):
        missing = pd.isna(cells)
        codes = np.arange(len(cells), dtype=np.intp)
        codes[missing] = -1
        return codes, cells
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def _csv_cells(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """A column as (codes, field texts), code -1 for an empty field (the texts end with one); None for a
    column pandas' writer should write (one this does not know to write as it does)."""
    kind = values.dtype.kind
    if kind in "iub":
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return codes, np.append(np.asarray(uniques).astype(str).astype(object), "")
    if kind == "f":  # by bit pattern: -0.0 is written as such, as pandas writes it
        numbers = values.to_numpy(dtype="float64")
        codes, uniques = pd.factorize(numbers.view(np.int64))
        codes[np.isnan(numbers)] = -1
        return codes, np.array([*(repr(float(u)) for u in uniques.view(np.float64)), ""], dtype=object)
    if kind == "O" or isinstance(values.dtype, pd.StringDtype):
        cells = values.astype("object").where(values.notna(), None).to_numpy(dtype=object)
        codes, uniques = _distinct(cells)
        texts = pd.Series(uniques, dtype=object).fillna("")
        if pd.api.types.infer_dtype(uniques, skipna=True) in ("string", "empty"):
            return codes, np.append(_csv_texts(texts), "")
        else:  # numbers among the texts: written as they print, only texts neutralised (as _csv_ready does)
            if not all(isinstance(u, (str, int)) and not isinstance(u, bool) for u in uniques if u is not None):
                return None
            text = np.array([isinstance(u, str) for u in uniques], dtype=bool)
            texts = texts.astype(str).astype(object)
            texts[text] = neutralise_formula(texts[text])
        return codes, np.append(_csv_fields(texts.to_numpy(dtype=object)), "")
    return None


def write_csv(frame: pd.DataFrame, columns, path: Path) -> None:
    """The columns of `frame` as UTF-8 CSV, as pandas' `to_csv` writes them (formula-like text neutralised,
    ROUNDING applied). Each distinct value is formatted once and each chunk of rows is one join of the
    fields: a data_quality.csv of millions of rows is then no slower to write than its size."""
    ready = _csv_ready_numbers(frame, columns)
    cells = [_csv_cells(ready[c]) for c in ready.columns]
    if any(c is None for c in cells):
        _csv_ready(frame, columns).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return
    header = ",".join(_csv_field(str(c)) for c in ready.columns) + "\n"
    n, width = len(ready), len(cells)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header)
        for start in range(0, n, CSV_ROWS_PER_CHUNK):
            stop = min(start + CSV_ROWS_PER_CHUNK, n)
            grid = np.empty((stop - start, 2 * width), dtype=object)
            grid[:, 1::2] = ","
            grid[:, -1] = "\n"
            for j, (codes, texts) in enumerate(cells):
                grid[:, 2 * j] = texts[codes[start:stop]]
            out.write("".join(grid.ravel().tolist()))


def _csv_ready_numbers(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """The columns, missing ones empty, ROUNDING applied to numbers; text is neutralised later, per value."""
    out = {}
    for col in columns:
        values = frame[col] if col in frame.columns else pd.Series(None, index=frame.index, dtype="object")
        if col in ROUNDING and pd.api.types.is_numeric_dtype(values) and values.dtype.kind != "b":
            values = values.astype("float64").round(ROUNDING[col])
        out[col] = values
    return pd.DataFrame(out, index=frame.index)


def write_csvs(folder: Path, batch: Batch, analysis: Analysis) -> list[Path]:
    """The spec's CSV files; a run with a register adds `status_tinjauan` to ranking.csv and
    `status_temuan` to findings.csv (SPEC §4). evidence.csv holds each finding's declaration lines, row for
    row beside findings.csv, for the klarifikasi letters (`lhkpn-check surat`)."""
    paths = [folder / "ranking.csv", folder / "findings.csv", folder / "data_quality.csv", folder / "evidence.csv"]
    write_csv(analysis.ranking, _with_present(RANKING_COLUMNS, analysis.ranking, "status_tinjauan"), paths[0])
    write_csv(analysis.findings, _with_present(FINDING_COLUMNS, analysis.findings, "status_temuan"), paths[1])
    write_csv(batch.quality, QUALITY_COLUMNS, paths[2])
    if analysis.kepatuhan is not None:  # only with a roster: a batch without one writes what it did before
        paths.append(folder / "kepatuhan.csv")
        write_csv(analysis.kepatuhan.officials, KEPATUHAN_COLUMNS, paths[-1])
    write_csv(analysis.findings, EVIDENCE_COLUMNS, paths[3])
    return paths


EVIDENCE_COLUMNS = ("id_pn", "tahun_lapor", "rule", "evidence")
"""evidence.csv: `evidence` is the JSON list of {sheet, row, label, value} (model.Analysis.findings)."""


def _with_present(columns: tuple, frame: pd.DataFrame, extra: str) -> tuple:
    return (*columns, extra) if extra in frame.columns else columns


def build_manifest(batch: Batch, analysis: Analysis | None, settings, *, command: str, lang: str,
                   timings: dict[str, float]) -> dict:
    """The audit trail: what ran, on which files (hashes, never contents), with which configuration."""
    from importlib.metadata import PackageNotFoundError, version

    import numpy

    try:
        pyod_version = version("pyod")  # importing pyod for its version alone is slow
    except PackageNotFoundError:
        pyod_version = "?"

    income = {}
    if analysis is not None and "income_source" in analysis.ranking.columns:
        income = {str(k): int(v) for k, v in analysis.ranking["income_source"].value_counts().sort_index().items()}
    manifest = {
        "tool": "lhkpn-check",
        "version": __version__,
        "command": command,
        "language": lang,
        "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.size, "sheets": list(f.sheets)}
                   for f in batch.inputs],
        "rows": {sheet: count.as_dict() for sheet, count in batch.counts.items()},
        "officials": batch.n_officials,
        "officials_by_income_source": income,
        "data_quality_problems": int(len(batch.quality)),
        "columns": batch.columns,
        "column_mapping": {("all sheets" if k == "*" else k): {f: list(h) for f, h in v.items()}
                           for k, v in (getattr(settings, "kolom", None) or {}).items() if v},
        "configuration": {k: {"value": v, "source": settings.source(k)} for k, v in settings.as_dict().items()},
        "random_seed": settings.seed,
        "detectors": list(analysis.peer_detectors) if analysis is not None else [],
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "environment": {"python": platform.python_version(), "pandas": pd.__version__,
                        "numpy": numpy.__version__, "pyod": pyod_version},
    }
    if analysis is not None and analysis.kepatuhan is not None:
        manifest["kepatuhan"] = {"years": list(analysis.kepatuhan.years), "status": analysis.kepatuhan.counts()}
    return manifest


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n",
                    encoding="utf-8")
