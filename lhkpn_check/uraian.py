"""Read item fields out of the published e-Announcement text in `uraian`.

`MOBIL, TOYOTA INOVA Tahun 2015, HASIL SENDIRI` -> jenis MOBIL, merek TOYOTA, model INOVA, 2015, hasil_sendiri.
`Tanah dan Bangunan Seluas 860 m2/200 m2 di KAB / KOTA WONOGIRI, WARISAN` -> areas, place, warisan.
Each distinct text is read once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from lhkpn_check.parse import factorize
from lhkpn_check.schema import code_lookup, norm_header

FIELDS = ("jenis", "merek", "model", "tahun_pembuatan", "luas_tanah", "luas_bangunan", "lokasi", "asal_usul")
_VEHICLE = re.compile(r"^(?P<jenis>[^,]+),\s*(?P<nama>.*?)\s+tahun\s+(?P<tahun>\d{4})", re.I)
_LAND = re.compile(r"seluas\s+(?P<tanah>[\d.,]+)\s*m2(?:\s*/\s*(?P<bangunan>[\d.,]+)\s*m2)?"
                   r"(?:\s+di\s+(?P<lokasi>[^,]+))?", re.I)


@lru_cache(maxsize=1)
def brand_aliases() -> dict[str, str]:
    text = (resources.files("lhkpn_check") / "data" / "merek_alias.csv").read_text(encoding="utf-8")
    rows = [line.split(",", 1) for line in text.splitlines()[1:] if "," in line]
    return {a.strip().upper(): m.strip().upper() for a, m in rows}


@lru_cache(maxsize=1 << 16)
def split_brand(name: str) -> tuple[str | None, str | None]:
    """`BEAT HONDA` -> (HONDA, BEAT); `NISAN GRAND LIVINA` -> (NISSAN, GRAND LIVINA). Cached: one brand and
    model recur in the descriptions of many officials."""
    words = name.upper().replace("/", " ").split()
    aliases = brand_aliases()
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            key = " ".join(words[start:start + size])
            if key in aliases:
                model = " ".join(words[:start] + words[start + size:]) or None
                return aliases[key], model
    return (words[0], " ".join(words[1:]) or None) if words else (None, None)


@lru_cache(maxsize=1 << 16)
def _area(text):
    """An area as written (`1.384`, `12,5`); cached: areas recur across descriptions."""
    if text is None:
        return None
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _one(text: str, vehicle: bool = True, land: bool = True) -> tuple:
    """The fields of one description but its origin (`_asal`, read only where wanted). `vehicle`, `land`:
    whether the text holds the word each pattern needs (`_holding`)."""
    if vehicle and (m := _VEHICLE.match(text)):
        merek, model = split_brand(m["nama"])
        return (m["jenis"].strip().upper(), merek, model, int(m["tahun"]), None, None, None)
    if land and (m := _LAND.search(text)):
        jenis = text[:m.start()].strip().upper() or None
        lokasi = m["lokasi"].strip() if m["lokasi"] else None
        return (jenis, None, None, None, _area(m["tanah"]), _area(m["bangunan"]), lokasi)
    return (None, None, None, None, None, None, None)


_NOTHING = (None,) * (len(FIELDS) - 1)


def _holding(texts: list[str], word: str) -> np.ndarray:
    """Which texts hold `word` (lower-case ASCII letters) in any case, as the patterns (re.I) read it: found
    in all the texts joined at once. Every text when they are not all ASCII (re.I folds letters such as
    the long s into ASCII ones)."""
    joined = "\n".join(texts)
    if not joined.isascii():
        return np.ones(len(texts), dtype=bool)
    sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    starts = np.cumsum(sizes) - sizes
    found = np.fromiter((m.start() for m in re.finditer(word, joined.lower())), dtype=np.int64)
    out = np.zeros(len(texts), dtype=bool)
    out[np.searchsorted(starts, found, side="right") - 1] = True
    return out


def _asal(texts, wanted: np.ndarray | None) -> np.ndarray:
    """The origin named after a description's last comma (`..., HASIL SENDIRI`), for the `wanted` texts
    (all when None); None for the others. Each distinct ending looked up once."""
    asal_lookup = code_lookup("asal_usul")
    asal_of = lru_cache(maxsize=None)(lambda ending: asal_lookup.get(norm_header(ending)))  # few endings recur
    out = np.full(len(texts), None, dtype=object)
    at = range(len(texts)) if wanted is None else np.flatnonzero(wanted)
    out[at] = [asal_of(texts[i].rsplit(",", 1)[-1]) if "," in texts[i] else None for i in at]
    return out


def parse_uraian(uraian: pd.Series, coded: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """The fields read from each description. `coded`: the column's (codes, distinct texts) when the caller
    has them (code -1 for an empty cell), so the column is not hashed again."""
    codes, uniques = coded or factorize(uraian.astype("object"), use_na_sentinel=True)
    table = distinct_fields(uniques)
    return pd.concat({f: spread(table[f], codes) for f in FIELDS}, axis=1).set_axis(uraian.index)


def distinct_fields(uniques, asal: np.ndarray | None = None) -> pd.DataFrame:
    """The fields read from each of the distinct descriptions, typed: one row per text. `asal`: the texts
    whose origin is wanted (all when None; the others' is None), as when the sheet gives the origin of
    every item, the description's need not be read."""
    texts = list(map(str, uniques))
    # Only a text holding a word the patterns need can give a field: the others are not read one by one.
    vehicle, land = _holding(texts, "tahun").tolist(), _holding(texts, "seluas").tolist()
    table = pd.DataFrame([_one(text, v, g) if v or g else _NOTHING for text, v, g in zip(texts, vehicle, land)],
                         columns=FIELDS[:-1], dtype=object)
    if table.empty:
        table = pd.DataFrame({f: pd.Series(dtype="object") for f in FIELDS[:-1]})
    table["asal_usul"] = pd.Series(_asal(texts, asal), dtype=object)
    table["tahun_pembuatan"] = pd.to_numeric(table["tahun_pembuatan"], errors="coerce").astype("Int64")
    for col in ("luas_tanah", "luas_bangunan"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("float64")
    return table


def spread(values: pd.Series, codes: np.ndarray) -> pd.Series:
    """A column of `distinct_fields` spread over the items: `values[codes]`, missing where the code is -1,
    of the same type. One column at a time, as needed, rather than a reindex of the whole table by the
    codes."""
    if isinstance(values.dtype, np.dtype):
        return pd.Series(np.append(values.to_numpy(), np.nan)[codes], dtype=values.dtype, copy=False)
    return pd.Series(values.array.take(codes, allow_fill=True), copy=False)
