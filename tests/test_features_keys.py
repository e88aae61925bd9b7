"""The integer-key computations of the features against the plain pandas statements they replace, on
small batches full of ties: several alike items in one declaration, officials with one declaration,
identity groups that interleave, conflicts, missing dates."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from lhkpn_check import features, luxury
from lhkpn_check.features.declarations import previous_positions
from lhkpn_check.features.items import previous_version
from lhkpn_check.settings import Settings
from test_rules import declaration, item, make_batch


def _previous_positions_plainly(lap: pd.DataFrame) -> np.ndarray:
    pos = pd.Series(np.arange(len(lap), dtype=np.int64), index=lap.index)
    prev = pos.groupby([lap["id_pn"], lap["identity_group"]], sort=False).shift(1)
    prev = prev.fillna(-1).to_numpy(dtype=np.int64).copy()
    conflict = lap["identity_conflict"].to_numpy(dtype=bool)
    prev[conflict] = -1
    prev[(prev >= 0) & conflict[np.maximum(prev, 0)]] = -1
    return prev


@hyp_settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from([0, 1, 2]), st.booleans()),
                min_size=0, max_size=14))
def test_previous_positions_is_the_grouped_shift(rows):
    lap = pd.DataFrame({"id_pn": [r[0] for r in rows], "identity_group": pd.Series([r[1] for r in rows], dtype=np.int64),
                        "identity_conflict": pd.Series([r[2] for r in rows], dtype=bool)})
    lap = lap.sort_values("id_pn", kind="stable").reset_index(drop=True)  # in declaration order
    np.testing.assert_array_equal(previous_positions(lap), _previous_positions_plainly(lap))


def _previous_version_plainly(decl, prev_decl, kind, text) -> np.ndarray:
    key = pd.DataFrame({"decl": decl, "kind": kind, "text": text})
    key["occ"] = key.groupby(["decl", "kind", "text"], sort=False).cumcount()
    earlier = key.assign(at=np.arange(len(key)))
    matched = key.assign(decl=prev_decl).merge(earlier, on=["decl", "kind", "text", "occ"], how="left")
    return np.where(prev_decl >= 0, matched["at"].fillna(-1).to_numpy(), -1).astype(np.int64)


@hyp_settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=0, max_size=20),
       st.lists(st.integers(-1, 4), min_size=6, max_size=6))
def test_previous_version_is_the_merge_on_kind_text_and_occurrence(items, links):
    """Items of declarations 0..5 (sorted by declaration), each with a previous declaration or none (-1),
    possibly a later one or itself: alike items pair up in their order of listing."""
    decl = np.sort(np.array([i % 6 for i in range(len(items))], dtype=np.int64))
    kind = np.array([k for k, _ in items], dtype=np.int64)
    text = np.array([t * 1000 for _, t in items], dtype=np.int64)  # keys need not be small
    prev_decl = np.array(links, dtype=np.int64)[decl]
    np.testing.assert_array_equal(previous_version(decl, prev_decl, kind, text),
                                  _previous_version_plainly(decl, prev_decl, kind, text))


def test_item_changes_pairs_the_nth_alike_item_of_the_same_kind():
    lap = [declaration("A", 2020), declaration("A", 2021), declaration("A", 2022), declaration("B", 2022)]
    harta = [item("A", 2020, "kas", "Tabungan", 10.0), item("A", 2020, "kas", "Tabungan", 20.0),
             item("A", 2021, "kas", "TABUNGAN.", 11.0), item("A", 2021, "kas", "Tabungan", 21.0),
             item("A", 2021, "kas", "Tabungan", 31.0), item("A", 2021, "harta_lainnya", "Tabungan", 5.0),
             item("A", 2022, "kas", "Tabungan", 12.0), item("B", 2022, "kas", "Tabungan", 7.0)]
    batch = make_batch(lap, harta)
    s = Settings()
    d = features.declarations(batch.laporan, s)
    it = features.item_changes(batch.harta, d, s)
    nan = np.nan
    np.testing.assert_array_equal(it["prev_value"].to_numpy(), [nan, nan, 10.0, 20.0, nan, nan, 11.0, nan])
    assert it["is_new"].tolist() == [False, False, False, False, True, True, False, False]
    assert it["comparable"].tolist() == [False, False, True, True, True, True, True, False]


FIELD_CELLS = {"uraian": ["MOBIL, TOYOTA ALPHARD Tahun 2013, WARISAN", "Tas, HERMES BIRKIN Tahun 2019", "Jam Rolex",
                          None, "MOTOR, HARLEY DAVIDSON FATBOY Tahun 2015"],
               "merek": ["TOYOTA", "  ", None, "HERMES", "HARLEY"],
               "model": ["ALPHARD", "BIRKIN", "", None, "DAVIDSON"],
               "jenis": ["MOBIL", None, "MOTOR", "JAM"],
               "kategori": ["alat_transportasi", "harta_bergerak_lain"],
               "tahun_pembuatan": [2013, None, "2019", "tua"]}


@hyp_settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({c: st.sampled_from(v) for c, v in FIELD_CELLS.items()}), min_size=1,
                max_size=10))
def test_item_fields_per_distinct_combination_are_the_fields_of_each_item(rows):
    """distinct_item_fields reads a description only where a field is missing; every item's fields must be
    what _item_fields makes of its own row, blank brands, unknown build years and missing jenis included."""
    frame = pd.DataFrame(rows).astype(object)
    plain = luxury._item_fields(frame).reset_index(drop=True)
    pd.testing.assert_frame_equal(luxury.item_fields(frame).reset_index(drop=True), plain)


@hyp_settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["I", "IV", "DPRD", None, np.nan, "Kepala Daerah", 4]),
                          st.sampled_from(["provinsi", "kabupaten", None, np.nan])), min_size=0, max_size=12))
def test_peer_levels_per_distinct_pair_are_the_labels_of_each_official(officials):
    eselon = pd.Series([e for e, _ in officials], dtype=object, index=np.arange(len(officials)) * 3)
    tingkat = pd.Series([t for _, t in officials], dtype=object, index=eselon.index)
    es = eselon.fillna("non-eselon").astype(str)
    plain = [es + " / " + tingkat.fillna("lainnya").astype(str), es,
             "kelompok " + es.map(features.peers.ESELON_FAMILY).fillna("lainnya"), pd.Series("semua", index=es.index)]
    for got, want in zip(features.peer_levels(eselon, tingkat), plain, strict=True):
        pd.testing.assert_series_equal(got, want, check_names=False)
