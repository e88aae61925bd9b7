"""Headers, codes and text cells folded as the reference rules say, on any text."""

import re
import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.parse import MISSING_TEXT, clean_text
from lhkpn_check.schema import _NON_ALNUM, _UNIT, norm_header

_TEXTS = st.one_of(st.text(max_size=20), st.text(alphabet="Rp(m2²) Kas-é\t\x00\x7f\x0b,.NA/-", max_size=20),
                   st.sampled_from([" Kas dan Setara Kas (Rp) ", "ID_PN", "Luas (m²)", "Harga rp.", "N/A", " - "]))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_norm_header_folds_as_its_rule(text):
    """Accents decomposed and dropped, case and spaces aside, a trailing unit dropped, punctuation one space."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    s = _UNIT.sub("", s.strip()).strip()
    assert norm_header(text) == _NON_ALNUM.sub(" ", s).strip()


@settings(max_examples=400, deadline=None)
@given(st.lists(_TEXTS, max_size=10))
def test_clean_text_drops_control_characters_and_missing_markers(texts):
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
    expected = [control.sub("", t).strip() for t in texts]
    expected = [e if e.lower() not in MISSING_TEXT else None for e in expected]
    got = clean_text(pd.Series(texts, dtype=object)).tolist()
    assert [None if g is None or g != g else g for g in got] == expected
