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

import pandas as pd

from lhkpn_check import __version__
from lhkpn_check.model import FINDING_COLUMNS, KEPATUHAN_COLUMNS, RANKING_COLUMNS, Analysis, Batch
from lhkpn_check.safety import neutralise_formula
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


def write_csv(frame: pd.DataFrame, columns, path: Path) -> None:
    _csv_ready(frame, columns).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


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
        pyod_version = version("pyod")  # importing pyod only for this costs a second and a half
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
