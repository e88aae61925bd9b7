"""Data-quality rows as validate collects them: the same rows, however many."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.validate import _Problems, _value_text, rupiah_text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20))
def test_rupiah_text_formats_each_amount_as_alone(values):
    assert rupiah_text(np.array(values, dtype="float64")).tolist() == [
        f"Rp {v:,.0f}".replace(",", ".") for v in values]


def _reference_rows(frame, mask, column, value):
    """The rows as frame.loc[mask] gives them (the whole frame taken, then the columns shown)."""
    sub = frame.loc[mask]
    if value is None and column in sub:
        value = sub[column]
    return pd.DataFrame({"source": sub["_source"].to_numpy(), "sheet": sub["_sheet"].to_numpy(),
                         "row": sub["_row"].to_numpy(), "column": column,
                         "value": _value_text(pd.Series(value, index=sub.index)) if value is not None else None})


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=5))),
                min_size=1, max_size=15), st.sampled_from(["own", "full", "subset", "none", "scalar"]))
def test_problem_rows_show_each_row_and_value_of_the_mask(cells, how):
    """Each masked row once, in order, with its source, sheet, row and the value shown: the column's own,
    one given for the whole frame or for the masked rows only (aligned by label), or one for all."""
    mask = np.array([m for m, _ in cells], dtype=bool)
    n = len(cells)
    frame = pd.DataFrame({"_source": "a.csv", "_sheet": "laporan", "_row": np.arange(2, n + 2),
                          "kas": pd.Series([v for _, v in cells], dtype=object), "other": 1},
                         index=pd.RangeIndex(10, 10 + 2 * n, 2))
    given_value = {"own": None, "none": None, "scalar": "x",
                   "full": pd.Series([f"v{i}" for i in range(n)], index=frame.index),
                   "subset": pd.Series([f"s{i}" for i in range(int(mask.sum()))], index=frame.index[mask])}[how]
    column = None if how == "none" else "kas"
    problems = _Problems("id")
    problems.add(frame, mask, "money_unreadable", column, value=given_value)
    if not mask.any():
        assert problems.parts == []
        return
    got = problems.parts[0][["source", "sheet", "row", "column", "value"]]
    pd.testing.assert_frame_equal(got, _reference_rows(frame, mask, column, given_value))
