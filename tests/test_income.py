import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.income import add_income, estimate_income, government_level, infer_eselon
from lhkpn_check.settings import Settings


def test_eselon_inferred_from_jabatan_and_lembaga():
    jab = pd.Series(["ANGGOTA DPRD", "KETUA DPRD", "WAKIL KETUA DPRD II", "SEKRETARIS FRAKSI", "BUPATI", "WAKIL BUPATI",
                     "KEPALA BIDANG", "INSPEKTUR PEMBANTU BIDANG EKONOMI", "KEPALA SEKSI PELAYANAN UMUM",
                     "KEPALA SUBBAGIAN UMUM", "LURAH BAYEMHARJO", "KEPALA DESA PLOSO", "ANGGOTA", "SEKRETARIS DAERAH",
                     "KEPALA DINAS KESEHATAN", "PRANATA KOMPUTER"])
    lem = pd.Series(["DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN WONOGIRI"] * 4 + ["PEMERINTAH KABUPATEN WONOGIRI"] * 8
                    + ["KOMISI PEMILIHAN UMUM (KPU)", "PEMERINTAH PROVINSI LAMPUNG", "PEMERINTAH KOTA X", "PEMERINTAH KOTA X"])
    got = infer_eselon(jab, lem)
    assert got["eselon"].tolist() == ["DPRD", "DPRD", "DPRD", "DPRD", "Kepala Daerah", "Kepala Daerah", "III", "III",
                                      "IV", "IV", "IV", "Kepala Desa", "KPU", "I", "II", "non-eselon"]
    assert got["peran"].iloc[:3].tolist() == ["anggota", "ketua", "wakil_ketua"]


def test_government_level():
    lv = government_level(pd.Series(["PEMERINTAH PROVINSI LAMPUNG", "PEMERINTAH KABUPATEN WONOGIRI", "PEMERINTAH KOTA YOGYAKARTA",
                                     "KEMENTERIAN KEUANGAN", "PT BANK JATENG",
                                     "DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN WONOGIRI"]))
    assert lv.tolist() == ["provinsi", "kabupaten", "kota", "pusat", "bumn", "kabupaten"]


def test_estimate_orders_positions_and_follows_settings():
    lap = pd.DataFrame({"jabatan": ["KEPALA SEKSI A", "KEPALA BIDANG B", "KEPALA DINAS C", "BUPATI", "ANGGOTA DPRD"],
                        "lembaga": ["PEMERINTAH KABUPATEN X"] * 4 + ["DPRD KABUPATEN X"],
                        "eselon": [None] * 5, "golongan": [None] * 5})
    est = estimate_income(lap, Settings())["income_estimate"]
    assert est.iloc[0] < est.iloc[1] < est.iloc[2] < est.iloc[3]
    assert 100e6 < est.iloc[0] < 250e6  # an eselon IV official of a kabupaten earns in that band a year
    more = estimate_income(lap, Settings({"income_months": 12.0}))["income_estimate"]
    assert more.iloc[0] == pytest.approx(est.iloc[0] * 12 / 14, rel=0.01)
    prov = estimate_income(lap.assign(lembaga="PEMERINTAH PROVINSI X"), Settings())["income_estimate"]
    assert prov.iloc[0] > est.iloc[0]


def test_declared_income_wins_and_source_is_marked():
    lap = pd.DataFrame({"jabatan": ["KEPALA SEKSI A"] * 2, "lembaga": ["PEMERINTAH KABUPATEN X"] * 2,
                        "eselon": ["IV", "IV"], "golongan": ["III/c", None],
                        "penerimaan_pekerjaan": [180e6, np.nan], "penerimaan_usaha": [20e6, np.nan],
                        "penerimaan_lainnya": [500e6, np.nan]})
    out = add_income(lap, Settings())
    assert out["income_source"].tolist() == ["declared", "estimated"]
    assert out["income_yearly"].iloc[0] == 200e6  # one-off penerimaan lainnya is not yearly income
    assert out["income_yearly"].iloc[1] == out["income_estimate"].iloc[1] > 0


