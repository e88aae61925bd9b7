import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
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
    """Against the plain statement: each official takes the finest of its labels whose group has at least
    min_size members, else 'semua'."""
    es = pd.Series([o[0] for o in officials], dtype=object, index=pd.RangeIndex(3, 3 + len(officials)))
    lv = pd.Series([o[1] for o in officials], dtype=object, index=es.index)
    levels = features.peer_levels(es, lv)
    expected = levels[-1].copy()
    done = pd.Series(False, index=es.index)
    for labels in levels[:-1]:
        big = labels.map(labels.value_counts()) >= min_size
        expected[big & ~done] = labels[big & ~done]
        done |= big
    pd.testing.assert_series_equal(features.peer_groups(es, lv, min_size), expected)


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


def test_sorted_lookup_finds_what_a_hash_index_finds():
    """item_changes matches each item with its previous version by a binary search of sorted keys; it must
    find exactly what pandas' hash lookup finds, for repeated keys (first of a run) and misses alike."""
    import numpy as np
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lhkpn_check.features import _sorted_lookup

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.integers(-5, 40), max_size=30), st.lists(st.integers(-8, 45), max_size=30))
    def check(keys, queries):
        keys, queries = np.sort(np.array(keys, dtype=np.int64)), np.sort(np.array(queries, dtype=np.int64))
        values = np.arange(100, 100 + len(keys), dtype=np.int64)
        got = _sorted_lookup(keys, queries, values)
        first = pd.Series(np.arange(len(keys))).groupby(keys).first() if len(keys) else pd.Series(dtype=np.int64)
        at = pd.Index(first.index).get_indexer(queries)
        expected = np.where(at >= 0, values[first.to_numpy()[np.maximum(at, 0)]] if len(keys) else -1, -1)
        assert got.tolist() == expected.tolist()

    check()


def test_declarations_sort_and_number_as_the_plain_pandas_statement():
    """declarations sorts on integer codes of the ids; the order and decl_seq must be those of sorting on
    the columns (text ids, missing dates first, ties in input order) and counting within each official."""
    import numpy as np
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
        got = features.declarations(lap, Settings())
        expected = lap.assign(id_pn=lap["id_pn"].astype(str)).sort_values(
            ["id_pn", "tahun_lapor", "tanggal_lapor", "_row"], kind="stable", na_position="first")
        assert got["_row"].tolist() == expected["_row"].tolist()
        assert got["decl_seq"].tolist() == expected.groupby("id_pn").cumcount().tolist()

    check()


@hyp_settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["2021", "2022", "2023"]),
                          st.sampled_from(["", "30/06/2022", "31/12/2022", "31/12/2021"])), max_size=8),
       st.lists(st.tuples(st.sampled_from(["A", "0B", " 0B", "D"]), st.sampled_from(["2020", "2021", "2022", "2023"]),
                          st.sampled_from(["", "30/06/2022", "31/12/2022"]),
                          st.sampled_from(["Kas dan Setara Kas", "Tanah dan Bangunan", "Hutang",
                                           "Alat Transportasi dan Mesin"]),
                          st.sampled_from(["Mobil, Toyota", "MOBIL TOYOTA", "mobil toyota.", "Rumah", "-", "", "...",
                                           "MOBIL, TOYOTA LAND CRUISER Tahun 2021, HASIL SENDIRI"]),
                          st.sampled_from(["1.000.000", "2.500.000", ""])), max_size=25))
