"""Hand-built Batch + Analysis for the report tests, independent of the reader and the engine.

Officials carry hostile text (markup in names, units and bukti; formula-like names; ids with `/`
and `..`) so that escaping and file-name safety are exercised on every page.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from lhkpn_check.model import Analysis, Batch, InputFile, SheetCount, empty_quality
from lhkpn_check.schema import HARTA_KATEGORI

XSS_NAME = "<script>alert(1)</script>"
XSS_UNIT = '"><img src=x onerror=alert(2)>'
XSS_BUKTI = "https://contoh.example/foto?<b>x</b>"
FORMULA_NAME = '=HYPERLINK("http://evil.example","klik")'

RULES = ("harta_naik_tak_terjelaskan", "hibah_tanpa_akta", "barang_mewah_vs_penghasilan",
         "barang_mewah_dinilai_rendah", "temuan_tidak_dilaporkan", "kas_melebihi_penghasilan",
         "pengeluaran_melebihi_kemampuan", "hutang_melebihi_kemampuan", "hutang_lunas_tanpa_sumber",
         "total_tidak_sesuai", "nilai_nol_harta_baru", "pencilan_sejawat")

JT = 1_000_000


def officials(n: int = 8) -> pd.DataFrame:
    """n officials; the first four carry hostile text and ids."""
    ids = [f"19700101199003{i:04d}" for i in range(n)]
    names = [f"Pejabat Uji {i:02d}" for i in range(n)]
    units = [f"DINAS {u}" for u in ("PENDIDIKAN", "KESEHATAN", "PERHUBUNGAN", "KEUANGAN")] * (n // 4 + 1)
    units = units[:n]
    if n >= 4:
        ids[1], ids[2], ids[3] = "../../x", "a/b", "WNG-001"
        names[0], names[3] = XSS_NAME, FORMULA_NAME
        units[1] = XSS_UNIT
    eselon = (["II", "III", "IV", "non-eselon"] * (n // 4 + 1))[:n]
    return pd.DataFrame({"id_pn": ids, "nama": names, "unit_kerja": units, "eselon": eselon})


def build(n: int = 8, years: int = 3, *, drop_extras: tuple[str, ...] = (), estimated: bool = False,
          extra_column: bool = False) -> tuple[Batch, Analysis]:
    off = officials(n)
    yrs = np.arange(2021, 2021 + years)
    lap = off.loc[off.index.repeat(years)].reset_index(drop=True)
    lap["tahun_lapor"] = np.tile(yrs, n).astype("int64")
    k = np.repeat(np.arange(n), years)
    t = lap["tahun_lapor"].to_numpy() - yrs[0]
    lap["tanggal_lapor"] = pd.to_datetime(lap["tahun_lapor"].astype(str) + "-12-31")
    lap["jenis_laporan"] = "periodik"
    lap["lembaga"] = np.where(k % 3 == 0, "PEMERINTAH PROVINSI UJI", "DPRD PROVINSI UJI")
    lap["jabatan"] = "KEPALA BIDANG"
    lap["golongan"] = "IV/a"
    growth = 1 + 0.05 * t + np.where(k == 0, 0.8 * t, 0.0)
    lap["tanah_bangunan"] = (800 + 100 * k) * JT * growth
    lap["alat_transportasi"] = 250.0 * JT
    lap["harta_bergerak_lain"] = 20.0 * JT
    lap["surat_berharga"] = np.where(k % 2 == 0, 100.0 * JT, 0.0)
    lap["kas"] = (150 + 40 * t) * JT * (1 + (k == 4) * 20)
    lap["harta_lainnya"] = np.nan
    lap["hutang"] = np.where(k % 3 == 1, 300.0 * JT, 0.0)
    lap["total_harta_kekayaan"] = (lap[list(HARTA_KATEGORI)].fillna(0).sum(axis=1) - lap["hutang"])
    income = (180 + 20 * k) * JT
    lap["penerimaan_pekerjaan"] = np.nan if estimated else income
    lap["penerimaan_usaha"] = np.nan if estimated else 0.0
    lap["penerimaan_lainnya"] = np.nan if estimated else 0.0
    lap["pengeluaran_rutin"] = np.nan if estimated else income * 0.6
    lap["pengeluaran_harta"] = np.nan if estimated else 0.0
    lap["pengeluaran_lainnya"] = np.nan if estimated else 0.0
    lap["_source"], lap["_sheet"] = "uji.xlsx", "laporan"
    lap["_row"] = np.arange(len(lap)) + 2
    if extra_column:
        lap["kolom_tambahan"] = "apa saja"

    items = []
    row = 2
    for i, r in lap.iterrows():  # small fixture: readability over speed
        for kat, uraian, nilai, asal in (
                ("tanah_bangunan", "Tanah dan Bangunan Seluas 200 m2/120 m2 di KOTA UJI, HASIL SENDIRI",
                 r["tanah_bangunan"], "hasil_sendiri"),
                ("alat_transportasi", "MOBIL, TOYOTA LAND CRUISER Tahun 2021, HIBAH TANPA AKTA"
                 if r["id_pn"] == off["id_pn"][0] else "MOBIL, TOYOTA AVANZA Tahun 2019, HASIL SENDIRI",
                 r["alat_transportasi"], "hibah_tanpa_akta" if r["id_pn"] == off["id_pn"][0] else "hasil_sendiri"),
                ("kas", "TABUNGAN / GIRO / DEPOSITO, HASIL SENDIRI", r["kas"], "hasil_sendiri"),
                ("hutang", "KPR BANK UJI", r["hutang"], None)):
            items.append({"id_pn": r["id_pn"], "tahun_lapor": r["tahun_lapor"], "tanggal_lapor": r["tanggal_lapor"],
                          "kategori": kat, "uraian": uraian if i % 5 else f"{uraian} {XSS_UNIT}",
                          "jenis": None, "merek": "TOYOTA" if kat == "alat_transportasi" else None,
                          "model": None, "tahun_pembuatan": np.nan, "luas_tanah": 200.0 if kat == "tanah_bangunan"
                          else np.nan, "luas_bangunan": np.nan, "lokasi": None, "tahun_perolehan": 2015.0,
                          "asal_usul": asal, "atas_nama": "pn", "nilai_perolehan": nilai * 0.7,
                          "nilai_pelaporan": nilai, "_source": "uji.xlsx", "_sheet": "harta", "_row": row})
            row += 1
    harta = pd.DataFrame(items)
    temuan = pd.DataFrame({
        "id_pn": [off["id_pn"][0], off["id_pn"][1], off["id_pn"][2]],
        "tanggal": pd.to_datetime(["2022-07-04", "2023-01-15", "2022-03-01"]),
        "jenis": ["mobil", "jam tangan", "tas"], "merek": ["Lexus", "Rolex", "Hermes"],
        "model": ["RX 350", "Daytona", f"Birkin {XSS_NAME}"],
        "uraian": ["Terlihat mengendarai mobil", f"Jam {XSS_UNIT}", "Tas tangan"],
        "perkiraan_nilai": [1290 * JT, np.nan, 400 * JT],
        "sumber": ["pemberitaan media", "pengaduan masyarakat", "media sosial"],
        "bukti": [XSS_BUKTI, "=cmd|' /C calc'!A0", "Arsip TMN-2022-0003"],
        "tahun": [2022, 2023, 2022], "_source": "uji.xlsx", "_sheet": "temuan", "_row": [2, 3, 4]})
    quality = empty_quality()
    quality = pd.DataFrame([
        {"source": "uji.xlsx", "sheet": "laporan", "row": 7, "column": "kas", "value": "Rp 1,2,3",
         "problem": "Nilai uang 'Rp 1,2,3' tidak terbaca", "action": "dikosongkan", "kind": "money_unreadable"},
        {"source": "uji.xlsx", "sheet": "harta", "row": 9, "column": "nama", "value": XSS_NAME,
         "problem": f"teks {XSS_NAME}", "action": "dibiarkan", "kind": "markup_in_text"},
        {"source": "uji.xlsx", "sheet": "laporan", "row": 3, "column": "total_harta_kekayaan", "value": "1",
         "problem": "total tidak sama dengan jumlah rincian", "action": "total yang dilaporkan dipakai",
         "kind": "total_mismatch"},
    ], columns=quality.columns)
    batch = Batch(laporan=lap, harta=harta, temuan=temuan, quality=quality,
                  counts={"laporan": SheetCount(len(lap) + 1, len(lap), 1),
                          "harta": SheetCount(len(harta), len(harta), 0),
                          "temuan": SheetCount(3, 3, 0)},
                  inputs=[InputFile("uji.xlsx", "ab" * 32, 12345, ("laporan", "harta", "temuan"))])
    return batch, _analysis(batch, off, drop_extras=drop_extras, estimated=estimated)


def _analysis(batch: Batch, off: pd.DataFrame, *, drop_extras, estimated) -> Analysis:
    lap = batch.laporan
    dec = lap[["id_pn", "tahun_lapor"]].copy()
    total = lap[list(HARTA_KATEGORI)].fillna(0).sum(axis=1)
    dec["total_harta"] = total
    dec["hutang"] = lap["hutang"]
    dec["net_worth"] = total - lap["hutang"]
    dec["income_yearly"] = (200.0 * JT if estimated else
                            lap[["penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya"]].sum(axis=1))
    dec["income_source"] = "estimated" if estimated else "declared"
    dec["growth"] = dec.groupby("id_pn")["net_worth"].diff()
    dec["unexplained"] = (dec["growth"] - dec["income_yearly"] * 0.4).clip(lower=0)
    dec = dec.sort_values(["id_pn", "tahun_lapor"], kind="stable").reset_index(drop=True)
    latest = dec.groupby("id_pn", sort=False).tail(1).set_index("id_pn")

    n = len(off)
    rng = np.random.default_rng(0)
    ml = rng.random(n)
    score = np.round(np.linspace(95, 10, n), 2)
    finds = []
    rules_cycle = list(RULES)
    for i, pid in enumerate(off["id_pn"]):
        for j in range(max(0, 3 - i // 2)):
            rule = rules_cycle[(i * 3 + j) % len(rules_cycle)]
            year = 2021 + (j % 2) + 1
            finds.append({"id_pn": pid, "tahun_lapor": year, "rule": rule,
                          "severity": ("tinggi", "sedang", "rendah")[j % 3],
                          "amount": 1.5e9 / (j + 1), "threshold": 0.5 if j == 1 else 3e8,
                          "message": f"Kenaikan harta Rp {1.5 / (j + 1):.2f} M belum terjelaskan; perlu klarifikasi"
                          + (f" {XSS_NAME}" if i == 0 and j == 0 else ""),
                          "evidence": json.dumps([
                              {"sheet": "laporan", "row": 2 + 3 * i + j, "label": "kas", "value": 150e6},
                              {"sheet": "harta", "row": 5 + i, "label": f"MOBIL {XSS_UNIT}" if i == 1 else "MOBIL",
                               "value": 250e6}])})
    findings = pd.DataFrame(finds).sort_values(["id_pn", "tahun_lapor", "rule"], kind="stable").reset_index(drop=True)
    counts = findings.groupby("id_pn").agg(n_findings=("rule", "size"),
                                           rules=("rule", lambda r: ";".join(sorted(set(r)))))
    last = lap.sort_values("tahun_lapor").groupby("id_pn", sort=False).tail(1).set_index("id_pn")
    rank = pd.DataFrame({"id_pn": off["id_pn"], "score": score, "ml_score": ml})
    rank["nama"] = rank["id_pn"].map(last["nama"])
    rank["lembaga"] = rank["id_pn"].map(last["lembaga"])
    rank["jabatan"] = rank["id_pn"].map(last["jabatan"])
    rank["tahun_lapor"] = rank["id_pn"].map(last["tahun_lapor"]).astype("int64")
    rank["rank"] = np.arange(1, n + 1)
    rank["tier"] = np.select([score >= 70, score >= 40], ["tinggi", "sedang"], "rendah")
    rank["n_findings"] = rank["id_pn"].map(counts["n_findings"]).fillna(0).astype("int64")
    rank["rules"] = rank["id_pn"].map(counts["rules"]).fillna("")
    rank["income_source"] = "estimated" if estimated else "declared"
    rank["unit_kerja"] = rank["id_pn"].map(last["unit_kerja"])
    rank["eselon"] = rank["id_pn"].map(last["eselon"])
    rank["peer_group"] = "PEMERINTAH PROVINSI UJI | " + rank["eselon"]
    rank["top_features"] = json.dumps([{"feature": "growth_ratio", "value": 2.4}, {"feature": "kas_ratio",
                                                                                   "value": 11.0}])
    rank["net_worth"] = rank["id_pn"].map(latest["net_worth"])
    rank["income_yearly"] = rank["id_pn"].map(latest["income_yearly"])
    cols = ["id_pn", "nama", "lembaga", "jabatan", "tahun_lapor", "score", "rank", "tier", "n_findings", "rules",
            "ml_score", "income_source", "unit_kerja", "eselon", "peer_group", "top_features", "net_worth",
            "income_yearly"]
    rank = rank[[c for c in cols if c not in drop_extras]]
    officials_frame = rank.drop(columns=["score", "rank", "tier"]).copy()
    luxury = pd.DataFrame({"id_pn": [off["id_pn"][0]], "tahun_lapor": [2023], "_row": [6], "merek": ["TOYOTA"],
                           "model": ["LAND CRUISER"], "nilai_pelaporan": [250e6], "catalogue_value": [2.1e9],
                           "luxury_class": ["mobil mewah"]})
    temuan = batch.temuan.copy()
    temuan["matched"] = [True, False, False]
    temuan["matched_row"] = pd.array([6, pd.NA, pd.NA], dtype="Int64")
    return Analysis(declarations=dec, officials=officials_frame, findings=findings, ranking=rank, luxury=luxury,
                    temuan=temuan, peer_detectors=("ECOD", "IForest"), income_estimated=estimated)


def manifest(batch: Batch) -> dict:
    return {"tool": "lhkpn-check", "version": "0.1.0", "command": "lhkpn-check run uji.xlsx --out hasil",
            "language": "id",
            "inputs": [{"path": f.path, "sha256": f.sha256, "bytes": f.size, "sheets": list(f.sheets)}
                       for f in batch.inputs],
            "rows": {s: c.as_dict() for s, c in batch.counts.items()},
            "configuration": {"seed": {"value": 20240101, "source": "default"},
                              "dossiers": {"value": 5000, "source": "default"}},
            "random_seed": 20240101, "detectors": ["ECOD", "IForest"],
            "timings_seconds": {"read": 0.1, "analyze": 0.2}}
