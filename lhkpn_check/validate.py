"""Validate raw sheets into a typed Batch, collecting every problem into one tidy table.

Like pandera's lazy `failure_cases`: nothing stops at the first bad cell. A bad cell is set to missing
with a note, or its row is rejected with a note; only what makes a sheet unusable (a required column
missing) is an InputError. For every sheet, rows read = rows accepted + rows rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check.errors import InputError
from lhkpn_check.i18n import catalogue, t
from lhkpn_check.keys import item_declaration, uraian_keys
from lhkpn_check.model import Batch, RawBatch, SheetCount, empty_frame, empty_quality
from lhkpn_check.parse import (clean_text_coded, distinct_codes, distinct_rows, factorize, from_codes, parse_date,
                               parse_id, parse_id_coded, parse_money, parse_number, parse_year)
from lhkpn_check.schema import (CODE, DATE, HARTA_KATEGORI, ID, MONEY, NUMBER, QUALITY_COLUMNS, SCHEMA, TEXT,
                                YEAR, closest_column, code_lookup, column_score, norm_header)
from lhkpn_check.settings import Settings

MAX_TEXT = 2000
SHEETS = ("laporan", "harta", "temuan")
REQUIRED = {
    "laporan": ("id_pn", "nama", "lembaga", "jabatan"),
    "harta": ("id_pn", "kategori"),
    "temuan": ("id_pn",),
    "wajib_lapor": ("id_pn", "nama"),
}
ACTION = {
    "id_missing": "rejected", "year_missing": "rejected", "year_unreadable": "set_missing", "year_out_of_range": "rejected",
    "date_unreadable": "set_missing", "money_unreadable": "set_missing", "money_negative": "set_missing",
    "money_too_large": "set_missing", "number_unreadable": "set_missing", "code_unknown": "set_missing",
    "required_value_missing": "kept", "text_truncated": "truncated", "duplicate_declaration": "rejected",
    "same_year_declarations": "kept", "orphan_item": "rejected", "unknown_official": "rejected",
    "kategori_unknown": "rejected", "summary_row": "rejected", "identity_conflict": "kept_apart",
    "probable_namesake": "kept_apart", "ambiguous_item": "rejected", "duplicate_item": "rejected", "total_from_items": "from_items",
    "total_differs_from_items": "declared_kept", "encoding_fallback": "read",
    "totals_row": "rejected", "id_from_number": "kept_number_id", "id_shared_split": "derived_id",
    "id_shared_ambiguous": "rejected", "column_unread_money": "column_not_read",
    "column_unread_money_guess": "column_not_read", "column_duplicate_money": "column_not_read",
    "sheet_ignored": "sheet_not_read",
    "roster_id_normalised": "normalised", "duplicate_roster": "rejected",
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
        at = np.flatnonzero(mask)  # only the columns a problem shows are taken from the (wide) frame
        index = frame.index[at]
        if value is None and column is not None and column in frame:
            value = frame[column].iloc[at]
        part = pd.DataFrame({
            "source": frame["_source"].to_numpy()[at], "sheet": frame["_sheet"].to_numpy()[at],
            "row": frame["_row"].to_numpy()[at], "column": column,
            "value": _value_text(pd.Series(value, index=index)) if value is not None else None,
        })
        if fmt:
            part["problem"] = _messages(f"quality.{kind}", self.lang, len(at), fmt)
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
    texts = "\n".join(map("Rp {:,.0f}".format, np.asarray(values, dtype="float64").tolist()))
    return np.array(texts.replace(",", ".").split("\n") if len(values) else [], dtype=object)


def _require(raw_sheet, sheet: str) -> None:
    """Every required column the sheet lacks, named in one refusal with the headers that were found and the
    closest of them to each missing column."""
    cols = set(raw_sheet.frame.columns)
    missing = [col for col in REQUIRED[sheet] if col not in cols]
    if not {"tahun_lapor", "tanggal_lapor"} & cols and sheet in ("laporan", "harta"):
        missing.append("tahun_lapor")
    if not missing:
        return
    unread = [c.cell or c.header for c in raw_sheet.columns if c.field is None and c.header]
    parts = []
    for col in missing:
        scores = [(column_score(h, sheet, col), h) for h in unread]
        score, near = max(scores, default=(0.0, None), key=lambda x: x[0])
        also = ", ".join(f"'{a}'" for a in SCHEMA[sheet][col].aliases[:3])
        if col == "tahun_lapor":
            col_text = "'tahun_lapor' atau 'tanggal_lapor'"
            if score <= 0:
                score, near = max(((column_score(h, sheet, "tanggal_lapor"), h) for h in unread),
                                  default=(0.0, None), key=lambda x: x[0])
        else:
            col_text = f"'{col}'"
        parts.append(f"{col_text} (paling mirip: '{near}')" if score > 0 else f"{col_text} (juga diterima: {also})")
    found = [c.header for c in raw_sheet.columns if c.header]
    rows = raw_sheet.header_rows or (raw_sheet.header_row,)
    found_text = (f"judul kolom yang ditemukan (baris {', '.join(map(str, rows))}): "
                  + ", ".join(f"'{h}'" for h in found[:40]) + (" ..." if len(found) > 40 else "")
                  if found else "tidak ada baris judul kolom yang dikenali di 30 baris pertama")
    example = next((f'{col} = "{near}"' for col in missing
                    for score, near in [max(((column_score(h, sheet, col), h) for h in unread),
                                            default=(0.0, None), key=lambda x: x[0])] if score > 0),
                   f'{missing[0]} = "judul kolom di berkas Anda"')
    as_what = "" if raw_sheet.chosen_by == "name" else f" (dibaca sebagai sheet {sheet})"
    raise InputError(f"{len(missing)} kolom wajib {sheet} tidak ditemukan{as_what}: {'; '.join(parts)}. "
                     f"{found_text[0].upper()}{found_text[1:]}", file=raw_sheet.source, sheet=raw_sheet.label,
                     fix="Ubah judul kolom itu di berkas, atau petakan judul Anda di berkas --config, misalnya "
                         f"[kolom] {example} (lihat sheet Petunjuk di: lhkpn-check template).")


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
            long_text = np.zeros(len(uniques), dtype=bool)  # a cleaned text, or None
            given = np.flatnonzero(pd.notna(uniques))
            long_text[given] = np.fromiter(map(len, uniques[given]), dtype=np.int64, count=len(given)) > MAX_TEXT
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


def _year_column(df: pd.DataFrame, settings: Settings, problems: _Problems, year_col: str, date_col: str,
                 unlisted: np.ndarray | None = None):
    """The year of each row (from the date when missing); rows without a plausible one are listed (except
    the `unlisted`, already listed as something else) and returned to be rejected."""
    year = df[year_col] if year_col in df else pd.Series(pd.NA, index=df.index, dtype="Int64")
    if date_col in df:
        year = year.fillna(df[date_col].dt.year.astype("Int64"))
    df[year_col] = year
    missing = year.isna().to_numpy()
    max_year = dt.date.today().year + 1
    out_of_range = ~missing & ((year.fillna(0) < settings.min_year) | (year.fillna(0) > max_year)).to_numpy()
    listed = np.ones(len(df), dtype=bool) if unlisted is None else ~unlisted
    problems.add(df, missing & listed, "year_missing", year_col)
    problems.add(df, out_of_range & listed, "year_out_of_range", year_col)
    return missing | out_of_range


_TOTALS = re.compile(r"^(?:sub ?total|jumlah|total|grand total|rekapitulasi|rekap|rata rata|rerata)(?: .*)?$")
"""A cell that marks a row of sums (`JUMLAH`, `TOTAL`, `Sub Total`, `Jumlah OPD ...`)."""


def _totals_rows(raw_frame: pd.DataFrame, no_id: np.ndarray, ids_too: bool = True) -> tuple[np.ndarray, pd.Series]:
    """Rows of sums under a table: no id (`no_id`), or with `ids_too` `JUMLAH` where the id goes, and a
    cell saying so. A row with an id is never one. Returns the mask and the marking text."""
    n = len(raw_frame)
    mark = pd.Series(None, index=raw_frame.index, dtype="object")
    if "id_pn" not in raw_frame or not n:
        return np.zeros(n, dtype=bool), mark
    maybe = np.asarray(no_id, dtype=bool)
    if ids_too:
        codes, marked = distinct_codes(raw_frame["id_pn"], _totals_text)  # each distinct id looked at once
        maybe = maybe | np.append(pd.notna(marked), False)[codes]
    rows = np.flatnonzero(maybe)
    if not len(rows):
        return np.zeros(n, dtype=bool), mark
    sub = raw_frame.iloc[rows]
    found = np.full(len(rows), None, dtype=object)
    for col in [c for c in sub.columns if not str(c).startswith("_")][::-1]:
        texts = sub[col].map(_totals_text).to_numpy(dtype=object)
        found = np.where(pd.notna(texts), texts, found)
    mark.iloc[rows] = found
    return mark.notna().to_numpy(), mark


def _totals_text(value):
    """The cell's text when it marks a row of sums, else None."""
    if not isinstance(value, str) or not value.lstrip()[:1].isalpha():  # ids and amounts: at a glance
        return None
    return value if _TOTALS.match(norm_header(value)) else None


