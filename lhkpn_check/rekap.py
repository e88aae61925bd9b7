"""The year-end report of the verification cycle (`lhkpn-check rekap`): what the register holds for one
reporting year, as a workbook for the head of the region.

The year of a run is the latest reporting year (tahun_lapor) in its batch; a decision belongs to the year
of the run it was made on. For that year: the officials verified (in any of its runs), the letters sent
(officials with a `klarifikasi dikirim` decision), each official's outcome (their latest decision of the
year, `belum ditinjau` when none) by status and by unit, the findings explained and how, and the history
of the year's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lhkpn_check.errors import RegisterError
from lhkpn_check.i18n import t
from lhkpn_check.register import EXPLAINED, NOT_REVIEWED, STATUSES, open_register
from lhkpn_check.safety import mask_id

LETTER_SENT = "klarifikasi dikirim"


@dataclass
class Rekap:
    tahun: int
    runs: pd.DataFrame
    officials: pd.DataFrame
    """One row per official verified in the year: their latest outcome, `status` (latest decision of the
    year) and `surat` (a letter was sent)."""
    findings: pd.DataFrame
    """The year's distinct finding keys with their mark in the latest run of the year that had them."""
    decisions: pd.DataFrame
    explained: pd.DataFrame
    """The `dijelaskan` decisions of the year, one row per finding they cover."""
    counts: dict = field(default_factory=dict)


def build_rekap(reg, tahun: int | None = None) -> Rekap:
    runs = reg.runs()
    if runs.empty:
        raise RegisterError(t("rekap.no_runs", reg.lang, path=reg.path))
    years = sorted(int(y) for y in runs["tahun"].dropna().unique())
    if tahun is None:
        tahun = int(runs["tahun"].dropna().iloc[-1])
    if tahun not in years:
        raise RegisterError(t("rekap.no_year", reg.lang, path=reg.path, tahun=tahun,
                              years=", ".join(map(str, years))))
    runs = runs[runs["tahun"] == tahun].reset_index(drop=True)
    ids = tuple(int(r) for r in runs["run_id"])
    marks = ",".join("?" * len(ids))
    outcomes = reg.frame(f"SELECT * FROM outcomes WHERE run_id IN ({marks}) ORDER BY run_id, rank", ids)
    officials = outcomes.drop_duplicates("id_pn", keep="last").sort_values("id_pn", kind="stable")
    findings = reg.frame(f"SELECT * FROM findings WHERE run_id IN ({marks}) ORDER BY run_id", ids)
    findings = findings.drop_duplicates(["id_pn", "rule", "tahun_lapor"], keep="last").reset_index(drop=True)
    decisions = reg.frame(f"SELECT * FROM decisions WHERE run_id IN ({marks}) ORDER BY decision_id", ids)
    latest = decisions.drop_duplicates("id_pn", keep="last").set_index("id_pn")
    officials = officials.assign(
        status=officials["id_pn"].map(latest["status"]).fillna(NOT_REVIEWED) if len(latest) else NOT_REVIEWED,
        surat=officials["id_pn"].isin(decisions.loc[decisions["status"] == LETTER_SENT, "id_pn"]),
        unit=officials["unit_kerja"].where(officials["unit_kerja"].notna() & (officials["unit_kerja"] != ""),
                                           officials["lembaga"]).fillna("–"),
    ).reset_index(drop=True)
    explained_decisions = decisions[decisions["status"] == EXPLAINED]
    explained = explained_decisions.merge(
        reg.frame(f"SELECT DISTINCT run_id, id_pn, rule, tahun_lapor FROM findings WHERE run_id IN ({marks})", ids),
        on=["run_id", "id_pn"], how="left").sort_values(["decision_id", "rule", "tahun_lapor"], kind="stable")
    explained = explained.merge(officials[["id_pn", "nama", "unit"]], on="id_pn", how="left")
    with_findings = set(findings["id_pn"])
    counts = {
        "runs": len(runs),
        "officials": len(officials),
        "officials_with_findings": int(officials["id_pn"].isin(with_findings).sum()),
        "findings": len(findings),
        "findings_new": int((findings["status_temuan"] == "baru").sum()),
        "findings_explained": int(explained[["id_pn", "rule", "tahun_lapor"]].dropna().drop_duplicates().shape[0]),
        "letters": int(officials["surat"].sum()),
        "decisions": len(decisions),
        **{f"status:{s}": int((officials["status"] == s).sum()) for s in STATUSES},
    }
    return Rekap(tahun=tahun, runs=runs, officials=officials, findings=findings, decisions=decisions,
                 explained=explained.reset_index(drop=True), counts=counts)


@dataclass
class RekapResult:
    out: Path
    rekap: Rekap
    lang: str = "id"

    def summary_text(self) -> str:
        c = self.rekap.counts
        return t("rekap.done", self.lang, out=self.out, tahun=self.rekap.tahun, officials=c["officials"],
                 letters=c["letters"], explained=c["findings_explained"], decisions=c["decisions"])