def test_items_matched_by_what_validate_worked_out_as_by_their_ids_and_texts(declarations, items):
    """item_changes reads each item's declaration and description number off the columns validate adds
    (_decl_row, _uraian_key); the result is the one it works out from the ids, dates and texts alone."""
    from lhkpn_check.engine import _with_ids
    from lhkpn_check.model import RawBatch, RawSheet
    from lhkpn_check.validate import validate

    lap = pd.DataFrame(declarations, columns=["id_pn", "tahun_lapor", "tanggal_lapor"]).astype(object)
    lap["id_pn"] = lap["id_pn"].map({"A": "A", "B": " 0B", "C": "0B "}).fillna(lap["id_pn"])  # two spellings of one id
    lap["nama"], lap["lembaga"], lap["jabatan"] = "N", "L", "J"
    lap["_row"] = np.arange(2, len(lap) + 2)
    harta = pd.DataFrame(items, columns=["id_pn", "tahun_lapor", "tanggal_lapor", "kategori", "uraian",
                                         "nilai_pelaporan"]).astype(object)
    harta["_row"] = np.arange(2, len(harta) + 2)
    raw = RawBatch(sheets={"laporan": RawSheet("laporan", "uji.xlsx", "laporan", lap),
                           "harta": RawSheet("harta", "uji.xlsx", "harta", harta)}, inputs=[])
    s = Settings()
    batch = validate(raw, s)
    decl = features.declarations(batch.laporan, s)
    pd.testing.assert_frame_equal(decl.drop(columns="_id_pn_code"),
                                  features.declarations(batch.laporan.drop(columns="_id_pn_code"), s))
    given_keys = features.item_changes(_with_ids(batch.harta), decl, s)
    carried = ["_decl_row", "_uraian_key", "_id_pn_code"]
    plain = features.item_changes(_with_ids(batch.harta.drop(columns=carried)), decl, s)
    if not len(batch.harta):
        return
    assert features._declaration_rows(_with_ids(batch.harta), decl) is not None
    pd.testing.assert_series_equal(pd.Series(pd.factorize(given_keys["ikey"])[0]),
                                   pd.Series(pd.factorize(plain["ikey"])[0]))
    pd.testing.assert_frame_equal(given_keys.drop(columns=["ikey", *carried]), plain.drop(columns=["ikey"]))
    from lhkpn_check.luxury import declared_luxury

    lux = declared_luxury(given_keys, s)
    for frame in (given_keys, lux):  # the declarations read off decl_pos and _decl_row, as by the ids
        assert (features._decl_positions(decl, frame) ==
                features._decl_positions(decl, frame.drop(columns=["decl_pos", "_decl_row"], errors="ignore"))).all()
    flows = features.funds(decl, given_keys, lux, s)
    officials = features.officials(flows, s)
    pd.testing.assert_frame_equal(officials.drop(columns="_id_pn_code"),
                                  features.officials(flows.drop(columns="_id_pn_code"), s))
    assert officials["id_pn"].is_unique and officials["id_pn"].is_monotonic_increasing
    backwards = flows.sort_values("id_pn", ascending=False, kind="stable")  # each official's rows kept in order
    pd.testing.assert_frame_equal(features.officials(backwards, s), officials)


@hyp_settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["2021", "2022", "2023"]),
                          st.sampled_from(["", "30/06/2022", "31/12/2022"]),
                          st.sampled_from([None, "150.000.000", "90.000.000"]), st.sampled_from([None, "20.000.000"]),
                          st.sampled_from(["KEPALA DINAS", "ANGGOTA DPRD", "STAF"])), max_size=10))
@example([("A", "2021", "", "90.000.000", None, "STAF"), ("A", "2022", "31/12/2022", "150.000.000", None, "STAF"),
          ("A", "2022", "30/06/2022", None, "20.000.000", "STAF")])
def test_income_worked_out_in_the_laporan_process_gives_the_same_declarations(rows):
    """A large batch works out the income in the laporan process while the batch is validated
    (pipeline._income, joined by pipeline._with_income); the declarations must be the same as when the
    features work it out, also for two declarations of one official in one year, whose order decides which
    one's salary fills an empty one."""
    from lhkpn_check.model import RawBatch, RawSheet
    from lhkpn_check.pipeline import _income, _with_income
    from lhkpn_check.validate import type_sheet, validate

    lap = pd.DataFrame(rows, columns=["id_pn", "tahun_lapor", "tanggal_lapor", "penerimaan_pekerjaan",
                                      "penerimaan_usaha", "jabatan"]).astype(object)
    lap["nama"], lap["lembaga"] = "N", "PEMERINTAH PROVINSI SAMPEL"
    lap["_row"] = np.arange(2, len(lap) + 2)
    raw = RawBatch(sheets={"laporan": RawSheet("laporan", "uji.xlsx", "laporan", lap)}, inputs=[])
    s = Settings()
    typed = {"laporan": type_sheet(raw.sheets["laporan"], s)}
    beside = _with_income(validate(raw, s, typed=typed).laporan, typed["laporan"], _income(typed["laporan"], s))
    assert set(features.INCOME_COLUMNS) <= set(beside.columns)
    expected = features.declarations(validate(raw, s).laporan, s)
    pd.testing.assert_frame_equal(features.declarations(beside, s), expected)