def _laporan(raw, settings, problems) -> tuple[pd.DataFrame, np.ndarray]:
    coded: dict = {}
    df, reject = _typed(raw, "laporan", settings, problems, coded)
    missing_id = df["_id_pn_code"].to_numpy() < 0  # parse_id_coded: -1 where the id is missing
    totals, mark = _totals_rows(raw.frame, missing_id)
    problems.add(df, totals, "totals_row", "id_pn", value=mark)
    reject |= totals
    no_id = missing_id & ~reject
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    reject |= _year_column(df, settings, problems, "tahun_lapor", "tanggal_lapor", totals) & ~reject
    for col in ("nama", "lembaga", "jabatan"):
        empty = df[col].isna().to_numpy() & ~reject
        problems.add(df, empty, "required_value_missing", col)
        df[col] = df[col].fillna("-")
    _duplicates(df, reject, problems, coded)
    return df, reject


def _duplicates(df: pd.DataFrame, reject: np.ndarray, problems: _Problems, coded: dict | None = None) -> None:
    """Copies of a declaration (same id, date and content) after the first are rejected, naming the row
    kept; declarations of one id and date that differ are kept and marked as an identity conflict (one
    quality row per conflict); an id that goes back and forth between unrelated agencies is noted as a
    probable namesake; accepted ones that share an official and a year are noted. Adds the identity
    columns (identity.identities) to `df` and sets `reject`."""
    from lhkpn_check.identity import identities

    ids = identities(df, ~reject, coded)
    dup = ids["copy_of"].to_numpy() >= 0
    problems.add(df, dup, "duplicate_declaration", "id_pn", value=df["id_pn"],
                 kept=ids["copy_of"][dup].astype(str))
    reject |= dup
    conflict = ids["identity_conflict"].to_numpy()
    # One row per conflict: on each conflicting declaration but the first of its date (the other rows'
    # text read only where there is a conflict, not once per declaration).
    later = np.zeros(len(df), dtype=bool)
    at = np.flatnonzero(conflict)
    if len(at):
        first = [min((int(r) for r in rows.split(", ") if r), default=0) if isinstance(rows, str) else 0
                 for rows in ids["conflict_rows"].to_numpy(dtype=object)[at]]
        later[at] = np.asarray(first, dtype=np.int64) < df["_row"].to_numpy()[at]
    problems.add(df, later, "identity_conflict", "id_pn", value=df["id_pn"], rows=ids["conflict_rows"][later])
    namesake = ids["probable_namesake"].to_numpy() & ~reject
    first_of_id = namesake & ~pd.Series(np.where(namesake, df["id_pn"], None)).duplicated().to_numpy()
    problems.add(df, first_of_id, "probable_namesake", "lembaga", value=df["id_pn"])
    ok = np.flatnonzero(~reject & ~conflict)
    year = df["tahun_lapor"].to_numpy(dtype=np.int64, na_value=0)[ok]
    pair = distinct_rows(pd.DataFrame({"official": df["id_pn"].to_numpy()[ok], "year": year}))[0]
    shared = np.bincount(pair)[pair] > 1 if len(pair) else np.zeros(0, dtype=bool)
    same_year = np.zeros(len(df), dtype=bool)
    same_year[ok[shared]] = True
    problems.add(df, same_year, "same_year_declarations", "tahun_lapor")
    df["identity_conflict"] = conflict
    df["probable_namesake"] = ids["probable_namesake"].to_numpy()
    df["identity_group"] = ids["identity_group"].to_numpy()
    df["_copies"] = ids["copies"].to_numpy()


