"""The case register: one SQLite file that carries the yearly cycle (monitor, klarifikasi, outcome) across runs.

A run with `--register` records itself and each official's outcome and findings; reviewers' decisions are
appended (never changed) by `review`; the next run marks each finding `baru`, `berulang` or `sudah
dijelaskan` from them. A finding is recognised across runs by its key (id_pn, rule, tahun_lapor).

The file is only ever changed inside a transaction that holds SQLite's write lock (BEGIN IMMEDIATE): a run
takes it when it starts and commits once its report is written, so a failed run adds nothing and a second
run on the same register waits for up to BUSY_SECONDS, then is refused with a message.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
import secrets
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check import __version__
from lhkpn_check.errors import RegisterError
from lhkpn_check.i18n import t

SCHEMA_VERSION = 1
APPLICATION = "lhkpn-check register"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_SECONDS = 10.0
"""How long a command waits for another one holding the register before it is refused."""
STATUSES = ("belum ditinjau", "klarifikasi dikirim", "dijelaskan", "perlu pemeriksaan", "ditutup")
NOT_REVIEWED, EXPLAINED = STATUSES[0], STATUSES[2]
MARKS = ("baru", "berulang", "sudah dijelaskan")
NEW, SEEN, EXPLAINED_MARK = MARKS
KEY = ["id_pn", "rule", "tahun_lapor"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: the first schema
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE runs (run_id INTEGER PRIMARY KEY, started TEXT NOT NULL, command TEXT NOT NULL, "
        "tool_version TEXT NOT NULL, inputs TEXT NOT NULL, settings TEXT NOT NULL, tahun INTEGER, "
        "n_officials INTEGER NOT NULL, n_findings INTEGER NOT NULL)",
        "CREATE TABLE outcomes (run_id INTEGER NOT NULL REFERENCES runs(run_id), id_pn TEXT NOT NULL, nama TEXT, "
        "jabatan TEXT, unit_kerja TEXT, lembaga TEXT, tahun_lapor INTEGER, score REAL, tier TEXT, "
        "rank INTEGER NOT NULL, n_findings INTEGER, status_tinjauan TEXT, PRIMARY KEY (run_id, id_pn), "
        "UNIQUE (run_id, rank))",
        "CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs(run_id), id_pn TEXT NOT NULL, "
        "rule TEXT NOT NULL, tahun_lapor INTEGER NOT NULL, severity TEXT, amount REAL, threshold REAL, "
        "message TEXT, status_temuan TEXT NOT NULL)",
        "CREATE INDEX findings_key ON findings (id_pn, rule, tahun_lapor)",
        "CREATE INDEX findings_run ON findings (run_id, id_pn)",
        "CREATE TABLE decisions (decision_id INTEGER PRIMARY KEY, id_pn TEXT NOT NULL, "
        "run_id INTEGER NOT NULL REFERENCES runs(run_id), status TEXT NOT NULL, catatan TEXT NOT NULL, "
        "peninjau TEXT NOT NULL, tanggal TEXT NOT NULL, recorded_at TEXT NOT NULL, source TEXT NOT NULL)",
        "CREATE INDEX decisions_official ON decisions (id_pn)",
        # history is append-only: who decided what, when, stays as it was recorded
        "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END",
        "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions "
        "BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END",
    ),
)
assert len(MIGRATIONS) == SCHEMA_VERSION


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


class Register:
    """An open register holding the write lock (until `commit` or `close`). Open it with `open_register`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lang: str):
        self.path, self.conn, self.lang = path, conn, lang
        self.code = conn.execute("SELECT value FROM meta WHERE key = 'code'").fetchone()[0]
        self._open = True

    # -- the transaction ----------------------------------------------------------------------------

    def commit(self) -> None:
        if self._open:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise self._broken(exc) from None
            self._open = False

    def close(self) -> None:
        """Roll back whatever was not committed, and close the file."""
        try:
            if self._open:
                self.conn.execute("ROLLBACK")
        except sqlite3.DatabaseError:
            pass
        finally:
            self._open = False
            self.conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _broken(self, exc: Exception) -> RegisterError:
        return RegisterError(t("register.corrupt", self.lang, path=self.path, detail=exc))

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        try:
            return pd.read_sql_query(sql, self.conn, params=params)
        except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
            raise self._broken(exc) from None

    # -- what earlier runs and decisions say ---------------------------------------------------------

    def runs(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM runs ORDER BY run_id")

    def decisions(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM decisions ORDER BY decision_id")

    def latest_decisions(self) -> pd.DataFrame:
        """Each official's latest decision (id_pn, status, catatan, peninjau, tanggal, run_id, decision_id)."""
        return self.frame(
            "SELECT d.* FROM decisions d JOIN (SELECT id_pn, MAX(decision_id) AS last FROM decisions "
            "GROUP BY id_pn) l ON d.decision_id = l.last ORDER BY d.id_pn")

    def seen_keys(self) -> pd.DataFrame:
        """Every finding key recorded by an earlier run."""
        return self.frame("SELECT DISTINCT id_pn, rule, tahun_lapor FROM findings")

    def explained_keys(self) -> pd.DataFrame:
        """Finding keys whose latest decision is `dijelaskan`, with that decision's note, reviewer and date.
        A decision covers the findings its official had in the run it was made on."""
        covered = self.frame(
            "SELECT DISTINCT f.id_pn, f.rule, f.tahun_lapor, d.decision_id, d.status, d.catatan, d.peninjau, "
            "d.tanggal FROM decisions d JOIN findings f ON f.run_id = d.run_id AND f.id_pn = d.id_pn")
        if covered.empty:
            return covered
        latest = covered.sort_values("decision_id", kind="stable").drop_duplicates(KEY, keep="last")
        return latest[latest["status"] == EXPLAINED].reset_index(drop=True)

    # -- recording decisions -------------------------------------------------------------------------

    def run_of_rank(self, run_id: int, rank: int) -> str | None:
        row = self.conn.execute("SELECT id_pn FROM outcomes WHERE run_id = ? AND rank = ?",
                                (run_id, rank)).fetchone()
        return None if row is None else row[0]

    def latest_run_of(self, id_pn: str) -> int | None:
        row = self.conn.execute("SELECT MAX(run_id) FROM outcomes WHERE id_pn = ?", (id_pn,)).fetchone()
        return None if row is None else row[0]

    def add_decisions(self, decisions: list[Decision], source: str) -> int:
        """Append the decisions not already recorded exactly so (same official, run, status, note, reviewer
        and date): importing the same workbook twice adds nothing. Returns how many were added."""
        added = 0
        stamp = _now()
        try:
            for d in decisions:
                exists = self.conn.execute(
                    "SELECT 1 FROM decisions WHERE id_pn = ? AND run_id = ? AND status = ? AND catatan = ? "
                    "AND peninjau = ? AND tanggal = ? LIMIT 1",
                    (d.id_pn, d.run_id, d.status, d.catatan, d.peninjau, d.tanggal)).fetchone()
                if exists:
                    continue
                self.conn.execute(
                    "INSERT INTO decisions (id_pn, run_id, status, catatan, peninjau, tanggal, recorded_at, source) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.id_pn, d.run_id, d.status, d.catatan, d.peninjau, d.tanggal, stamp, source))
                added += 1
        except sqlite3.DatabaseError as exc:
            raise self._broken(exc) from None
        return added


@dataclasses.dataclass
class Decision:
    id_pn: str
    run_id: int
    status: str
    catatan: str = ""
    peninjau: str = ""
    tanggal: str = ""


def open_register(path, *, create: bool = False, lang: str = "id") -> Register:
    """The register at `path`, checked, migrated to SCHEMA_VERSION and locked for writing. With `create`, a
    missing (or empty) file becomes a new register; otherwise it must exist. Anything else ends in a
    RegisterError naming the file: not a register, corrupted, from a newer lhkpn-check, or busy."""
    path = Path(path)
    if path.is_dir():
        raise RegisterError(t("register.is_folder", lang, path=path))
    if not path.exists():
        if not create:
            raise RegisterError(t("register.missing", lang, path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.stat().st_size:
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise RegisterError(t("register.not_register", lang, path=path))
    elif not create:
        raise RegisterError(t("register.not_register", lang, path=path))
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise RegisterError(t("register.cannot_open", lang, path=path, detail=exc)) from None
    try:
        _lock_and_migrate(conn, path, create, lang)
        return Register(path, conn, lang)
    except BaseException:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        conn.close()
        raise


def _lock_and_migrate(conn: sqlite3.Connection, path: Path, create: bool, lang: str) -> None:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise RegisterError(t("register.busy", lang, path=path, seconds=int(BUSY_SECONDS))) from None
        raise RegisterError(t("register.corrupt", lang, path=path, detail=exc)) from None
    except sqlite3.DatabaseError as exc:
        raise RegisterError(t("register.corrupt", lang, path=path, detail=exc)) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RegisterError(t("register.newer", lang, path=path, version=version, known=SCHEMA_VERSION))
        if version == 0:
            if not create or conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                raise RegisterError(t("register.not_register", lang, path=path))
        else:
            row = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone() \
                if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() \
                else None
            if row is None or row[0] != APPLICATION:
                raise RegisterError(t("register.not_register", lang, path=path))
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise RegisterError(t("register.corrupt", lang, path=path, detail=check))
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            if step == 0:
                conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                 [("application", APPLICATION), ("code", secrets.token_hex(4)),
                                  ("created", _now())])
            conn.execute(f"PRAGMA user_version = {step + 1}")
    except sqlite3.DatabaseError as exc:
        raise RegisterError(t("register.corrupt", lang, path=path, detail=exc)) from None


# -- a run with a register -------------------------------------------------------------------------------

RANKING_EXTRAS = ("status_tinjauan", "catatan_tinjauan", "peninjau_tinjauan", "tanggal_tinjauan", "n_baru",
                  "kunci_tinjauan")
FINDING_EXTRAS = ("status_temuan", "penjelasan")


class RunRecord:
    """One run's part in the register: opened (and locked) before the batch is read, so that a register that
    cannot be used stops the run at once; `mark` applies what earlier runs and decisions say to the
    analysis; `record` adds the run and commits, right before the report is moved into place."""

    def __init__(self, path, lang: str = "id", out: Path | None = None):
        if out is not None and Path(out).resolve() in Path(path).resolve().parents:
            raise RegisterError(t("register.inside_out", lang, path=path, out=out))
        self.register = open_register(path, create=True, lang=lang)
        self.started = _now()
        self.run_id: int | None = None

    def mark(self, analysis, settings):
        """The analysis with each finding marked (status_temuan, and the explanation of `sudah dijelaskan`
        ones), ranked again without the explained findings (they no longer raise the score), and each
        official's latest decision and review key (RANKING_EXTRAS) in the ranking."""
        from lhkpn_check import ranking as ranking_module

        reg = self.register
        self.run_id = int(reg.conn.execute("SELECT COALESCE(MAX(run_id), 0) + 1 FROM runs").fetchone()[0])
        findings = mark_findings(analysis.findings, reg.seen_keys(), reg.explained_keys())
        kept = findings[findings["status_temuan"].to_numpy() != EXPLAINED_MARK]
        ranked = ranking_module.rank(analysis.officials, kept.drop(columns=list(FINDING_EXTRAS)), settings)
        latest = reg.latest_decisions().set_index("id_pn")
        ids = ranked["id_pn"].astype(str)
        ranked["status_tinjauan"] = ids.map(latest["status"]).fillna(NOT_REVIEWED).astype(object) \
            if len(latest) else NOT_REVIEWED
        for column, source in (("catatan_tinjauan", "catatan"), ("peninjau_tinjauan", "peninjau"),
                               ("tanggal_tinjauan", "tanggal")):
            values = ids.map(latest[source]) if len(latest) else pd.Series(None, index=ranked.index, dtype=object)
            ranked[column] = values.where(values.notna() & (values != ""), None).astype(object)
        new = findings.loc[findings["status_temuan"].to_numpy() == NEW, "id_pn"].astype(str).value_counts()
        ranked["n_baru"] = ids.map(new).fillna(0).astype(np.int64)
        ranked["kunci_tinjauan"] = [review_key(reg.code, self.run_id, int(r)) for r in ranked["rank"]]
        return dataclasses.replace(analysis, findings=findings, ranking=ranked)

    def manifest_entry(self) -> dict:
        return {"file": self.register.path.name, "run": self.run_id}

    def record(self, batch, analysis, manifest: dict) -> None:
        """Add the run, its officials' outcomes and its findings, and commit."""
        reg = self.register
        ranking = analysis.ranking
        findings = analysis.findings
        inputs = [{"path": f.path, "sha256": f.sha256, "bytes": f.size} for f in batch.inputs]
        settings = manifest.get("configuration", {})
        tahun = int(ranking["tahun_lapor"].max()) if len(ranking) else None
        try:
            reg.conn.execute(
                "INSERT INTO runs (run_id, started, command, tool_version, inputs, settings, tahun, n_officials, "
                "n_findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.run_id, self.started, str(manifest.get("command", "")), __version__,
                 json.dumps(inputs, ensure_ascii=False), json.dumps(settings, ensure_ascii=False, default=str),
                 tahun, len(ranking), len(findings)))
            reg.conn.executemany(
                "INSERT INTO outcomes (run_id, id_pn, nama, jabatan, unit_kerja, lembaga, tahun_lapor, score, tier, "
                "rank, n_findings, status_tinjauan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _rows(ranking, self.run_id, ("id_pn", "nama", "jabatan", "unit_kerja", "lembaga", "tahun_lapor",
                                             "score", "tier", "rank", "n_findings", "status_tinjauan")))
            reg.conn.executemany(
                "INSERT INTO findings (run_id, id_pn, rule, tahun_lapor, severity, amount, threshold, message, "
                "status_temuan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _rows(findings, self.run_id, ("id_pn", "rule", "tahun_lapor", "severity", "amount", "threshold",
                                              "message", "status_temuan")))
        except sqlite3.DatabaseError as exc:
            raise reg._broken(exc) from None
        reg.commit()

    def close(self) -> None:
        self.register.close()


