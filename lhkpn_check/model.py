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
      codes as canonical strings (schema.CODES) or missing; `tanggal_lapor` datetime64 (NaT if unknown).
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
        not comparable: match sheets through the ids they rank);
      `_decl_row` (harta; int64): the spreadsheet row (`_row`) of the item's declaration in laporan;
      `_uraian_key` (harta; int64): a number shared by items whose descriptions read alike
        (income.norm_text; every empty description alike).
    Frames built by hand (tests, notebooks) may lack them; a stage that reads them works them out from
    the texts then. A batch read with more than one job also carries laporan's income columns
    (income.INCOME_COLUMNS), worked out by the worker that typed laporan (features.declaration_income).
    """

    laporan: pd.DataFrame
    harta: pd.DataFrame
    temuan: pd.DataFrame
    quality: pd.DataFrame
    counts: dict[str, SheetCount]
    inputs: list[InputFile] = field(default_factory=list)

    @property
    def n_officials(self) -> int:
        return int(self.laporan["id_pn"].nunique())


RANKING_COLUMNS = ("id_pn", "nama", "lembaga", "jabatan", "tahun_lapor", "score", "rank", "tier",
                   "n_findings", "rules", "ml_score", "income_source")
FINDING_COLUMNS = ("id_pn", "tahun_lapor", "rule", "severity", "amount", "threshold", "message")
TIERS = ("tinggi", "sedang", "rendah")
SEVERITIES = ("tinggi", "sedang", "rendah")


@dataclass
class Analysis:
    """What the engine found; everything the report and the CSV writers need.

    declarations: one row per declaration with its features (net worth, yearly income and its source,
      growth since the previous declaration, unexplained remainder, ...), sorted by id_pn, tahun_lapor.
    officials: one row per official (latest declaration) with the peer-scoring features and peer_group.
    findings: FINDING_COLUMNS + `evidence` (JSON text: a list of {"sheet", "row", "label", "value"} naming
      the declaration lines behind the finding), sorted by id_pn, tahun_lapor, rule.
    ranking: RANKING_COLUMNS first, then extras (unit_kerja, eselon, peer_group, top_features, ...),
      sorted by rank.
    luxury: declared items matched to the luxury catalogue (id_pn, tahun_lapor, _row, merek, model,
      nilai_pelaporan, catalogue_value, luxury_class).
    temuan: the temuan rows with `matched` (bool) and `matched_row` (harta row or missing).
    """

    declarations: pd.DataFrame
    officials: pd.DataFrame
    findings: pd.DataFrame
    ranking: pd.DataFrame
    luxury: pd.DataFrame
    temuan: pd.DataFrame
    peer_detectors: tuple[str, ...] = ()
    income_estimated: bool = False