_SUMMARY_TEXT = frozenset({"total", "jumlah", "sub total", "subtotal"})
"""A description that marks a row of sums in harta."""


def _summary_text(uniques) -> np.ndarray:
    """Which distinct descriptions (cleaned: stripped, or cut to MAX_TEXT) mark a row of sums. Only those
    short enough to be one are looked at, and the cut ones, which may end in spaces."""
    texts = np.asarray(uniques, dtype=object)
    given = np.flatnonzero(pd.notna(texts))
    size = np.fromiter(map(len, texts[given]), dtype=np.int64, count=len(given))
    out = np.zeros(len(texts), dtype=bool)
    maybe = given[(size <= max(map(len, _SUMMARY_TEXT))) | (size >= MAX_TEXT)]
    out[maybe] = [str(u).strip().lower() in _SUMMARY_TEXT for u in texts[maybe]]
    return out


def _harta(raw, settings, problems, pool=None) -> tuple[pd.DataFrame, np.ndarray]:
    from lhkpn_check.uraian import FIELDS, spread

    coded: dict = {}
    df, reject = _typed(raw, "harta", settings, problems, coded, derived=FIELDS)
    codes, uniques = coded.get("uraian") or factorize(df["uraian"], use_na_sentinel=True)
    given = pd.notna(np.asarray(uniques, dtype=object))  # a cleaned text, or None
    codes = np.where(given[codes] & (codes >= 0), codes, -1) if len(uniques) else codes
    summary = (codes >= 0) & _summary_text(uniques)[np.maximum(codes, 0)] if len(uniques) else \
        np.zeros(len(df), dtype=bool)
    problems.add(df, summary, "summary_row", "uraian")
    reject |= summary
    missing_id = df["_id_pn_code"].to_numpy() < 0  # parse_id_coded: -1 where the id is missing
    totals = _totals_rows(raw.frame, missing_id & ~reject, ids_too=False)[0] & ~reject
    problems.add(df, totals, "summary_row", "uraian")
    reject |= totals
    no_id = missing_id & ~reject
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    reject |= _year_column(df, settings, problems, "tahun_lapor", "tanggal_lapor") & ~reject
    bad_kat = df["kategori"].isna().to_numpy() & ~reject
    problems.add(df, bad_kat, "kategori_unknown", "kategori", value=raw.frame.get("kategori"))
    reject |= bad_kat
    asal = None
    if "asal_usul" in raw.frame:  # the sheet's origins win: the descriptions' are read where one is missing
        asal = np.zeros(len(uniques), dtype=bool)
        asal[codes[df["asal_usul"].isna().to_numpy() & (codes >= 0)]] = True
    read = _distinct_fields(uniques, pool, asal)
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