def _by_unit(officials: pd.DataFrame) -> pd.DataFrame:
    table = pd.crosstab(officials["unit"], officials["status"]).reindex(columns=list(STATUSES), fill_value=0)
    table.insert(0, "pejabat", officials.groupby("unit").size())
    table.insert(1, "surat", officials.groupby("unit")["surat"].sum().astype(int))
    return table.reset_index().sort_values("unit", kind="stable")


def write_rekap(register, out, *, tahun: int | None = None, lang: str = "id", show_ids: bool = False) -> RekapResult:
    """Write the year-end workbook: Ringkasan, Per status, Per unit, Dijelaskan, Riwayat."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from lhkpn_check.report.excel import _save_reproducible, clean_text

    with open_register(register, lang=lang) as reg:
        rekap = build_rekap(reg, tahun)
        reg.commit()
    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, header: list[str], rows: list[list], widths: list[float]):
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        ws.freeze_panes = "A2"
        return ws

    def texts(values) -> list:
        return clean_text(pd.Series(list(values), dtype="object")).tolist()

    c = rekap.counts
    summary = [(t("rekap.tahun", lang), rekap.tahun), (t("rekap.runs", lang), c["runs"]),
               (t("rekap.officials", lang), c["officials"]),
               (t("rekap.officials_with_findings", lang), c["officials_with_findings"]),
               (t("rekap.findings", lang), c["findings"]), (t("rekap.findings_new", lang), c["findings_new"]),
               (t("rekap.letters", lang), c["letters"]), (t("rekap.decisions", lang), c["decisions"]),
               (t("rekap.findings_explained", lang), c["findings_explained"])]
    summary += [(t("rekap.status_count", lang, status=s), c[f"status:{s}"]) for s in STATUSES]
    ws = sheet(t("rekap.sheet.summary", lang), [t("rekap.col.item", lang), t("rekap.col.count", lang)],
               [list(r) for r in summary], [58, 14])
    ws.append([])
    ws.append([t("report.signal_not_accusation", lang)])
    sheet(t("rekap.sheet.status", lang), [t("report.col.review_status", lang), t("rekap.col.officials", lang)],
          [[s, c[f"status:{s}"]] for s in STATUSES], [28, 14])
    units = _by_unit(rekap.officials)
    sheet(t("rekap.sheet.unit", lang),
          [t("report.col.unit_kerja", lang), t("rekap.col.officials", lang), t("rekap.col.letters", lang), *STATUSES],
          [[u, *vals] for u, vals in zip(texts(units["unit"]), units.drop(columns="unit").to_numpy().tolist())],
          [48, 12, 14, *([18] * len(STATUSES))])
    ex = rekap.explained
    masked = mask_id(ex["id_pn"], show=show_ids) if len(ex) else pd.Series(dtype=object)
    sheet(t("rekap.sheet.explained", lang),
          [t("report.col.id", lang), t("report.col.nama", lang), t("report.col.unit_kerja", lang),
           t("report.col.rule_id", lang), t("report.col.year", lang), t("report.col.penjelasan", lang),
           t("report.col.reviewer", lang), t("report.col.review_date", lang)],
          [list(r) for r in zip(texts(masked), texts(ex["nama"]), texts(ex["unit"]), texts(ex["rule"]),
                                [None if v != v else int(v) for v in ex["tahun_lapor"]], texts(ex["catatan"]),
                                texts(ex["peninjau"]), texts(ex["tanggal"]))],
          [22, 28, 40, 32, 10, 60, 20, 14])
    d = rekap.decisions.merge(rekap.officials[["id_pn", "nama", "unit"]], on="id_pn", how="left")
    masked = mask_id(d["id_pn"], show=show_ids) if len(d) else pd.Series(dtype=object)
    sheet(t("rekap.sheet.history", lang),
          [t("rekap.col.recorded", lang), t("report.col.id", lang), t("report.col.nama", lang),
           t("report.col.unit_kerja", lang), t("report.col.review_status", lang), t("report.col.review_note", lang),
           t("report.col.reviewer", lang), t("report.col.review_date", lang), t("rekap.col.run", lang),
           t("rekap.col.source", lang)],
          [list(r) for r in zip(texts(d["recorded_at"]), texts(masked), texts(d["nama"]), texts(d["unit"]),
                                texts(d["status"]), texts(d["catatan"]), texts(d["peninjau"]), texts(d["tanggal"]),
                                [int(v) for v in d["run_id"]], texts(d["source"]))],
          [22, 22, 28, 40, 20, 60, 20, 14, 8, 30])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _save_reproducible(wb, out)
    return RekapResult(out=out, rekap=rekap, lang=lang)
