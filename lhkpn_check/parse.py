"""Cells as people type them -> typed values. Each distinct text is parsed once (unique -> map)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

MISSING_TEXT = {"", "-", "--", "—", "–", "nan", "none", "null", "n/a", "na", "#n/a", "tidak ada"}

_UNITS = {
    "t": 1e12, "triliun": 1e12, "trilyun": 1e12, "tn": 1e12,
    "m": 1e9, "miliar": 1e9, "milyar": 1e9, "mlyr": 1e9, "myr": 1e9,
    "jt": 1e6, "juta": 1e6, "j": 1e6,
    "rb": 1e3, "ribu": 1e3, "k": 1e3,
}
_MONEY = re.compile(r"^(?P<neg>[-(])?\s*(?:rp\.?|idr)?\s*(?P<neg2>-)?\s*(?P<num>\d[\d.,\s]*)\s*"
                    r"(?P<unit>[a-z]+)?\.?\s*\)?$")
MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-/.]+([a-z]+)[\s\-/.,]+(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$")


def factorize(values, use_na_sentinel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """`pd.factorize(values)`: codes in order of first appearance and the distinct values."""
    return pd.factorize(values, use_na_sentinel=use_na_sentinel)


def isin(values, targets) -> np.ndarray:
    """`pd.Series(values).isin(targets)` as an array."""
    return pd.Series(values).isin(targets).to_numpy()


def distinct_codes(s: pd.Series, fn) -> tuple[np.ndarray, np.ndarray]:
    """(codes, fn of each distinct value): one hashing of the column; code -1 is an empty cell."""
    codes, uniques = factorize(s, use_na_sentinel=True)
    values = np.empty(len(uniques), dtype=object)
    values[:] = [fn(u) for u in uniques]
    return codes, values


def from_codes(codes: np.ndarray, values: np.ndarray, index: pd.Index) -> pd.Series:
    """The object column `values[codes]`, NaN where the code is -1."""
    return pd.Series(np.append(values, np.nan)[codes], index=index, dtype="object", copy=False)


_NUMPY_TEXT_DTYPE = pd.Series(np.array(["a"])).dtype
"""What pandas makes of a numpy text array: its text type (pandas 3) or object (pandas 2)."""


def choose_text(codes: np.ndarray, choices: tuple[str, ...], index: pd.Index) -> pd.Series:
    """The text column `choices[codes]`, as `np.where(cond, "a", "b")` assigned to a frame gives, made
    from the few texts themselves: no new text object per row."""
    return pd.Series(np.asarray(choices, dtype=object)[codes], index=index, dtype=_NUMPY_TEXT_DTYPE, copy=False)


def distinct_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(code of each row's combination of values, position of each combination's first row): rows alike in
    every column share a code, missing values alike; codes in order of first appearance."""
    key = np.zeros(len(frame), dtype=np.int64)
    for col in frame.columns:
        codes = factorize(frame[col], use_na_sentinel=False)[0].astype(np.int64)
        key = pd.factorize(key * (int(codes.max(initial=0)) + 1) + codes)[0].astype(np.int64)
    return key, np.unique(key, return_index=True)[1]


def run_start(starts: np.ndarray) -> np.ndarray:
    """For each position of a sorted array, where its run of equal values begins (`starts` marks the first
    position of each run)."""
    return np.maximum.accumulate(np.where(starts, np.arange(len(starts)), 0))


def _by_distinct(s: pd.Series, fn) -> pd.Series:
    """Apply fn to each distinct value once and map back."""
    codes, values = distinct_codes(s, fn)
    return from_codes(codes, values, s.index)


def _money_one(value) -> float:
    """NaN = not given; None-like sentinel -inf marks unreadable (turned into a mask by the caller)."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower()
    if text.isascii() and text.isdigit():
        return float(text)
    if text in MISSING_TEXT:
        return np.nan
    m = _MONEY.match(text.replace("\u00a0", " "))
    if not m:
        return -np.inf
    num, unit = m["num"].replace(" ", "").rstrip(".,"), m["unit"]
    negative = bool(m["neg"] or m["neg2"])
    if unit is not None and unit not in _UNITS:
        if unit in ("rp", "rupiah", "idr"):
            unit = None
        else:
            return -np.inf
    if "," in num and "." in num:
        dec = "," if num.rfind(",") > num.rfind(".") else "."
        thousands = "." if dec == "," else ","
        num = num.replace(thousands, "").replace(dec, ".")
    elif "," in num:
        parts = num.split(",")
        if unit is None and len(parts) > 2 and all(len(p) == 3 for p in parts[1:]):
            num = num.replace(",", "")
        elif len(parts) == 2:
            num = num.replace(",", ".")
        else:
            return -np.inf
    elif "." in num:
        parts = num.split(".")
        if unit is not None and len(parts) == 2:
            pass
        elif all(len(p) == 3 for p in parts[1:]):
            num = num.replace(".", "")
        elif len(parts) == 2 and len(parts[1]) <= 2:
            pass
        else:
            return -np.inf
    try:
        number = float(num)
    except ValueError:
        return -np.inf
    number *= _UNITS.get(unit, 1.0) if unit else 1.0
    return -number if negative else number


_FAST_WIDTH = 24
_FAST_CHUNK = 1 << 14
"""Texts read at once by `_dotted_rupiah`: a slice whose character arrays stay in the processor's cache."""
_ONE = np.uint32(1)
_BELOW = np.array([(1 << k) - 1 for k in range(_FAST_WIDTH + 1)], dtype=np.uint32)
"""_BELOW[k]: the bits of the first k characters of a text."""
_THOUSANDS = np.array([sum(1 << p for p in range(k - 4, -1, -4)) for k in range(_FAST_WIDTH + 1)], dtype=np.uint32)
"""_THOUSANDS[length]: the bits where the dots of a text of that length stand (1.250.000: bits 1 and 5)."""