def _distinct_fields(uniques, pool=None, asal: np.ndarray | None = None) -> pd.DataFrame:
    """uraian.distinct_fields, in tasks shared with the pool's workers when there are many texts (the same
    table: each text is read on its own, and the columns' types do not depend on the others)."""
    from lhkpn_check.pool import Shared, warming
    from lhkpn_check.uraian import distinct_fields

    if pool is None or len(uniques) <= FIELDS_PER_TASK or warming(pool):
        return distinct_fields(uniques, asal)
    texts = np.asarray(uniques, dtype=object)
    parts = [(texts[i:i + FIELDS_PER_TASK], None if asal is None else asal[i:i + FIELDS_PER_TASK])
             for i in range(0, len(texts), FIELDS_PER_TASK)]
    return pd.concat(Shared(pool, distinct_fields, parts).results(), ignore_index=True)


def _place(df: pd.DataFrame, sheet: str, name: str, values: pd.Series) -> None:
    """Insert a schema column where `_typed` would have put it: before the next schema column present."""
    later = list(SCHEMA[sheet])
    later = later[later.index(name) + 1:]
    df.insert(next((df.columns.get_loc(c) for c in later if c in df.columns), len(df.columns)), name, values)


def _harta_orphans(df: pd.DataFrame, reject: np.ndarray, laporan: pd.DataFrame,
                   problems) -> tuple[np.ndarray, np.ndarray]:
    """Items whose official and year have no accepted declaration. Also returns the position in `laporan`
    of each item's declaration (keys.item_declaration), which the totals check needs too."""
    if len(laporan):
        own, listed = item_declaration(df, laporan, with_year_found=True)
    else:
        own, listed = np.full(len(df), -1, dtype=np.int64), np.zeros(len(df), dtype=bool)
    orphan = ~listed & ~reject
    problems.add(df, orphan, "orphan_item", "id_pn", value=df["id_pn"])
    return reject | orphan, own


def _harta_identity(df: pd.DataFrame, reject: np.ndarray, own: np.ndarray, laporan: pd.DataFrame,
                    problems) -> np.ndarray:
    """Items of a declaration in an identity conflict cannot be told apart between the two declarations of
    that date: they are rejected. Items repeated because their declaration was listed twice are dropped
    with the copies (identity.duplicate_items)."""
    from lhkpn_check.identity import duplicate_items

    if not len(laporan):
        return reject
    has = (own >= 0) & ~reject
    at = np.maximum(own, 0)
    conflict = has & laporan["identity_conflict"].to_numpy(dtype=bool)[at]
    problems.add(df, conflict, "ambiguous_item", "id_pn", value=df["id_pn"])
    reject = reject | conflict
    has &= ~conflict
    copies = np.where(has, laporan["_copies"].to_numpy(dtype=np.int64)[at], 1)
    columns = [c for c in df.columns if not c.startswith("_")]
    repeated = duplicate_items(df.assign(_decl=own), copies, ["_decl", *columns]) & has
    problems.add(df, repeated, "duplicate_item", "uraian")
    return reject | repeated


def _temuan(raw, settings, problems) -> tuple[pd.DataFrame, np.ndarray]:
    df, reject = _typed(raw, "temuan", settings, problems)
    totals, mark = _totals_rows(raw.frame, df["id_pn"].isna().to_numpy())
    problems.add(df, totals, "totals_row", "id_pn", value=mark)
    reject |= totals
    no_id = df["id_pn"].isna().to_numpy() & ~reject
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


_SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")
NUMBER_DIGITS = 15
"""A spreadsheet keeps 15 significant digits of a number: an id read from a number this long or longer
(an 18-digit NIP, a 16-digit NIK typed as a number) may have lost its last digits."""


def _lossy(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer, float, np.floating)):
        return bool(np.isfinite(value)) and abs(value) >= 10 ** NUMBER_DIGITS
    return isinstance(value, str) and ("e" in value or "E" in value) and bool(_SCIENTIFIC.match(value))


def _lossy_ids(raw_frame: pd.DataFrame) -> np.ndarray:
    """Rows whose id was read from a number too long for a spreadsheet to keep (or shown as 1,98E+17)."""
    if "id_pn" not in raw_frame or not len(raw_frame):
        return np.zeros(len(raw_frame), dtype=bool)
    codes, lossy = distinct_codes(raw_frame["id_pn"], _lossy)
    return np.append(lossy.astype(bool), False)[codes]


_GELAR = frozenset("dr drs dra ir h hj prof st s se sh sos ip kom pd m mm msi si ak ag ap mh mt mpd amd ssos sip "
                   "skom spd ssi sst skm ked mkes mtr sp".split())


def person_key(name) -> str:
    """A name as one person is written across years: case, punctuation and academic titles aside
    (`Dr. Ir. Budi Santoso, M.M.` = `BUDI SANTOSO`)."""
    if not isinstance(name, str):
        return ""
    words = norm_header(name.split(",")[0]).split()
    while words and words[0] in _GELAR:
        words = words[1:]
    return " ".join(words)


