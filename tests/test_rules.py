"""Each rule fires on a small hand-built case and stays quiet on its legitimate look-alike."""

import json

import numpy as np
import pandas as pd
import pytest

from lhkpn_check.engine import analyze
from lhkpn_check.keys import uraian_keys
from lhkpn_check.model import FINDING_COLUMNS, Batch, SheetCount, empty_frame, empty_quality
from lhkpn_check.rules import RULES, format_rules, rules_table
from lhkpn_check.settings import Settings

JT = 1_000_000
CATS = ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas", "harta_lainnya")


def declaration(id_pn, year, *, income=200 * JT, rutin=None, kas=100 * JT, tanah=500 * JT, hutang=0.0, lainnya=0.0,
                harta_pengeluaran=0.0, total=None, declared=True, jabatan="KEPALA SEKSI PELAYANAN", eselon="IV"):
    row = {"id_pn": id_pn, "nama": f"Pejabat {id_pn}", "tahun_lapor": year, "tanggal_lapor": pd.Timestamp(f"{year}-12-31"),
           "jenis_laporan": "periodik", "lembaga": "PEMERINTAH KABUPATEN CONTOH", "unit_kerja": "DINAS CONTOH",
           "jabatan": jabatan, "eselon": eselon, "golongan": None, "tanah_bangunan": tanah, "alat_transportasi": 0.0,
           "harta_bergerak_lain": 0.0, "surat_berharga": 0.0, "kas": kas, "harta_lainnya": 0.0, "hutang": hutang,
           "total_harta_kekayaan": total}
    if declared:
        row.update(penerimaan_pekerjaan=income, penerimaan_usaha=0.0, penerimaan_lainnya=lainnya,
                   pengeluaran_rutin=income * 0.6 if rutin is None else rutin, pengeluaran_harta=harta_pengeluaran,
                   pengeluaran_lainnya=0.0)
    return row


def item(id_pn, year, kategori, uraian, nilai, asal="hasil_sendiri", merek=None, model=None, jenis=None, built=None):
    return {"id_pn": id_pn, "tahun_lapor": year, "kategori": kategori, "uraian": uraian, "nilai_pelaporan": nilai,
            "asal_usul": asal, "merek": merek, "model": model, "jenis": jenis, "tahun_pembuatan": built}


def make_batch(laporan_rows, harta_rows=(), temuan_rows=()) -> Batch:
    lap = pd.DataFrame(laporan_rows)
    for c in empty_frame("laporan").columns:
        if c not in lap:
            lap[c] = np.nan
    money = [*CATS, "hutang", "total_harta_kekayaan", "penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya",
             "pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya"]
    lap[money] = lap[money].astype(float)
    lap["tahun_lapor"] = lap["tahun_lapor"].astype(np.int64)
    lap["_source"], lap["_sheet"], lap["_row"] = "uji.xlsx", "laporan", np.arange(2, len(lap) + 2)
    lap["_id_pn_code"] = pd.factorize(lap["id_pn"].astype(str), sort=True)[0]  # model.Batch's typed key
    harta = pd.DataFrame(list(harta_rows)) if harta_rows else empty_frame("harta")
    if len(harta):
        harta["tahun_lapor"] = harta["tahun_lapor"].astype(np.int64)
        harta["nilai_pelaporan"] = harta["nilai_pelaporan"].astype(float)
        harta["tahun_pembuatan"] = pd.to_numeric(harta["tahun_pembuatan"]).astype(float)
        harta["_source"], harta["_sheet"], harta["_row"] = "uji.xlsx", "harta", np.arange(2, len(harta) + 2)
        harta["_uraian_key"] = uraian_keys(*pd.factorize(harta["uraian"]))  # model.Batch's typed key
    temuan = pd.DataFrame(list(temuan_rows)) if temuan_rows else empty_frame("temuan")
    if len(temuan):
        temuan["tanggal"] = pd.to_datetime(temuan["tanggal"])
        temuan["tahun"] = temuan["tanggal"].dt.year.astype(np.int64)
        temuan["_source"], temuan["_sheet"], temuan["_row"] = "uji.xlsx", "temuan", np.arange(2, len(temuan) + 2)
    return Batch(laporan=lap, harta=harta, temuan=temuan, quality=empty_quality(),
                 counts={"laporan": SheetCount(len(lap), len(lap), 0)})


def rules_of(analysis, id_pn):
    f = analysis.findings
    return set(f.loc[f["id_pn"] == id_pn, "rule"])


