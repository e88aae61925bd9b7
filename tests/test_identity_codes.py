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


def test_namesakes_found_for_each_official_among_many_in_any_row_order():
    """Officials whose agency goes A, B, A over the years are probable namesakes (groups 0, 1, 0); A, B is a
    career move; one agency throughout is neither. Decided per official, whatever the order of the rows
    and however many officials have more than one agency."""
    rng = np.random.default_rng(7)
    paths = {"back": ["DINAS PENDIDIKAN KOTA A", "DPRD KOTA A", "DINAS PENDIDIKAN KOTA A"],
             "move": ["DINAS PENDIDIKAN KOTA A", "DPRD KOTA A", "DPRD KOTA A"],
             "stay": ["BAPPEDA KOTA B"] * 3}
    kinds = rng.choice(list(paths), 60)
    rows = [{"id_pn": f"{i:03d}", "tahun_lapor": 2020 + y, "lembaga": paths[k][y], "nama": f"P{i}",
             "jabatan": "STAF", "kas": float(i * 10 + y)} for i, k in enumerate(kinds) for y in range(3)]
    df = pd.DataFrame(rows).sample(frac=1, random_state=3).reset_index(drop=True)
    df["_row"] = np.arange(2, len(df) + 2)
    df["tahun_lapor"] = df["tahun_lapor"].astype("Int64")
    out = identity.identities(df, np.ones(len(df), dtype=bool))
    kind = df["id_pn"].map({f"{i:03d}": k for i, k in enumerate(kinds)}).to_numpy()
    assert out["probable_namesake"].to_numpy().tolist() == (kind == "back").tolist()
    back = kind == "back"
    year = df["tahun_lapor"].to_numpy(dtype=int)
    assert out["identity_group"].to_numpy()[back].tolist() == np.where(year[back] == 2021, 1, 0).tolist()
    assert (out["identity_group"].to_numpy()[~back] == 0).all()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["1", "2", "10"]), st.sampled_from([2020, 2021]),
                          st.sampled_from(["2020-12-31", "2021-12-31", None]),
                          st.sampled_from(["Dinas Pendidikan Kota A", "DPRD KOTA A", "dinas pendidikan kota a.", None]),
                          st.sampled_from([1.0, 2.0, None])), min_size=1, max_size=16),
       st.lists(st.booleans(), min_size=16, max_size=16))
def test_identities_alike_from_typed_keys_and_coded_texts_or_from_the_texts(rows, candidate):
    """identity.identities numbers officials by validate's typed key and compares agencies and names by the
    coded distinct texts, contents only where one id and date holds several declarations: the same copies,
    conflicts, namesakes and groups as from the texts themselves."""
    from lhkpn_check.parse import clean_text_coded, parse_id_coded

    df = pd.DataFrame(rows, columns=["id_pn", "tahun_lapor", "tanggal_lapor", "lembaga", "kas"]).astype(
        {"id_pn": object, "lembaga": object})
    df["tahun_lapor"] = df["tahun_lapor"].astype("Int64")
    df["tanggal_lapor"] = pd.to_datetime(df["tanggal_lapor"])
    df["_row"] = np.arange(2, len(df) + 2)
    df["id_pn"], df["_id_pn_code"] = parse_id_coded(df["id_pn"])
    text, codes, uniques = clean_text_coded(df["lembaga"])
    df["lembaga"] = text.fillna("-")  # as validate fills a missing agency
    chosen = np.asarray(candidate[:len(df)], dtype=bool)
    typed = identity.identities(df, chosen, {"lembaga": (codes, uniques)})
    plain = identity.identities(df.drop(columns="_id_pn_code"), chosen)
    pd.testing.assert_frame_equal(typed, plain)
    # The copies and conflicts as a plain groupby of the chosen rows states them.
    from lhkpn_check.income import norm_text

    sub = df[chosen].assign(lembaga=norm_text(df.loc[chosen, "lembaga"]), tanggal_lapor=df.loc[
        chosen, "tanggal_lapor"].fillna(pd.Timestamp(1900, 1, 1)))
    same_date, content = ["id_pn", "tahun_lapor", "tanggal_lapor"], ["lembaga", "kas"]
    copies = sub.groupby(same_date + content, dropna=False)["_row"].transform("size")
    first = sub.groupby(same_date + content, dropna=False)["_row"].transform("min")
    kinds = sub[first == sub["_row"]].groupby(same_date, dropna=False)["_row"].transform("size")
    assert typed.loc[chosen, "copies"].tolist() == copies.tolist()
    assert typed.loc[chosen, "copy_of"].tolist() == np.where(first != sub["_row"], first, -1).tolist()
    assert typed.loc[chosen, "identity_conflict"].tolist() == (kinds.reindex(sub.index).fillna(1) > 1).tolist()
