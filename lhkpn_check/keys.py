"""The keys the stages join on: which declaration each item belongs to, and which descriptions read alike.

A module below both `validate` (which checks orphans and totals with them) and `features` (which builds on
them), so that validation does not depend on the features.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lhkpn_check.income import norm_text


def _official_codes(decl_ids: pd.Series, item_ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """One integer per id shared by both sheets, so the lookups below compare numbers, not texts."""
    both = np.concatenate([decl_ids.astype(str).to_numpy(dtype=object), item_ids.astype(str).to_numpy(dtype=object)])
    codes = pd.factorize(both)[0].astype(np.int64)
    return codes[:len(decl_ids)], codes[len(decl_ids):]


def _years(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").fillna(-1).to_numpy(dtype=np.int64)


def item_declaration(items: pd.DataFrame, decl: pd.DataFrame, *, with_year_found: bool = False):
    """Position in `decl` of the declaration each item belongs to, -1 for none; with `with_year_found`,
    also whether its official declared in the item's year at all (the orphan check).

    An item with a reporting date goes to its official's declaration of that date (two in one year, a
    Khusus and a Periodik, hold different items); one without, or whose date matches none, to the latest
    declaration of its official and year. Declarations of one official on one date are told apart by year,
    then spreadsheet row, so the answer does not depend on the order of `decl`."""
    n = len(decl)
    decl_id, item_id = _official_codes(decl["id_pn"], items["id_pn"])
    decl_year, item_year = _years(decl["tahun_lapor"]), _years(items["tahun_lapor"])
    decl_date = pd.to_datetime(decl["tanggal_lapor"]) if "tanggal_lapor" in decl else pd.Series(pd.NaT, index=decl.index)
    d = pd.DataFrame({"id": decl_id, "year": decl_year, "date": decl_date.to_numpy(),
                      "row": decl["_row"].to_numpy() if "_row" in decl else np.arange(n), "pos": np.arange(n)})
    latest = d.sort_values(["id", "year", "date", "row"], kind="stable", na_position="first")
    latest = latest.drop_duplicates(["id", "year"], keep="last")
    at = pd.MultiIndex.from_arrays([latest["id"], latest["year"]]).get_indexer(
        pd.MultiIndex.from_arrays([item_id, item_year]))
    pos = np.where(at >= 0, latest["pos"].to_numpy()[np.maximum(at, 0)], -1)
    year_found = pos >= 0
    if "tanggal_lapor" in items and d["date"].notna().any():
        item_date = pd.to_datetime(items["tanggal_lapor"]).to_numpy()
        dated = d[d["date"].notna()].sort_values(["year", "row"], kind="stable").drop_duplicates(["id", "date"])
        hit = pd.MultiIndex.from_arrays([dated["id"], dated["date"]]).get_indexer(
            pd.MultiIndex.from_arrays([item_id, item_date]))
        exact = (hit >= 0) & ~pd.isna(item_date)
        pos[exact] = dated["pos"].to_numpy()[hit[exact]]
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
        space[0] = False
        joined = spaced[~space].tobytes().decode("ascii")
    else:
        joined = _NOT_WORD.sub(" ", joined)
    out[given] = list(map(str.strip, joined.split("\n")))
    return out