def steady(id_pn, years=(2021, 2022, 2023), **kw):
    """An official whose net worth grows exactly by savings (income - routine spending)."""
    rows, kas = [], kw.pop("kas", 100 * JT)
    for y in years:
        rows.append(declaration(id_pn, y, kas=kas, **kw))
        kas += kw.get("income", 200 * JT) * 0.4
    return rows


def test_harta_naik_fires_on_unexplained_jump_not_on_inheritance():
    lap = steady("A") + steady("W")
    harta = []
    for pid in ("A", "W"):
        for y in (2021, 2022, 2023):
            harta.append(item(pid, y, "tanah_bangunan", "Tanah Seluas 300 m2 di KAB / KOTA CONTOH, HASIL SENDIRI", 500 * JT))
        harta.append(item(pid, 2023, "tanah_bangunan", "Tanah Seluas 2000 m2 di KAB / KOTA LAIN", 1200 * JT,
                          asal="hasil_sendiri" if pid == "A" else "warisan"))
    for r in lap:
        if r["tahun_lapor"] == 2023:
            r["tanah_bangunan"] += 1200 * JT
    a = analyze(make_batch(lap, harta))
    assert "harta_naik_tak_terjelaskan" in rules_of(a, "A")
    assert "harta_naik_tak_terjelaskan" not in rules_of(a, "W")
    f = a.findings[(a.findings["id_pn"] == "A") & (a.findings["rule"] == "harta_naik_tak_terjelaskan")].iloc[0]
    assert f["amount"] == pytest.approx(1200 * JT, rel=0.01)
    assert "Rp 1.200.000.000" in f["message"] and "klarifikasi" in f["message"]
    rows = {(e["sheet"], e["row"]) for e in json.loads(f["evidence"])}
    assert ("harta", 5) in rows and len([r for r in rows if r[0] == "laporan"]) == 2


def test_land_revaluation_is_not_unexplained():
    lap = steady("R")
    harta = [item("R", y, "tanah_bangunan", "Tanah Seluas 300 m2 di KAB / KOTA CONTOH, HASIL SENDIRI", v)
             for y, v in ((2021, 500 * JT), (2022, 560 * JT), (2023, 620 * JT))]
    for r, v in zip(lap, (500, 560, 620)):
        r["tanah_bangunan"] = v * JT
    assert "harta_naik_tak_terjelaskan" not in rules_of(analyze(make_batch(lap, harta)), "R")


def test_hibah_tanpa_akta_fires_but_hibah_dengan_akta_does_not():
    lap = steady("H") + steady("D")
    harta = []
    for pid, asal in (("H", "hibah_tanpa_akta"), ("D", "hibah_dengan_akta")):
        harta += [item(pid, y, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT) for y in (2021, 2022, 2023)]
        harta += [item(pid, y, "tanah_bangunan", f"Tanah Seluas 900 m2, {asal.upper()}", 800 * JT, asal=asal)
                  for y in (2022, 2023)]
    for r in lap:
        if r["tahun_lapor"] >= 2022:
            r["tanah_bangunan"] += 800 * JT
    a = analyze(make_batch(lap, harta))
    assert "hibah_tanpa_akta" in rules_of(a, "H")
    assert not rules_of(a, "D") & {"hibah_tanpa_akta", "harta_naik_tak_terjelaskan"}
    f = a.findings[a.findings["rule"] == "hibah_tanpa_akta"].iloc[0]
    assert f["tahun_lapor"] == 2022 and f["amount"] == 800 * JT


def test_luxury_against_income_and_undervaluation():
    lap = steady("L", income=150 * JT) + steady("S", income=150 * JT) + steady("K", income=900 * JT)
    harta = []
    for y in (2021, 2022, 2023):
        harta.append(item("L", y, "alat_transportasi", "MOBIL, JEEP WRANGLER RUBICON Tahun 2021, HASIL SENDIRI", 1500 * JT))
        harta.append(item("S", y, "alat_transportasi", "MOBIL, TOYOTA LAND CRUISER Tahun 2021, HASIL SENDIRI", 150 * JT))
        harta.append(item("K", y, "alat_transportasi", "MOBIL, TOYOTA ALPHARD Tahun 2020, HASIL SENDIRI", 1000 * JT))
    a = analyze(make_batch(lap, harta))
    assert "barang_mewah_vs_penghasilan" in rules_of(a, "L")
    assert "barang_mewah_dinilai_rendah" in rules_of(a, "S")
    assert not rules_of(a, "K") & {"barang_mewah_vs_penghasilan", "barang_mewah_dinilai_rendah"}
    f = a.findings[a.findings["rule"] == "barang_mewah_dinilai_rendah"].iloc[0]
    assert f["tahun_lapor"] == 2021 and f["threshold"] == pytest.approx(Settings().undervalue_ratio * 2500 * JT)


