"""The synthetic batch: determinism, planted signatures really in the data, raw files, quality metrics."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from lhkpn_check.model import Batch, PLACE_COLUMNS
from lhkpn_check.sample import (LOOKALIKE_KINDS, LUXURY_BIKES, LUXURY_CARS, PLANTED_KINDS, generate,
                                write_sample)
from lhkpn_check.schema import HARTA_KATEGORI, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
CATS = list(HARTA_KATEGORI)


@pytest.fixture(scope="module")
def sample():
    return generate(n_officials=300, years=4, seed=5)


@pytest.fixture(scope="module")
def decl(sample):
    """Per declaration: net worth, yearly income, spending, and the previous year's values."""
    d = sample.laporan.sort_values(["id_pn", "tahun_lapor"]).copy()
    d["nw"] = d[CATS].sum(axis=1) - d["hutang"]
    g = d.groupby("id_pn")
    # An empty V.A is a salary not typed: the official's neighbouring declaration tells it.
    d["gaji"] = d["penerimaan_pekerjaan"].fillna(g["penerimaan_pekerjaan"].ffill()).fillna(
        g["penerimaan_pekerjaan"].bfill())
    d["recurring"] = d["gaji"] + d["penerimaan_usaha"].fillna(0)
    d["income"] = d["recurring"] + d["penerimaan_lainnya"].fillna(0)
    d["spend"] = d[["pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya"]].sum(axis=1, min_count=1)
    d["d_nw"] = g["nw"].diff()
    d["kas_prev"] = g["kas"].shift()
    d["hutang_prev"] = g["hutang"].shift()
    kind = sample.answer_key.set_index("id_pn")["kind"]
    d["kind"] = d["id_pn"].map(kind)
    return d


def ids_of(sample, kind):
    ak = sample.answer_key
    return set(ak.loc[ak["kind"] == kind, "id_pn"])


def officials_where(decl, mask):
    return set(decl.loc[mask, "id_pn"])


def norm(text):
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def load_quality():
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- determinism and shape -------------------------------------------------------------------------------------