def _dotted_rupiah(values: np.ndarray, texts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The common shapes `1250000000`, `1.250.000.000`, `Rp.1.250.000.000`, `Rp 1.250.000` and
    `1250000000.0` read for a whole array at once, on the code points of the texts (no Python call per
    text). Returns the values and a mask of the texts read; the rest (other shapes, non-text) go to
    `_money_one`, which reads every accepted text the same way: the dots stand every three digits from
    the right, or one dot stands before the last one or two digits. `texts`: which cells are text, when
    the caller knows."""
    n = len(values)
    out, done = np.full(n, np.nan), np.zeros(n, dtype=bool)
    for i in range(0, n, _FAST_CHUNK):
        part = slice(i, i + _FAST_CHUNK)
        out[part], done[part] = _dotted_slice(values[part], None if texts is None else texts[part])
    return out, done


def _bits(mask: np.ndarray) -> np.ndarray:
    """Each row of a (texts, characters) mask as one number, bit j for character j."""
    packed = np.zeros((len(mask), 4), dtype=np.uint8)
    packed[:, :(mask.shape[1] + 7) // 8] = np.packbits(mask, axis=1, bitorder="little")
    return packed.view("<u4").ravel()


def _dotted_slice(values: np.ndarray, texts: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    n = len(values)
    out, done = np.full(n, np.nan), np.zeros(n, dtype=bool)
    if texts is None:
        texts = _TYPE_OF(values) == str if n else np.zeros(0, dtype=bool)
    at = np.flatnonzero(texts)
    length = np.fromiter(map(len, values[at]), dtype=np.int64, count=len(at))
    short = (length > 0) & (length <= _FAST_WIDTH)
    at, length = at[short], length[short]
    if not len(at):
        return out, done
    w = max(int(length.max()), 3)  # the columns worked on: as wide as the longest text
    c = np.asarray(values[at], dtype=f"<U{w}").view(np.uint32).reshape(-1, w)
    c = np.minimum(c, 255).astype(np.uint8)  # any other character stays one that is not read
    # A NUL in a text (numpy drops one that ends it) is neither digit nor dot, within the text's length.
    digit, dot = (c - 48) < 10, c == 46
    digits, dots = _bits(digit), _bits(dot)
    rows = np.arange(len(c))
    rp = ((c[:, 0] | 32) == 114) & ((c[:, 1] | 32) == 112)
    start = np.where(rp, 2 + (c[:, 2] == 46), 0)
    start += rp & (c[rows, np.minimum(start, w - 1)] == 32)
    body = _BELOW[length] & ~_BELOW[np.minimum(start, length)]
    dots &= body
    ok = (start < length) & (((digits | dots) & body) == body) & (((digits >> start.astype(np.uint32)) & _ONE) == 1)
    thousands = (dots == 0) | (dots == (_THOUSANDS[length] & body))
    # One dot before the last one or two digits is a decimal point (`1250000000.0`, as pandas writes a
    # float; `12.5`): `_money_one` reads it so too. `1.250` stays thousands, as there.
    bit = length.astype(np.uint32)
    decimals = np.where(thousands, 0, np.where(dots == _ONE << np.maximum(bit, 2) - 2, 1,
                                               np.where(dots == _ONE << np.maximum(bit, 3) - 3, 2, 0)))
    ok &= thousands | (decimals > 0)
    n_dots = np.where(dots == 0, 0, np.where(thousands, (length - start) // 4, 1))
    n_digits = length - start - n_dots
    ok &= (n_digits > 0) & (n_digits <= np.where(decimals > 0, 15, 18))
    good = np.flatnonzero(ok)
    # Horner over the columns, for all texts at once; each column contiguous (transposed) for the loop.
    c, digit = np.ascontiguousarray(c[good].T), np.ascontiguousarray(digit[good].T)
    times, plus = np.where(digit, np.uint8(10), np.uint8(1)), np.where(digit, c - 48, np.uint8(0))
    number = np.zeros(len(good), dtype=np.int64)
    for j in range(w):
        number = number * times[j] + plus[j]
    # A whole number below 10**15 over 10 or 100: the float nearest the decimal text, as float() gives.
    out[at[good]] = number.astype(np.float64) / (10.0 ** decimals[good])
    done[at[good]] = True
    return out, done


_TYPE_OF = np.frompyfunc(type, 1, 1)
_NUMERIC_KINDS = frozenset({"floating", "integer", "mixed-integer-float", "empty"})


def _money_distinct(uniques: np.ndarray) -> np.ndarray:
    """Each distinct non-number cell read: the common shapes for the whole array, the rest one by one."""
    read, done = _dotted_rupiah(uniques)
    read[~done] = [_money_one(u) for u in uniques[~done]]
    return read


MOSTLY_DISTINCT = 0.5
"""A column whose first cells are more than this share distinct is read cell by cell, not per distinct
value: hashing a column of amounts costs more than reading each amount (parse_money)."""


def _mostly_distinct(cells: np.ndarray, head: int = 10_000) -> bool:
    first = cells[:head]
    return len(first) > 0 and len(pd.unique(first)) > MOSTLY_DISTINCT * len(first)


def parse_money(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """float64 Rupiah (NaN = not given) and a mask of cells that could not be read. Numbers Excel stored
    as numbers are taken column-wide; text is read once per distinct value."""
    kind = pd.api.types.infer_dtype(s, skipna=True)
    if kind in _NUMERIC_KINDS:
        return s.astype("float64"), pd.Series(False, index=s.index)
    cells = s.to_numpy(dtype=object)
    if kind == "string" and _mostly_distinct(cells):  # amounts, one per row: hashing them would not pay
        given = pd.notna(cells)  # each a text
        values, done = _dotted_rupiah(cells, given)
        rest = ~done & given
        if rest.any():  # the other shapes, each distinct text read once
            codes, uniques = factorize(cells[rest], use_na_sentinel=True)
            values[rest] = _money_distinct(np.asarray(uniques, dtype=object))[codes]
    elif kind == "string":  # text only (a CSV column): no cell is a number yet
        codes, uniques = factorize(cells, use_na_sentinel=True)
        read = np.append(_money_distinct(np.asarray(uniques, dtype=object)), np.nan)
        values = read[codes]
    else:
        values = np.full(len(s), np.nan)
        kinds = _TYPE_OF(cells) if len(cells) else cells
        number = (kinds == float) | (kinds == int)
        values[number] = cells[number].astype("float64")
        rest = ~number & pd.notna(cells)
        if rest.any():
            codes, uniques = factorize(cells[rest], use_na_sentinel=True)
            values[rest] = _money_distinct(np.asarray(uniques, dtype=object))[codes]
    bad = np.isneginf(values)
    values[bad] = np.nan
    return pd.Series(values, index=s.index, dtype="float64", copy=False), pd.Series(bad, index=s.index, copy=False)


def _date_one(value):
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if 1900 <= value <= 2200 and float(value).is_integer():
            return pd.Timestamp(int(value), 12, 31)
        if 20000 < value < 80000:
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(value))
        return None
    text = str(value).strip().lower()
    if text in MISSING_TEXT:
        return pd.NaT
    try:
        if m := _ISO.match(text):
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            return pd.Timestamp(int(m[3]), int(m[2]), int(m[1]))
        if m := _TEXT_DATE.match(text):
            month = MONTHS.get(m[2])
            return pd.Timestamp(int(m[3]), month, int(m[1])) if month else None
        if re.fullmatch(r"\d{4}(\.0)?", text):
            return pd.Timestamp(int(float(text)), 12, 31)
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _date_one(float(text))
    except (ValueError, OverflowError):
        return None
    return None


def _date_in_range(value):
    """A date a datetime64[ns] column can hold (years 1677-2262), else None (unreadable): outside, it would
    turn silently into another date."""
    if value is None or value is pd.NaT or pd.Timestamp.min <= value <= pd.Timestamp.max:
        return value
    return None


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """datetime64 (NaT = not given) and a mask of unreadable cells. A bare year means 31 December."""
    codes, uniques = factorize(s, use_na_sentinel=True)
    parsed = [_date_in_range(_date_one(u)) for u in uniques]
    bad_u = np.array([p is None for p in parsed], dtype=bool)
    vals = pd.to_datetime(pd.Series([pd.NaT if p is None else p for p in parsed], dtype="object"),
                          errors="coerce")
    idx = np.asarray(codes)
    # Code -1 (an empty cell) takes the slot appended after the distinct values.
    days = np.append(vals.to_numpy().astype("datetime64[ns]"), np.datetime64("NaT", "ns"))[idx]
    bad = np.append(bad_u, False)[idx]
    return pd.Series(days, index=s.index, dtype="datetime64[ns]", copy=False), pd.Series(bad, index=s.index, copy=False)


def _year_one(value):
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value).year
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1000 <= value <= 9999 else -1
    text = str(value).strip().lower()
    if text in MISSING_TEXT:
        return None
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        return int(float(text))
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):
        return -1
    parsed = _date_one(value)
    return -1 if parsed is None or parsed is pd.NaT else parsed.year


def parse_year(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Int64 year from a year or a date cell (never an Excel serial), and the unreadable mask."""
    codes, uniques = factorize(s, use_na_sentinel=True)
    years = pd.Series(pd.array([_year_one(u) for u in uniques], dtype="Int64").take(codes, allow_fill=True),
                      index=s.index)
    bad = (years == -1).fillna(False).to_numpy(dtype=bool)
    return years.mask(bad).astype("Int64"), pd.Series(bad, index=s.index, copy=False)


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Plain numbers such as areas (`860`, `1.384`, `12,5`)."""
    return parse_money(s)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_id(s: pd.Series) -> pd.Series:
    """Ids as text: whole floats lose their `.0`, spaces and control characters go."""
    def one(value):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        text = _CONTROL.sub("", str(value)).strip()
        if re.fullmatch(r"\d+\.0", text):
            text = text[:-2]
        return text if text.lower() not in MISSING_TEXT else None

    def plain_or_one(value):
        """Most ids are plain digits already: kept as they are, without the regular expressions."""
        return value if type(value) is str and value.isascii() and value.isdigit() else one(value)
    return _by_distinct(s, plain_or_one)


def parse_id_coded(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`parse_id`, and each cell's id as a number: the rank of the id among the column's distinct ids in
    text order (-1 where missing), worked out once per distinct cell. Equal ids get equal numbers, and
    numbers sort as the ids do, so later steps can group and sort officials without hashing the texts."""
    codes, uniques = factorize(s, use_na_sentinel=True)
    ids = parse_id(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    given = pd.notna(ids)
    rank = np.full(len(ids) + 1, -1, dtype=np.int64)
    rank[:-1][given] = text_rank(ids[given])
    return from_codes(codes, ids, s.index), rank[codes]


def text_rank(texts: np.ndarray) -> np.ndarray:
    """Each text's rank among the distinct texts in text order (`pd.factorize(texts, sort=True)[0]`), by
    Python's sort of the texts, which beats numpy's sort of objects that factorize uses."""
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    ordered = texts[order]
    rank = np.empty(len(texts), dtype=np.int64)
    rank[order] = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1 if len(texts) else order
    return rank


def _clean_one(value):
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    text = str(value)
    text = (text if text.isprintable() else _CONTROL.sub("", text)).strip()  # printable: no control character
    return text if text.lower() not in MISSING_TEXT else None


_LONGEST_MISSING = max(map(len, MISSING_TEXT))


def _clean_distinct(values) -> np.ndarray:
    """`_clean_one` of each distinct cell. A text with nothing to clean (printable, so no control character
    and no space but ' '; no space at either end; longer than any missing marker) is kept as it is: found
    for all the texts at once, on their characters joined, instead of one call per text."""
    values = np.asarray(values, dtype=object)
    out = np.empty(len(values), dtype=object)
    rest = np.ones(len(values), dtype=bool)
    at = np.flatnonzero(_TYPE_OF(values) == str) if len(values) else np.zeros(0, dtype=np.int64)
    texts = values[at]
    joined = "".join(texts)
    if len(texts) and joined.isprintable():
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        chars = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8) if joined.isascii() else
                 np.frombuffer(joined.encode("utf-32-le"), dtype="<u4"))
        ends = np.cumsum(sizes)
        plain = np.flatnonzero(sizes > _LONGEST_MISSING)
        plain = plain[(chars[ends[plain] - sizes[plain]] != 32) & (chars[ends[plain] - 1] != 32)]
        out[at[plain]] = texts[plain]
        rest[at[plain]] = False
    out[rest] = [_clean_one(v) for v in values[rest]]
    return out


def clean_text(s: pd.Series) -> pd.Series:
    """Text cells: stripped, control characters removed, missing markers -> missing."""
    return clean_text_coded(s)[0]


def clean_text_coded(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """`clean_text`, and its codes and cleaned distinct texts (None for missing; two raw texts may clean to
    the same), so that callers checking each distinct text need not hash the column again."""
    codes, uniques = factorize(s, use_na_sentinel=True)
    values = _clean_distinct(uniques)
    return from_codes(codes, values, s.index), codes, values
