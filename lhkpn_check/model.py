"""The small dataclasses that pass between stages: read -> validate -> analyze -> render.

Frames use the canonical column names of `schema.py`. Every input-derived frame also carries
`_source` (file name), `_sheet` and `_row` (the row number as the spreadsheet shows it, header = 1)
so that any finding can point back at the declaration line behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lhkpn_check.schema import QUALITY_COLUMNS, SCHEMA

PLACE_COLUMNS = ("_source", "_sheet", "_row")


@dataclass
class InputFile:
    path: str
    sha256: str
    size: int
    sheets: tuple[str, ...] = ()


@dataclass
class ColumnRead:
    """One column of a sheet as the reader met it: where it is, its header, and the column it was read as
    (None: left unread). What `validate` and the manifest show as the column map."""

    label: str
    """The sheet (or file) it is in, as the user named it."""
    letter: str
    """Its column letter (A, B, ..., AA) in the sheet."""
    header: str
    """The header as written; over several header rows, the group and the sub-header joined by ' / '."""
    field: str | None = None
    """The canonical column it was read as; None when unread."""
    via: str = ""
    """How: 'alias' (the alias table) or 'kolom' (the config's [kolom] table)."""
    key: str = ""
    """Its column name in RawSheet.frame."""
    duplicate_of: str | None = None
    """Set when the header names a column another, earlier column already fills."""
    cell: str = ""
    """The lowest header cell alone (the sub-header under a group), as a user would write it in [kolom]."""


@dataclass
class RawSheet:
    """One sheet as read: canonical headers where matched, every cell still text (or None)."""

    name: str
    """Canonical sheet name: laporan, harta or temuan."""
    source: str
    """File name the sheet came from."""
    label: str
    """The sheet (or file) name as the user wrote it, for messages."""
    frame: pd.DataFrame
    """Columns renamed to canonical names where a header matched; unmatched kept as they were.
    Plus `_row` (spreadsheet row number). Values are str or missing."""
    header_row: int = 1
    columns_original: dict = field(default_factory=dict)
    """canonical name -> header text as written in the file."""
    columns: list = field(default_factory=list)
    """ColumnRead per column of the sheet(s) read, in sheet order; empty for a sheet built in code."""
    chosen_by: str = "name"
    """How the sheet was found: 'name' (its name), 'only_sheet' (a workbook's one sheet) or 'headers'."""
    header_rows: tuple = ()
    """The spreadsheet rows (header = first of them) that form the header; several for two-row headers."""


@dataclass
class RawBatch:
    sheets: dict[str, RawSheet]
    inputs: list[InputFile]
    notes: list[dict] = field(default_factory=list)
    """Reader-level quality notes (e.g. encoding fallback), rows shaped like QUALITY_COLUMNS + kind."""


@dataclass
class SheetCount:
    read: int = 0
    accepted: int = 0
    rejected: int = 0

    def as_dict(self) -> dict:
        return {"read": self.read, "accepted": self.accepted, "rejected": self.rejected}


def empty_frame(sheet: str) -> pd.DataFrame:
    """An empty canonical frame for an optional sheet that was not given."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*SCHEMA[sheet], *PLACE_COLUMNS)})


def empty_quality() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in (*QUALITY_COLUMNS, "kind")})


@dataclass
class Batch:
    """A validated batch: only accepted rows, typed canonical columns.

    laporan: one row per declaration. `id_pn` str; `tahun_lapor` int64; money float64 (NaN = not given);
      codes as canonical strings (schema.CODES) or missing; `tanggal_lapor` datetime64 (NaT if unknown);
      `tanggal_kirim` datetime64, the submission date (NaT if not given).
      Category totals missing in the sheet are filled from `harta` items (see quality notes).
    harta: one row per item; `tahun_lapor` int64 matched to a declaration; `kategori` canonical incl.
      'hutang'; item fields read out of `uraian` when not given (jenis, merek, model, tahun_pembuatan,
      luas_tanah, luas_bangunan, lokasi, asal_usul).
    temuan: one row per observation; `tanggal` datetime64, `tahun` int64.
    quality: QUALITY_COLUMNS + `kind` (stable problem code), one row per problem.

    Typed keys: made once by `validate` (one process or several, the same values) and part of this
    contract, so that later stages group, sort and join on integers instead of hashing millions of texts
    again. Every validated batch carries them, accepted rows only:
      `_id_pn_code` (laporan, harta, temuan; int64): the rank of the row's id among that sheet's distinct
        ids in text order (equal ids, equal keys; keys sort as the ids do; ranks of different sheets are
        not comparable: match sheets through the ids they rank). income.add_income finds an official's
        other declarations by it;
      `_uraian_key` (harta; int64): a number shared by items whose descriptions read alike
        (income.norm_text; every empty description alike). features.item_changes matches each item with
        its previous version on it and needs it: a harta frame built by hand (a test's) gets it from
        keys.uraian_keys.
    `features.declarations` puts the declarations in order by `_id_pn_code` (a laporan frame built by hand
    gets it as sample.py's `_id_codes` makes it).
    A batch read with more than one job also carries laporan's income columns
    (income.INCOME_COLUMNS), worked out by the worker that typed laporan (features.declaration_income).
    """

    laporan: pd.DataFrame
    harta: pd.DataFrame
    temuan: pd.DataFrame
    quality: pd.DataFrame
    counts: dict[str, SheetCount]
    inputs: list[InputFile] = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    """The column map, as manifest.json keeps it: {"sheets": {sheet: {"sheet": label, "chosen_by": how,
    "header_rows": [...], "read": [{"sheet", "column" (letter), "header", "field", "via"}], "unread": [{"sheet",
    "column", "header", "money", "suggestion", "duplicate_of"}]}}, "ignored_sheets": [{"sheet", "reason"}]}.
    Empty for a batch built in code."""
    wajib_lapor: pd.DataFrame | None = None
    """The roster of officials who must file (sheet `wajib_lapor`, SPEC §5), None when the batch has none:
    accepted rows, `id_pn` normalised (kepatuhan.norm_id: spaces and dots dropped), `tahun_lapor` Int64 (NA =
    the latest year of laporan), `batas_lapor` datetime64 (NaT = the default deadline), `jenis` LHKPN/LHKASN."""

    @property
    def n_officials(self) -> int:
        return int(self.laporan["id_pn"].nunique())


# The items passed between stages (features.item_changes -> luxury.declared_luxury, features.funds, rules):
# the declarations' items, in declaration order, with harta's columns those stages read (ITEM_INPUT_COLUMNS) and
#   `kind` (int64): the kategori as a number, a canonical one's place in items.KINDS (the six harta categories
#     in form order, then 'hutang'); funds and the rules ask "is it a debt?" of it, not of the texts;
#   `decl_pos` (int64): the row of its declaration in the declarations frame; `decl_seq` that declaration's;
#   `prev_value` (float64): the same item's value in the person's previous declaration (NaN: not held then);
#   `comparable`, `is_new`, `area_changed` (bool); features.funds adds `revaluation` (float64).


RANKING_COLUMNS = ("id_pn", "nama", "lembaga", "jabatan", "tahun_lapor", "score", "rank", "tier",
                   "n_findings", "rules", "ml_score", "income_source")
FINDING_COLUMNS = ("id_pn", "tahun_lapor", "rule", "severity", "amount", "threshold", "message")
TIERS = ("tinggi", "sedang", "rendah")
SEVERITIES = ("tinggi", "sedang", "rendah")


@dataclass
class Analysis:
    """What the engine found; everything the report and the CSV writers need.

    declarations: one row per declaration with its features (net worth, yearly income and its source,
      growth since the previous declaration, unexplained remainder, the history's cumulative flows and
      `history_threshold`, ...), sorted by id_pn, tahun_lapor.
    officials: one row per official (latest declaration) with the peer-scoring features and peer_group.
    findings: FINDING_COLUMNS + `evidence` (JSON text: a list of {"sheet", "row", "label", "value"} naming
      the declaration lines behind the finding), sorted by id_pn, tahun_lapor, rule.
    ranking: RANKING_COLUMNS first, then extras (unit_kerja, eselon, peer_group, top_features, ...),
      sorted by rank.
    luxury: declared items matched to the luxury catalogue (id_pn, tahun_lapor, _row, merek, model,
      nilai_pelaporan, catalogue_value, luxury_class).
    temuan: the temuan rows with `matched` (bool) and `matched_row` (harta row or missing).

    A run with a register (register.RunRecord.mark) adds to findings `status_temuan` (`baru`, `berulang`
    or `sudah dijelaskan`) and `penjelasan` (the note of the `dijelaskan` decision, else missing); the
    ranking is then made without the `sudah dijelaskan` findings (so `score`, `n_findings` and `rules` leave
    them out) and carries `status_tinjauan` (the official's latest decision, `belum ditinjau` when none),
    `catatan_tinjauan`, `peninjau_tinjauan`, `tanggal_tinjauan` (that decision's note, reviewer and
    date, or missing), `n_baru` (the official's `baru` findings) and `kunci_tinjauan` (register code/run/rank:
    the hidden key that maps a Peringkat row of hasil.xlsx back to the official). Without a register none
    of these columns exist.
    """

    declarations: pd.DataFrame
    officials: pd.DataFrame
    findings: pd.DataFrame
    ranking: pd.DataFrame
    luxury: pd.DataFrame
    temuan: pd.DataFrame
    peer_detectors: tuple[str, ...] = ()
    income_estimated: bool = False
    kepatuhan: Compliance | None = None
    """Filing compliance (kepatuhan.compliance), set by the pipeline when the batch has a roster."""


KEPATUHAN_COLUMNS = ("id_pn", "nama", "jabatan", "unit_kerja", "lembaga", "tahun_lapor", "status", "hari_terlambat")
"""Columns of kepatuhan.csv, as SPEC §5 names them."""
KEPATUHAN_STATUS = ("belum lapor", "terlambat", "sudah lapor", "tepat waktu", "tidak di daftar")
"""The statuses, in the order lists show them (who needs a reminder first)."""


@dataclass
class Compliance:
    """Who filed, on time or late, and who did not (SPEC §5). Not a finding: never in findings or the score.

    officials: one row per roster entry and per filer not on the roster: KEPATUHAN_COLUMNS (`hari_terlambat`
      Int64, days after the deadline for `terlambat`, else NA) + `jenis`, `batas_lapor`, `tanggal_kirim`
      (datetime64) and `_key` (the normalised id both sides are matched on), in roster order then the
      unlisted filers by id.
    units: one row per (tahun_lapor, lembaga, unit_kerja) of the roster: `wajib` (listed), one count column
      per status, `rate` (filed, on time or not, / listed) and `rate_tepat` (on time / listed), worst first.
    lembaga: the same per (tahun_lapor, lembaga).
    years: the reporting years judged.
    """

    officials: pd.DataFrame
    units: pd.DataFrame
    lembaga: pd.DataFrame
    years: tuple[int, ...] = ()

    def counts(self) -> dict[str, int]:
        """Officials per status (every status, zero included)."""
        found = self.officials["status"].value_counts()
        return {s: int(found.get(s, 0)) for s in KEPATUHAN_STATUS}
