"""Money, dates and years as people type them."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from lhkpn_check.parse import _dotted_rupiah, _money_one, parse_date, parse_id, parse_money, parse_year


@pytest.mark.parametrize("text, value", [
    ("1250000000", 1_250_000_000), ("1.250.000.000", 1_250_000_000), ("Rp 1.250.000.000,00", 1_250_000_000),
    ("Rp.1.950.348.502", 1_950_348_502), ("Rp. 1,25 M", 1_250_000_000), ("750 jt", 750_000_000),
    ("1,5 miliar", 1_500_000_000), ("500 rb", 500_000), (1250000000.0, 1_250_000_000), ("0", 0),
])
def test_money_as_typed(text, value):
    values, bad = parse_money(pd.Series([text], dtype="object"))
    assert values.iloc[0] == value and not bad.iloc[0]


@pytest.mark.parametrize("text", ["-", "", None, "--"])
def test_money_not_given_is_missing_not_zero(text):
    values, bad = parse_money(pd.Series([text], dtype="object"))
    assert np.isnan(values.iloc[0]) and not bad.iloc[0]


def test_unreadable_money_is_flagged():
    values, bad = parse_money(pd.Series(["satu juta", "12 kg"], dtype="object"))
    assert values.isna().all() and bad.all()


@pytest.mark.parametrize("text, date", [
    ("31 Desember 2020", dt.date(2020, 12, 31)), ("2020-12-31", dt.date(2020, 12, 31)),
    ("31/12/2020", dt.date(2020, 12, 31)), ("15 Apr 2025", dt.date(2025, 4, 15)),
    ("1 Agustus 2021", dt.date(2021, 8, 1)), ("5 Mei 2019", dt.date(2019, 5, 5)),
    (dt.datetime(2022, 12, 31), dt.date(2022, 12, 31)), (44926, dt.date(2022, 12, 31)),
])
def test_dates_as_typed(text, date):
    values, bad = parse_date(pd.Series([text], dtype="object"))
    assert values.iloc[0].date() == date and not bad.iloc[0]


@pytest.mark.parametrize("text", ["1600-01-01", "2263-01-01", "31 Desember 2300"])
def test_dates_a_column_cannot_hold_are_unreadable_not_another_date(text):
    values, bad = parse_date(pd.Series([text, "2021-12-31"], dtype="object"))
    assert pd.isna(values.iloc[0]) and bad.tolist() == [True, False]
    assert values.iloc[1] == pd.Timestamp(2021, 12, 31)


def test_year_never_read_as_excel_serial():
    years, bad = parse_year(pd.Series(["2022", "20222", "2O21", "31 Desember 2019"], dtype="object"))
    assert years.iloc[0] == 2022 and years.iloc[3] == 2019
    assert bad.tolist() == [False, True, True, False]


def test_eighteen_digit_nip_stays_exact_text():
    assert parse_id(pd.Series(["198501012010011001", 12345.0, " 77\x00 "], dtype="object")).tolist() == [
        "198501012010011001", "12345", "77"]


def test_money_column_of_numbers_text_and_blanks_reads_each_cell_as_alone():
    """A column mixing Excel numbers, typed text and blanks reads every cell as parsing it alone would."""
    cells = [1250000000.0, 7, "986.000.000", "Rp 1.250.000.000,00", "750 jt", None, "-", "abc", True, 0.0,
             "1250000000", np.nan, dt.datetime(2022, 12, 31)]
    values, bad = parse_money(pd.Series(cells, dtype=object))
    for i, cell in enumerate(cells):
        alone, alone_bad = parse_money(pd.Series([cell], dtype=object))
        assert bool(bad.iloc[i]) == bool(alone_bad.iloc[0]), cell
        assert (np.isnan(values.iloc[i]) and np.isnan(alone.iloc[0])) or values.iloc[i] == alone.iloc[0], cell
    assert values.iloc[0] == 1.25e9 and values.iloc[1] == 7.0 and values.iloc[2] == 9.86e8
    assert np.isnan(values.iloc[5]) and not bad.iloc[5]
    assert bad.iloc[7] and bad.iloc[12]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet="Rrpi. 0123456789,-MmJjt\x00", max_size=26),
    st.integers(min_value=0, max_value=10**19).map(lambda n: f"{n:,}".replace(",", ".")),
    st.tuples(st.sampled_from(["", "Rp", "Rp.", "Rp. ", "RP ", "rp", " Rp", "Rp  "]),
              st.integers(min_value=0, max_value=10**17)).map(lambda p: p[0] + f"{p[1]:,}".replace(",", ".")),
    st.floats(allow_nan=False), st.none(),
    st.floats(min_value=0, max_value=1e16, allow_nan=False).map(repr),  # as pandas writes a float column
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(lambda v: f"{v:.2f}")), max_size=30))
def test_fast_money_reading_agrees_with_the_full_parser(cells):
    """The array shortcut for the common `Rp.1.250.000.000` and `1250000000.0` shapes reads every text it
    takes exactly as the full parser does, and takes the common shapes."""
    values = np.array(cells + ["1.250.000.000", "Rp.1.950.348.502", "Rp 750.000", "1250000000", "1250000000.0",
                               "1234.56", "0.5"], dtype=object)
    fast, done = _dotted_rupiah(values)
    assert done[-7:].all()
    for value, got in zip(values[done], fast[done]):
        assert got == _money_one(value), value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet="Rrp. 0123456789,-jt\x00e", max_size=26),
    st.integers(min_value=0, max_value=10**19).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(min_value=0, max_value=10**19).map(str),
    st.none()), min_size=1, max_size=40))
def test_text_money_column_reads_each_cell_as_the_full_parser(cells):
    """A column of text only (as a CSV gives it) reads every cell as `_money_one` does on its own."""
    values, bad = parse_money(pd.Series(cells, dtype=object))
    for cell, value, unreadable in zip(cells, values, bad):
        expected = np.nan if cell is None else _money_one(cell)
        assert bool(unreadable) == bool(np.isneginf(expected)), cell
        if not unreadable:
            assert (np.isnan(value) and np.isnan(expected)) or value == expected, cell


_DATE_CELLS = st.one_of(
    st.none(), st.sampled_from(["31 Desember 2021", "2020-12-31", "31/12/2020", "2021", "44926", "kemarin", "-",
                                "", "31 Desember 20222", "30 Februari 2021"]),
    st.integers(1890, 2300), st.floats(20000, 90000, allow_nan=False), st.dates().map(str))


@settings(max_examples=200, deadline=None)
@given(st.lists(_DATE_CELLS, max_size=30))
def test_date_and_year_columns_read_each_cell_as_alone(cells):
    """Read once per distinct cell and spread back over the column, every cell reads as it does alone; an
    empty cell is missing and not flagged."""
    from lhkpn_check.parse import _date_one, _year_one

    column = pd.Series(cells, dtype="object", index=pd.RangeIndex(5, 5 + len(cells)))
    dates, bad_dates = parse_date(column)
    years, bad_years = parse_year(column)
    assert dates.dtype == "datetime64[ns]" and years.dtype == "Int64"
    assert dates.index.equals(column.index) and years.index.equals(column.index)
    for i, cell in enumerate(cells):
        date = None if cell is None else _date_one(cell)
        if date is not None and date is not pd.NaT and not pd.Timestamp.min <= date <= pd.Timestamp.max:
            date = None  # beyond what a datetime64[ns] column holds: unreadable
        assert bad_dates.iloc[i] == (date is None and cell is not None)
        assert (pd.isna(dates.iloc[i]) if date is None or date is pd.NaT else dates.iloc[i] == date)
        year = None if cell is None else _year_one(cell)
        assert bad_years.iloc[i] == (year == -1)
        assert pd.isna(years.iloc[i]) if year in (None, -1) else years.iloc[i] == year


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([
    "MOBIL, TOYOTA LAND CRUISER Tahun 2021, HIBAH TANPA AKTA", "MOTOR, HONDA BEAT Tahun 2019, HASIL SENDIRI",
    "TANAH Seluas 200 m2 di KOTA UJI, WARISAN", "Tanah dan Bangunan Seluas 625 m2/315 m2 di KAB X, HASIL SENDIRI",
    "PERABOTAN RUMAH TANGGA, HASIL SENDIRI", "lain-lain"])), max_size=20))
def test_uraian_fields_of_a_column_are_each_description_read_alone(cells):
    from lhkpn_check.uraian import FIELDS, parse_uraian

    column = pd.Series(cells, dtype="object", index=pd.RangeIndex(3, 3 + len(cells)))
    fields = parse_uraian(column)
    assert list(fields.columns) == list(FIELDS) and fields.index.equals(column.index)
    assert str(fields["tahun_pembuatan"].dtype) == "Int64"
    assert fields["luas_tanah"].dtype == "float64" and fields["luas_bangunan"].dtype == "float64"
    for i, cell in enumerate(cells):
        alone = parse_uraian(pd.Series([cell], dtype="object"))
        for field in FIELDS:
            a, b = fields[field].iloc[i], alone[field].iloc[0]
            assert (pd.isna(a) and pd.isna(b)) or a == b, (cell, field, a, b)


def test_harta_text_checked_and_read_once_per_distinct_text_as_kept():
    """Each distinct description is cleaned, checked and read once: a description over the length limit is
    read as kept (cut), a 'Total' row is rejected, an unknown code is noted, and the fields read equal what
    reading the kept column afresh gives."""
    from lhkpn_check.model import RawSheet
    from lhkpn_check.settings import Settings
    from lhkpn_check.uraian import FIELDS, parse_uraian
    from lhkpn_check.validate import MAX_TEXT, type_sheet

    car = "MOBIL, TOYOTA LAND CRUISER Tahun 2021, HIBAH TANPA AKTA"
    long_land = "TANAH Seluas 200 m2 di KOTA UJI " + "x" * MAX_TEXT + ", WARISAN"
    uraian = [car, f"  {car} ", long_land, " Total ", None, "-", car]
    frame = pd.DataFrame({
        "id_pn": ["1"] * len(uraian), "tahun_lapor": ["2023"] * len(uraian),
        "kategori": ["Alat Transportasi dan Mesin", "Alat Transportasi dan Mesin", "Tanah dan Bangunan",
                     "Tanah dan Bangunan", "Kas dan Setara Kas", "Kas dan Setara Kas", "Perhiasan"],
        "uraian": uraian, "asal_usul": ["Hasil Sendiri", None, None, None, "Nemu di jalan", None, None],
        "nilai_pelaporan": ["1.000.000"] * len(uraian), "_row": [i + 2 for i in range(len(uraian))]})
    typed = type_sheet(RawSheet(name="harta", source="uji.csv", label="harta", frame=frame), Settings())
    df = typed.frame
    kinds = pd.concat(typed.problems)[["row", "kind"]].astype(str).agg(":".join, axis=1).tolist()
    assert "4:text_truncated" in kinds and "5:summary_row" in kinds and "6:code_unknown" in kinds
    assert "8:kategori_unknown" in kinds and not any(k.startswith("2:") for k in kinds)
    assert typed.reject.tolist() == [False, False, False, True, False, False, True]
    assert df["uraian"].iloc[1] == car and len(df["uraian"].iloc[2]) == MAX_TEXT
    assert df["uraian"].iloc[4:6].isna().all()
    assert df["merek"].iloc[0] == "TOYOTA" and df["tahun_pembuatan"].iloc[1] == 2021
    assert df["luas_tanah"].iloc[2] == 200 and pd.isna(df["asal_usul"].iloc[2])  # ", WARISAN" was cut off
    again = parse_uraian(df["uraian"])
    for field in ("jenis", "merek", "model", "tahun_pembuatan", "luas_tanah", "lokasi"):
        expected = df[field].combine_first(again[field]) if field in FIELDS else again[field]
        pd.testing.assert_series_equal(df[field], expected, check_names=False, check_dtype=False)


def test_item_fields_given_win_and_missing_ones_come_from_uraian_with_the_columns_types():
    """A merek typed in the sheet is kept and a blank one is read from uraian; a column the sheet lacks
    (jenis, tahun_pembuatan, luas_tanah) is what uraian gives, typed as an empty column of its kind."""
    from lhkpn_check.model import RawSheet
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import type_sheet

    uraian = ["MOBIL, TOYOTA LAND CRUISER Tahun 2021, HIBAH TANPA AKTA", "MOTOR, HONDA BEAT Tahun 2019, HASIL SENDIRI",
              "TANAH Seluas 200 m2 di KOTA UJI, WARISAN", None]
    frame = pd.DataFrame({"id_pn": ["1"] * 4, "tahun_lapor": ["2023"] * 4, "kategori": ["Kas dan Setara Kas"] * 4,
                          "uraian": uraian, "merek": ["LEXUS", None, None, "-"], "_row": [2, 3, 4, 5]})
    df = type_sheet(RawSheet(name="harta", source="uji.csv", label="harta", frame=frame), Settings()).frame
    assert df["merek"].tolist()[:2] == ["LEXUS", "HONDA"] and df["merek"].iloc[2:].isna().all()
    assert df["jenis"].dtype == object and df["jenis"].iloc[0] == "MOBIL" and pd.isna(df["jenis"].iloc[3])
    assert str(df["tahun_pembuatan"].dtype) == "Int64" and df["tahun_pembuatan"].tolist()[:2] == [2021, 2019]
    assert df["luas_tanah"].dtype == "float64" and df["luas_tanah"].iloc[2] == 200
    from lhkpn_check.uraian import FIELDS

    given = frame.assign(**{f: None for f in FIELDS if f not in frame})
    whole = type_sheet(RawSheet(name="harta", source="uji.csv", label="harta", frame=given), Settings()).frame
    assert list(df.columns) == [c for c in whole.columns if c in df]  # in the place a given column takes


def test_distinct_rows_gives_alike_rows_one_code_and_points_at_the_first():
    from lhkpn_check.parse import distinct_rows

    frame = pd.DataFrame({"a": ["x", "y", "x", None, np.nan, "x"], "b": [1, 1, 1, 2, 2, 3]})
    codes, first = distinct_rows(frame)
    assert codes.tolist() == [0, 1, 0, 2, 2, 3]  # None and NaN alike; (x, 3) differs from (x, 1)
    assert first.tolist() == [0, 1, 3, 5]
    rebuilt = frame.iloc[first].reset_index(drop=True).iloc[codes].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt.fillna("-"), frame.fillna("-"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "Z"]), st.sampled_from([2022, 2023]),
                          st.sampled_from(["kas", "tanah_bangunan", "hutang"]),
                          st.one_of(st.none(), st.integers(0, 900).map(lambda v: v * 1e6))), max_size=25),
       st.lists(st.one_of(st.none(), st.integers(0, 900).map(lambda v: v * 1e6)), min_size=18, max_size=18))
def test_missing_totals_come_from_the_items_and_differences_are_noted(items, declared):
    """Each declaration's category total, where it is missing, is the sum of its items (a category with items
    whose values are all missing sums to 0); where both are given and differ by over 1%, a problem is noted
    and the declared total kept. The oracle is the plain pivot table of the items."""
    from lhkpn_check.features import item_declaration
    from lhkpn_check.validate import _fill_totals, _Problems

    cats = ["kas", "tanah_bangunan", "hutang"]
    lap = pd.DataFrame([(p, y) for p in ("A", "B") for y in (2021, 2022, 2023)], columns=["id_pn", "tahun_lapor"])
    lap["tanggal_lapor"] = pd.to_datetime(lap["tahun_lapor"].astype(str) + "-12-31")
    for i, c in enumerate(cats):
        lap[c] = np.array(declared[i * 6:(i + 1) * 6], dtype=float)
    for c in ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas",
              "harta_lainnya", "hutang"):
        lap[c] = lap[c] if c in lap else np.nan
    lap["_source"], lap["_sheet"], lap["_row"] = "uji.csv", "laporan", np.arange(2, len(lap) + 2)
    harta = pd.DataFrame(items, columns=["id_pn", "tahun_lapor", "kategori", "nilai_pelaporan"]).astype(
        {"nilai_pelaporan": float})
    harta["tanggal_lapor"] = pd.NaT

    problems = _Problems("id")
    out = _fill_totals(lap.copy(), harta, problems)

    if not len(harta):
        pd.testing.assert_frame_equal(out, lap)
        return
    sums = harta.assign(_decl=item_declaration(harta, lap)).pivot_table(
        index="_decl", columns="kategori", values="nilai_pelaporan", aggfunc="sum").reindex(np.arange(len(lap)))
    noted = pd.concat(problems.parts)[["row", "column"]] if problems.parts else pd.DataFrame(columns=["row", "column"])
    for c in cats:
        from_items = sums[c].to_numpy() if c in sums else np.full(len(lap), np.nan)
        expected = np.where(lap[c].isna() & ~np.isnan(from_items), from_items, lap[c])
        np.testing.assert_array_equal(out[c].to_numpy(), expected)
        differ = lap[c].notna() & ~np.isnan(from_items) & (
            (lap[c] - from_items).abs() > 0.01 * np.maximum(np.abs(from_items), 1.0))
        assert sorted(noted.loc[noted["column"] == c, "row"].astype(int)) == sorted(lap.loc[differ, "_row"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["2021", "2022", "2023", "-"]),
                          st.one_of(st.none(), st.sampled_from(["5.000.000", "12.500.000"])),
                          st.sampled_from(["", "30/06/2022"])), max_size=8),
       st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D", "-"]),
                          st.sampled_from(["2020", "2021", "2022", "2023", "", "20222"]),
                          st.sampled_from(["1.000.000", "2.500.000", ""]),
                          st.sampled_from(["", "30/06/2022"])), max_size=20))
def test_items_without_an_accepted_declaration_are_orphans_and_the_rest_fill_totals(declarations, items):
    """An item is rejected as an orphan exactly when its official and year have no accepted declaration,
    whatever its date (the oracle is the plain merge on both keys); the accepted items fill a declaration's
    missing cash total with their sum; rows read = accepted + rejected."""
    from lhkpn_check.model import RawBatch, RawSheet
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import validate

    def year(frame):  # the year a row stands for: its own, else its date's (an unreadable year counts as none)
        return frame["tahun_lapor"].where(frame["tahun_lapor"].isin(["2020", "2021", "2022", "2023"]),
                                          frame["tanggal_lapor"].map({"30/06/2022": "2022"}))

    lap = pd.DataFrame(declarations, columns=["id_pn", "tahun_lapor", "kas", "tanggal_lapor"]).astype(object)
    lap = lap.assign(_y=year(lap)).drop_duplicates(["id_pn", "_y"]).drop(columns="_y").reset_index(drop=True)
    lap["nama"], lap["lembaga"], lap["jabatan"] = "N", "L", "J"
    lap["_row"] = np.arange(2, len(lap) + 2)
    harta = pd.DataFrame(items, columns=["id_pn", "tahun_lapor", "nilai_pelaporan", "tanggal_lapor"]).astype(object)
    harta["kategori"] = "Kas dan Setara Kas"
    harta["_row"] = np.arange(2, len(harta) + 2)
    raw = RawBatch(sheets={"laporan": RawSheet("laporan", "uji.xlsx", "laporan", lap),
                           "harta": RawSheet("harta", "uji.xlsx", "harta", harta)}, inputs=[])
    batch = validate(raw, Settings())

    accepted = lap.assign(tahun_lapor=year(lap)).dropna(subset=["tahun_lapor"])[["id_pn", "tahun_lapor"]]
    valid = harta.assign(tahun_lapor=year(harta))
    valid = valid[(valid["id_pn"] != "-") & valid["tahun_lapor"].notna()]
    found = valid.merge(accepted.assign(_hit=True), how="left", on=["id_pn", "tahun_lapor"])
    expected_orphans = sorted(found.loc[found["_hit"].isna(), "_row"].tolist())
    quality = batch.quality
    orphans = sorted(quality.loc[quality["kind"] == "orphan_item", "row"].astype(int).tolist())
    assert orphans == expected_orphans
    counts = batch.counts["harta"]
    assert counts.read == len(harta) == counts.accepted + counts.rejected
    assert counts.accepted == len(valid) - len(expected_orphans) == len(batch.harta)

    kept = found[found["_hit"].notna()]
    for _, row in batch.laporan.iterrows():
        mine = kept[(kept["id_pn"] == row["id_pn"]) & (kept["tahun_lapor"] == str(row["tahun_lapor"]))]
        declared = lap.loc[(lap["id_pn"] == row["id_pn"]) & (year(lap) == str(row["tahun_lapor"])), "kas"]
        dated = (kept.loc[kept["id_pn"] == row["id_pn"], "tanggal_lapor"] != "").any()  # may go by date instead
        if declared.isna().all() and len(mine) and not dated:
            values = parse_money(mine["nilai_pelaporan"].astype(object))[0]
            assert row["kas"] == values.sum()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=40))
def test_chosen_texts_are_what_np_where_gives_in_a_frame(flags):
    """choose_text builds the column from the few texts; in a frame it equals the np.where statement, type
    included."""
    from lhkpn_check.parse import choose_text

    a = np.array([f[0] for f in flags], dtype=bool)
    b = np.array([f[1] for f in flags], dtype=bool)
    index = pd.RangeIndex(7, 7 + len(flags))
    expected, got = pd.DataFrame(index=index), pd.DataFrame(index=index)
    expected["s"] = np.where(a, "parts", np.where(b, "declared_total", ""))
    got["s"] = choose_text(np.where(a, 2, b.astype(int)), ("", "declared_total", "parts"), index)
    pd.testing.assert_frame_equal(got, expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["198501012010011001", " 198501012010011001", "77", "077", "-",
                                                     "A-1", "a-1", "", "nan"]),
                          st.integers(0, 99).map(float)), max_size=30))
def test_id_numbers_group_and_sort_as_the_ids(cells):
    """Each cell's id number is the rank of its id among the column's ids in text order: equal ids, also
    spelled apart in the sheet, get one number, and missing ids -1."""
    from lhkpn_check.parse import parse_id_coded

    column = pd.Series(cells, dtype="object", index=pd.RangeIndex(4, 4 + len(cells)))
    ids, numbers = parse_id_coded(column)
    expected = parse_id(column)
    pd.testing.assert_series_equal(ids, expected)
    given = expected.notna().to_numpy()
    assert (numbers[~given] == -1).all()
    ranks = pd.factorize(expected[given].to_numpy(dtype=object), sort=True)[0]
    assert numbers[given].tolist() == ranks.tolist()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", " A", "C"]), st.sampled_from(["2021", "2022", "-"]),
                          st.sampled_from(["", "30/06/2022", "31/12/2022", "01/01/1900"])), max_size=12))
def test_duplicate_declarations_are_rejected_and_shared_years_noted_as_the_plain_statement(declarations):
    """A declaration whose official, year and date (a missing date alike with 1 January 1900) an earlier
    row has is rejected, naming the earliest row; accepted declarations that share an official and a year
    are noted. The oracle is the plain pandas statement on the id texts."""
    from lhkpn_check.i18n import t
    from lhkpn_check.model import RawBatch, RawSheet
    from lhkpn_check.settings import Settings
    from lhkpn_check.validate import validate

    lap = pd.DataFrame(declarations, columns=["id_pn", "tahun_lapor", "tanggal_lapor"]).astype(object)
    lap["nama"], lap["lembaga"], lap["jabatan"] = "N", "L", "J"
    lap["_row"] = np.arange(2, len(lap) + 2)
    raw = RawBatch(sheets={"laporan": RawSheet("laporan", "uji.xlsx", "laporan", lap)}, inputs=[])
    quality = validate(raw, Settings()).quality

    dates = {"30/06/2022": "2022-06-30", "31/12/2022": "2022-12-31", "01/01/1900": "1900-01-01"}
    plain = lap.assign(id_pn=lap["id_pn"].str.strip(), _key=pd.to_datetime(lap["tanggal_lapor"].map(dates)))
    plain["tahun_lapor"] = pd.to_numeric(plain["tahun_lapor"], errors="coerce").fillna(plain["_key"].dt.year)
    plain = plain[plain["tahun_lapor"] >= Settings().min_year].assign(_key=lambda f: f["_key"].fillna(
        pd.Timestamp(1900, 1, 1)))
    ordered = plain.sort_values(["id_pn", "_key", "_row"], kind="stable")
    dup = ordered.duplicated(["id_pn", "tahun_lapor", "_key"], keep="first")
    first = ordered.groupby(["id_pn", "tahun_lapor", "_key"])["_row"].transform("first")
    expected = {int(r): t("quality.duplicate_declaration", "id", kept=str(k))
                for r, k in zip(ordered.loc[dup, "_row"], first[dup])}
    found = quality[quality["kind"] == "duplicate_declaration"]
    assert dict(zip(found["row"].astype(int), found["problem"])) == expected
    kept = ordered[~dup]
    shared = kept.loc[kept.duplicated(["id_pn", "tahun_lapor"], keep=False), "_row"]
    assert sorted(quality.loc[quality["kind"] == "same_year_declarations", "row"].astype(int)) == sorted(shared)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=4), max_size=30))
def test_text_rank_is_the_rank_in_text_order_that_sorted_factorize_gives(texts):
    from lhkpn_check.parse import text_rank

    values = np.array(texts, dtype=object)
    np.testing.assert_array_equal(text_rank(values), pd.factorize(values, sort=True)[0])


def test_validated_batch_carries_the_typed_keys_of_the_contract():
    """model.Batch's typed keys: every sheet's id rank and a key shared by descriptions that read alike, on
    every accepted row."""
    from lhkpn_check.income import norm_text
    from lhkpn_check.validate import load_batch

    batch = load_batch(Path(__file__).resolve().parents[1] / "samples" / "sampel.xlsx")
    for name in ("laporan", "harta", "temuan"):
        frame = getattr(batch, name)
        np.testing.assert_array_equal(frame["_id_pn_code"].to_numpy(),
                                      pd.factorize(frame["id_pn"].to_numpy(dtype=object), sort=True)[0])
    harta = batch.harta
    alike = pd.factorize(norm_text(harta["uraian"].fillna("")).to_numpy(dtype=object))[0]
    key = harta["_uraian_key"].to_numpy()
    assert len(set(zip(alike, key))) == len(set(alike)) == len(set(key))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["laporan.csv", "harta.csv", "b.xlsx", None]),
                          st.sampled_from(["laporan", "harta", "Harta 2"]),
                          st.one_of(st.none(), st.integers(1, 30)),
                          st.sampled_from(["kas", "tanah_bangunan", "id_pn", None])), max_size=60))
def test_quality_order_is_pandas_stable_sort_of_the_quality_table(rows):
    from lhkpn_check.validate import quality_order

    quality = pd.DataFrame(rows, columns=["source", "sheet", "row", "column"], dtype=object)
    expected = quality.sort_values(["source", "sheet", "row", "column"], kind="stable", na_position="first")
    np.testing.assert_array_equal(quality_order(quality), expected.index.to_numpy())


TRICKY_MONEY = ["1.234.567", "1,234,567.00", "Rp 1.5 M", "1e6", "-", "", "Rp. 2.000.000,-", "1234567.0", "0", "0.0",
                "Rp.1.950.348.502", "RP 750.000", "rp1.000", "Rp. 1.000", "Rp  1.000", " 1.000", "1.000 ", "1.25",
                "12.5", "1.250", "12.50.000", "1250.000", "1.2500", ".5", "5.", "Rp", "Rp.", "Rp ", "1..000",
                "999999999999999999", "1000000000000000000", "9999999999999.99", "999999999999999.9",
                "1.234.567.890.123.456.789", "12\x00", "1\x002", "١٢٣", "1.000.000.000.000.000.000.000",
                "Rp 1.250.000.000,00", "(1.000)", "-1.000", "1 250 000", "９９"]


@pytest.mark.parametrize("chunk", [1, 3, 1 << 14])
def test_fast_money_reading_agrees_with_the_full_parser_on_tricky_texts(monkeypatch, chunk):
    """Each text the array shortcut takes reads as `_money_one` reads it, whatever slice of the column it
    falls in (`_FAST_CHUNK`); the plain shapes are taken, the others left to `_money_one`."""
    from lhkpn_check import parse

    monkeypatch.setattr(parse, "_FAST_CHUNK", chunk)
    values = np.array(TRICKY_MONEY + [1234567.0, None, np.nan], dtype=object)
    fast, done = _dotted_rupiah(values)
    for value, got in zip(values[done], fast[done]):
        assert got == _money_one(value), value
    taken = {"1.234.567", "1234567.0", "0", "0.0", "Rp.1.950.348.502", "RP 750.000", "rp1.000", "Rp. 1.000", "1.25",
             "12.5", "1.250", "999999999999999999", "9999999999999.99"}
    assert set(values[done]) == taken
    text_only = np.array([None, *TRICKY_MONEY, None], dtype=object)  # as a CSV gives a column
    for cells in (values, text_only):
        column, bad = parse_money(pd.Series(cells, dtype=object))
        _agree_one_by_one(cells, column, bad)


def _agree_one_by_one(values, column, bad):
    for value, got, unreadable in zip(values, column, bad):
        alone = np.nan if value is None or (isinstance(value, float) and np.isnan(value)) else _money_one(value)
        assert bool(unreadable) == bool(np.isneginf(alone)), value
        assert unreadable or (np.isnan(got) and np.isnan(alone)) or got == alone, value


def test_description_origins_read_only_where_wanted_and_the_other_fields_alike():
    """uraian.distinct_fields reads a description's origin only for the texts asked (the sheet gives the
    others'), every other field the same; a text is read by a pattern whatever the case of its words,
    also a letter outside ASCII that the pattern's case folding reads as one (the long s)."""
    from lhkpn_check.uraian import distinct_fields

    texts = np.array(["MOBIL, TOYOTA AVANZA tAhUn 2015, HASIL SENDIRI", "TANAH SELUAS 200 m2 di KOTA UJI, WARISAN",
                      "Tabungan nomor 1, HIBAH DENGAN AKTA", "Kebun ſeluas 10 m2 di DESA X, WARISAN", "lain"], dtype=object)
    full = distinct_fields(texts)
    part = distinct_fields(texts, np.array([True, False, True, False, False]))
    pd.testing.assert_frame_equal(part.drop(columns="asal_usul"), full.drop(columns="asal_usul"))
    assert part["asal_usul"].tolist() == [full["asal_usul"].iloc[0], None, full["asal_usul"].iloc[2], None, None]
    assert full["asal_usul"].notna().tolist() == [True, True, True, True, False]
    assert full["tahun_pembuatan"].iloc[0] == 2015 and full["luas_tanah"].tolist()[1:4:2] == [200.0, 10.0]
    assert distinct_fields(texts[[3]])["luas_tanah"].iloc[0] == 10.0  # alone: the only text not ASCII