def test_undervaluation_asks_about_a_new_car_below_half_its_worth_not_an_old_one_at_its_market_value():
    # A 2020 Alphard declared in 2021 at 45 % of what a year-old one is worth; a 2005 E-Class declared at
    # about what such a car sells for, a twelfth of a new one's price.
    lap = steady("N", income=150 * JT) + steady("O", income=150 * JT)
    harta = []
    for y in (2021, 2022, 2023):
        harta.append(item("N", y, "alat_transportasi", "MOBIL, TOYOTA ALPHARD Tahun 2020, HASIL SENDIRI", 560 * JT))
        harta.append(item("O", y, "alat_transportasi", "MOBIL, MERCEDES BENZ E 200 Tahun 2005, HASIL SENDIRI",
                          100 * JT))
    a = analyze(make_batch(lap, harta))
    assert "barang_mewah_dinilai_rendah" in rules_of(a, "N")
    assert "barang_mewah_dinilai_rendah" not in rules_of(a, "O")


def test_temuan_not_declared_vs_declared_next_year():
    lap = steady("T") + steady("M")
    harta = [item("M", 2023, "alat_transportasi", "MOBIL, JEEP RUBICON Tahun 2022, HASIL SENDIRI", 1500 * JT)]
    temuan = [{"id_pn": pid, "tanggal": "2022-06-01", "jenis": "mobil", "merek": "Jeep", "model": "Wrangler Rubicon",
               "uraian": "Terlihat mengendarai", "perkiraan_nilai": np.nan, "sumber": "media sosial", "bukti": "x"}
              for pid in ("T", "M")]
    a = analyze(make_batch(lap, harta, temuan))
    assert "temuan_tidak_dilaporkan" in rules_of(a, "T")
    assert "temuan_tidak_dilaporkan" not in rules_of(a, "M")
    f = a.findings[a.findings["rule"] == "temuan_tidak_dilaporkan"].iloc[0]
    assert f["amount"] == 1900 * JT  # catalogue value when the observation carries none
    # measured against a year's income of the declaration checked, so its size ranks it
    checked = a.declarations.set_index(["id_pn", "tahun_lapor"]).loc[("T", int(f["tahun_lapor"])), "income_yearly"]
    assert f["threshold"] == checked > 0
    assert a.temuan.set_index("id_pn").loc["M", "matched_row"] == 2


def test_cash_spending_and_debt_rules_with_their_lookalikes():
    lap = (steady("C", kas=2500 * JT) + steady("c", kas=1500 * JT)
           + [declaration("P", 2021), declaration("P", 2022, rutin=900 * JT, kas=30 * JT)]
           + [declaration("p", 2021, kas=900 * JT), declaration("p", 2022, rutin=300 * JT, harta_pengeluaran=700 * JT,
                                                                  kas=100 * JT, tanah=1200 * JT)]
           + steady("U", hutang=2500 * JT, rutin=180 * JT) + steady("u", hutang=500 * JT))
    a = analyze(make_batch(lap))
    assert "kas_melebihi_penghasilan" in rules_of(a, "C") and "kas_melebihi_penghasilan" not in rules_of(a, "c")
    assert "pengeluaran_melebihi_kemampuan" in rules_of(a, "P")
    assert "pengeluaran_melebihi_kemampuan" not in rules_of(a, "p")
    assert "hutang_melebihi_kemampuan" in rules_of(a, "U") and "hutang_melebihi_kemampuan" not in rules_of(a, "u")


def test_debt_vanishing_without_source_vs_repaid_from_cash():
    lap = [declaration("V", 2021, hutang=800 * JT), declaration("V", 2022, kas=180 * JT, hutang=0.0),
           declaration("v", 2021, hutang=800 * JT, kas=900 * JT), declaration("v", 2022, hutang=0.0, kas=180 * JT)]
    a = analyze(make_batch(lap))
    assert "hutang_lunas_tanpa_sumber" in rules_of(a, "V")
    assert "hutang_lunas_tanpa_sumber" not in rules_of(a, "v")
    assert "harta_naik_tak_terjelaskan" not in rules_of(a, "V"), "the same money is not counted twice"


