"""Validate raw sheets into a typed Batch, collecting every problem into one tidy table.

Like pandera's lazy `failure_cases`: nothing stops at the first bad cell. A bad cell is set to missing
with a note, or its row is rejected with a note; only what makes a sheet unusable (a required column
missing) is an InputError. For every sheet, rows read = rows accepted + rows rejected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lhkpn_check.errors import InputError
from lhkpn_check.features import item_declaration
from lhkpn_check.i18n import catalogue, t
from lhkpn_check.income import norm_text
from lhkpn_check.model import Batch, RawBatch, SheetCount, empty_frame, empty_quality
from lhkpn_check.parse import (clean_text_coded, distinct_codes, distinct_rows, factorize, from_codes, parse_date,
                               parse_id_coded, parse_money, parse_number, parse_year)
from lhkpn_check.schema import (CODE, DATE, HARTA_KATEGORI, ID, MONEY, NUMBER, QUALITY_COLUMNS, SCHEMA, TEXT,
                                YEAR, code_lookup, norm_header)
from lhkpn_check.settings import Settings

MAX_TEXT = 2000
SHEETS = ("laporan", "harta", "temuan")
REQUIRED = {
    "laporan": ("id_pn", "nama", "lembaga", "jabatan"),
    "harta": ("id_pn", "kategori"),
    "temuan": ("id_pn",),
}
ACTION = {
    "id_missing": "rejected", "year_missing": "rejected", "year_unreadable": "set_missing", "year_out_of_range": "rejected",
    "date_unreadable": "set_missing", "money_unreadable": "set_missing", "money_negative": "set_missing",
    "money_too_large": "set_missing", "number_unreadable": "set_missing", "code_unknown": "set_missing",
    "required_value_missing": "kept", "text_truncated": "truncated", "duplicate_declaration": "rejected",
    "same_year_declarations": "kept", "orphan_item": "rejected", "unknown_official": "rejected",
    "kategori_unknown": "rejected", "summary_row": "rejected", "total_from_items": "from_items",
    "total_differs_from_items": "declared_kept", "encoding_fallback": "read",
}


class _Problems:
    """Collects quality rows as frames, one per (kind, column), built vectorised: a batch where every
    declaration has a problem gives millions of rows, and no step here is a Python call per row."""

    def __init__(self, lang: str):
        self.lang, self.parts = lang, []

    def add(self, frame: pd.DataFrame, mask, kind: str, column: str | None, value=None, **fmt) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        sub = frame.loc[mask]
        if value is None and column is not None and column in sub:
            value = sub[column]
        part = pd.DataFrame({
            "source": sub["_source"].to_numpy(), "sheet": sub["_sheet"].to_numpy(),
            "row": sub["_row"].to_numpy(), "column": column,
            "value": _value_text(pd.Series(value, index=sub.index)) if value is not None else None,
        })
        if fmt:
            part["problem"] = _messages(f"quality.{kind}", self.lang, len(sub), fmt)
        else:
            part["problem"] = t(f"quality.{kind}", self.lang)
        part["action"] = t(f"quality.action.{ACTION[kind]}", self.lang)
        part["kind"] = kind
        self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return empty_quality()
        out = pd.concat(self.parts, ignore_index=True)
        return out[[*QUALITY_COLUMNS, "kind"]]


VALUE_CHARS = 200
"""A problem's `value` shows at most this many characters of the cell."""


def _value_text(values: pd.Series) -> np.ndarray:
    """Each cell as text cut to VALUE_CHARS, None for an empty one (None or a float NaN)."""
    cells = values.to_numpy(dtype=object)
    out = np.empty(len(cells), dtype=object)
    na = pd.isna(cells)
    # pd.isna also knows NaT and pd.NA, which are shown as they print; None and NaN are not given.
    empty = na.copy()
    if na.any():
        odd = np.flatnonzero(na)
        empty[odd] = [v is None or isinstance(v, float) for v in cells[odd]]
    given = np.flatnonzero(~empty)
    text = np.array(list(map(str, cells[given])), dtype=object) if len(given) else np.empty(0, dtype=object)
    long = np.fromiter(map(len, text), dtype=np.int64, count=len(text)) > VALUE_CHARS
    if long.any():
        text[long] = [x[:VALUE_CHARS] for x in text[long]]
    out[given] = text
    return out