def test_same_seed_gives_equal_frames_and_another_seed_differs():
    a, b = generate(80, 3, seed=9), generate(80, 3, seed=9)
    for name in ("laporan", "harta", "temuan", "answer_key"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    c = generate(80, 3, seed=10)
    assert not a.laporan[["id_pn", "total_harta_kekayaan"]].equals(c.laporan[["id_pn", "total_harta_kekayaan"]])


def test_years_and_start_year_shape_the_declarations():
    s = generate(60, 5, seed=1, start_year=2019)
    assert sorted(s.laporan["tahun_lapor"].unique()) == [2019, 2020, 2021, 2022, 2023]
    per_official = s.laporan.groupby("id_pn").size()
    assert per_official.max() == 5 and per_official.min() >= 2
    assert not s.laporan.duplicated(["id_pn", "tahun_lapor"]).any()
    with pytest.raises(ValueError):
        generate(60, 2)
    with pytest.raises(ValueError):
        generate(60, 6)


def test_frames_are_canonical_and_typed(sample):
    for name in ("laporan", "harta", "temuan"):
        frame = getattr(sample, name)
        assert set(SCHEMA[name]) <= set(frame.columns), name
        assert set(PLACE_COLUMNS) <= set(frame.columns), name
        assert (frame["_source"] == "sampel.xlsx").all() and (frame["_sheet"] == name).all()
        assert frame["_row"].tolist() == list(range(2, len(frame) + 2))
    lap = sample.laporan
    assert lap["tahun_lapor"].dtype == np.int64
    assert pd.api.types.is_datetime64_any_dtype(lap["tanggal_lapor"])
    assert (lap["tanggal_lapor"].dt.year == lap["tahun_lapor"]).all()
    assert lap["id_pn"].str.fullmatch(r"\d{16}|\d{18}").all()
    assert sample.temuan["tahun"].dtype == np.int64
    pns = lap["eselon"].isin(["I", "II", "III", "IV", "non-eselon"])
    assert lap.loc[pns, "id_pn"].str.len().eq(18).all()
    assert lap.loc[pns, "golongan"].str.fullmatch(r"(III|IV)/[a-e]").all()
    assert lap["nama"].str.startswith("Pejabat Sampel ").all()


def test_batch_property_counts_every_row(sample):
    batch = sample.batch
    assert isinstance(batch, Batch)
    assert batch.quality.empty and batch.inputs == []
    for name in ("laporan", "harta", "temuan"):
        c = batch.counts[name]
        assert c.read == c.accepted == len(getattr(sample, name)) and c.rejected == 0


def test_category_totals_are_the_sums_of_items(sample):
    items = (sample.harta.groupby(["id_pn", "tahun_lapor", "kategori"])["nilai_pelaporan"].sum()
             .unstack(fill_value=0.0))
    lap = sample.laporan.set_index(["id_pn", "tahun_lapor"])
    for cat in [*CATS, "hutang"]:
        got = items[cat].reindex(lap.index, fill_value=0.0) if cat in items else 0.0
        np.testing.assert_allclose(lap[cat], got, err_msg=cat)


def test_salaries_and_spending_are_realistic(decl):
    ordinary = decl[decl["kind"] == ""]
    monthly = ordinary.groupby("eselon")["penerimaan_pekerjaan"].median() / 13
    assert 8e6 <= monthly["IV"] <= 25e6
    assert monthly["non-eselon"] < monthly["IV"] < monthly["III"] < monthly["II"]
    assert 30e6 <= monthly["DPRD"] <= 65e6
    share = (ordinary["pengeluaran_rutin"] / ordinary["recurring"]).dropna()
    assert len(share) > 0.8 * len(ordinary)
    assert share.between(0.45, 0.85).all()
    assert (ordinary["kas"] >= 0).all()


# -- answer key and planted signatures -------------------------------------------------------------------------

def test_every_kind_is_planted_at_least_twice_and_every_lookalike_present(sample):
    ak = sample.answer_key
    counts = ak["kind"].value_counts()
    for kind in PLANTED_KINDS:
        assert counts.get(kind, 0) >= 2, kind
    for kind in LOOKALIKE_KINDS:
        assert counts.get(kind, 0) >= 1, kind
    assert ((ak["planted"] == 1) == ak["kind"].isin(PLANTED_KINDS)).all()
    share = ak["planted"].mean()
    assert 0.06 <= share <= 0.15
    assert (ak.loc[ak["kind"] != "", "keterangan"].str.len() > 20).all()


def test_answer_key_names_every_official_once(sample):
    ak = sample.answer_key
    assert not ak["id_pn"].duplicated().any()
    assert set(ak["id_pn"]) == set(sample.laporan["id_pn"])


def test_kas_far_above_income_only_where_planted(sample, decl):
    flagged = officials_where(decl, decl["kas"] > 10 * decl["income"])
    assert flagged == ids_of(sample, "kas_melebihi_penghasilan")


def test_debts_far_above_income_only_where_planted(sample, decl):
    flagged = officials_where(decl, decl["hutang"] > 10 * decl["income"])
    assert flagged == ids_of(sample, "hutang_melebihi_kemampuan")
    kpr = ids_of(sample, "lookalike_hutang_kpr")
    new_loan = decl["hutang"].gt(decl["hutang_prev"].fillna(0)) & decl["penerimaan_lainnya"].fillna(1).gt(0)
    assert kpr <= officials_where(decl, new_loan)


def test_spending_above_income_and_cash_only_where_planted(sample, decl):
    # A look-alike buying a car from a large income may brush the line; planted spending is several times it.
    flagged = officials_where(decl, decl["spend"] > 1.25 * (decl["income"] + decl["kas_prev"]))
    assert flagged == ids_of(sample, "pengeluaran_melebihi_kemampuan")


def test_vanished_debt_has_no_source(sample, decl):
    drop = decl["hutang_prev"] - decl["hutang"] - decl["pengeluaran_lainnya"].fillna(0)
    # Declared kas drifts by up to ~0.3 years of income from what the flows imply; a repayment from cash
    # would take years of income out of it.
    kas_held = decl["kas"] >= decl["kas_prev"] - 0.35 * decl["recurring"]
    unexplained = (drop > 2 * decl["income"]) & (decl["penerimaan_lainnya"].fillna(0) == 0) & kas_held
    assert officials_where(decl, unexplained) == ids_of(sample, "hutang_lunas_tanpa_sumber")


def test_net_worth_jumps_are_planted_or_explained(sample, decl):
    jump = decl["d_nw"] > 3 * decl["recurring"]
    jumped = decl.loc[jump, "kind"]
    assert ids_of(sample, "harta_naik_tak_terjelaskan") <= officials_where(decl, jump)
    assert set(jumped) <= {"harta_naik_tak_terjelaskan", "hibah_tanpa_akta", "hutang_lunas_tanpa_sumber",
                           "lookalike_warisan", "lookalike_hibah_akta", "pengeluaran_melebihi_kemampuan"}


def test_gifts_and_inheritance_carry_their_origin(sample, decl):
    harta = sample.harta
    income = decl.set_index(["id_pn", "tahun_lapor"])["recurring"]
    for kind, asal in (("hibah_tanpa_akta", "hibah_tanpa_akta"), ("lookalike_hibah_akta", "hibah_dengan_akta"),
                       ("lookalike_warisan", "warisan")):
        rows = harta[harta["asal_usul"] == asal]
        assert set(rows["id_pn"]) == ids_of(sample, kind), kind
        assert rows["uraian"].str.upper().str.endswith(asal.replace("_", " ").upper()).all()
        big = rows["nilai_pelaporan"].to_numpy() >= 2.5 * income.reindex(
            pd.MultiIndex.from_frame(rows[["id_pn", "tahun_lapor"]])).to_numpy()
        assert set(rows.loc[big, "id_pn"]) == ids_of(sample, kind), kind


def test_luxury_holdings_against_income(sample, decl):
    catalogue = {norm(f"{m} {mo}"): v * 1e6 for m, mo, v in (*LUXURY_CARS, *LUXURY_BIKES)}
    harta = sample.harta.copy()
    harta["ref"] = (harta["merek"].fillna("") + harta["model"].fillna("")).map(norm).map(catalogue)
    lux = harta[harta["ref"].notna()]
    held = lux.groupby(["id_pn", "tahun_lapor"])["nilai_pelaporan"].sum()
    income = decl.set_index(["id_pn", "tahun_lapor"])["income"]
    ratio = (held / income.reindex(held.index)).groupby(level=0).max()
    assert ids_of(sample, "barang_mewah_vs_penghasilan") == set(ratio[ratio >= 4].index)
    low = lux[lux["nilai_pelaporan"] <= 0.3 * lux["ref"]]
    assert set(low["id_pn"]) == ids_of(sample, "barang_mewah_dinilai_rendah")
    ordinary = ids_of(sample, "")
    assert not ordinary & set(lux["id_pn"])


def test_temuan_match_declarations_only_where_they_should(sample):
    harta = sample.harta
    harta_key = set(zip(harta["id_pn"], harta["tahun_lapor"], (harta["merek"].fillna("") + harta["model"].fillna(""))
                        .map(norm)))
    harta_text = harta.groupby(["id_pn", "tahun_lapor"])["uraian"].apply(lambda s: norm(" ".join(s)))
    found = {}
    for row in sample.temuan.itertuples():
        key = norm(f"{row.merek}{row.model}")
        in_items = any((row.id_pn, row.tahun + d, key) in harta_key for d in (0, 1))
        in_text = any(key in harta_text.get((row.id_pn, row.tahun + d), "") for d in (0, 1))
        assert in_items == in_text
        found.setdefault(row.id_pn, []).append(in_items)
    assert ids_of(sample, "temuan_tidak_dilaporkan") == {i for i, f in found.items() if not any(f)}
    assert ids_of(sample, "lookalike_temuan_dilaporkan") <= {i for i, f in found.items() if all(f)}
    ordinary_seen = {i for i in found if i in ids_of(sample, "")}
    assert ordinary_seen and all(all(found[i]) for i in ordinary_seen)


def test_declared_totals_differ_only_where_planted(sample, decl):
    gap = (decl["total_harta_kekayaan"] - decl["nw"]).abs()
    assert officials_where(decl, gap > 0.2 * decl["nw"].abs()) == ids_of(sample, "total_tidak_sesuai")
    # Elsewhere only typing: rounded to a million or a few parts per thousand, far under the 10 % tolerance.
    other = decl["kind"] != "total_tidak_sesuai"
    assert (gap[other] <= np.maximum(0.0045 * decl.loc[other, "nw"].abs(), 500_001)).all()
    assert 0.1 < (gap[other] > 0).mean() < 0.4


def test_uraian_looks_like_e_announcement(sample):
    harta = sample.harta
    vehicle = harta["kategori"] == "alat_transportasi"
    land = harta["kategori"] == "tanah_bangunan"
    asal = r"(HASIL SENDIRI|WARISAN|HIBAH DENGAN AKTA|HIBAH TANPA AKTA|HADIAH|LAINNYA)"
    canonical_vehicle = r"(MOBIL|MOTOR), [A-Z][A-Z0-9 \-]+ Tahun (19|20)\d\d, " + asal
    canonical_land = r"Tanah( dan Bangunan)? Seluas \d+ m2(/\d+ m2)? di KAB / KOTA [A-Z ]+, " + asal
    assert harta.loc[vehicle, "uraian"].str.fullmatch(canonical_vehicle).mean() > 0.85
    assert harta.loc[land, "uraian"].str.fullmatch(canonical_land).mean() > 0.85
    # Re-typed texts stay readable as e-Announcement text (case, a lost space, KOTA for KAB / KOTA, a trim).
    assert harta.loc[vehicle, "uraian"].str.fullmatch(
        r"(?i)(MOBIL|MOTOR), ?[A-Z][A-Z0-9 .\-/]+ Tahun (19|20)\d\d, ?" + asal).all()
    assert harta.loc[land, "uraian"].str.fullmatch(
        r"(?i)Tanah( dan Bangunan)? Seluas \d+ m2(/\d+ m2)? di (KAB / )?KOTA [A-Z ]+, ?" + asal).all()
    assert vehicle.any() and land.any()
    first = harta[vehicle].iloc[0]
    assert first["uraian"].startswith(f"{first['jenis']}, {first['merek']} {first['model']} Tahun "
                                      f"{int(first['tahun_pembuatan'])}")


# -- the noise of real declarations ------------------------------------------------------------------------------

def test_ordinary_cash_drifts_from_what_the_declared_flows_imply(decl):
    flows = ["penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya", "pengeluaran_rutin",
             "pengeluaran_harta", "pengeluaran_lainnya"]
    # Empty V.B, V.C or VI.C lines are "nothing to declare"; V.A and VI.A must be there to compare.
    d = decl[(decl["kind"] == "") & decl[["penerimaan_pekerjaan", "pengeluaran_rutin"]].notna().all(axis=1)
             & (decl["tahun_lapor"] - decl.groupby("id_pn")["tahun_lapor"].shift() == 1)]
    f = d[flows].fillna(0)
    implied = (f["penerimaan_pekerjaan"] + f["penerimaan_usaha"] + f["penerimaan_lainnya"] - f["pengeluaran_rutin"]
               - f["pengeluaran_harta"] - f["pengeluaran_lainnya"])
    drift = (d["kas"] - d["kas_prev"] - implied) / (f["penerimaan_pekerjaan"] + f["penerimaan_usaha"])
    assert len(d) > 300
    assert (drift.abs() > 0.01).mean() > 0.8
    assert drift.abs().max() <= 0.41  # 0.3 of drift, plus a small V.B (<= 10 % of salary) left empty
    assert drift.std() > 0.1


def test_empty_cells_are_partial_and_never_hide_a_planted_signal(sample, decl):
    lap = sample.laporan
    spend = ["pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya"]
    pen = ["penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya"]
    no_spend = lap[spend].isna().all(axis=1)
    assert 0.03 < no_spend.mean() < 0.15
    assert not set(lap.loc[no_spend, "id_pn"]) & ids_of(sample, "pengeluaran_melebihi_kemampuan")
    assert lap["penerimaan_pekerjaan"].isna().sum() > 0
    assert lap[pen].isna().any(axis=1).mean() > 0.2
    assert not lap[pen].isna().all(axis=1).any()
    # An empty V.B is a business income of nothing (or a small one); a spouse's business is always typed.
    assert lap.loc[lap["penerimaan_usaha"].isna(), "id_pn"].isin(ids_of(sample, "lookalike_usaha_pasangan")).sum() == 0


def _item_history(harta, kategori):
    h = harta[harta["kategori"] == kategori].copy()
    key = ["id_pn", "tahun_perolehan", "nilai_perolehan", "luas_tanah", "tahun_pembuatan", "asal_usul"]
    h["item"] = h.groupby(key, dropna=False).ngroup()
    h = h.sort_values(["item", "tahun_lapor"])
    g = h.groupby("item")
    h["prev_value"] = g["nilai_pelaporan"].shift()
    h["prev_uraian"] = g["uraian"].shift()
    h["years"] = h["tahun_lapor"] - g["tahun_lapor"].shift()
    return h[h["prev_value"].notna()]


def test_land_is_reappraised_and_vehicles_depreciate(sample):
    land = _item_history(sample.harta, "tanah_bangunan")
    yearly = (land["nilai_pelaporan"] / land["prev_value"]) ** (1 / land["years"])
    assert yearly.min() >= 1.0 and yearly.max() <= 1.10 + 1e-3
    assert 0.4 < (yearly > 1.0).mean() < 0.95
    cars = _item_history(sample.harta, "alat_transportasi")
    assert (cars["nilai_pelaporan"] <= cars["prev_value"]).all()
    assert (cars["nilai_pelaporan"] < cars["prev_value"]).mean() > 0.4


def test_some_items_are_typed_differently_in_a_later_declaration(sample):
    history = pd.concat([_item_history(sample.harta, k) for k in ("tanah_bangunan", "alat_transportasi")])
    changed = history[history["uraian"] != history["prev_uraian"]]
    assert 0.01 < len(changed) / len(history) < 0.2
    # Not only case and spaces: some are spelt differently (`KIJANG INOVA`, `KOTA` for `KAB / KOTA`).
    assert (changed["uraian"].map(norm) != changed["prev_uraian"].map(norm)).any()
    assert (changed["uraian"].map(norm) == changed["prev_uraian"].map(norm)).any()


def test_a_few_ordinary_officials_skip_a_year(sample):
    lap = sample.laporan.sort_values(["id_pn", "tahun_lapor"])
    step = lap.groupby("id_pn")["tahun_lapor"].diff()
    skipped = set(lap.loc[step == 2, "id_pn"])
    assert skipped and skipped <= ids_of(sample, "")
    assert len(skipped) < 0.08 * lap["id_pn"].nunique()


def test_noise_is_deterministic_per_seed():
    a, b, c = generate(120, 4, seed=31), generate(120, 4, seed=31), generate(120, 4, seed=32)
    pd.testing.assert_frame_equal(a.laporan, b.laporan)
    pd.testing.assert_frame_equal(a.harta, b.harta)
    pd.testing.assert_frame_equal(a.answer_key, b.answer_key)
    assert not a.laporan["pengeluaran_rutin"].isna().reset_index(drop=True).equals(
        c.laporan["pengeluaran_rutin"].isna().reset_index(drop=True))


# -- raw files ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small():
    return generate(40, 3, seed=2)


def test_write_sample_xlsx_has_the_sheets_rows_and_text_ids(small, tmp_path):
    paths = write_sample(small, tmp_path, fmt="xlsx")
    assert [p.name for p in paths] == ["sampel.xlsx", "kunci_jawaban.csv", "README.md"]
    assert all(p.is_file() for p in paths)
    wb = load_workbook(tmp_path / "sampel.xlsx", read_only=True)
    assert wb.sheetnames == ["laporan", "harta", "temuan"]
    for name in wb.sheetnames:
        rows = list(wb[name].iter_rows(values_only=True))
        assert len(rows) == len(getattr(small, name)) + 1, name
        assert rows[0][0] == "ID PN"
        assert all(isinstance(r[0], str) and r[0].isdigit() for r in rows[1:]), name
    header = list(next(wb["laporan"].iter_rows(values_only=True)))
    for label in ("Nama", "Tanggal Lapor", "Kas dan Setara Kas", "Penerimaan dari Pekerjaan", "Total Harta Kekayaan"):
        assert label in header
    first = dict(zip(header, next(wb["laporan"].iter_rows(min_row=2, values_only=True))))
    assert re.fullmatch(r"31 Desember \d{4}", first["Tanggal Lapor"])
    assert re.fullmatch(r"Rp\.\d{1,3}(\.\d{3})*", first["Total Harta Kekayaan"])
    key = pd.read_csv(tmp_path / "kunci_jawaban.csv", dtype={"id_pn": str})
    assert list(key.columns) == ["id_pn", "planted", "kind", "keterangan"] and len(key) == 40
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "sintetis" in readme and all(k in readme for k in PLANTED_KINDS)


def test_write_sample_csv_round_trips_the_money(small, tmp_path):
    paths = write_sample(small, tmp_path, fmt="csv")
    assert [p.name for p in paths] == ["laporan.csv", "harta.csv", "temuan.csv", "kunci_jawaban.csv", "README.md"]
    frames = {n: pd.read_csv(tmp_path / f"{n}.csv", dtype=str, keep_default_na=False)
              for n in ("laporan", "harta", "temuan")}
    for name, frame in frames.items():
        assert len(frame) == len(getattr(small, name)), name
    lap = frames["laporan"]
    assert lap["ID PN"].tolist() == small.laporan["id_pn"].tolist()

    def rupiah(text):
        return float(text.replace("Rp.", "").replace(".", "")) if text else np.nan

    np.testing.assert_allclose(lap["Total Harta Kekayaan"].map(rupiah), small.laporan["total_harta_kekayaan"])
    np.testing.assert_allclose(lap["Kas dan Setara Kas"].map(rupiah), small.laporan["kas"])
    np.testing.assert_allclose(frames["harta"]["Nilai Pelaporan"].map(rupiah), small.harta["nilai_pelaporan"])
    values = frames["temuan"]["Perkiraan Nilai"]
    assert values.str.fullmatch(r"|Rp \d+(,\d+)? M|\d+ jt").all()

    with pytest.raises(ValueError):
        write_sample(small, tmp_path / "x", fmt="ods")


# -- bench/quality.py metrics ---------------------------------------------------------------------------------

def test_average_precision_perfect_reversed_and_ties():
    q = load_quality()
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    score = np.arange(10, 0, -1, dtype=float)
    assert q.average_precision(y, score) == pytest.approx(1.0)
    assert q.average_precision(y, -score) < 0.35
    assert q.average_precision(y, np.zeros(10)) == pytest.approx(0.3)
    # One positive ranked second: precision 1/2 at its threshold.
    assert q.average_precision([0, 1, 0], [3, 2, 1]) == pytest.approx(0.5)


def test_precision_recall_and_lookalikes_at_k():
    q = load_quality()
    kinds = ["a", "a", "b", "lookalike_x", "", "b"]
    y = [1, 1, 1, 0, 0, 1]
    order = [6, 5, 4, 3, 2, 1]
    assert q.precision_at_k(y, order, 4) == pytest.approx(0.75)
    assert q.lookalikes_in_top_k(kinds, order, 4) == 1
    assert q.recall_by_kind(kinds, order, 4, ["a", "b"]) == {"a": 1.0, "b": 0.5}


def test_evaluate_counts_missing_officials_as_last():
    q = load_quality()
    key = pd.DataFrame({"id_pn": ["1", "2", "3", "4"], "planted": [1, 0, 1, 0],
                        "kind": ["k", "", "k", "lookalike_w"], "keterangan": ""})
    m = q.evaluate(key, pd.Series({"1": 0.9, "2": 0.1, "4": 0.5}))
    assert m["k"] == 2
    assert m["p_at_k"] == pytest.approx(0.5)
    assert m["lookalikes_at_k"] == 1
    assert m["recall"] == {"k": 0.5}
    assert m["ap"] < 1.0


def test_baseline_scores_latest_declaration_of_every_official(small):
    q = load_quality()
    scores = q.baseline_scores(small.laporan, seed=3)
    assert set(scores.index) == set(small.laporan["id_pn"])
    assert scores.equals(q.baseline_scores(small.laporan, seed=3))


def test_quality_bench_prints_its_command_and_recall_per_seed(capsys):
    q = load_quality()
    assert 7 not in q.DEFAULT_SEEDS
    q.main(["--seeds", "3", "--officials", "40", "--years", "3"])
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "$ python bench/quality.py --seeds 3 --officials 40 --years 3"
    assert "seed 3" in out and "baseline mean" in out and "LA@K" in out