def test_total_mismatch_and_zero_value_new_asset():
    lap = [declaration("X", 2021, total=100 * JT), declaration("x", 2021, total=600 * JT + 999),
           declaration("Z", 2021), declaration("Z", 2022, kas=180 * JT)]
    harta = [item("Z", 2021, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT),
             item("Z", 2022, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT),
             item("Z", 2022, "harta_bergerak_lain", "PERHIASAN, HASIL SENDIRI", 0.0)]
    a = analyze(make_batch(lap, harta))
    assert "total_tidak_sesuai" in rules_of(a, "X") and "total_tidak_sesuai" not in rules_of(a, "x")
    assert "nilai_nol_harta_baru" in rules_of(a, "Z")


def test_zero_value_message_names_the_first_five_new_items_in_their_order():
    lap = [declaration("Z", 2021), declaration("Z", 2022)]
    names = ["JAM TANGAN", "PERHIASAN", None, "LUKISAN", "TAS", "SEPATU"]
    harta = [item("Z", year, "tanah_bangunan", "Rumah, HASIL SENDIRI", 500 * JT) for year in (2021, 2022)]
    harta += [item("Z", 2022, "harta_bergerak_lain", name, 0.0) for name in names]
    harta += [item("Z", 2022, "hutang", "PINJAMAN BANK", 0.0)]
    a = analyze(make_batch(lap, harta))
    f = a.findings[(a.findings["rule"] == "nilai_nol_harta_baru") & (a.findings["id_pn"] == "Z")]
    assert len(f) == 1
    message = f["message"].iloc[0]
    assert "6 harta baru" in message and "JAM TANGAN; PERHIASAN; -; LUKISAN; TAS." in message
    assert "SEPATU" not in message and "PINJAMAN" not in message


def test_estimated_income_is_said_in_the_message():
    lap = [declaration("E", y, kas=5000 * JT, declared=False) for y in (2022, 2023)]
    a = analyze(make_batch(lap))
    f = a.findings[a.findings["rule"] == "kas_melebihi_penghasilan"]
    assert len(f) == 1 and "DIPERKIRAKAN" in f["message"].iloc[0]
    assert a.income_estimated and set(a.ranking["income_source"]) == {"estimated"}
    en = analyze(make_batch(lap), lang="en").findings
    assert "ESTIMATED" in en.loc[en["rule"] == "kas_melebihi_penghasilan", "message"].iloc[0]


def test_findings_columns_and_rule_listing_follow_settings():
    a = analyze(make_batch(steady("C", kas=2500 * JT)))
    assert list(a.findings.columns[:len(FINDING_COLUMNS)]) == list(FINDING_COLUMNS)
    assert {"evidence", "title"} <= set(a.findings.columns)
    text = format_rules(Settings(), "id")
    assert all(r.id in text for r in RULES)
    changed = format_rules(Settings({"cash_income_ratio": 7.5}), "en")
    assert "cash_income_ratio = 7.5" in changed
    assert [r["id"] for r in rules_table(Settings())] == [r.id for r in RULES]
    stricter = analyze(make_batch(steady("C", kas=2500 * JT)), Settings({"cash_income_ratio": 20.0}))
    assert "kas_melebihi_penghasilan" not in rules_of(stricter, "C")


def test_new_mortgage_left_out_of_penerimaan_lainnya_still_funds_the_house():
    """A house bought with a new KPR: the debt items show the loan even when V.C was left empty."""
    kpr = "HUTANG, KREDIT PEMILIKAN RUMAH (KPR)"
    house = "Tanah dan Bangunan Seluas 200 m2/120 m2 di KAB / KOTA CONTOH, HASIL SENDIRI"
    home = "Tanah dan Bangunan Seluas 100 m2/60 m2 di KAB / KOTA CONTOH, HASIL SENDIRI"
    lap, harta = [], []
    for who, lainnya, debt in (("K", np.nan, 700 * JT), ("k", np.nan, 0.0), ("L", 700 * JT, 700 * JT)):
        lap.append(declaration(who, 2021, kas=150 * JT, tanah=500 * JT))
        # 900 jt paid: 700 of loan, 120 of cash drawn down (150 -> 30), 80 saved from this year's pay.
        lap.append(declaration(who, 2022, kas=30 * JT, tanah=1500 * JT, hutang=debt, lainnya=lainnya,
                               harta_pengeluaran=900 * JT))
        harta += [item(who, 2021, "tanah_bangunan", home, 500 * JT), item(who, 2022, "tanah_bangunan", home, 500 * JT),
                  item(who, 2022, "tanah_bangunan", house, 1000 * JT)]
        if debt:
            harta.append(item(who, 2022, "hutang", kpr, debt, asal=None))
    a = analyze(make_batch(lap, harta))
    assert "pengeluaran_melebihi_kemampuan" not in rules_of(a, "K")
    assert "pengeluaran_melebihi_kemampuan" not in rules_of(a, "L")
    # Without a loan the same purchase is not covered by income and cash.
    assert "pengeluaran_melebihi_kemampuan" in rules_of(a, "k")
    msg = a.findings.loc[(a.findings["id_pn"] == "k") & (a.findings["rule"] == "pengeluaran_melebihi_kemampuan"),
                         "message"].iloc[0]
    assert "Rp 0" in msg  # no new debt counted for k