def _messages(key: str, lang: str, n: int, fmt: dict) -> np.ndarray:
    """`t(key, lang, **row)` for n rows whose fields `fmt` gives (a Series of n values, or one value for all),
    made by joining the message's pieces column-wise instead of formatting each row."""
    import string

    template = catalogue()[key].get(lang) or catalogue()[key]["id"]
    out = np.full(n, "", dtype=object)
    for literal, field, spec, conversion in string.Formatter().parse(template):
        if literal:
            out = out + literal
        if field is None:
            continue
        if spec or conversion or field not in fmt:  # not a plain `{name}`: formatted row by row
            return np.array([t(key, lang, **{k: v.iloc[i] if isinstance(v, pd.Series) else v
                                             for k, v in fmt.items()}) for i in range(n)], dtype=object)
        value = fmt[field]
        if isinstance(value, pd.Series):
            out = out + np.array(list(map(format, value.to_numpy(dtype=object))), dtype=object)
        else:
            out = out + format(value)
    return out


def rupiah_text(values: np.ndarray) -> np.ndarray:
    """`Rp 1.250.000` for each amount, rounded to whole rupiah."""
    return np.array([f"Rp {v:,.0f}".replace(",", ".") for v in np.asarray(values, dtype="float64")], dtype=object)


def _require(raw_sheet, sheet: str) -> None:
    cols = set(raw_sheet.frame.columns)
    for col in REQUIRED[sheet]:
        if col not in cols:
            aliases = ", ".join(f"'{a}'" for a in SCHEMA[sheet][col].aliases[:3])
            raise InputError(f"kolom wajib '{col}' tidak ditemukan", file=raw_sheet.source, sheet=raw_sheet.label,
                             column=col, fix=f"Tambahkan kolom '{col}' (juga diterima: {aliases}) pada baris judul.")
    if not {"tahun_lapor", "tanggal_lapor"} & cols and sheet in ("laporan", "harta"):
        raise InputError("kolom tahun lapor tidak ditemukan", file=raw_sheet.source, sheet=raw_sheet.label,
                         column="tahun_lapor",
                         fix="Tambahkan kolom 'tahun_lapor' (Tahun Pelaporan) atau 'tanggal_lapor' (Tanggal Lapor).")


_EMPTY_DTYPE = {MONEY: "float64", NUMBER: "float64", DATE: "datetime64[ns]", YEAR: "Int64"}
"""The type of a column the input lacks, by kind; text and codes are object."""


def _typed(raw_sheet, sheet: str, settings: Settings, problems: _Problems,
           coded: dict | None = None, derived: tuple[str, ...] = ()) -> tuple[pd.DataFrame, np.ndarray]:
    """Type every known column; return the frame and the rejected mask. `coded`, when given, receives the
    (codes, distinct texts) of each text column, for checks that look at each distinct text once. The
    `derived` columns, when the input lacks them, are left for the caller to place (`_place`), not made
    empty here first (seven columns of fresh memory replaced at once)."""
    src = raw_sheet.frame
    n = len(src)
    out = pd.DataFrame(index=src.index)
    out["_source"], out["_sheet"], out["_row"] = raw_sheet.source, raw_sheet.label, src["_row"].astype("int64")
    reject = np.zeros(n, dtype=bool)
    placed = src.assign(_source=out["_source"], _sheet=out["_sheet"])
    for name, col in SCHEMA[sheet].items():
        if name not in src:
            if name in derived:
                continue
            out[name] = pd.Series(None, index=src.index, dtype=_EMPTY_DTYPE.get(col.kind, "object"))
            continue
        cells = src[name]
        if col.kind == ID:
            out[name], out[f"_{name}_code"] = parse_id_coded(cells)
        elif col.kind == TEXT:
            text, codes, uniques = clean_text_coded(cells)
            long_text = np.fromiter((len(u) if u is not None else 0 for u in uniques), dtype=np.int64,
                                    count=len(uniques)) > MAX_TEXT
            if long_text.any():
                long = (codes >= 0) & long_text[np.maximum(codes, 0)]
                problems.add(out.assign(**{name: text}), long, "text_truncated", name,
                             value=text[long].str.slice(0, 60))
                uniques = uniques.copy()
                uniques[long_text] = [u[:MAX_TEXT] for u in uniques[long_text]]
                text = from_codes(codes, uniques, src.index)
            if coded is not None:
                coded[name] = codes, uniques
            out[name] = text
        elif col.kind in (MONEY, NUMBER):
            values, bad = (parse_money if col.kind == MONEY else parse_number)(cells)
            problems.add(placed, bad,
                         "money_unreadable" if col.kind == MONEY else "number_unreadable", name)
            neg = (values < 0).to_numpy() & (name != "total_harta_kekayaan")
            big = (values > settings.max_money).to_numpy()
            problems.add(placed, neg, "money_negative", name)
            problems.add(placed, big, "money_too_large", name)
            out[name] = values.mask(neg | big).astype("float64")
        elif col.kind == DATE:
            values, bad = parse_date(cells)
            problems.add(placed, bad, "date_unreadable", name)
            out[name] = values
        elif col.kind == YEAR:
            values, bad = parse_year(cells)
            problems.add(placed, bad, "year_unreadable", name)
            out[name] = values
        elif col.kind == CODE:
            lookup = code_lookup(col.codes)
            codes, mapped = distinct_codes(cells, lambda u: lookup.get(norm_header(u)))
            values = from_codes(codes, mapped, src.index)
            unknown = (codes >= 0) & np.append(pd.isna(mapped), False)[codes]
            if name != "kategori":
                problems.add(placed, unknown, "code_unknown", name)
            out[name] = values
            out[f"_{name}_unknown"] = unknown
    return out, reject