def test_empty_salary_line_is_taken_from_the_officials_nearest_declaration():
    lap = pd.DataFrame({"id_pn": ["A", "A", "A", "B"], "_id_pn_code": [0, 0, 0, 1], "tahun_lapor": [2022, 2021, 2023, 2022],
                        "jabatan": ["KEPALA SEKSI A"] * 4, "lembaga": ["PEMERINTAH KABUPATEN X"] * 4,
                        "eselon": ["IV"] * 4, "golongan": ["III/c"] * 4,
                        "penerimaan_pekerjaan": [np.nan, 180e6, 190e6, np.nan],
                        "penerimaan_usaha": [10e6, 10e6, 10e6, 5e6], "penerimaan_lainnya": [0.0, 0.0, 0.0, np.nan]})
    out = add_income(lap, Settings())
    # 2022 of A: V.A empty, V.B filled -> the 2021 salary (previous declaration), not 10 jt a year.
    assert out["income_yearly"].iloc[0] == 190e6
    assert out["income_declared"].iloc[0] == 190e6
    assert out["penerimaan_pekerjaan_filled"].tolist() == [True, False, False, True]
    # B has no salary line anywhere: the estimate stands in for V.A, and the source stays declared.
    assert out["income_yearly"].iloc[3] == out["income_estimate"].iloc[3] + 5e6
    assert out["income_source"].tolist() == ["declared"] * 4


def test_estimate_per_distinct_title_equals_the_estimate_per_declaration():
    """add_income estimates each distinct (jabatan, lembaga, eselon, golongan) once: the same numbers as
    estimating every declaration, missing cells and repeats included."""
    from lhkpn_check.income import _estimate_per_distinct

    rng = np.random.default_rng(3)
    jabatan = ["KEPALA SEKSI A", "BUPATI", "WAKIL WALIKOTA", "ANGGOTA DPRD", "KETUA KPU", None, "LURAH X"]
    lembaga = ["PEMERINTAH KABUPATEN X", "PEMERINTAH PROVINSI Y", "DPRD KOTA Z", "KOMISI PEMILIHAN UMUM", None]
    eselon = [None, "III", "IV", "DPRD", " ", "JPT MADYA"]
    golongan = [None, "III/b", "IV/a", "II/c"]
    n = 400
    lap = pd.DataFrame({"jabatan": rng.choice(np.array(jabatan, dtype=object), n),
                        "lembaga": rng.choice(np.array(lembaga, dtype=object), n),
                        "eselon": rng.choice(np.array(eselon, dtype=object), n),
                        "golongan": rng.choice(np.array(golongan, dtype=object), n)},
                       index=pd.RangeIndex(100, 100 + n))
    pd.testing.assert_frame_equal(_estimate_per_distinct(lap, Settings()), estimate_income(lap, Settings()))


def _nearest_by_groupby(values, id_pn, tahun):
    """The plain pandas statement of the rule: previous declaration that has it, else the next one."""
    keys = pd.DataFrame({"id": id_pn.astype(str), "t": tahun, "v": values}).sort_values(["id", "t"], kind="stable")
    near = keys.groupby("id", sort=False)["v"].ffill()
    near = near.fillna(near.groupby(keys["id"], sort=False).bfill())
    return near.reindex(values.index)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", "10", "9"]), st.integers(2018, 2023),
                          st.one_of(st.none(), st.integers(0, 5).map(float))), max_size=30))
def test_nearest_declared_value_is_the_previous_then_the_next_of_the_same_official(rows):
    from lhkpn_check.income import _nearest_declared

    frame = pd.DataFrame(rows, columns=["id", "t", "v"]).astype({"v": float})
    frame.index = frame.index * 3 + 7  # not a range: the result must follow the index
    codes = pd.factorize(frame["id"], sort=True)[0].astype(np.int64)  # model.Batch's `_id_pn_code`
    got = _nearest_declared(frame["v"], codes, frame["t"])
    pd.testing.assert_series_equal(got, _nearest_by_groupby(frame["v"], frame["id"], frame["t"]),
                                   check_names=False)