def _rows(frame: pd.DataFrame, run_id: int, columns) -> list[tuple]:
    """The columns as Python values for SQLite (missing as NULL), each row led by the run id."""
    values = []
    for col in columns:
        if col not in frame.columns:
            values.append([None] * len(frame))
            continue
        series = frame[col]
        if series.dtype.kind in "iu":
            values.append(series.astype(np.int64).tolist())
        elif series.dtype.kind == "f":
            values.append([None if v != v else v for v in series.astype(float).tolist()])
        else:
            values.append([None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else
                           (v.item() if isinstance(v, np.generic) else str(v))
                           for v in series.astype(object).tolist()])
    return [(run_id, *row) for row in zip(*values)]


def mark_findings(findings: pd.DataFrame, seen: pd.DataFrame, explained: pd.DataFrame) -> pd.DataFrame:
    """The findings with `status_temuan` (`sudah dijelaskan` when the key's latest decision is
    `dijelaskan`, else `berulang` when an earlier run had the key, else `baru`) and `penjelasan` (the note
    of that decision)."""
    out = findings.copy()
    keys = pd.MultiIndex.from_arrays([out["id_pn"].astype(str), out["rule"].astype(str),
                                      out["tahun_lapor"].astype(np.int64)])

    def index_of(frame: pd.DataFrame) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays([frame["id_pn"].astype(str), frame["rule"].astype(str),
                                          frame["tahun_lapor"].astype(np.int64)])

    was_seen = keys.isin(index_of(seen)) if len(seen) else np.zeros(len(out), dtype=bool)
    note = pd.Series(None, index=out.index, dtype=object)
    is_explained = np.zeros(len(out), dtype=bool)
    if len(explained):
        at = index_of(explained).get_indexer(keys)
        is_explained = at >= 0
        notes = explained["catatan"].astype(object).to_numpy()
        note[is_explained] = notes[at[is_explained]]
    out["status_temuan"] = np.where(is_explained, EXPLAINED_MARK, np.where(was_seen, SEEN, NEW)).astype(object)
    out["penjelasan"] = note.where(note.notna() & (note != ""), None)
    return out