def _year_column(df: pd.DataFrame, settings: Settings, problems: _Problems, year_col: str, date_col: str):
    year = df[year_col] if year_col in df else pd.Series(pd.NA, index=df.index, dtype="Int64")
    if date_col in df:
        year = year.fillna(df[date_col].dt.year.astype("Int64"))
    df[year_col] = year
    missing = year.isna().to_numpy()
    max_year = dt.date.today().year + 1
    out_of_range = ~missing & ((year.fillna(0) < settings.min_year) | (year.fillna(0) > max_year)).to_numpy()
    problems.add(df, missing, "year_missing", year_col)
    problems.add(df, out_of_range, "year_out_of_range", year_col)
    return missing | out_of_range


def _laporan(raw, settings, problems) -> tuple[pd.DataFrame, np.ndarray]:
    df, reject = _typed(raw, "laporan", settings, problems)
    no_id = df["id_pn"].isna().to_numpy()
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    reject |= _year_column(df, settings, problems, "tahun_lapor", "tanggal_lapor") & ~reject
    for col in ("nama", "lembaga", "jabatan"):
        empty = df[col].isna().to_numpy() & ~reject
        problems.add(df, empty, "required_value_missing", col)
        df[col] = df[col].fillna("-")
    _duplicates(df, reject, problems)
    return df, reject


def _duplicates(df: pd.DataFrame, reject: np.ndarray, problems: _Problems) -> None:
    """Declarations of one official, year and date (a missing date alike with 1 January 1900) after the
    first row are rejected, naming the row kept; accepted ones that share an official and a year are noted.
    Works on validate's numbers for the ids (parse.parse_id_coded), not on the id texts. Sets `reject`."""
    ok = np.flatnonzero(~reject)
    rows = df["_row"].to_numpy(dtype=np.int64)[ok]
    official = df["_id_pn_code"].to_numpy(dtype=np.int64)[ok]
    year = df["tahun_lapor"].to_numpy(dtype=np.int64, na_value=0)[ok]
    date = df["tanggal_lapor"].fillna(pd.Timestamp(1900, 1, 1)).to_numpy(dtype="datetime64[ns]").view(np.int64)[ok]
    same = distinct_rows(pd.DataFrame({"official": official, "year": year, "date": date}))[0]
    first_row = pd.Series(rows).groupby(same).transform("min").to_numpy()
    dup = rows != first_row
    if dup.any():
        dmask = np.zeros(len(df), dtype=bool)
        dmask[ok[dup]] = True
        problems.add(df, dmask, "duplicate_declaration", "id_pn", value=df["id_pn"],
                     kept=pd.Series(first_row[dup], index=df.index[ok[dup]]).astype(str))
        reject |= dmask
    kept = ~dup
    pair = distinct_rows(pd.DataFrame({"official": official[kept], "year": year[kept]}))[0]
    shared = np.bincount(pair)[pair] > 1 if len(pair) else np.zeros(0, dtype=bool)
    same_year = np.zeros(len(df), dtype=bool)
    same_year[ok[kept][shared]] = True
    problems.add(df, same_year, "same_year_declarations", "tahun_lapor")


