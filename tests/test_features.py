import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from lhkpn_check import features
from lhkpn_check.settings import Settings
from test_rules import JT, declaration, item, make_batch


def _run(batch):
    s = Settings()
    d = features.declarations(batch.laporan, s)
    it = features.item_changes(batch.harta, d, s)
    return features.funds(d, it, None, s), it


def test_net_worth_is_nan_aware_and_falls_back_to_declared_total():
    lap = [declaration("A", 2022, kas=None, tanah=300 * JT, hutang=None),
           dict(declaration("B", 2022, declared=False, total=750 * JT), tanah_bangunan=None, alat_transportasi=None,
                harta_bergerak_lain=None, surat_berharga=None, kas=None, harta_lainnya=None, hutang=None)]
    d, _ = _run(make_batch(lap))
    by = d.set_index("id_pn")
    assert by.loc["A", "net_worth"] == 300 * JT and by.loc["A", "harta_total"] == 300 * JT
    assert by.loc["B", "net_worth"] == 750 * JT and by.loc["B", "net_worth_source"] == "declared_total"


def test_source_and_application_of_funds_over_two_years():
    lap = [declaration("A", 2020, kas=100 * JT), declaration("A", 2022, kas=900 * JT)]
    d, _ = _run(make_batch(lap))
    last = d.iloc[-1]
    assert last["years_elapsed"] == 2
    # growth 800 jt; savings 2 x (200 - 120) = 160 jt -> 640 jt unexplained, 3.2 years of income.
    assert last["unexplained"] == pytest.approx(640 * JT)
    assert last["unexplained_years"] == pytest.approx(3.2)


def test_items_new_and_held_are_told_apart():
    lap = [declaration("A", 2021), declaration("A", 2022)]
    harta = [item("A", 2021, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT),
             item("A", 2022, "tanah_bangunan", "Rumah, HASIL SENDIRI", 550 * JT),
             item("A", 2022, "tanah_bangunan", "Kebun, WARISAN", 300 * JT, asal="warisan")]
    d, it = _run(make_batch(lap, harta))
    assert it["is_new"].tolist() == [False, False, True]
    assert d.iloc[-1]["revaluation"] == 50 * JT and d.iloc[-1]["new_gift_value"] == 300 * JT


def test_items_are_tagged_the_same_whatever_order_the_sheet_lists_them_in():
    """Officials are numbered in the order the items list them (so grouped sheets need no reordering); a
    shuffled sheet must give every item the same declaration, novelty and previous value."""
    lap = [declaration(p, y) for p in ("B", "A", "C") for y in (2021, 2022)]  # C lists no item
    harta = [item(p, y, "tanah_bangunan", f"Rumah {p}, HASIL SENDIRI", (500 + 10 * (y - 2021)) * JT)
             for p in ("A", "B") for y in (2021, 2022)]
    harta += [item("A", 2022, "kas", "Tabungan", 40 * JT), item("X", 2022, "kas", "Tabungan", 40 * JT)]
    batch = make_batch(lap, harta)
    s = Settings()
    d = features.declarations(batch.laporan, s)
    cols = ["id_pn", "tahun_lapor", "uraian", "decl_seq", "decl_pos", "is_new", "prev_value", "comparable"]

    def tagged(h):
        return features.item_changes(h, d, s).sort_values("_row")[cols].reset_index(drop=True)

    grouped = tagged(batch.harta)
    assert "X" not in set(grouped["id_pn"])  # no declaration: not an item of any
    assert (d["id_pn"].to_numpy()[grouped["decl_pos"]] == grouped["id_pn"]).all()
    assert grouped["is_new"].tolist() == [False, False, False, False, True]
    assert grouped["prev_value"].tolist()[1] == 500 * JT
    shuffled = batch.harta.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(tagged(shuffled), grouped)


def test_peer_groups_merge_small_groups():
    es = pd.Series(["IV"] * 40 + ["III"] * 5 + ["II"] * 3)
    lv = pd.Series(["provinsi"] * 48)
    g = features.peer_groups(es, lv, 30)
    assert (g[:40] == "IV / provinsi").all()
    assert (g[40:45] == "kelompok administrator").all()  # III joins IV in the administrator family
    assert (g[45:] == "semua").all()


