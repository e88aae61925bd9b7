"""The keys the stages join on: which declaration each item belongs to, and which descriptions read alike.

A module below both `validate` (which checks orphans and totals with them) and `features` (which builds on
them), so that validation does not depend on the features.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lhkpn_check.income import norm_text


def _official_codes(decl: pd.DataFrame, items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One integer per id shared by both sheets, so the lookups below compare numbers, not texts. From the
    typed keys (model.Batch's `_id_pn_code`) when both frames carry them: only each sheet's distinct ids are
    matched, not every row's; a frame built by hand has its ids hashed as text."""
    if "_id_pn_code" not in decl or "_id_pn_code" not in items:
        both = np.concatenate([decl["id_pn"].astype(str).to_numpy(dtype=object),
                               items["id_pn"].astype(str).to_numpy(dtype=object)])
        codes = pd.factorize(both)[0].astype(np.int64)
        return codes[:len(decl)], codes[len(decl):]
    decl_code, decl_present, decl_ids = _distinct_ids(decl)
    item_code, item_present, item_ids = _distinct_ids(items)
    found = pd.Index(decl_ids).get_indexer(pd.Index(item_ids))
    # A missing id is alike in both, as the texts compared above: one number past the declarations' own;
    # an id the declarations lack, a number of its own past that.
    missing = int(decl_code.max(initial=-1)) + 1
    table = np.full(int(item_code.max(initial=-1)) + 2, missing, dtype=np.int64)  # the last: code -1
    table[item_present] = np.where(found >= 0, np.append(decl_present, 0)[found], missing + 1 + item_present)
    return np.where(decl_code >= 0, decl_code, missing), table[item_code]


def _distinct_ids(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The frame's `_id_pn_code`, the codes it holds (ascending) and each one's id as text."""
    code = frame["_id_pn_code"].to_numpy(dtype=np.int64)
    given = np.flatnonzero(code >= 0)
    row = np.zeros(int(code.max(initial=-1)) + 1, dtype=np.int64)
    row[code[given]] = given  # a row of each code (rows of one code hold one id)
    present = np.flatnonzero(np.bincount(code[given], minlength=len(row)))
    ids = frame["id_pn"].to_numpy(dtype=object)[row[present]]
    return code, present, np.asarray(list(map(str, ids)), dtype=object)


def _years(values: pd.Series) -> np.ndarray:
    if values.dtype == np.int64:  # validated: whole years already
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").fillna(-1).to_numpy(dtype=np.int64)


def _pairs(first: np.ndarray, second: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """One int64 per (first, second) pair, for the first `n` rows and the rest apart: two tables' rows
    numbered alike, so that one is looked up in the other by a plain integer index."""
    low, high = (int(second.min()), int(second.max())) if len(second) else (0, 0)
    if high - low < 1 << 16:  # a few years: taken as they are
        second = second - low
    else:  # dates: the values of both tables numbered together
        second = pd.factorize(second)[0].astype(np.int64)
    key = first.astype(np.int64) * (int(second.max(initial=0)) + 1) + second
    return key[:n], key[n:]


def item_declaration(items: pd.DataFrame, decl: pd.DataFrame, *, with_year_found: bool = False):
    """Position in `decl` of the declaration each item belongs to, -1 for none; with `with_year_found`,
    also whether its official declared in the item's year at all (the orphan check).

    An item with a reporting date goes to its official's declaration of that date (two in one year, a
    Khusus and a Periodik, hold different items); one without, or whose date matches none, to the latest
    declaration of its official and year. Declarations of one official on one date are told apart by year,
    then spreadsheet row, so the answer does not depend on the order of `decl`."""
    n = len(decl)
    decl_id, item_id = _official_codes(decl, items)
    decl_year, item_year = _years(decl["tahun_lapor"]), _years(items["tahun_lapor"])
    decl_date = (pd.to_datetime(decl["tanggal_lapor"]).to_numpy(dtype="datetime64[ns]") if "tanggal_lapor" in decl
                 else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
    row = decl["_row"].to_numpy(dtype=np.int64) if "_row" in decl else np.arange(n, dtype=np.int64)
    ids = np.concatenate([decl_id, item_id])
    # The latest declaration of each official and year: sorted by (id, year, date, row), a missing date
    # first (NaT is the smallest int64), the last of each (id, year).
    decl_key, item_key = _pairs(ids, np.concatenate([decl_year, item_year]), n)
    order = np.lexsort((row, decl_date.view(np.int64), decl_key))
    ordered = decl_key[order]
    last = np.r_[ordered[1:] != ordered[:-1], True] if n else np.zeros(0, dtype=bool)
    at = pd.Index(ordered[last]).get_indexer(item_key)
    pos = np.append(order[last], -1)[at]  # -1 (not found) takes the -1 appended
    year_found = pos >= 0
    dated = np.flatnonzero(~np.isnat(decl_date))
    if "tanggal_lapor" in items and len(dated):
        item_date = pd.to_datetime(items["tanggal_lapor"]).to_numpy(dtype="datetime64[ns]")
        decl_key, item_key = _pairs(ids, np.concatenate([decl_date, item_date]).view(np.int64), n)
        # Of one official's declarations on one date, the first by (year, row).
        first = dated[np.lexsort((row[dated], decl_year[dated]))]
        keys, at_first = np.unique(decl_key[first], return_index=True)
        hit = pd.Index(keys).get_indexer(item_key)
        exact = (hit >= 0) & ~np.isnat(item_date)
        pos[exact] = first[at_first][hit[exact]]
    return (pos, year_found) if with_year_found else pos


def uraian_keys(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Per item, a number shared by the items whose descriptions read alike (income.norm_text: case and
    punctuation aside; an empty one alike with every other empty one), worked out once per distinct text.
    `codes` are each item's position in the distinct texts `uniques` (-1 for an empty cell)."""
    alike = pd.factorize(np.append(norm_distinct(uniques), ""))[0]
    return alike[np.where(codes >= 0, codes, len(uniques))].astype(np.int64)


_NOT_WORD = re.compile(r"[^0-9A-Z\n]+")
"""income.norm_text's rule (a run of anything but digits and capitals is one space), line breaks aside."""
_ASCII_SPACES = bytes(c if 48 <= c <= 57 or 65 <= c <= 90 or c == 10 else 32 for c in range(256))


def norm_distinct(texts) -> np.ndarray:
    """`income.norm_text` of each text of an array (an empty one reads ""), for hundreds of thousands of
    distinct descriptions: one pass over the texts joined by line breaks, which the rule leaves in place,
    instead of one call of the regular expression per text."""
    texts = np.asarray(texts, dtype=object)
    out = np.full(len(texts), "", dtype=object)
    given = np.flatnonzero(pd.notna(texts))
    if not len(given):
        return out
    joined = "\n".join(map(str, texts[given])).upper()
    if joined.count("\n") != len(given) - 1:  # a text holds a line break of its own
        out[given] = norm_text(pd.Series(texts[given], dtype=object)).to_numpy()
        return out
    if joined.isascii():  # each other byte a space, then each run of spaces cut to its first
        spaced = np.frombuffer(joined.encode("ascii").translate(_ASCII_SPACES), dtype=np.uint8)
        space = spaced == 32
        space[1:] &= space[:-1]
        space[:1] = False  # (an empty text alone: no byte at all)
        joined = spaced[~space].tobytes().decode("ascii")
    else:
        joined = _NOT_WORD.sub(" ", joined)
    out[given] = list(map(str.strip, joined.split("\n")))
    return out
