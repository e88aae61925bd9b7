"""Tell apart what one id in the laporan sheet may hold: copies of one declaration, or several people.

Public declarations are scraped by name, and units key their sheets by whatever id they have, so one id
can carry namesakes. Three cases, decided on each official's declarations:

- copies: two declarations of one id and date with the same content are one declaration; the copies are
  rejected, and the caller drops the repeated copies of their items too;
- identity conflict: two declarations of one id and date whose content differs (agency, position or
  figures) belong to two people, or are a correction: both are kept, marked, and nothing is built on the
  items of that date or on a comparison across it;
- probable namesake: an id whose declarations go from one agency to an unrelated one and back. Each
  run of related agencies gets its own `identity_group`, and periods are compared only within a group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.income import norm_text
from lhkpn_check.keys import norm_distinct, uraian_keys
from lhkpn_check.schema import HARTA_KATEGORI, PENERIMAAN, PENGELUARAN

CONTENT = ("nama", "lembaga", "unit_kerja", "jabatan", "jenis_laporan", *HARTA_KATEGORI, "hutang",
           "total_harta_kekayaan", *PENERIMAAN, *PENGELUARAN)
"""The columns two declarations must agree on to be copies of one another."""

RELATED_OVERLAP = 0.5
"""Agencies whose names share at least this share of their words are one agency typed two ways."""


def _content_key(df: pd.DataFrame, rows: np.ndarray, coded: dict | None = None) -> np.ndarray:
    """A number per distinct content of the `rows` of `df` (texts compared case and punctuation aside,
    figures exactly). `coded`: a text column's (codes, distinct texts) for all of `df`'s rows where the
    caller has them, so each distinct text is normalised once and the column is not hashed again (a
    missing text reads as an empty one, as here)."""
    cols = {}
    for col in CONTENT:
        if col not in df:
            continue
        if coded is not None and col in coded:
            codes, uniques = coded[col]
            cols[col] = uraian_keys(codes[rows], uniques)
            continue
        values = df[col].iloc[rows]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = norm_text(values)
        cols[col] = pd.factorize(values, use_na_sentinel=False)[0]
    return combine_codes(list(cols.values()), len(rows))


def combine_codes(columns: list[np.ndarray], n: int) -> np.ndarray:
    """A number per distinct combination of the columns' codes (each >= 0), in order of first appearance:
    `DataFrame(columns).groupby(..., sort=False).ngroup()`, on one integer key folded column by column
    and made dense again only when it would outgrow int64."""
    key, size = np.zeros(n, dtype=np.int64), 1
    for codes in columns:
        codes = np.asarray(codes, dtype=np.int64)
        width = int(codes.max(initial=0)) + 1
        if size * width >= 1 << 62:
            (key, size), (codes, width) = _dense(key), _dense(codes)
        key, size = key * width + codes, size * width
    return _dense(key)[0]


def _dense(key: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64), len(uniques)


GENERIC_WORDS = frozenset({"PEMERINTAH", "PEMKAB", "PEMKOT", "PEMPROV", "KABUPATEN", "KAB", "KOTA", "PROVINSI",
                           "PROV", "DAN", "REPUBLIK", "INDONESIA"})
"""Words that most agencies of one region share: they say nothing about which agency it is."""


def _words(text: str) -> frozenset:
    return frozenset(w for w in text.split() if len(w) > 2 and w not in GENERIC_WORDS)


def related(a: str, b: str) -> bool:
    """Two normalised agency names are one agency when most of their distinctive words are shared
    (`PEMERINTAH KABUPATEN WONOGIRI` and `PEMKAB WONOGIRI` are; the kabupaten and its DPRD are not)."""
    if a == b:
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return not wa and not wb
    return len(wa & wb) / len(wa | wb) >= RELATED_OVERLAP


def _groups(agencies: list[str]) -> tuple[list[int], bool]:
    """Each declaration's agency group (first-fit on related names) and whether the id goes back to a
    group it had left: A, B, A is two people; A, B is a career move."""
    reps: list[str] = []
    groups = []
    for name in agencies:
        found = next((i for i, rep in enumerate(reps) if related(rep, name)), None)
        if found is None:
            reps.append(name)
            found = len(reps) - 1
        groups.append(found)
    seen, returned = set(), False
    for i, g in enumerate(groups):
        if g in seen and groups[i - 1] != g:
            returned = True
        seen.add(g)
    return groups, returned


def identities(df: pd.DataFrame, candidates: np.ndarray, coded: dict | None = None) -> pd.DataFrame:
    """For the declarations where `candidates` holds (accepted so far): per row, `copy_of` (the spreadsheet
    row of the declaration it repeats, or -1), `copies` (how many identical declarations share its id and
    date, itself included), `identity_conflict` (another declaration of that id and date differs),
    `conflict_rows` (the other rows, as text), `probable_namesake` and `identity_group`.

    Rows outside `candidates` get the neutral values. A missing date is alike with every other missing
    date of the same id and year. `coded`: text columns' (codes, distinct texts) for all of `df`'s rows
    (validate's), to compare contents by."""
    n = len(df)
    copy_of, copies = np.full(n, -1, dtype=np.int64), np.ones(n, dtype=np.int64)
    in_conflict, conflict_rows = np.zeros(n, dtype=bool), np.full(n, None, dtype=object)
    namesake, identity_group = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    ok = np.flatnonzero(np.asarray(candidates, dtype=bool))
    if len(ok):
        date = pd.to_datetime(df["tanggal_lapor"]) if "tanggal_lapor" in df else pd.Series(pd.NaT, index=df.index)
        date = date.to_numpy()[ok]
        date = np.where(np.isnat(date), np.datetime64("1900-01-01", "ns"), date)
        year = df["tahun_lapor"].to_numpy()[ok]
        row = df["_row"].to_numpy(dtype=np.int64)[ok]
        # The officials numbered as their ids sort: validate's typed key where the frame has it.
        official = (df["_id_pn_code"].to_numpy(dtype=np.int64)[ok] if "_id_pn_code" in df else
                    pd.factorize(df["id_pn"].to_numpy()[ok], sort=True)[0])
        same_date = combine_codes([official, pd.factorize(year, use_na_sentinel=False)[0],
                                   pd.factorize(date, use_na_sentinel=False)[0]], len(ok))
        # Contents are compared only where one id and date holds more than one declaration.
        shared = np.flatnonzero(np.bincount(same_date)[same_date] > 1)
        content = np.zeros(len(ok), dtype=np.int64)
        if len(shared):
            content[shared] = _content_key(df, ok[shared], coded) + 1
        same_content = combine_codes([same_date, content], len(ok))
        first_row = pd.Series(row).groupby(same_content).transform("min").to_numpy()
        is_copy = row != first_row
        copy_of[ok] = np.where(is_copy, first_row, -1)
        copies[ok] = np.bincount(same_content)[same_content]
        # Distinct contents on one date: each kept declaration there is in conflict with the others.
        kept = ~is_copy
        contents = pd.Series(same_content[kept]).groupby(same_date[kept]).nunique()
        conflict = kept & (pd.Series(same_date).map(contents).fillna(1).to_numpy() > 1)
        if conflict.any():
            by_date = pd.Series(row[conflict]).groupby(same_date[conflict]).agg(list)
            in_conflict[ok[conflict]] = True
            conflict_rows[ok[conflict]] = [", ".join(str(r) for r in by_date[g] if r != own)
                                           for g, own in zip(same_date[conflict], row[conflict])]
        # Agencies over time, per id with more than one agency name (kept declarations only).
        agency, agency_key = _agencies(df, ok, coded)
        order = np.lexsort((row, date, year, official))
        order = order[kept[order]]
        official = official[order]  # sorted: each official's declarations one run, in time order
        names = combine_codes([official, agency_key[order]], len(order))
        agencies = np.bincount(official[np.unique(names, return_index=True)[1]],
                               minlength=official.max(initial=-1) + 1)
        starts = np.searchsorted(official, np.arange(len(agencies) + 1))
        for one in np.flatnonzero(agencies > 1):
            pos = order[starts[one]:starts[one + 1]]
            groups, returned = _groups(list(agency[pos]))
            if returned:
                namesake[ok[pos]] = True
                identity_group[ok[pos]] = groups
        # Copies follow the declaration they repeat.
        copy_at = ok[is_copy]
        if len(copy_at):
            first_pos = pd.Series(ok, index=row).groupby(level=0).first()
            src = first_pos.reindex(first_row[is_copy]).to_numpy()
            namesake[copy_at], identity_group[copy_at] = namesake[src], identity_group[src]
    return pd.DataFrame({"copy_of": copy_of, "copies": copies, "identity_conflict": in_conflict,
                         "conflict_rows": pd.Series(conflict_rows, index=df.index, dtype=object),
                         "probable_namesake": namesake,
                         "identity_group": identity_group}, index=df.index)


def _agencies(df: pd.DataFrame, rows: np.ndarray, coded: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """The `rows`' agencies (income.norm_text; "" where missing) and a number per distinct one."""
    if coded is not None and "lembaga" in coded:
        codes, uniques = coded["lembaga"]
        return np.append(norm_distinct(uniques), "")[codes[rows]], uraian_keys(codes[rows], uniques)
    agency = (norm_text(df["lembaga"].iloc[rows]).to_numpy() if "lembaga" in df else
              np.full(len(rows), "", dtype=object))
    return agency, pd.factorize(agency)[0]


def duplicate_items(items: pd.DataFrame, copies: np.ndarray, columns: list[str]) -> np.ndarray:
    """The item rows that repeat an item of a declaration listed `copies` times: of c identical items, the
    first ceil(c / copies) are kept (a declaration may list two identical motorbikes). `copies` is per
    item (its declaration's count; 1 where the declaration was listed once)."""
    many = copies > 1
    if not many.any():
        return np.zeros(len(items), dtype=bool)
    sub = items.loc[many, columns]
    group = sub.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
    nth = pd.Series(group).groupby(group).cumcount().to_numpy()
    size = np.bincount(group)[group]
    keep = np.ceil(size / copies[many]).astype(np.int64)
    out = np.zeros(len(items), dtype=bool)
    out[np.flatnonzero(many)] = nth >= keep
    return out