def test_evidence_is_the_json_of_its_lines():
    """Evidence is built column-wise; it must read back as the lines it was given, in their order."""
    from lhkpn_check.rules import _evidence

    part = pd.DataFrame({"key": [1, 0, 1, 1], "sheet": ["harta", "laporan", "harta", "temuan"],
                         "row": [7, 3, None, 12], "label": ['Rumah "Kos", Jl. Ré', "Total", "<b>x</b>\n\\\t", ""],
                         "value": ["Rp 1.000", "-", "Rp 5", "Rp 0"]})
    ev = _evidence(pd.Index([0, 1, 2]), [part, part.iloc[:0]])
    assert ev.loc[2] == "[]"
    assert json.loads(ev.loc[0]) == [{"sheet": "laporan", "row": 3, "label": "Total", "value": "-"}]
    assert json.loads(ev.loc[1]) == [
        {"sheet": "harta", "row": 7, "label": 'Rumah "Kos", Jl. Ré', "value": "Rp 1.000"},
        {"sheet": "harta", "row": None, "label": "<b>x</b>\n\\\t", "value": "Rp 5"},
        {"sheet": "temuan", "row": 12, "label": "", "value": "Rp 0"}]
    assert ev.loc[1] == json.dumps(json.loads(ev.loc[1]), ensure_ascii=False)


def test_change_within_one_year_names_the_two_reporting_dates():
    """A Khusus in June and a Periodik in December of one year: the message names both dates, not
    'between 2023 and 2023'."""
    khusus = dict(declaration("A", 2023, kas=100 * JT), tanggal_lapor=pd.Timestamp("2023-06-06"),
                  jenis_laporan="khusus")
    lap = [declaration("A", 2022, kas=100 * JT), khusus, declaration("A", 2023, kas=2_000 * JT)]
    f = analyze(make_batch(lap), Settings()).findings
    message = f.loc[f["rule"] == "harta_naik_tak_terjelaskan", "message"].iloc[0]
    assert "6 Juni 2023 dan 31 Desember 2023" in message
    en = analyze(make_batch(lap), Settings(), lang="en").findings
    assert "between the 6 June 2023 and 31 December 2023 declarations" in en.loc[
        en["rule"] == "harta_naik_tak_terjelaskan", "message"].iloc[0]


@pytest.fixture(scope="module")
def sample_context():
    from lhkpn_check import engine, features, luxury
    from lhkpn_check.rules import RuleContext
    from lhkpn_check.validate import load_batch

    s = Settings()
    batch = load_batch("samples/sampel.xlsx", s)
    decl = features.declarations(batch.laporan, s)
    items = features.item_changes(engine._with_ids(batch.harta), decl, s)
    decl = features.funds(decl, items, luxury.declared_luxury(items, s), s)
    return RuleContext(decl=decl, items=items, luxury=None, temuan=None, officials=None, settings=s)


@pytest.mark.parametrize("kategori, back", [("kas", 0), ("hutang", 0), ("hutang", 1), (None, 0), ("tanah_bangunan", 1)])
def test_items_of_the_hit_declarations_are_what_the_merge_on_id_and_seq_gives(sample_context, kategori, back):
    """RuleContext.items_of finds the items by declaration position; the plain statement merges on
    (id_pn, decl_seq). Hits are one declaration per official (later ones, so that one `back` exists),
    listed in shuffled order."""
    ctx = sample_context
    d = ctx.decl
    later = d[d["decl_seq"] >= 1]
    hits = later.groupby("id_pn", sort=False).tail(1).sample(frac=0.6, random_state=3)
    key = pd.Series(np.arange(len(hits)) * 7 + 1, index=hits.index)
    mask = None if kategori is None else ctx.is_kategori(kategori)
    got = ctx.items_of(hits, key, mask, back=back)
    chosen = ctx.items_where(np.ones(len(ctx.items), dtype=bool) if mask is None else mask)
    plain = chosen.merge(pd.DataFrame({"id_pn": hits["id_pn"].to_numpy(), "decl_seq": hits["decl_seq"] - back,
                                       "key": key.to_numpy()}), on=["id_pn", "decl_seq"])
    assert len(plain) > 0
    pd.testing.assert_frame_equal(got, plain)


