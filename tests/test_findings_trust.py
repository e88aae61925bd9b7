"""Findings an auditor can trust: revaluation is not new money, the whole history adds up, namesakes and
copies are told apart, estimated income gets the benefit of the doubt, and the score ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.engine import analyze
from lhkpn_check.model import RawBatch, RawSheet
from lhkpn_check.settings import Settings
from lhkpn_check.validate import validate

INCOME = 200_000_000


def _batch(laporan: list[dict], harta: list[dict] | None = None):
    lap = pd.DataFrame(laporan).astype(object)
    lap["_row"] = np.arange(2, len(lap) + 2)
    sheets = {"laporan": RawSheet("laporan", "uji.xlsx", "laporan", lap)}
    if harta:
        items = pd.DataFrame(harta).astype(object)
        items["_row"] = np.arange(2, len(items) + 2)
        sheets["harta"] = RawSheet("harta", "uji.xlsx", "harta", items)
    return validate(RawBatch(sheets=sheets, inputs=[]), Settings())


def _decl(year, kas, tanah, official="A", lembaga="PEMERINTAH KABUPATEN X", income=INCOME, **extra):
    row = {"id_pn": official, "nama": f"Nama {official}", "lembaga": lembaga, "jabatan": "KEPALA BIDANG",
           "tahun_lapor": str(year), "tanggal_lapor": f"31/12/{year}", "tanah_bangunan": str(tanah),
           "alat_transportasi": "0", "harta_bergerak_lain": "0", "surat_berharga": "0", "kas": str(kas),
           "harta_lainnya": "0", "hutang": "0", "penerimaan_pekerjaan": None if income is None else str(income),
           "pengeluaran_rutin": None if income is None else str(int(income * 0.6))}
    row.update(extra)
    return row


def _plot(year, value, official="A", bangunan=90, uraian=None):
    return {"id_pn": official, "tahun_lapor": str(year), "tanggal_lapor": f"31/12/{year}",
            "kategori": "tanah_bangunan", "uraian": uraian or f"Tanah dan Bangunan Seluas 200 m2/{bangunan} m2 di KOTA X",
            "luas_tanah": "200", "luas_bangunan": str(bangunan), "nilai_pelaporan": str(value)}


def _rules(batch, official="A") -> set[str]:
    f = analyze(batch, Settings()).findings
    return set(f.loc[f["id_pn"] == official, "rule"])


def test_a_plot_revalued_to_market_is_not_new_money():
    batch = _batch([_decl(2021, 100_000_000, 1_000_000_000), _decl(2022, 180_000_000, 2_600_000_000)],
                   [_plot(2021, 1_000_000_000), _plot(2022, 2_600_000_000)])
    a = analyze(batch, Settings())
    assert "harta_naik_tak_terjelaskan" not in set(a.findings["rule"])
    latest = a.declarations.iloc[-1]
    assert latest["revaluation"] == 1_600_000_000
    assert latest["unexplained"] <= 0


def test_a_building_that_grew_counts_its_added_value_as_new_money():
    batch = _batch([_decl(2021, 100_000_000, 1_000_000_000), _decl(2022, 180_000_000, 2_600_000_000)],
                   [_plot(2021, 1_000_000_000, bangunan=90, uraian="Rumah di KOTA X"),
                    _plot(2022, 2_600_000_000, bangunan=300, uraian="Rumah di KOTA X")])
    a = analyze(batch, Settings())
    assert a.declarations.iloc[-1]["revaluation"] == 0
    assert "harta_naik_tak_terjelaskan" in set(a.findings["rule"])


def test_growth_a_little_each_year_adds_up_over_the_history():
    # Each year 1.2 years of income more than savings explain: no period crosses 1.5, the history does.
    rows, kas = [], 100_000_000
    for year in range(2019, 2024):
        rows.append(_decl(year, kas, 0))
        kas += int(INCOME * 0.4 + 1.2 * INCOME)
    rules = _rules(_batch(rows))
    assert "harta_naik_tak_terjelaskan" not in rules
    assert "harta_naik_kumulatif" in rules


def test_the_history_stays_quiet_for_an_official_who_saves():
    rows, kas = [], 100_000_000
    for year in range(2019, 2024):
        rows.append(_decl(year, kas, 0))
        kas += int(INCOME * 0.4)
    assert not _rules(_batch(rows))


def test_a_short_history_is_flagged_at_a_pace_kept_every_year_and_a_slow_long_one_is_not():
    # Two periods of 1.2 years each: 2.4 years, under the 3-year history threshold but a year's income and
    # more unexplained every year. Four periods of 0.6 a year add up to the same 2.4 and stay quiet.
    def history(pace, years):
        rows, kas = [], 100_000_000
        for year in range(2024 - years, 2025):
            rows.append(_decl(year, kas, 0))
            kas += int(INCOME * 0.4 + pace * INCOME)
        return _rules(_batch(rows))

    assert "harta_naik_kumulatif" in history(1.2, 2)
    assert not {"harta_naik_kumulatif", "harta_naik_tak_terjelaskan"} & history(0.6, 4)


def test_a_history_below_its_threshold_still_ranks_above_one_that_saves_by_how_near_it_comes():
    # Three officials, no finding among them: one saves, one keeps 0.3 and one 0.6 years of income a
    # year more than savings explain (1.2 and 2.4 of the 3-year history threshold).
    rows = []
    for official, pace in (("A", 0.0), ("B", 0.3), ("C", 0.6)):
        kas = 100_000_000
        for year in range(2020, 2025):
            rows.append(_decl(year, kas, 0, official=official))
            kas += int(INCOME * 0.4 + pace * INCOME)
    a = analyze(_batch(rows), Settings())
    assert not len(a.findings)
    ranked = a.ranking.set_index("id_pn")
    assert ranked.loc["C", "rank"] < ranked.loc["B", "rank"] < ranked.loc["A", "rank"]
    assert ranked.loc["C", "score"] < Settings().tier_sedang_min


def _item(year, kategori, uraian, value, official="A"):
    return {"id_pn": official, "tahun_lapor": str(year), "tanggal_lapor": f"31/12/{year}", "kategori": kategori,
            "uraian": uraian, "nilai_pelaporan": str(value)}


def test_a_sale_declared_as_penerimaan_usaha_does_not_explain_growth_twice():
    # The car sold for 300 jt leaves the list (net worth falls by it) and its price is declared under
    # penerimaan usaha: the price is not income as well, so a deposit of 1.6 years of pay stays unexplained.
    car, kas = 300_000_000, {2021: 100_000_000, 2022: 100_000_000 + int(0.4 * INCOME)}
    kas[2023] = kas[2022] + int(0.4 * INCOME) + car + int(1.6 * INCOME)
    laporan = [_decl(y, kas[y], 0, alat_transportasi=str(car if y < 2023 else 0),
                     penerimaan_usaha=str(2_000_000 + (car if y == 2023 else 0))) for y in kas]
    harta = [_item(y, "kas", "TABUNGAN BANK X", kas[y]) for y in kas]
    harta += [_item(y, "alat_transportasi", "MOBIL, TOYOTA AVANZA", car) for y in (2021, 2022)]
    a = analyze(_batch(laporan, harta), Settings())
    latest = a.declarations.iloc[-1]
    assert latest["sale_proceeds"] == car
    assert latest["income_yearly"] == INCOME + 2_000_000
    growth = a.findings[a.findings["rule"] == "harta_naik_tak_terjelaskan"].iloc[0]
    assert "hasil penjualan harta" in growth["evidence"]


def test_an_official_who_replaces_a_car_most_years_still_has_the_sales_taken_out_of_income():
    # A car sold and replaced at the same price in 2022 and 2024, and one bought in the first declaration's
    # year: the sale is most years' penerimaan usaha, so the usual is taken from the quiet year (2023), and
    # the 2024 deposit of 1.6 years of pay stays unexplained.
    car, usaha = 250_000_000, 2_000_000
    kas = {2021: 100_000_000}
    for y in (2022, 2023, 2024):
        kas[y] = kas[y - 1] + int(0.4 * INCOME)
    kas[2024] += int(1.6 * INCOME)
    sold = {2021: True, 2022: True, 2023: False, 2024: True}
    laporan = [_decl(y, kas[y], 0, alat_transportasi=str(car), penerimaan_usaha=str(usaha + car * sold[y]))
               for y in kas]
    model = {2021: "AVANZA", 2022: "TERIOS", 2023: "TERIOS", 2024: "XENIA"}
    harta = [_item(y, "kas", "TABUNGAN BANK X", kas[y]) for y in kas]
    harta += [_item(y, "alat_transportasi", f"MOBIL, TOYOTA {model[y]}", car) for y in kas]
    a = analyze(_batch(laporan, harta), Settings())
    d = a.declarations.set_index("tahun_lapor")
    assert d.loc[2024, "sale_proceeds"] == car and d.loc[2022, "sale_proceeds"] == car
    assert d.loc[2024, "income_yearly"] == INCOME + usaha
    assert "harta_naik_tak_terjelaskan" in _rules(_batch(laporan, harta))


def test_two_people_under_one_id_on_one_date_are_kept_apart_and_their_items_reach_no_finding():
    rows = [_decl(2021, 100_000_000, 500_000_000), _decl(2022, 120_000_000, 500_000_000),
            _decl(2022, 50_000_000, 9_000_000_000, lembaga="DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN X",
                  total_harta_kekayaan="9050000000")]
    items = [_plot(2021, 500_000_000), _plot(2022, 500_000_000),
             _plot(2022, 9_000_000_000, uraian="Tanah Seluas 9000 m2 di KAB X")]
    batch = _batch(rows, items)
    kinds = set(batch.quality["kind"])
    assert "identity_conflict" in kinds and "ambiguous_item" in kinds
    assert batch.counts["harta"].rejected == 2  # both items of the conflicting date
    assert batch.laporan["identity_conflict"].sum() == 2
    a = analyze(batch, Settings())
    assert not len(a.findings), a.findings[["rule", "message"]]
    assert (a.declarations.loc[a.declarations["identity_conflict"], "prev_pos"] == -1).all()


def test_a_declaration_listed_twice_is_one_declaration_with_its_items_once():
    rows = [_decl(2021, 100_000_000, 500_000_000), _decl(2021, 100_000_000, 500_000_000)]
    items = [_plot(2021, 500_000_000), _plot(2021, 500_000_000)]
    batch = _batch(rows, items)
    assert batch.counts["laporan"].accepted == 1 and batch.counts["laporan"].rejected == 1
    assert batch.counts["harta"].accepted == 1 and batch.counts["harta"].rejected == 1
    assert not len(analyze(batch, Settings()).findings)


def test_a_copy_typed_again_in_other_case_and_punctuation_is_still_a_copy_not_a_namesake():
    copy = _decl(2021, 100_000_000, 500_000_000, nama="nama a.", lembaga="Pemerintah Kabupaten X",
                 jabatan="Kepala Bidang")
    batch = _batch([_decl(2021, 100_000_000, 500_000_000), copy])
    assert batch.counts["laporan"].accepted == 1 and batch.counts["laporan"].rejected == 1
    assert not batch.laporan["identity_conflict"].any()


def test_an_id_going_back_and_forth_between_agencies_is_a_probable_namesake_never_compared_across():
    dprd = "DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN X"
    rows = [_decl(2019, 50_000_000, 0, income=None), _decl(2020, 5_000_000_000, 0, lembaga=dprd, income=None),
            _decl(2021, 60_000_000, 0, income=None), _decl(2022, 5_100_000_000, 0, lembaga=dprd, income=None)]
    batch = _batch(rows)
    assert (batch.quality["kind"] == "probable_namesake").sum() == 1
    a = analyze(batch, Settings())
    assert "harta_naik_tak_terjelaskan" not in set(a.findings["rule"])
    # Each person's own periods are still compared.
    assert a.declarations["years_elapsed"].notna().sum() == 2


def test_estimated_income_takes_the_upper_end_of_the_band_and_a_central_agency_its_published_pay():
    from lhkpn_check.income import estimate_income

    lap = pd.DataFrame({"jabatan": ["KEPALA BIDANG", "KEPALA SEKSI"],
                        "lembaga": ["PEMERINTAH KABUPATEN X", "KEMENTERIAN KEUANGAN"],
                        "unit_kerja": ["DINAS X", "KANTOR PELAYANAN PAJAK PRATAMA X"],
                        "eselon": [None, None], "golongan": ["III/c", "III/d"]})
    upper = estimate_income(lap, Settings())["income_estimate"]
    middle = estimate_income(lap, Settings({"income_upper_band": False}))["income_estimate"]
    assert (upper > middle).iloc[0]
    # eselon IV at DJP: tunjangan kinerja 28,757,200 a month instead of the regional TPP band.
    assert upper.iloc[1] >= 28_757_200 * 14


def _officials(ids: list[str], income_source: str) -> pd.DataFrame:
    """The officials frame ranking.rank reads, for officials with no history to speak of."""
    return pd.DataFrame({"id_pn": ids, "nama": "N", "lembaga": "L", "jabatan": "J", "tahun_lapor": 2023,
                         "ml_score": 0.0, "income_source": income_source, "history_unexplained": 0.0,
                         "history_threshold": 1e8, "history_periods": 0, "has_item_diff": False})


def test_the_score_never_ties_at_a_ceiling_and_direct_evidence_outranks_totals():
    from lhkpn_check.ranking import rank

    n = 40
    officials = _officials([f"P{i:02d}" for i in range(n)], "estimated")
    rows = []
    for i in range(12):  # strong findings of growing strength, declared: a ceiling would tie them
        rows.append(("P%02d" % i, "harta_naik_tak_terjelaskan", "tinggi", 10.0 * (i + 2), 10.0, "declared"))
        rows.append(("P%02d" % i, "kas_melebihi_penghasilan", "sedang", 50.0, 10.0, "declared"))
    rows.append(("P20", "harta_naik_tak_terjelaskan", "tinggi", 30.0, 10.0, "declared"))
    rows.append(("P21", "harta_naik_tak_terjelaskan", "tinggi", 30.0, 10.0, "totals"))
    findings = pd.DataFrame(rows, columns=["id_pn", "rule", "severity", "amount", "threshold", "basis"])
    findings["tahun_lapor"] = 2023
    ranked = rank(officials, findings, Settings())
    top = ranked.head(12)
    assert (top["score"] < 100).all() and top["score"].is_unique
    assert top["id_pn"].tolist() == [f"P{i:02d}" for i in range(11, -1, -1)]
    at = dict(zip(ranked["id_pn"], ranked["rank"]))
    assert at["P20"] < at["P21"]
    assert (ranked["tier"] == "tinggi").sum() <= int(0.1 * n)


def test_spending_is_funded_by_cash_drawn_down_not_by_cash_merely_held():
    # Both hold 2 M in the bank and spend twice their pay a year. A draws 200 jt from the bank to do it;
    # B's balance does not move, so 200 jt of spending came from outside the form.
    spend = {"pengeluaran_rutin": str(2 * INCOME)}
    rich = 2_000_000_000
    laporan = [_decl(2022, rich, 0, official="A", **spend), _decl(2023, rich - INCOME, 0, official="A", **spend),
               _decl(2022, rich, 0, official="B", **spend), _decl(2023, rich, 0, official="B", **spend)]
    a = analyze(_batch(laporan), Settings())
    rules = a.findings.groupby("id_pn")["rule"].agg(set)
    assert "pengeluaran_melebihi_kemampuan" not in rules.get("A", set())
    assert "pengeluaran_melebihi_kemampuan" in rules.get("B", set())
    gap = a.declarations.set_index(["id_pn", "tahun_lapor"]).loc[("B", 2023), "spending_unfunded"]
    assert gap == INCOME


def test_how_far_a_finding_goes_ranks_it_below_a_threshold_and_against_a_years_income():
    from lhkpn_check.ranking import rank

    officials = _officials(["V-LOW", "A-NEAR", "W-BIG", "B-SMALL"], "declared")
    findings = pd.DataFrame([
        # Ids sort against the expected order, so a tie would fail. A car declared at 5 % of its value against a 30 % threshold outranks one declared at 29 %.
        ("V-LOW", "barang_mewah_dinilai_rendah", "sedang", 5.0, 30.0, "declared"),
        ("A-NEAR", "barang_mewah_dinilai_rendah", "sedang", 29.0, 30.0, "declared"),
        # An undeclared car seen worth ten years of income outranks a watch worth a quarter of a year.
        ("W-BIG", "temuan_tidak_dilaporkan", "tinggi", 2_000.0, 200.0, "declared"),
        ("B-SMALL", "temuan_tidak_dilaporkan", "tinggi", 50.0, 200.0, "declared"),
    ], columns=["id_pn", "rule", "severity", "amount", "threshold", "basis"]).assign(tahun_lapor=2023)
    at = dict(zip(*(rank(officials, findings, Settings())[c] for c in ("id_pn", "rank"))))
    assert at["V-LOW"] < at["A-NEAR"]
    assert at["W-BIG"] < at["B-SMALL"]
    # Below a year's income an observation weighs what the rule weighs: it is never boosted for being small.
    score = rank(officials, findings, Settings()).set_index("id_pn")["score"]
    alone = rank(officials.iloc[[3]], findings.iloc[[3]].assign(threshold=np.nan), Settings())["score"].iloc[0]
    assert score["B-SMALL"] == alone


def test_a_plot_sold_pays_for_the_next_even_when_its_price_was_not_typed_in_receipts():
    old, new = "Tanah Seluas 500 m2 di KAB X", "Tanah Seluas 450 m2 di KOTA Y"
    laporan = [_decl(2022, 100_000_000, 1_500_000_000),
               _decl(2023, 100_000_000 + int(0.4 * INCOME), 1_450_000_000, pengeluaran_harta=str(1_450_000_000))]
    harta = [_item(2022, "tanah_bangunan", old, 1_500_000_000), _item(2023, "tanah_bangunan", new, 1_450_000_000)]
    a = analyze(_batch(laporan, harta), Settings())
    latest = a.declarations.iloc[-1]
    assert latest["assets_gone"] == 1_500_000_000 and latest["sale_proceeds"] == 0
    assert "pengeluaran_melebihi_kemampuan" not in set(a.findings["rule"])