def _year_of(raw_frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """The reporting year of some raw rows (tahun_lapor, else the year of tanggal_lapor); 0 if unknown."""
    sub = raw_frame.iloc[rows]
    year = pd.Series(pd.NA, index=sub.index, dtype="Int64")
    if "tahun_lapor" in sub:
        year = parse_year(sub["tahun_lapor"])[0].astype("Int64")
    if "tanggal_lapor" in sub:
        year = year.fillna(parse_date(sub["tanggal_lapor"])[0].dt.year.astype("Int64"))
    return year.fillna(0).to_numpy(dtype=np.int64)


def _placed(raw_sheet) -> pd.DataFrame:
    return raw_sheet.frame.assign(_source=raw_sheet.source, _sheet=raw_sheet.label)


def _keep_people_apart(raw: RawBatch, problems: _Problems) -> tuple[RawBatch, dict[str, np.ndarray]]:
    """Ids read from long numbers are flagged (in harta and temuan only when the declarations' ids are such
    numbers too: items under other ids find no declaration and are listed). Declarations that share such an
    id but not the name are two people whose NIPs the spreadsheet made equal: each further name gets a derived id
    (`<id>-2`, `<id>-3`, in the order the names first appear), so they are neither merged nor rejected as
    duplicates. An item or sighting under a shared id goes to the one person with a declaration of its
    year; when that is not one person, it is rejected and listed (returned: the rows to reject per sheet)."""
    split: dict[str, list[tuple[str, str, set]]] = {}  # id -> [(new id, person, years)]
    sheets = dict(raw.sheets)
    unattributed: dict[str, np.ndarray] = {}
    for name in ("laporan", *[n for n in sheets if n != "laporan"]):
        if name not in sheets:
            continue
        sheet = sheets[name]
        lossy = _lossy_ids(sheet.frame)
        if not lossy.any():
            if name == "laporan":
                break  # the other sheets' ids are looked at only when the declarations' are numbers
            continue
        placed = _placed(sheet)
        ids = parse_id(sheet.frame["id_pn"])
        problems.add(placed, lossy, "id_from_number", "id_pn", value=ids, digits=NUMBER_DIGITS)
        if name != "laporan" or "nama" not in sheet.frame:
            continue
        rows = np.flatnonzero(lossy)
        years = _year_of(sheet.frame, rows)
        people: dict[str, list[str]] = {}
        new_ids = ids.copy()
        first_row: dict[tuple[str, str], int] = {}
        for pos, row in enumerate(rows):
            pid, person = ids.iat[row], person_key(sheet.frame["nama"].iat[row])
            if pid is None:
                continue
            names = people.setdefault(pid, [])
            if person not in names:
                names.append(person)
                first_row[(pid, person)] = int(sheet.frame["_row"].iat[row])
                split.setdefault(pid, []).append((pid if len(names) == 1 else f"{pid}-{len(names)}", person, set()))
            k = names.index(person)
            split[pid][k][2].add(int(years[pos]))
            if k:
                new_ids.iat[row] = split[pid][k][0]
        changed = ((new_ids != ids) & ids.notna()).to_numpy(dtype=bool)
        if changed.any():
            other = pd.Series([first_row.get((ids.iat[r], people[ids.iat[r]][0])) if changed[r] else 0
                               for r in range(len(ids))], index=ids.index)
            problems.add(placed, changed, "id_shared_split", "id_pn", value=ids, new=new_ids[changed],
                         first=other[changed])
            sheets[name] = replace(sheet, frame=sheet.frame.assign(id_pn=new_ids.where(changed, sheet.frame["id_pn"])))
    split = {pid: people for pid, people in split.items() if len(people) > 1}
    for name in sheets:
        sheet = sheets[name]
        if name == "laporan" or not split or "id_pn" not in sheet.frame:
            continue
        ids = parse_id(sheet.frame["id_pn"])
        shared = ids.isin(list(split)).to_numpy(dtype=bool)
        if not shared.any():
            continue
        rows = np.flatnonzero(shared)
        has_year = {"tahun_lapor", "tanggal_lapor"} & set(sheet.frame.columns)
        years = _year_of(sheet.frame, rows) if has_year else np.zeros(len(rows), dtype=np.int64)
        new_ids = sheet.frame["id_pn"].copy()
        unclear = np.zeros(len(ids), dtype=bool)
        for pos, row in enumerate(rows):
            owners = [new for new, _, yrs in split[ids.iat[row]] if years[pos] in yrs]
            if len(owners) == 1 and has_year:
                new_ids.iat[row] = owners[0]
            else:
                unclear[row] = True
        problems.add(_placed(sheet), unclear, "id_shared_ambiguous", "id_pn", value=ids)
        sheets[name] = replace(sheet, frame=sheet.frame.assign(id_pn=new_ids))
        unattributed[name] = unclear
    return replace(raw, sheets=sheets), unattributed


_ID_LIKE = frozenset("nip nik nrp npwp ktp no nomor telp telepon hp wa rekening kode urut id".split())
WEALTH = (*HARTA_KATEGORI, "hutang", "total_harta_kekayaan")
"""The columns of laporan a batch cannot be analysed without (or the harta items that fill them)."""


def _money_like(cells: pd.Series, header: str) -> bool:
    """A column of Rupiah amounts: most of its cells read as money, of a size money has (not row numbers,
    years or codes), and a header that does not name an id or a number."""
    if set(norm_header(header).split()) & _ID_LIKE:
        return False
    given = cells.notna()
    n = int(given.sum())
    if not n:
        return False
    values, bad = parse_money(cells[given])
    ok = values.notna() & ~bad
    if ok.sum() < 0.6 * n:
        return False
    amounts = values[ok]
    nonzero = amounts[amounts != 0]
    return bool(len(nonzero)) and nonzero.abs().median() >= 100_000 and (amounts.abs() < 1e15).mean() >= 0.5


def _sheet_columns(raw_sheet, problems: _Problems) -> dict:
    """The column map of one sheet: each header read and the column it became; each left unread, with
    whether it holds money and the column it may mean. An unread money column is a data-quality row."""
    sheet = raw_sheet.name
    read, unread = [], []
    where = raw_sheet.header_rows[-1] if raw_sheet.header_rows else raw_sheet.header_row
    taken = {c.field for c in raw_sheet.columns if c.field}
    money_cols = [n for n, c in SCHEMA[sheet].items() if c.kind == MONEY]
    for col in raw_sheet.columns:
        if col.field:
            read.append({"sheet": col.label, "column": col.letter, "header": col.header, "field": col.field,
                         "via": col.via})
            continue
        money = col.key in raw_sheet.frame and _money_like(raw_sheet.frame[col.key], col.header)
        guess = col.duplicate_of or (closest_column(col.header, sheet, [m for m in money_cols if m not in taken])
                                     or closest_column(col.header, sheet, money_cols) if money else None)
        unread.append({"sheet": col.label, "column": col.letter, "header": col.header, "money": bool(money),
                       "suggestion": guess, "duplicate_of": col.duplicate_of})
        if money:
            kind = ("column_duplicate_money" if col.duplicate_of else
                    "column_unread_money_guess" if guess else "column_unread_money")
            frame = pd.DataFrame({"_source": [raw_sheet.source], "_sheet": [col.label], "_row": [where]})
            problems.add(frame, [True], kind, col.header, header=col.header, field=guess or "", letter=col.letter)
    return {"sheet": raw_sheet.label, "chosen_by": raw_sheet.chosen_by, "header_rows": list(raw_sheet.header_rows),
            "read": read, "unread": unread}


def _nothing_to_analyse(info: dict, laporan: pd.DataFrame, harta: pd.DataFrame, inputs) -> None:
    """Refuse a batch whose declarations hold no asset, debt or total that could be read, rather than
    report no findings about columns never read. Only for a sheet read from a file (`info`, its column
    map, names its headers)."""
    headers = [c["header"] for c in (*info["read"], *info["unread"]) if c["header"]]
    if not headers or not len(laporan) or len(harta):
        return
    if any(col in laporan and laporan[col].notna().any() for col in WEALTH):
        return
    present = {c["field"] for c in info["read"]} & set(WEALTH)
    expected = ", ".join(f"{col} ('{SCHEMA['laporan'][col].aliases[0]}')" for col in WEALTH)
    why = ("kolom harta/hutang/total ada tetapi tidak satu pun nilainya terbaca" if present else
           "tidak ada kolom harta, hutang atau total harta kekayaan yang dikenali")
    source = Path(inputs[0].path).name if len(inputs) == 1 else None
    quoted = [f"'{h}'" for h in headers]
    raise InputError(f"tidak ada yang dapat dianalisis: {why}, dan tidak ada sheet harta. Judul kolom yang "
                     f"ditemukan: {', '.join(quoted)}. Yang diharapkan (sedikitnya satu): "
                     f"{expected}", file=source, sheet=info["sheet"],
                     fix="Ubah judul kolom nilai harta di berkas, atau petakan di berkas --config, misalnya "
                         '[kolom] kas = "Saldo Tabungan".')


@dataclass
class TypedSheet:
    """One sheet typed on its own, before the checks that need another sheet: the frame (every row read),
    the rows rejected so far and the problems found. Picklable, so another process can make it."""

    frame: pd.DataFrame
    reject: np.ndarray
    problems: list[pd.DataFrame]
    columns: dict | None = None
    """The sheet's column map (`_sheet_columns`)."""


def _wajib_lapor(raw, settings, problems) -> tuple[pd.DataFrame, np.ndarray]:
    """The roster of officials who must file (SPEC §5). Ids are matched after dropping spaces and dots
    (`19800608 200304 1 001`, `19800608.200304.1.001`): each id so changed is noted. A row without an id, or
    a second row of one official and year (also when typed in another form), is rejected."""
    from lhkpn_check.kepatuhan import norm_id

    df, reject = _typed(raw, "wajib_lapor", settings, problems)
    typed_id = df["id_pn"]
    df["id_pn"] = norm_id(typed_id)
    changed = (typed_id.notna() & df["id_pn"].notna() & (typed_id != df["id_pn"])).to_numpy()
    problems.add(df, changed, "roster_id_normalised", "id_pn", value=typed_id)
    no_id = df["id_pn"].isna().to_numpy()
    problems.add(df, no_id, "id_missing", "id_pn")
    reject |= no_id
    year = df["tahun_lapor"]
    max_year = dt.date.today().year + 1
    out_of_range = (year.notna() & ((year.fillna(0) < settings.min_year) | (year.fillna(0) > max_year))).to_numpy()
    problems.add(df, out_of_range & ~reject, "year_out_of_range", "tahun_lapor")
    reject |= out_of_range
    empty = df["nama"].isna().to_numpy() & ~reject
    problems.add(df, empty, "required_value_missing", "nama")
    df["nama"] = df["nama"].fillna("-")
    ok = np.flatnonzero(~reject)
    key = pd.DataFrame({"id": df["id_pn"].to_numpy(dtype=object)[ok],
                        "year": df["tahun_lapor"].to_numpy(dtype=np.int64, na_value=-1)[ok]})
    rows = df["_row"].to_numpy(dtype=np.int64)[ok]
    first_row = pd.Series(rows).groupby([key["id"], key["year"]], sort=False).transform("min").to_numpy()
    dup = rows != first_row
    if dup.any():
        dmask = np.zeros(len(df), dtype=bool)
        dmask[ok[dup]] = True
        problems.add(df, dmask, "duplicate_roster", "id_pn", value=typed_id,
                     kept=pd.Series(first_row[dup], index=df.index[ok[dup]]).astype(str))
        reject |= dmask
    return df, reject


_OWN = {"laporan": _laporan, "harta": _harta, "temuan": _temuan, "wajib_lapor": _wajib_lapor}


def type_sheet(raw_sheet, settings: Settings, lang: str = "id", pool=None) -> TypedSheet:
    """Everything `validate` does to one sheet that needs no other sheet (with a `pool`, its workers help
    read the descriptions; the sheet is the same)."""
    _require(raw_sheet, raw_sheet.name)
    problems = _Problems(lang)
    own = _OWN[raw_sheet.name]
    df, reject = own(raw_sheet, settings, problems, pool) if own is _harta else own(raw_sheet, settings, problems)
    columns = _sheet_columns(raw_sheet, problems)
    return TypedSheet(df, reject, problems.parts, columns)


def validate(raw: RawBatch, settings: Settings | None = None, lang: str = "id",
             typed: dict[str, TypedSheet] | None = None, pool=None) -> Batch:
    """`typed` holds sheets already typed (by `type_sheet`, perhaps in another process); the sheets of
    `raw` not in it are typed here, with the `pool`'s help where given."""
    settings = settings or Settings()
    typed = dict(typed or {})
    problems = _Problems(lang)
    for note in raw.notes:
        if note["kind"] == "sheet_skipped":  # shown with the column map, not a problem
            continue
        frame = pd.DataFrame({"_source": [note["source"]], "_sheet": [note["sheet"]], "_row": [note["row"]]})
        problems.add(frame, [True], note["kind"], note["column"], value=note.get("value"))
    for sheet in SHEETS:
        if sheet in raw.sheets and sheet not in typed:
            _require(raw.sheets[sheet], sheet)
    raw, unattributed = _keep_people_apart(raw, problems)
    for sheet in (*SHEETS, "wajib_lapor"):
        if sheet in raw.sheets and sheet not in typed:
            typed[sheet] = type_sheet(raw.sheets[sheet], settings, lang, pool)
            if sheet in unattributed:
                typed[sheet].reject |= unattributed[sheet]
    columns = {"sheets": {sheet: typed[sheet].columns for sheet in SHEETS
                          if sheet in typed and typed[sheet].columns is not None},
               "ignored_sheets": [{"sheet": note["sheet"], "reason": note["value"]} for note in raw.notes
                                  if note["kind"] in ("sheet_ignored", "sheet_skipped")]}
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
            reject = _harta_identity(df, reject, own, frames["laporan"], problems)
            own = own[~reject]
        elif sheet == "temuan":
            reject = _temuan_unknown(df, reject, frames["laporan"], problems)
        accepted = df.loc[~reject, [c for c in df.columns if not (c.endswith("_bad") or c.endswith("_unknown"))]]
        counts[sheet] = SheetCount(read=len(df), accepted=int((~reject).sum()), rejected=int(reject.sum()))
        assert counts[sheet].read == counts[sheet].accepted + counts[sheet].rejected
        frames[sheet] = accepted.reset_index(drop=True)
    roster = _accepted_roster(typed.get("wajib_lapor"), counts, problems)
    laporan = frames["laporan"].drop(columns="_copies", errors="ignore")
    laporan["tahun_lapor"] = laporan["tahun_lapor"].astype("int64")
    if len(frames["harta"]):
        frames["harta"]["tahun_lapor"] = frames["harta"]["tahun_lapor"].astype("int64")
        laporan = _fill_totals(laporan, frames["harta"], problems, own)
    if "laporan" in columns["sheets"]:
        _nothing_to_analyse(columns["sheets"]["laporan"], laporan, frames["harta"], raw.inputs)
    quality = problems.frame()
    if len(quality):
        quality = quality.take(quality_order(quality)).reset_index(drop=True)
    return Batch(laporan=laporan, harta=frames["harta"], temuan=frames["temuan"], quality=quality,
                 counts=counts, inputs=list(raw.inputs), columns=columns, wajib_lapor=roster)


def _accepted_roster(part: TypedSheet | None, counts: dict, problems: _Problems) -> pd.DataFrame | None:
    """The roster's accepted rows and its count (only when the batch has a roster, so that a batch without
    one reports exactly as before)."""
    if part is None:
        return None
    problems.parts += part.problems
    reject = part.reject
    counts["wajib_lapor"] = SheetCount(read=len(part.frame), accepted=int((~reject).sum()), rejected=int(reject.sum()))
    assert counts["wajib_lapor"].read == counts["wajib_lapor"].accepted + counts["wajib_lapor"].rejected
    keep = [c for c in part.frame.columns if not (c.endswith("_unknown") or c.endswith("_code"))]
    roster = part.frame.loc[~reject, keep].reset_index(drop=True)
    roster["tahun_lapor"] = roster["tahun_lapor"].astype("Int64")
    return roster


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
    return validate(read_input(path, max_unzipped_bytes=settings.max_unzipped_bytes,
                               columns=getattr(settings, "kolom", None)), settings, lang)


def _kind_label(kind: str, lang: str) -> str:
    from lhkpn_check.i18n import has

    return t(f"quality.kind.{kind}", lang) if has(f"quality.kind.{kind}") else \
        t(f"quality.{kind}", lang).split("{")[0].strip()


def column_map_lines(batch: Batch, lang: str = "id") -> list[str]:
    """The column map as the terminal shows it: per sheet read, how it was found, each header and the
    column it became, the columns left unread; then the sheets not read. Headers only, no cell values."""
    lines = []
    for sheet, info in batch.columns.get("sheets", {}).items():
        rows = info["header_rows"]
        rows_text = (f"{rows[0]}" if len(rows) == 1 else f"{rows[0]}-{rows[-1]}") if rows else "-"
        lines.append(t("quality.map.sheet", lang, sheet=sheet, label=info["sheet"], rows=rows_text,
                       how=t(f"quality.map.how.{info['chosen_by']}", lang)))
        if info["read"]:
            lines.append(t("quality.map.read", lang))
            for col in info["read"]:
                via = t("quality.map.via_kolom", lang) if col["via"] == "kolom" else None
                lines.append(f"    {col['column']:>3} '{col['header']}' -> {col['field']}"
                             + (f" ({via})" if via else ""))
        if info["unread"]:
            lines.append(t("quality.map.unread", lang, columns=", ".join(
                f"'{c['header']}' ({c['column']})" for c in info["unread"])))
    for ignored in batch.columns.get("ignored_sheets", []):
        lines.append(t("quality.map.ignored", lang, label=ignored["sheet"], reason=ignored["reason"]))
    return lines


def front_door_warnings(batch: Batch, lang: str = "id", chosen_sheets: bool = True) -> list[str]:
    """What the reader could not take as given, for the terminal after `validate` and `run`: money
    columns left unread (with the column they may mean), sheets chosen other than by name, ids read from
    numbers, people kept apart, totals rows. Counts and headers only."""
    out = []
    kinds = batch.quality["kind"] if len(batch.quality) else pd.Series(dtype=object)
    for kind in ("column_unread_money_guess", "column_unread_money", "column_duplicate_money", "sheet_ignored"):
        for _, row in batch.quality[kinds == kind].iterrows():
            text = row["problem"] if kind != "sheet_ignored" else t("quality.map.ignored", lang, label=row["sheet"],
                                                                    reason=row["value"])
            out.append(t("quality.map.warning", lang, text=f"{row['sheet']}: {text}" if kind != "sheet_ignored"
                         else text))
    for sheet, info in batch.columns.get("sheets", {}).items():
        if chosen_sheets and info["chosen_by"] != "name":
            out.append(t("quality.map.sheet", lang, sheet=sheet, label=info["sheet"],
                         how=t(f"quality.map.how.{info['chosen_by']}", lang),
                         rows="-".join(map(str, info["header_rows"][:1] + info["header_rows"][1:][-1:])) or "-"))
    for kind, key in (("id_from_number", "ids_from_numbers"), ("id_shared_split", "ids_split"),
                      ("totals_row", "totals")):
        n = int((kinds == kind).sum())
        if n:
            text = t(f"quality.map.{key}", lang, n=n, digits=NUMBER_DIGITS)
            out.append(t("quality.map.warning", lang, text=text) if kind != "totals_row" else text)
    return out


def format_summary(batch: Batch, lang: str = "id") -> str:
    """Counts, headers and the column map only: no name or id of the input reaches the terminal."""
    years = batch.laporan["tahun_lapor"]
    year_text = f"{years.min()}–{years.max()}" if len(years) else "-"
    sheets = "\n".join(t("quality.sheet_line", lang, sheet=s, **c.as_dict()) for s, c in batch.counts.items()
                       if c.read)
    kinds = batch.quality["kind"].value_counts().sort_index() if len(batch.quality) else pd.Series(dtype=int)
    kind_lines = "\n".join(f"  {_kind_label(k, lang)} [{k}]: {v}" for k, v in kinds.items())
    summary = t("quality.summary", lang, officials=batch.n_officials, declarations=len(batch.laporan),
                years=year_text, sheets=sheets, problems=len(batch.quality), kinds=kind_lines)
    warnings = front_door_warnings(batch, lang, chosen_sheets=False)  # the column map above shows them
    return "\n".join([*column_map_lines(batch, lang), "", summary, *warnings])
