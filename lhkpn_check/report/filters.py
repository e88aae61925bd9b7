"""Jinja filters: every number, amount and date on a page is formatted here, never in a template.

Bahasa Indonesia writes `Rp 1.250.000.000`, `Rp 1,25 M`, `12,5%` and `31 Desember 2022`; English
keeps the Rupiah sign and uses `Rp 1,250,000,000`, `Rp 1.25 bn`, `12.5%`, `31 December 2022`.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from jinja2 import pass_context

DASH = "–"

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

_COMPACT = {
    "id": ((1e12, "T"), (1e9, "M"), (1e6, "jt")),
    "en": ((1e12, "tn"), (1e9, "bn"), (1e6, "m")),
}


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_float(value):
    if _missing(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def number(value, lang: str = "id", decimals: int = 0) -> str:
    """1234567.5 -> '1.234.567,5' (id) or '1,234,567.5' (en)."""
    x = _as_float(value)
    if x is None:
        return DASH
    if decimals == 0:
        text = f"{round(x):,}"
        return text.replace(",", ".") if lang == "id" else text
    thousands, point = (".", ",") if lang == "id" else (",", ".")
    text = f"{abs(x):.{decimals}f}"
    whole, _, frac = text.partition(".")
    out = _group(whole, thousands) + (point + frac if frac else "")
    return ("-" if x < 0 and text.strip("0.") else "") + out


def rupiah(value, lang: str = "id") -> str:
    """Full Rupiah: 'Rp 1.250.000.000'; negative as '-Rp 5.000'."""
    x = _as_float(value)
    if x is None:
        return DASH
    body = number(abs(x), lang)
    return f"-Rp {body}" if x < 0 and round(abs(x)) else f"Rp {body}"


def rupiah_compact(value, lang: str = "id") -> str:
    """Short Rupiah for cards and axes: 'Rp 1,25 M', 'Rp 750 jt' (en: 'Rp 1.25 bn', 'Rp 750 m')."""
    x = _as_float(value)
    if x is None:
        return DASH
    for scale, unit in _COMPACT["en" if lang == "en" else "id"]:
        if abs(x) >= scale:
            scaled = abs(x) / scale
            decimals = 0 if scaled >= 100 else (1 if scaled >= 10 else 2)
            body = number(scaled, lang, decimals)
            if "," in body or "." in body:
                point = "," if lang == "id" else "."
                if point in body:
                    body = body.rstrip("0").rstrip(point)
            return f"{'-' if x < 0 else ''}Rp {body} {unit}"
    return rupiah(x, lang)


def percent(value, lang: str = "id", decimals: int = 1) -> str:
    """A fraction as percent: 0.125 -> '12,5%' (id) / '12.5%' (en)."""
    x = _as_float(value)
    if x is None:
        return DASH
    return f"{number(x * 100, lang, decimals)}%"


def ratio(value, lang: str = "id", decimals: int = 1) -> str:
    """A multiple: 3.25 -> '3,3×' (id) / '3.3×' (en)."""
    x = _as_float(value)
    if x is None:
        return DASH
    return f"{number(x, lang, decimals)}×"


def date(value, lang: str = "id") -> str:
    """'31 Desember 2022' (id) / '31 December 2022' (en); a bare year stays a year."""
    if _missing(value):
        return DASH
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if not hasattr(value, "month") or _missing(value):
        return str(value)
    months = BULAN if lang == "id" else MONTHS
    return f"{value.day} {months[value.month - 1]} {value.year}"


def auto(value, lang: str = "id") -> str:
    """An amount whose unit the page does not know: Rupiah when large, a plain figure when small
    (ratios and multiples such as 0,5 or 10)."""
    if isinstance(value, (bool, str)):
        return text(value)
    x = _as_float(value)
    if x is None:
        return DASH
    return rupiah(x, lang) if abs(x) >= 1000 else number(x, lang, 2 if x != int(x) else 0)


def text(value) -> str:
    """Any cell as text, a dash when missing."""
    if _missing(value):
        return DASH
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _lang(ctx) -> str:
    return ctx.get("lang", "id")


def register(env) -> None:
    """Install the filters; each reads the page language from the render context."""
    def bind(func):
        @pass_context
        def bound(ctx, value, *args, **kwargs):
            return func(value, _lang(ctx), *args, **kwargs)
        return bound

    env.filters.update({
        "rupiah": bind(rupiah),
        "rp_compact": bind(rupiah_compact),
        "num": bind(number),
        "pct": bind(percent),
        "ratio": bind(ratio),
        "tgl": bind(date),
        "auto": bind(auto),
        "txt": text,
    })


# -- whole columns at once: the dossier tables are formatted here, before any page is rendered ----------

def _finite(values) -> tuple[np.ndarray, np.ndarray]:
    x = pd.to_numeric(pd.Series(values, copy=False), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return x, np.isfinite(x)


def rupiah_column(values, lang: str = "id") -> np.ndarray:
    """`rupiah` over a whole column: one comprehension of format calls, no function call per value."""
    x, ok = _finite(values)
    out = np.full(len(x), DASH, dtype=object)
    if ok.any():
        rounded = np.round(np.abs(x[ok]))
        negative = ((x[ok] < 0) & (rounded > 0)).tolist()
        whole = rounded.astype(np.int64).tolist() if rounded.max() < 2.0**62 else [int(w) for w in rounded.tolist()]
        if lang == "id":
            text = [("-Rp " if n else "Rp ") + f"{w:,}".replace(",", ".") for w, n in zip(whole, negative)]
        else:
            text = [("-Rp " if n else "Rp ") + f"{w:,}" for w, n in zip(whole, negative)]
        out[ok] = text
    return out


_ID_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _numbers(xs: list[float], lang: str, decimals: int) -> list[str]:
    """`number` of each finite value, as one comprehension of format calls."""
    if decimals == 0:
        text = [f"{round(v):,}" for v in xs]
    else:
        text = [("-" if v < 0 and f"{-v:.{decimals}f}".strip("0.") else "") + f"{abs(v):,.{decimals}f}" for v in xs]
    return [t.translate(_ID_SEPARATORS) for t in text] if lang == "id" else text


def number_column(values, lang: str = "id", decimals: int = 0) -> np.ndarray:
    """`number` over a whole column."""
    x, ok = _finite(values)
    out = np.full(len(x), DASH, dtype=object)
    if ok.any():
        out[ok] = _numbers(x[ok].tolist(), lang, decimals)
    return out


def rupiah_compact_column(values, lang: str = "id") -> np.ndarray:
    """`rupiah_compact` over a whole column: the values of each unit and number of decimals together."""
    x, ok = _finite(values)
    out = np.full(len(x), DASH, dtype=object)
    size = np.abs(np.where(ok, x, 0.0))
    done = ~ok
    for scale, unit in _COMPACT["en" if lang == "en" else "id"]:
        scaled = size / scale
        for decimals, here in ((0, scaled >= 100), (1, (scaled >= 10) & (scaled < 100)), (2, scaled < 10)):
            at = np.flatnonzero(here & (size >= scale) & ~done)
            if not len(at):
                continue
            bodies = _numbers(scaled[at].tolist(), lang, decimals)
            if decimals:  # only then does the body hold a decimal point: its trailing zeros go
                point = "," if lang == "id" else "."
                bodies = [b.rstrip("0").rstrip(point) for b in bodies]
            out[at] = [f"{'-' if n else ''}Rp {b} {unit}" for b, n in zip(bodies, (x[at] < 0).tolist())]
            done[at] = True
    if not done.all():
        out[~done] = rupiah_column(x[~done], lang)
    return out


def text_column(values) -> np.ndarray:
    """`text` over a whole column: whole floats print without `.0`, missing is a dash."""
    s = pd.Series(values, copy=False)
    if s.dtype.kind in "fiu":
        x, ok = _finite(s)
        out = np.full(len(x), DASH, dtype=object)
        out[ok] = pd.Series(x[ok]).map(lambda v: str(int(v)) if v.is_integer() else str(v)).to_numpy(dtype=object)
        return out
    obj = s.astype("object")
    distinct = pd.unique(obj[obj.notna()])
    return obj.map({v: text(v) for v in distinct}).where(obj.notna(), DASH).to_numpy(dtype=object)


def date_column(values, lang: str = "id") -> np.ndarray:
    """`date` over a whole column: per distinct value."""
    obj = pd.Series(values, copy=False).astype("object")
    mask = obj.notna()
    distinct = pd.unique(obj[mask])
    return obj.map({v: date(v, lang) for v in distinct}).where(mask, DASH).to_numpy(dtype=object)
