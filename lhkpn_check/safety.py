"""Output safety: file names from ids, masked ids, and text that a spreadsheet must not run.

Declarations come from many hands, so an `id_pn` can hold anything (`../../x`, `a/b`, NUL, `CON`, 10k
characters) and a name can start with `=`. Everything written to disk or to a spreadsheet passes here.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that Excel/LibreOffice read as the start of a formula (OWASP CSV injection)."""
LINE_STARTS_FORMULA = re.compile("\n(?:" + "|".join(map(re.escape, FORMULA_PREFIXES)) + ")")
"""A line of texts joined by line breaks (one before each) that starts as a formula would."""

_UNSAFE = re.compile(r"[^a-z0-9_-]")
_MAX_SLUG = 64
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def safe_filename(id_pn) -> str:
    """A file-name stem for one id: the id itself when it is already plain lower-case `[a-z0-9_-]`,
    otherwise a slug plus `.` and a hash of the original.

    Why the dot: a plain id never contains one, so a changed id can never collide with a plain one, and
    two changed ids differ by their hash. Upper-case letters count as a change so that names stay
    distinct on case-insensitive file systems (Windows, macOS), where auditors open the report.
    """
    text = "" if id_pn is None else str(id_pn)
    slug = _UNSAFE.sub("_", text.lower())[:_MAX_SLUG]
    if slug == text and slug and slug not in _RESERVED:
        return slug
    if slug in _RESERVED:  # Windows refuses CON.html as well as CON
        slug = f"_{slug}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug or 'id'}.{digest}"


def safe_filenames(series: pd.Series) -> pd.Series:
    """`safe_filename` for a whole column, computed once per distinct id."""
    values = series.astype("object")
    distinct = pd.unique(values.where(values.notna(), ""))
    table = {v: safe_filename(v) for v in distinct}
    return values.where(values.notna(), "").map(table).astype("object")


def _mask_one(text: str) -> str:
    keep = 4 if len(text) >= 6 else len(text) // 2
    return "*" * (len(text) - keep) + text[len(text) - keep:]


def mask_id(series: pd.Series, show: bool = False) -> pd.Series:
    """NIK/NIP masked except the last 4 characters (`**************1001`); the full id only with `show`.

    Short ids keep at most half of their characters visible, so a 4-character id is never shown whole.
    """
    values = series.astype("object").where(series.notna(), "")
    if show:
        return values.map(str)
    distinct = pd.unique(values)
    table = {v: _mask_one(str(v)) for v in distinct}
    return values.map(table).astype("object")


def is_formula_like(value) -> bool:
    """True for text that a spreadsheet would evaluate (or mangle) when opened."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_formula(series: pd.Series) -> pd.Series:
    """Prefix `'` to text cells starting with = + - @ TAB CR, so spreadsheets show them as text.

    Numeric columns are returned unchanged; the text "-5" from the input is text and gets the prefix
    (the auditor still reads -5, and nothing runs).
    """
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return series
    values = series.to_numpy(dtype=object)
    try:  # all text: one scan of the texts joined shows whether any may start with a prefix
        if not LINE_STARTS_FORMULA.search("\n" + "\n".join(values)):
            return series
    except TypeError:  # numbers or empty cells among them: checked cell by cell
        pass
    risky = np.fromiter((isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in values),
                        dtype=bool, count=len(values))
    if not risky.any():
        return series
    out = series.astype("object").copy()
    out[risky] = "'" + series[risky].astype(str)
    return out