def _harta(raw, settings, problems, pool=None) -> tuple[pd.DataFrame, np.ndarray]:
    from lhkpn_check.uraian import FIELDS, spread

    coded: dict = {}
    df, reject = _typed(raw, "harta", settings, problems, coded, derived=FIELDS)
    codes, uniques = coded.get("uraian") or factorize(df["uraian"], use_na_sentinel=True)
    given = np.array([u is not None for u in uniques], dtype=bool)
    codes = np.where(given[codes] & (codes >= 0), codes, -1) if len(uniques) else codes
    summary_text = pd.Index(uniques, dtype=object).astype(str).str.strip().str.lower().isin(
        ["total", "jumlah", "sub total", "subtotal"])
    summary = (codes >= 0) & np.asarray(summary_text, dtype=bool)[np.maximum(codes, 0)] if len(uniques) else \
        np.zeros(len(df), dtype=bool)
    problems.add(df, summary, "summary_row", "uraian")
    reject |= summary
    no_id = df["id_pn"].isna().to_numpy() & ~reject
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    reject |= _year_column(df, settings, problems, "tahun_lapor", "tanggal_lapor") & ~reject
    bad_kat = df["kategori"].isna().to_numpy() & ~reject
    problems.add(df, bad_kat, "kategori_unknown", "kategori", value=raw.frame.get("kategori"))
    reject |= bad_kat
    read = _distinct_fields(uniques, pool)
    df["_uraian_key"] = uraian_keys(codes, uniques)
    for field in FIELDS:
        if field in raw.frame:  # given values win; the missing ones come from uraian
            missing = np.flatnonzero(df[field].isna().to_numpy())
            if len(missing):
                df.iloc[missing, df.columns.get_loc(field)] = spread(read[field], codes[missing]).array
        else:  # a column the input lacks: what uraian gives, as the empty column's type
            values = spread(read[field], codes).set_axis(df.index)
            _place(df, "harta", field, values.astype(_EMPTY_DTYPE.get(SCHEMA["harta"][field].kind, "object")))
    return df, reject


FIELDS_PER_TASK = 50_000
"""Distinct descriptions read by one task when a pool shares the reading (one per item at national scale:
hundreds of thousands of texts, each read on its own)."""


def _distinct_fields(uniques, pool=None) -> pd.DataFrame:
    """uraian.distinct_fields, in tasks shared with the pool's workers when there are many texts (the same
    table: each text is read on its own, and the columns' types do not depend on the others)."""
    from lhkpn_check.pool import Shared
    from lhkpn_check.uraian import distinct_fields

    if pool is None or len(uniques) <= FIELDS_PER_TASK:
        return distinct_fields(uniques)
    texts = np.asarray(uniques, dtype=object)
    parts = [(texts[i:i + FIELDS_PER_TASK],) for i in range(0, len(texts), FIELDS_PER_TASK)]
    return pd.concat(Shared(pool, distinct_fields, parts).results(), ignore_index=True)


def _place(df: pd.DataFrame, sheet: str, name: str, values: pd.Series) -> None:
    """Insert a schema column where `_typed` would have put it: before the next schema column present."""
    later = list(SCHEMA[sheet])
    later = later[later.index(name) + 1:]
    df.insert(next((df.columns.get_loc(c) for c in later if c in df.columns), len(df.columns)), name, values)


