"""The integer keys the identity checks group declarations by."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check import identity


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60).flatmap(lambda n: st.lists(
    st.lists(st.integers(0, 4), min_size=n, max_size=n), min_size=1, max_size=5)), st.booleans())
def test_combined_codes_number_combinations_as_a_groupby_does(columns, huge):
    """One number per distinct combination of the columns, in order of first appearance, as pandas'
    `groupby(sort=False).ngroup()` numbers them, also when the folded key would outgrow int64."""
    arrays = [np.asarray(c, dtype=np.int64) * ((1 << 60) if huge else 1) for c in columns]
    expected = pd.DataFrame(dict(enumerate(arrays))).groupby(list(range(len(arrays))), sort=False).ngroup()
    assert identity.combine_codes(arrays, len(arrays[0])).tolist() == expected.tolist()


def test_combined_codes_stay_apart_when_codes_are_large():
    """Codes so large that folding them into one int64 would wrap around are made dense first: rows that
    differ stay apart."""
    columns = [np.array([0, 1, 2, 3, 4, 0]), np.array([0, 0, 0, 0, 0, (1 << 62) - 1])]
    assert identity.combine_codes(columns, 6).tolist() == [0, 1, 2, 3, 4, 5]