def review_key(code: str, run_id: int, rank: int) -> str:
    """The hidden key of a Peringkat row: the register, the run and the rank, which name the official
    without showing the id (ids are masked in hasil.xlsx)."""
    return f"{code}/{run_id}/{rank}"


KEY_PATTERN = re.compile(r"^\s*([0-9a-f]{8})/(\d+)/(\d+)\s*$")


def summary_text(analysis, lang: str) -> str:
    """Counts only: the run's findings by mark."""
    marks = analysis.findings["status_temuan"].value_counts() if "status_temuan" in analysis.findings else {}
    return t("register.run_summary", lang, baru=int(marks.get(NEW, 0)), berulang=int(marks.get(SEEN, 0)),
             dijelaskan=int(marks.get(EXPLAINED_MARK, 0)))


# -- decisions from hasil.xlsx ---------------------------------------------------------------------------

REVIEW_COLUMNS = {"kunci_tinjauan": "report.col.review_key", "status": "report.col.review_status",
                  "catatan": "report.col.review_note", "peninjau": "report.col.reviewer",
                  "tanggal": "report.col.review_date"}
"""The Peringkat sheet's columns a reviewer fills in (and the hidden key), by their header in either language."""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
PROBLEMS_SHOWN = 20


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date_text(value) -> str | None:
    """The date as YYYY-MM-DD ('' when empty), or None when it cannot be read."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 100_000:
        from openpyxl.utils.datetime import from_excel  # a date cell that lost its date format: Excel's day number

        return from_excel(value).date().isoformat()
    text = str(value).strip()
    if not text:
        return ""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    return None


def read_workbook_decisions(reg: Register, path) -> list[Decision]:
    """The decisions filled into the Peringkat sheet of a hasil.xlsx written with this register, checked
    row by row. Rows with no status and nothing else filled in are skipped. When any row is wrong (an
    unknown status, a key of another register or run, a date that cannot be read), nothing is taken: a
    RegisterError lists every such row, so that the auditor fixes the workbook and imports it again
    (which is safe: decisions already recorded are not added twice)."""
    from openpyxl import load_workbook

    lang = reg.lang
    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise RegisterError(t("register.review_no_file", lang, path=path)) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise RegisterError(t("register.review_not_xlsx", lang, path=path, detail=type(exc).__name__)) from None
    try:
        names = {t("report.xlsx.peringkat", code) for code in ("id", "en")}
        sheet = next((wb[n] for n in wb.sheetnames if n in names), None)
        if sheet is None:
            raise RegisterError(t("register.review_no_sheet", lang, path=path, sheet=t("report.xlsx.peringkat", lang)))
        rows = sheet.iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(rows, ())]
        where = {}
        for field, key in REVIEW_COLUMNS.items():
            labels = {t(key, code).casefold() for code in ("id", "en")}
            where[field] = next((i for i, h in enumerate(header) if h.casefold() in labels), None)
        if where["kunci_tinjauan"] is None or where["status"] is None:
            raise RegisterError(t("register.review_no_columns", lang, path=path, sheet=sheet.title))
        known = {s.casefold(): s for s in STATUSES}
        decisions, problems = [], []
        for number, row in enumerate(rows, start=2):
            cells = {f: (row[i] if i is not None and i < len(row) else None) for f, i in where.items()}
            status = _cell_text(cells["status"])
            filled = [_cell_text(cells[f]) for f in ("catatan", "peninjau", "tanggal")]
            if not status:
                if any(filled):
                    problems.append((number, t(REVIEW_COLUMNS["status"], lang), t("register.review_no_status", lang)))
                continue
            column = t(REVIEW_COLUMNS["status"], lang)
            if status.casefold() not in known:
                problems.append((number, column, t("register.review_bad_status", lang, value=status,
                                                   allowed=", ".join(STATUSES))))
                continue
            key = KEY_PATTERN.match(_cell_text(cells["kunci_tinjauan"]))
            key_column = t(REVIEW_COLUMNS["kunci_tinjauan"], lang)
            if key is None:
                problems.append((number, key_column, t("register.review_bad_key", lang)))
                continue
            code, run_id, rank = key.group(1), int(key.group(2)), int(key.group(3))
            if code != reg.code:
                problems.append((number, key_column, t("register.review_other_register", lang)))
                continue
            id_pn = reg.run_of_rank(run_id, rank)
            if id_pn is None:
                problems.append((number, key_column, t("register.review_unknown_key", lang, run=run_id, rank=rank)))
                continue
            tanggal = _date_text(cells["tanggal"])
            if tanggal is None:
                problems.append((number, t(REVIEW_COLUMNS["tanggal"], lang),
                                 t("register.review_bad_date", lang, value=_cell_text(cells["tanggal"]))))
                continue
            decisions.append(Decision(id_pn=id_pn, run_id=run_id, status=known[status.casefold()],
                                      catatan=filled[0], peninjau=filled[1], tanggal=tanggal))
    finally:
        wb.close()
    if problems:
        lines = [f"  {t('register.row', lang)} {n}, {t('register.column', lang)} '{c}': {p}"
                 for n, c, p in problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            lines.append("  " + t("register.more_rows", lang, n=len(problems) - PROBLEMS_SHOWN))
        raise RegisterError(t("register.review_refused", lang, path=path, sheet=sheet.title, n=len(problems))
                            + "\n" + "\n".join(lines))
    return decisions


def import_workbook(path_register, workbook, *, lang: str = "id") -> tuple[int, int]:
    """Record the decisions of a filled-in hasil.xlsx; returns (added, rows read with a decision)."""
    with open_register(path_register, lang=lang) as reg:
        decisions = read_workbook_decisions(reg, workbook)
        added = reg.add_decisions(decisions, source=f"hasil.xlsx:{Path(workbook).name}")
        reg.commit()
    return added, len(decisions)


def record_decision(path_register, id_pn: str, status: str, *, note: str = "", reviewer: str = "",
                    date: str = "", lang: str = "id") -> int:
    """Record one decision on the official `id_pn` (for the findings of the latest run that ranked them);
    returns 1 when added, 0 when the same decision was already recorded."""
    if status not in STATUSES:
        raise RegisterError(t("register.review_bad_status", lang, value=status, allowed=", ".join(STATUSES)))
    tanggal = _date_text(date or "")
    if tanggal is None:
        raise RegisterError(t("register.review_bad_date", lang, value=date))
    with open_register(path_register, lang=lang) as reg:
        run_id = reg.latest_run_of(str(id_pn).strip())
        if run_id is None:
            raise RegisterError(t("register.review_unknown_id", lang, path=reg.path))
        added = reg.add_decisions([Decision(str(id_pn).strip(), run_id, status, (note or "").strip(),
                                            (reviewer or "").strip(), tanggal)], source="cli")
        reg.commit()
    return added