def uraian_keys(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Per item, a number shared by the items whose descriptions read alike (income.norm_text: case and
    punctuation aside; an empty one alike with every other empty one), worked out once per distinct text.
    features.item_changes matches an item with its previous version by it."""
    alike = pd.factorize(np.append(norm_text(pd.Series(uniques, dtype=object)).to_numpy(), ""))[0]
    return alike[np.where(codes >= 0, codes, len(uniques))].astype(np.int64)


def _harta_orphans(df: pd.DataFrame, reject: np.ndarray, laporan: pd.DataFrame,
                   problems) -> tuple[np.ndarray, np.ndarray]:
    """Items whose official and year have no accepted declaration. Also returns the position in `laporan`
    of each item's declaration (features.item_declaration), which the totals check needs too."""
    if len(laporan):
        own, listed = item_declaration(df, laporan, with_year_found=True)
    else:
        own, listed = np.full(len(df), -1, dtype=np.int64), np.zeros(len(df), dtype=bool)
    orphan = ~listed & ~reject
    problems.add(df, orphan, "orphan_item", "id_pn", value=df["id_pn"])
    return reject | orphan, own


def _temuan(raw, settings, problems) -> tuple[pd.DataFrame, np.ndarray]:
    df, reject = _typed(raw, "temuan", settings, problems)
    no_id = df["id_pn"].isna().to_numpy()
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    df["tahun"] = df["tanggal"].dt.year.astype("Int64")
    return df, reject


def _temuan_unknown(df: pd.DataFrame, reject: np.ndarray, laporan: pd.DataFrame, problems) -> np.ndarray:
    """Luxury sightings of officials with no accepted declaration."""
    unknown = ~df["id_pn"].isin(set(laporan["id_pn"])).to_numpy() & ~reject
    problems.add(df, unknown, "unknown_official", "id_pn", value=df["id_pn"])
    return reject | unknown


def _fill_totals(laporan: pd.DataFrame, harta: pd.DataFrame, problems: _Problems,
                 own: np.ndarray | None = None) -> pd.DataFrame:
    """Missing category totals come from the items; declared totals that differ are noted, and kept.
    `own`: each item's declaration in `laporan`, when the caller has it."""
    if harta.empty:
        return laporan
    own = item_declaration(harta, laporan) if own is None else own
    kat, kats = factorize(harta["kategori"], use_na_sentinel=True)
    kept = (own >= 0) & (kat >= 0)
    # One group per (declaration, kategori) that lists items; pandas' compensated sum, as a pivot table has.
    # Grouped with the keys in order (a stable sort keeps each group's items in their order, so the sums
    # are the same): hashing 3.5M keys in sheet order took twice as long.
    key = own[kept].astype(np.int64) * len(kats) + kat[kept]
    order = np.argsort(key, kind="stable")
    sums = pd.Series(harta["nilai_pelaporan"].to_numpy(dtype="float64")[kept][order]).groupby(
        key[order], sort=False).sum()
    merged = np.full((len(laporan), len(kats)), np.nan)
    merged.ravel()[sums.index.to_numpy()] = sums.to_numpy()
    column = {k: i for i, k in enumerate(kats)}
    for col in (*HARTA_KATEGORI, "hutang"):
        if col not in column:
            continue
        items = merged[:, column[col]]
        declared = laporan[col].to_numpy(dtype="float64")
        fill = np.isnan(declared) & ~np.isnan(items)
        differ = ~np.isnan(declared) & ~np.isnan(items) & (np.abs(declared - items) > 0.01 * np.maximum(
            np.abs(items), 1.0))
        problems.add(laporan, differ, "total_differs_from_items", col,
                     items=pd.Series(rupiah_text(items[differ]), index=laporan.index[differ]))
        laporan[col] = np.where(fill, items, declared)
    return laporan


@dataclass
class TypedSheet:
    """One sheet typed on its own, before the checks that need another sheet: the frame (every row read),
    the rows rejected so far and the problems found. Picklable, so another process can make it."""

    frame: pd.DataFrame
    reject: np.ndarray
    problems: list[pd.DataFrame]


_OWN = {"laporan": _laporan, "harta": _harta, "temuan": _temuan}


def type_sheet(raw_sheet, settings: Settings, lang: str = "id", pool=None) -> TypedSheet:
    """Everything `validate` does to one sheet that needs no other sheet (with a `pool`, its workers help
    read the descriptions; the sheet is the same)."""
    _require(raw_sheet, raw_sheet.name)
    problems = _Problems(lang)
    own = _OWN[raw_sheet.name]
    df, reject = own(raw_sheet, settings, problems, pool) if own is _harta else own(raw_sheet, settings, problems)
    return TypedSheet(df, reject, problems.parts)


def validate(raw: RawBatch, settings: Settings | None = None, lang: str = "id",
             typed: dict[str, TypedSheet] | None = None, pool=None) -> Batch:
    """`typed` holds sheets already typed (by `type_sheet`, perhaps in another process); the sheets of
    `raw` not in it are typed here, with the `pool`'s help where given."""
    settings = settings or Settings()
    typed = dict(typed or {})
    for sheet in SHEETS:
        if sheet in raw.sheets and sheet not in typed:
            typed[sheet] = type_sheet(raw.sheets[sheet], settings, lang, pool)
    problems = _Problems(lang)
    for note in raw.notes:
        frame = pd.DataFrame({"_source": [note["source"]], "_sheet": [note["sheet"]], "_row": [note["row"]]})
        problems.add(frame, [True], note["kind"], note["column"])
    counts: dict[str, SheetCount] = {}
    frames: dict[str, pd.DataFrame] = {}
    own = None
    for sheet in SHEETS:
        if sheet not in typed:
            frames[sheet] = empty_frame(sheet)
            counts[sheet] = SheetCount()
            continue
        df, reject = typed[sheet].frame, typed[sheet].reject
        problems.parts += typed[sheet].problems
        if sheet == "harta":
            reject, own = _harta_orphans(df, reject, frames["laporan"], problems)
            own = own[~reject]
            decl_row = np.full(len(df), -1, dtype=np.int64)  # its declaration's row, for item_changes
            decl_row[~reject] = frames["laporan"]["_row"].to_numpy(dtype=np.int64)[own]
            df = df.assign(_decl_row=decl_row)
        elif sheet == "temuan":
            reject = _temuan_unknown(df, reject, frames["laporan"], problems)
        accepted = df.loc[~reject, [c for c in df.columns if not (c.endswith("_bad") or c.endswith("_unknown"))]]
        counts[sheet] = SheetCount(read=len(df), accepted=int((~reject).sum()), rejected=int(reject.sum()))
        assert counts[sheet].read == counts[sheet].accepted + counts[sheet].rejected
        frames[sheet] = accepted.reset_index(drop=True)
    laporan = frames["laporan"]
    laporan["tahun_lapor"] = laporan["tahun_lapor"].astype("int64")
    if len(frames["harta"]):
        frames["harta"]["tahun_lapor"] = frames["harta"]["tahun_lapor"].astype("int64")
        laporan = _fill_totals(laporan, frames["harta"], problems, own)
    quality = problems.frame()
    if len(quality):
        quality = quality.take(quality_order(quality)).reset_index(drop=True)
    return Batch(laporan=laporan, harta=frames["harta"], temuan=frames["temuan"], quality=quality,
                 counts=counts, inputs=list(raw.inputs))


def quality_order(quality: pd.DataFrame) -> np.ndarray:
    """The order of `sort_values(["source", "sheet", "row", "column"], kind="stable", na_position="first")`,
    sorted on integer keys: each text column's distinct values ranked once (few files, sheets and columns),
    instead of comparing millions of texts when every declaration has a problem."""
    keys = []
    for name in ("source", "sheet", "row", "column"):
        values = quality[name]
        if name == "row":
            rows = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
            keys.append(np.where(np.isnan(rows), -np.inf, rows))
        else:
            keys.append(pd.factorize(values.astype("object"), sort=True, use_na_sentinel=True)[0])
    return np.lexsort(keys[::-1])


def load_batch(path, settings: Settings | None = None, lang: str = "id") -> Batch:
    from lhkpn_check.reader import read_input

    settings = settings or Settings()
    return validate(read_input(path, max_unzipped_bytes=settings.max_unzipped_bytes), settings, lang)


def format_summary(batch: Batch, lang: str = "id") -> str:
    """Counts only: no name or id of the input reaches the terminal."""
    years = batch.laporan["tahun_lapor"]
    year_text = f"{years.min()}–{years.max()}" if len(years) else "-"
    sheets = "\n".join(t("quality.sheet_line", lang, sheet=s, **c.as_dict()) for s, c in batch.counts.items()
                       if c.read)
    kinds = batch.quality["kind"].value_counts().sort_index() if len(batch.quality) else pd.Series(dtype=int)
    kind_lines = "\n".join(f"  {t(f'quality.{k}', lang).split('{')[0].strip()} [{k}]: {v}" for k, v in kinds.items())
    return t("quality.summary", lang, officials=batch.n_officials, declarations=len(batch.laporan),
             years=year_text, sheets=sheets, problems=len(batch.quality), kinds=kind_lines)
