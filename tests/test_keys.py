"""The layering of the keys the stages join on (lhkpn_check.keys): validate builds on them, not on the
features."""

import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.keys import uraian_keys


def test_validate_does_not_import_the_features():
    code = "import sys, lhkpn_check.validate; print(sorted(m for m in sys.modules if m.startswith('lhkpn_check.features')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_uraian_keys_are_shared_exactly_by_descriptions_that_read_alike():
    texts = pd.Series(["Rumah, HASIL SENDIRI", "rumah hasil-sendiri", None, "Kebun", "  ", "KEBUN.", None, "Rumah"],
                      dtype=object)
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    key = uraian_keys(codes, np.asarray(uniques, dtype=object))
    assert key[0] == key[1] and key[3] == key[5] and key[2] == key[6] == key[4]  # empty ones alike
    assert len({key[0], key[2], key[3], key[7]}) == 4


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.just(np.nan), st.text(alphabet="aZ09 ,.-/()\n\t²éß_", max_size=12),
                          st.text(max_size=8)), max_size=25))
def test_descriptions_normalised_at_once_read_as_norm_text_reads_each(texts):
    """keys.norm_distinct gives each text what income.norm_text gives it (an empty one ""), also for texts
    with line breaks, digits and letters outside ASCII, or spaces at either end."""
    from lhkpn_check.income import norm_text
    from lhkpn_check.keys import norm_distinct

    values = np.array([*texts, " Rumah, HASIL  SENDIRI "], dtype=object)
    expected = [norm_text(pd.Series([v], dtype=object)).iloc[0] for v in values]
    assert norm_distinct(values).tolist() == expected


def test_a_lone_empty_description_reads_empty():
    """One empty text (nothing to join) reads "", as norm_text reads it."""
    from lhkpn_check.keys import norm_distinct

    assert norm_distinct(np.array([""], dtype=object)).tolist() == [""]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "10", "9", None]), st.sampled_from([2020, 2021]),
                          st.sampled_from(["2020-12-31", "2021-06-30", "2021-12-31", None])), max_size=12),
       st.lists(st.tuples(st.sampled_from(["A", "B", "10", "C", None]), st.sampled_from([2020, 2021]),
                          st.sampled_from(["2020-12-31", "2021-06-30", None])), max_size=20),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_items_find_their_declaration_alike_through_typed_keys_or_id_texts(decl, items, kept):
    """keys.item_declaration matches the sheets through their typed keys (each sheet's ranks of its own ids,
    with gaps where rows were rejected) exactly as through the id texts: the same declaration for each
    item, a missing id alike with a missing id, an id the declarations lack matching none."""
    from lhkpn_check.keys import item_declaration
    from lhkpn_check.parse import parse_id_coded

    def frame(rows):
        f = pd.DataFrame(rows, columns=["id_pn", "tahun_lapor", "tanggal_lapor"]).astype({"id_pn": object})
        f["tahun_lapor"] = f["tahun_lapor"].astype("int64")
        f["tanggal_lapor"] = pd.to_datetime(f["tanggal_lapor"])
        f["_row"] = np.arange(2, len(f) + 2)
        f["id_pn"], f["_id_pn_code"] = parse_id_coded(f["id_pn"])
        return f

    lap, harta = frame(decl), frame(items)
    lap = lap[np.asarray(kept[:len(lap)], dtype=bool)].reset_index(drop=True)
    by_keys = item_declaration(harta, lap, with_year_found=True)
    by_text = item_declaration(harta.drop(columns="_id_pn_code"), lap.drop(columns="_id_pn_code"),
                               with_year_found=True)
    assert by_keys[0].tolist() == by_text[0].tolist() and by_keys[1].tolist() == by_text[1].tolist()
    found = by_keys[0] >= 0
    ids = lap["id_pn"].fillna("-").to_numpy(dtype=object)[by_keys[0][found]]
    assert (ids == harta["id_pn"].fillna("-").to_numpy(dtype=object)[found]).all()