@hyp_settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["I", "II", "III", "IV", "DPRD", None, "Kepala Daerah"]),
                          st.sampled_from(["provinsi", "kabupaten", None])), max_size=60),
       st.integers(1, 12))
def test_peer_groups_are_the_finest_label_with_enough_members(officials, min_size):
    """Official by official: the finest of its labels shared by at least min_size officials, else 'semua'."""
    es = pd.Series([o[0] for o in officials], dtype=object, index=pd.RangeIndex(3, 3 + len(officials)))
    lv = pd.Series([o[1] for o in officials], dtype=object, index=es.index)
    levels = [list(labels) for labels in features.peer_levels(es, lv)]
    expected = []
    for i in range(len(officials)):
        finest = [labels[i] for labels in levels[:-1] if labels.count(labels[i]) >= min_size]
        expected.append(finest[0] if finest else "semua")
    got = features.peer_groups(es, lv, min_size)
    assert list(got.index) == list(es.index)
    assert list(got) == expected


def test_luxury_counts_only_the_declarations_own_items():
    """A Rubicon in the June Khusus declaration, gone by the December Periodik of the same year: only the June
    declaration holds its value."""
    from lhkpn_check.engine import analyze

    khusus = dict(declaration("A", 2023), tanggal_lapor=pd.Timestamp("2023-06-01"), jenis_laporan="khusus")
    lap = [declaration("A", 2022), khusus, declaration("A", 2023)]
    rubicon = "MOBIL, JEEP WRANGLER RUBICON Tahun 2021, HASIL SENDIRI"
    harta = [dict(item("A", 2023, "alat_transportasi", rubicon, 1500 * JT), tanggal_lapor=pd.Timestamp("2023-06-01")),
             dict(item("A", 2023, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT),
                  tanggal_lapor=pd.Timestamp("2023-12-31")),
             dict(item("A", 2022, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT),
                  tanggal_lapor=pd.Timestamp("2022-12-31"))]
    a = analyze(make_batch(lap, harta))
    d = a.declarations.sort_values("decl_seq")
    assert d["luxury_value"].tolist() == [0.0, 1500 * JT, 0.0]
    assert a.luxury["decl_seq"].tolist() == [1]


def test_declarations_sort_and_number_as_the_plain_pandas_statement():
    """declarations sorts on integer codes of the ids; the order and decl_seq must be those of sorting on
    the columns (text ids, missing dates first, ties in input order) and counting within each official."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    row = st.tuples(st.sampled_from(["9", "10", "A-1", "a", "3201"]), st.sampled_from([2020, 2021, 2022]),
                    st.one_of(st.none(), st.sampled_from(["2021-03-01", "2021-12-31", "2022-06-30"])))

    @settings(max_examples=40, deadline=None)
    @given(st.lists(row, min_size=1, max_size=12), st.randoms(use_true_random=False))
    def check(rows, rnd):
        lap = pd.DataFrame([declaration(pid, year) for pid, year, _ in rows])
        lap["tanggal_lapor"] = pd.to_datetime(pd.Series([d for _, _, d in rows], dtype=object))
        numbers = list(range(2, len(rows) + 2))
        rnd.shuffle(numbers)
        lap["_row"] = np.array(numbers, dtype=np.int64)
        lap["_id_pn_code"] = pd.factorize(lap["id_pn"].astype(str), sort=True)[0]  # model.Batch's typed key
        got = features.declarations(lap, Settings())
        expected = lap.assign(id_pn=lap["id_pn"].astype(str)).sort_values(
            ["id_pn", "tahun_lapor", "tanggal_lapor", "_row"], kind="stable", na_position="first")
        assert got["_row"].tolist() == expected["_row"].tolist()
        assert got["decl_seq"].tolist() == expected.groupby("id_pn").cumcount().tolist()

    check()




def test_lower_median_per_group_is_pandas_lower_quantile_for_every_group_at_once():
    from lhkpn_check.features.funds import _lower_median

    rng = np.random.default_rng(7)
    for n in (0, 1, 9, 2000):
        group = rng.integers(0, max(1, n // 3), n)
        values = rng.normal(size=n)
        values[rng.random(n) < 0.3] = np.nan  # missing values are left out; a group of none gives NaN
        expected = pd.Series(values).groupby(group).transform(
            lambda v: v.quantile(0.5, interpolation="lower")).to_numpy(dtype=float)
        np.testing.assert_array_equal(_lower_median(values, group), expected)
