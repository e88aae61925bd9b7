"""Output safety: file names from hostile ids, masked ids, formula injection in spreadsheet text."""

import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.safety import (is_formula_like, mask_id, neutralise_formula, safe_filename,
                                safe_filenames)

SAFE = re.compile(r"^[A-Za-z0-9_.-]+$")


def _inside(tmp_path, stem):
    target = (tmp_path / "pejabat" / f"{stem}.html").resolve()
    return target.parent == (tmp_path / "pejabat").resolve()


@pytest.mark.parametrize("hostile", ["../../x", "a/b", "a\\b", "x\x00y", "CON", "con", "", "..", ".",
                                     "nul", "LPT1", "é" * 300, "1" * 5000, " ", "a b", "<script>"])
def test_hostile_ids_stay_in_folder(tmp_path, hostile):
    stem = safe_filename(hostile)
    assert SAFE.match(stem)
    assert ".." not in stem and not stem.startswith(".")
    assert len(stem) <= 100
    assert stem.split(".")[0].lower() not in {"con", "nul", "lpt1"}
    assert _inside(tmp_path, stem)


def test_plain_ids_are_kept_readable():
    assert safe_filename("196812061995072001") == "196812061995072001"
    assert safe_filename("wng-001") == "wng-001"
    assert safe_filename("WNG-001") != safe_filename("wng-001")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=30, unique=True))
def test_safe_filename_properties(ids):
    stems = [safe_filename(i) for i in ids]
    for stem in stems:
        assert SAFE.match(stem)
        assert ".." not in stem and stem not in (".", "..") and not stem.startswith(".")
    # unique even on case-insensitive file systems
    assert len({s.lower() for s in stems}) == len(ids)
    assert stems == [safe_filename(i) for i in ids]


def test_safe_filenames_vectorised_matches_scalar():
    ids = pd.Series(["a/b", "123", "a/b", None, "X"], dtype="object")
    out = safe_filenames(ids)
    assert list(out) == [safe_filename("a/b"), "123", safe_filename("a/b"), safe_filename(""), safe_filename("X")]


def test_mask_id_keeps_last_four():
    ids = pd.Series(["196812061995072001", "WNG-001", "12", None])
    masked = mask_id(ids)
    assert masked[0] == "*" * 14 + "2001"
    assert masked[1] == "***-001"
    assert masked[2] == "*2"
    assert masked[3] == ""
    assert list(mask_id(ids, show=True))[:2] == ["196812061995072001", "WNG-001"]


def _masked_plainly(value) -> str:
    text = "" if value is None else str(value)
    keep = 4 if len(text) >= 6 else len(text) // 2
    return "*" * (len(text) - keep) + text[len(text) - keep:]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=25), st.integers(0, 10**18)), max_size=40))
def test_mask_id_matches_the_rule_id_by_id(ids):
    """mask_id masks each distinct id once and maps it back: every id must come out as the rule says of it alone."""
    series = pd.Series(ids, dtype="object", index=range(100, 100 + len(ids)))
    masked = mask_id(series)
    assert list(masked.index) == list(series.index)
    assert list(masked) == [_masked_plainly(v) for v in ids]


FORMULA_TEXT = st.text(alphabet="=+-@\t\r\n a1", max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(FORMULA_TEXT, max_size=20),  # all text: the one-scan path
                 st.lists(st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True), FORMULA_TEXT),
                          max_size=20)))
def test_neutralise_formula_matches_the_rule_cell_by_cell(values):
    """One scan of all the texts decides whether any needs the check: it must never skip one that does."""
    series = pd.Series(values, dtype="object")
    expected = ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in values]
    got = list(neutralise_formula(series))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == e or (pd.isna(g) and pd.isna(e))


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-5", "@SUM(A1)", "\tx", "\rx",
                                  "=cmd|' /C calc'!A0"])
def test_formula_like_text_is_prefixed(text):
    assert is_formula_like(text)
    out = neutralise_formula(pd.Series([text, "aman"], dtype="object"))
    assert out[0] == "'" + text
    assert out[1] == "aman"
    assert not is_formula_like(out[0])


def test_numbers_are_left_alone():
    numbers = pd.Series([-5.0, 3.0])
    assert neutralise_formula(numbers).equals(numbers)
    assert not is_formula_like(-5)
    mixed = pd.Series([-5, "=1", None], dtype="object")
    out = neutralise_formula(mixed)
    assert out[0] == -5 and out[1] == "'=1" and out[2] is None


def test_string_dtype_column():
    s = pd.Series(["=1+1", "ok", None], dtype="str")
    out = neutralise_formula(s)
    assert out[0] == "'=1+1" and out[1] == "ok" and pd.isna(out[2])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.one_of(st.none(), st.text(alphabet='ab,"\n\r=+-@ \t\'x1', max_size=6), st.integers(-5, 5)),
    st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1e16, 0.125])),
    st.integers(-2**40, 2**40), st.booleans()), max_size=25), st.booleans())
def test_csv_writer_writes_what_pandas_writes(rows, many):
    """output.write_csv formats each distinct value once and joins the rows itself: the bytes must be
    pandas' to_csv of the same prepared table, texts that need quoting, formulas, -0.0 and gaps included."""
    import pandas as pd

    from lhkpn_check import output

    frame = pd.DataFrame(rows, columns=["text", "score", "rank", "flag"]).astype(
        {"text": object, "score": "float64", "rank": "int64", "flag": bool})
    columns = ["text", "score", "rank", "flag", "absent"]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        ours, theirs = Path(folder) / "a.csv", Path(folder) / "b.csv"
        patch.setattr(output, "_MOSTLY_DISTINCT", 0.0 if many else 1.0)  # per cell, or per distinct value
        patch.setattr(output, "CSV_ROWS_PER_CHUNK", 7)
        output.write_csv(frame, columns, ours)
        output._csv_ready(frame, columns).to_csv(theirs, index=False, encoding="utf-8", lineterminator="\n")
        assert ours.read_bytes() == theirs.read_bytes()
