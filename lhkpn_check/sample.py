"""A synthetic province batch with planted cases, legitimate look-alikes and an answer key.

Why synthetic: real declarations carry no ground truth and no income, so the ranking can only be
measured on data where we know which officials were made to look unexplained. The batch is a fictional
province (PROVINSI SAMPEL) with OPDs, DPRD and the Gubernur; every official files 3–5 Periodik
declarations with declared income and spending; wealth grows with savings plus modest appreciation.
Ordinary officials are not tidy: kas drifts from what the declared flows imply, land is re-appraised,
items are re-typed, cells are left empty, totals are rounded, a year is skipped (see "the noise of real
declarations"; its own random stream, so the planted cases do not move with it).
Planted kinds and look-alikes follow notes/planted.md. Everything is built with numpy arrays so that
200,000 officials x 5 years take seconds; only planted cases (a few percent) are touched one kind at
a time. Same arguments -> same frames (numpy default_rng(seed), no clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lhkpn_check.model import PLACE_COLUMNS, Batch, SheetCount, empty_quality
from lhkpn_check.schema import SCHEMA

JT = 1_000_000
SOURCE = "sampel.xlsx"
PROVINSI = "SAMPEL"
LEMBAGA = f"PEMERINTAH PROVINSI {PROVINSI}"
LEMBAGA_DPRD = f"DEWAN PERWAKILAN RAKYAT DAERAH PROVINSI {PROVINSI}"
DEFAULT_START_YEAR = 2021

PLANTED_KINDS = (
    "harta_naik_tak_terjelaskan",
    "hibah_tanpa_akta",
    "barang_mewah_vs_penghasilan",
    "barang_mewah_dinilai_rendah",
    "temuan_tidak_dilaporkan",
    "kas_melebihi_penghasilan",
    "pengeluaran_melebihi_kemampuan",
    "hutang_melebihi_kemampuan",
    "hutang_lunas_tanpa_sumber",
    "total_tidak_sesuai",
)
LOOKALIKE_KINDS = (
    "lookalike_warisan",
    "lookalike_usaha_pasangan",
    "lookalike_gaji_senior",
    "lookalike_hutang_kpr",
    "lookalike_hibah_akta",
    "lookalike_temuan_dilaporkan",
)

# Roles: index into these arrays.
KD, ES1, ES2, ES3, ES4, NON, DPRD = range(7)
ESELON = np.array(["Kepala Daerah", "I", "II", "III", "IV", "non-eselon", "DPRD"], dtype=object)
ESELON_RAW = np.array(["Kepala Daerah", "I", "II", "III", "IV", "Non Eselon", "DPRD"], dtype=object)
# Monthly take-home incl. TPP of a province, Rupiah juta (low, high).
MONTHLY_JT = {KD: (80, 120), ES1: (50, 70), ES2: (28, 45), ES3: (16, 28), ES4: (10, 18), NON: (8, 15),
              DPRD: (30, 50)}
GUBERNUR_MONTHLY_JT = (130, 180)
# Median house value by role, Rupiah juta.
HOUSE_JT = {KD: 2500, ES1: 1800, ES2: 1400, ES3: 850, ES4: 600, NON: 450, DPRD: 1300}
CAR_PROB = {KD: 0.95, ES1: 0.95, ES2: 0.95, ES3: 0.85, ES4: 0.7, NON: 0.5, DPRD: 0.9}
# Probability of car tier 0 (city/MPV), 1 (mid), 2 (SUV) by role.
CAR_TIER = {KD: (0, .3, .7), ES1: (0, .3, .7), ES2: (.1, .5, .4), ES3: (.35, .55, .1), ES4: (.6, .4, 0),
            NON: (.8, .2, 0), DPRD: (.1, .5, .4)}
GOLONGAN = {
    ES1: (("IV/d", "IV/e"), (.5, .5)),
    ES2: (("IV/c", "IV/d", "IV/e"), (.5, .35, .15)),
    ES3: (("III/d", "IV/a", "IV/b"), (.2, .35, .45)),
    ES4: (("III/b", "III/c", "III/d", "IV/a"), (.15, .35, .4, .1)),
    NON: (("III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"), (.15, .25, .25, .2, .1, .05)),
}

# (merek, model, reference value in juta, tier)
NORMAL_CARS = (
    ("TOYOTA", "AGYA", 165, 0), ("DAIHATSU", "AYLA", 150, 0), ("HONDA", "BRIO", 185, 0),
    ("TOYOTA", "AVANZA", 250, 0), ("DAIHATSU", "XENIA", 235, 0), ("SUZUKI", "ERTIGA", 255, 0),
    ("MITSUBISHI", "XPANDER", 285, 0), ("HONDA", "MOBILIO", 235, 0),
    ("TOYOTA", "KIJANG INNOVA", 420, 1), ("HONDA", "HR-V", 390, 1), ("TOYOTA", "RUSH", 285, 1),
    ("SUZUKI", "XL7", 280, 1), ("NISSAN", "GRAND LIVINA", 260, 1), ("MAZDA", "CX-5", 560, 1),
    ("TOYOTA", "FORTUNER", 620, 2), ("MITSUBISHI", "PAJERO SPORT", 590, 2), ("HONDA", "CR-V", 600, 2),
)
MOTORS = (
    ("HONDA", "VARIO", 25), ("HONDA", "BEAT", 18), ("HONDA", "SCOOPY", 22), ("HONDA", "PCX", 33),
    ("YAMAHA", "NMAX", 32), ("YAMAHA", "AEROX", 28), ("YAMAHA", "MIO", 17), ("SUZUKI", "SATRIA", 25),
)
# How a model name gets typed in another year (misspelt, trim added, hyphen lost).
MODEL_TYPO = {
    "KIJANG INNOVA": "KIJANG INOVA", "AVANZA": "AVANSA", "XPANDER": "EXPANDER", "HR-V": "HRV", "CX-5": "CX5",
    "CR-V": "CRV", "PAJERO SPORT": "PAJERO SPORT DAKAR", "FORTUNER": "FORTUNER VRZ", "GRAND LIVINA": "GRANDLIVINA",
    "ERTIGA": "ERTIGA GX", "BRIO": "BRIO SATYA", "AGYA": "AGYA 1.2 G", "AYLA": "AYLA X", "XENIA": "XENIA 1.3 R",
    "MOBILIO": "MOBILLIO", "RUSH": "RUSH TRD", "XL7": "XL 7", "VARIO": "VARIO 125", "BEAT": "BEAT STREET",
    "SCOOPY": "SCOPY", "PCX": "PCX 160", "NMAX": "N-MAX", "AEROX": "AEROX 155", "MIO": "MIO M3",
    "SATRIA": "SATRIA FU", "ALPHARD": "ALPHARD 2.5 G", "LAND CRUISER": "LAND CRUISER 300",
    "WRANGLER RUBICON": "WRANGLER RUBICON 4X4", "FAT BOY": "FATBOY",
}
# Luxury catalogue used for planting (reference new value in juta, Indonesian market, approx. 2023).
LUXURY_CARS = (
    ("TOYOTA", "ALPHARD", 1400), ("TOYOTA", "VELLFIRE", 1700), ("TOYOTA", "LAND CRUISER", 2500),
    ("LEXUS", "LX 600", 3300), ("LEXUS", "RX 350", 1400), ("JEEP", "WRANGLER RUBICON", 1900),
    ("MERCEDES-BENZ", "S 450", 2900), ("MERCEDES-BENZ", "G 500", 5000), ("BMW", "X7", 2300),
    ("BMW", "X5", 1800), ("PORSCHE", "CAYENNE", 3000), ("LAND ROVER", "RANGE ROVER", 4500),
)
LUXURY_BIKES = (
    ("HARLEY DAVIDSON", "FAT BOY", 950), ("HARLEY DAVIDSON", "STREET GLIDE", 1100),
    ("BMW", "R 1250 GS", 750), ("DUCATI", "PANIGALE V4", 1000),
)
LUXURY_GOODS = (  # (jenis temuan, merek, model, juta)
    ("jam tangan", "Rolex", "Daytona", 650), ("jam tangan", "Patek Philippe", "Nautilus", 1500),
    ("jam tangan", "Audemars Piguet", "Royal Oak", 900), ("tas", "Hermes", "Birkin", 450),
)
LOKASI_HOME = "SAMPEL"
LOKASI = np.array(["SAMPEL", "SAMPEL", "SAMPEL", "SAMPEL UTARA", "SAMPEL SELATAN", "SAMPEL BARAT",
                   "SAMPEL TIMUR", "JAKARTA SELATAN", "BANDUNG", "YOGYAKARTA", "DENPASAR"], dtype=object)
SUMBER = np.array(["media sosial", "pengaduan masyarakat", "pemberitaan media", "observasi lapangan"],
                  dtype=object)
ASAL_CODE = {"hasil_sendiri": "HASIL SENDIRI", "warisan": "WARISAN", "hibah_dengan_akta": "HIBAH DENGAN AKTA",
             "hibah_tanpa_akta": "HIBAH TANPA AKTA", "hadiah": "HADIAH", "lainnya": "LAINNYA"}
KATEGORI_LABEL = {"tanah_bangunan": "Tanah dan Bangunan", "alat_transportasi": "Alat Transportasi dan Mesin",
                  "harta_bergerak_lain": "Harta Bergerak Lainnya", "surat_berharga": "Surat Berharga",
                  "kas": "Kas dan Setara Kas", "harta_lainnya": "Harta Lainnya", "hutang": "Hutang"}
KATEGORI_ORDER = tuple(KATEGORI_LABEL)
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")

# Positions of a provincial government: (unit_kerja, role, jabatan).
_OPD = (
    ("DINAS PENDIDIKAN DAN KEBUDAYAAN", "KEPALA DINAS",
     ("PEMBINAAN SMA", "PEMBINAAN SMK", "PEMBINAAN PENDIDIKAN KHUSUS", "KEBUDAYAAN")),
    ("DINAS PEKERJAAN UMUM DAN PENATAAN RUANG", "KEPALA DINAS",
     ("BINA MARGA", "SUMBER DAYA AIR", "CIPTA KARYA", "PENATAAN RUANG", "BINA KONSTRUKSI")),
    ("DINAS KESEHATAN", "KEPALA DINAS",
     ("PELAYANAN KESEHATAN", "KESEHATAN MASYARAKAT", "PENCEGAHAN DAN PENGENDALIAN PENYAKIT")),
    ("BADAN PERENCANAAN PEMBANGUNAN DAERAH", "KEPALA BADAN",
     ("PEREKONOMIAN", "INFRASTRUKTUR DAN KEWILAYAHAN", "PEMERINTAHAN DAN PEMBANGUNAN MANUSIA")),
    ("BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH", "KEPALA BADAN",
     ("ANGGARAN", "PERBENDAHARAAN", "AKUNTANSI", "ASET")),
    ("BADAN PENDAPATAN DAERAH", "KEPALA BADAN", ("PAJAK DAERAH", "RETRIBUSI", "PENGENDALIAN PENDAPATAN")),
    ("INSPEKTORAT", "INSPEKTUR", ("INSPEKTUR PEMBANTU WILAYAH I", "INSPEKTUR PEMBANTU WILAYAH II",
                                 "INSPEKTUR PEMBANTU KHUSUS")),
    ("SEKRETARIAT DAERAH", "ASISTEN PEREKONOMIAN DAN PEMBANGUNAN",
     ("BIRO HUKUM", "BIRO PENGADAAN BARANG DAN JASA", "BIRO UMUM", "BIRO ORGANISASI")),
    ("RUMAH SAKIT UMUM DAERAH", "DIREKTUR", ("PELAYANAN MEDIK", "KEUANGAN", "UMUM DAN KEPEGAWAIAN")),
    ("DINAS PERHUBUNGAN", "KEPALA DINAS", ("LALU LINTAS JALAN", "PERHUBUNGAN LAUT", "PERKERETAAPIAN")),
    ("DINAS KEHUTANAN", "KEPALA DINAS", ("PERLINDUNGAN HUTAN", "PENGELOLAAN DAS", "PERHUTANAN SOSIAL")),
    ("DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU", "KEPALA DINAS",
     ("PERIZINAN", "PROMOSI PENANAMAN MODAL")),
    ("DINAS SOSIAL", "KEPALA DINAS", ("REHABILITASI SOSIAL", "PERLINDUNGAN DAN JAMINAN SOSIAL")),
    ("BADAN KEPEGAWAIAN DAERAH", "KEPALA BADAN", ("MUTASI", "PENGEMBANGAN KOMPETENSI")),
)
_FUNGSIONAL = ("AUDITOR AHLI MUDA", "AUDITOR AHLI PERTAMA", "BENDAHARA PENGELUARAN",
               "PENGELOLA PENGADAAN BARANG/JASA AHLI MUDA", "PERENCANA AHLI MUDA", "PENGELOLA BARANG MILIK DAERAH")


def _positions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    units, roles, titles = [], [], []

    def add(unit, role, title):
        units.append(unit), roles.append(role), titles.append(title)

    add("SEKRETARIAT DAERAH", ES1, "SEKRETARIS DAERAH")
    for unit, head, fields in _OPD:
        add(unit, ES2, head)
        sekretaris = "KEPALA BAGIAN" if unit == "SEKRETARIAT DAERAH" else "SEKRETARIS"
        add(unit, ES3, sekretaris if sekretaris == "SEKRETARIS" else "KEPALA BAGIAN TATA USAHA")
        for field in fields:
            if field.startswith(("INSPEKTUR", "BIRO")):
                add(unit, ES3, field if field.startswith("INSPEKTUR") else f"KEPALA {field}")
                add(unit, ES4, f"KEPALA SUB BAGIAN {field.removeprefix('BIRO ')}")
            else:
                add(unit, ES3, f"KEPALA BIDANG {field}")
                add(unit, ES4, f"KEPALA SEKSI {field}")
        add(unit, ES4, "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN")
        add(unit, ES4, "KEPALA SUB BAGIAN KEUANGAN")
        for title in _FUNGSIONAL:
            if title.startswith("AUDITOR") and unit != "INSPEKTORAT":
                continue
            add(unit, NON, title)
    return np.array(units, dtype=object), np.array(roles), np.array(titles, dtype=object)


@dataclass
class SampleBatch:
    """Canonical typed frames as `model.Batch` describes them, plus the answer key (one row per official)."""

    laporan: pd.DataFrame
    harta: pd.DataFrame
    temuan: pd.DataFrame
    answer_key: pd.DataFrame
    seed: int | None = None
    years: int | None = None
    wajib_lapor: pd.DataFrame | None = None
    """With `generate(..., wajib_lapor=True)`: the roster as the personnel office types it (raw sheet)."""
    kepatuhan_key: pd.DataFrame | None = None
    """The roster's answer key: one row per expected kepatuhan.csv row (id_pn, tahun_lapor, status,
    hari_terlambat, unit_kerja, lembaga)."""

    @property
    def batch(self) -> Batch:
        counts = {name: SheetCount(read=len(f), accepted=len(f), rejected=0)
                  for name, f in (("laporan", self.laporan), ("harta", self.harta), ("temuan", self.temuan))}
        from lhkpn_check.keys import uraian_keys

        codes, uniques = pd.factorize(self.harta["uraian"], use_na_sentinel=True)  # model.Batch's typed keys
        harta = self.harta.assign(_uraian_key=uraian_keys(codes, np.asarray(uniques, dtype=object)),
                                  _id_pn_code=_id_codes(self.harta["id_pn"]))
        return Batch(laporan=self.laporan.assign(_id_pn_code=_id_codes(self.laporan["id_pn"])), harta=harta,
                     temuan=self.temuan.assign(_id_pn_code=_id_codes(self.temuan["id_pn"])),
                     quality=empty_quality(), counts=counts, inputs=[])


def _id_codes(ids: pd.Series) -> np.ndarray:
    """model.Batch's `_id_pn_code`: each id's rank among the sheet's distinct ids in text order."""
    return pd.factorize(ids.astype(str), sort=True)[0].astype(np.int64)


def _round(x, unit):
    return (np.round(np.asarray(x, dtype=float) / unit) * unit).astype(np.int64)


class _Assets:
    """Column store of asset / debt items, one row per item (not per year)."""

    FIELDS = ("off", "kategori", "jenis", "merek", "model", "tahun_pembuatan", "luas_tanah", "luas_bangunan",
              "lokasi", "asal", "atas_nama", "tahun_perolehan", "nilai_perolehan", "value", "s", "rate",
              "uraian_kind", "lump")
    TEXT = ("kategori", "jenis", "merek", "model", "lokasi", "asal", "atas_nama", "uraian_kind")

    def __init__(self):
        self.parts: list[dict] = []

    def add(self, off, **kw):
        off = np.asarray(off, dtype=np.int64)
        m = len(off)
        if m == 0:
            return
        defaults = dict(jenis=None, merek=None, model=None, tahun_pembuatan=np.nan, luas_tanah=np.nan,
                        luas_bangunan=np.nan, lokasi=None, asal="hasil_sendiri", atas_nama="pn",
                        rate=0.0, lump=-1)
        defaults.update(kw)
        part = {"off": off}
        for name in self.FIELDS[1:]:
            v = defaults[name]
            if name in self.TEXT:
                part[name] = np.asarray(v, dtype=object) if np.ndim(v) else np.full(m, v, dtype=object)
            else:
                dtype = np.int64 if name in ("s", "lump") else float
                part[name] = np.asarray(v, dtype=dtype) if np.ndim(v) else np.full(m, v, dtype=dtype)
        self.parts.append(part)

    def frame(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate([p[name] for p in self.parts]) for name in self.FIELDS}


class _Gen:
    def __init__(self, n: int, years: int, start: int, seed: int):
        self.n, self.Y, self.start = n, years, start
        self.years = start + np.arange(years)
        self.rng = np.random.default_rng(seed)
        self.noise = np.random.default_rng([seed, 1])
        """The ordinary noise of real declarations has its own stream, so it never shifts what is planted."""
        self.assets = _Assets()
        self.temuan: list[dict] = []
        self.totals_off: list[tuple] = []

    # -- officials ------------------------------------------------------------------------------------
    def officials(self):
        n, rng = self.n, self.rng
        n_kd = max(2, round(n * 0.004))
        n_es1 = max(1, round(n * 0.003))
        counts = {KD: n_kd, ES1: n_es1, ES2: round(n * 0.07), ES3: round(n * 0.22), DPRD: round(n * 0.10),
                  NON: round(n * 0.16)}
        counts[ES4] = n - sum(counts.values())
        role = np.concatenate([np.full(c, r, dtype=np.int8) for r, c in sorted(counts.items())])
        self.role = role[rng.permutation(n)]
        self.is_pns = ~np.isin(self.role, (KD, DPRD))

        units, proles, titles = _positions()
        self.unit = np.empty(n, dtype=object)
        self.jabatan = np.empty(n, dtype=object)
        for r in (ES1, ES2, ES3, ES4, NON):
            sel = np.flatnonzero(self.role == r)
            cand = np.flatnonzero(proles == r)
            pick = cand[rng.integers(0, len(cand), len(sel))]
            self.unit[sel], self.jabatan[sel] = units[pick], titles[pick]
        kd = np.flatnonzero(self.role == KD)
        self.unit[kd] = "PIMPINAN DAERAH"
        self.jabatan[kd] = "WAKIL GUBERNUR"
        self.jabatan[kd[0]] = "GUBERNUR"
        dprd = np.flatnonzero(self.role == DPRD)
        komisi = np.array(["KOMISI I", "KOMISI II", "KOMISI III", "KOMISI IV", "KOMISI V"], dtype=object)
        self.unit[dprd] = komisi[rng.integers(0, 5, len(dprd))]
        self.jabatan[dprd] = "ANGGOTA DPRD"
        if len(dprd):
            self.unit[dprd[0]], self.jabatan[dprd[0]] = "PIMPINAN DPRD", "KETUA DPRD"
            self.unit[dprd[1:5]], self.jabatan[dprd[1:5]] = "PIMPINAN DPRD", "WAKIL KETUA DPRD"
        self.lembaga = np.where(self.role == DPRD, LEMBAGA_DPRD, LEMBAGA).astype(object)

        self.golongan = np.full(n, None, dtype=object)
        for r, (codes, p) in GOLONGAN.items():
            sel = np.flatnonzero(self.role == r)
            self.golongan[sel] = np.array(codes, dtype=object)[rng.choice(len(codes), len(sel), p=p)]

        self.id_pn = self._ids()
        width = max(4, len(str(n)))
        self.nama = np.char.add("Pejabat Sampel ", np.char.zfill(np.arange(1, n + 1).astype(str), width))
        self.nama = self.nama.astype(object)

        # New officials: some start one or two years late (at least 2 declarations).
        u = rng.random(n)
        self.f = np.where(u < 0.08, 1, np.where((u < 0.12) & (self.Y >= 4), 2, 0)).astype(np.int64)
        self.f = np.minimum(self.f, self.Y - 2)
        self.t = np.arange(self.Y)
        self.valid = self.t[None, :] >= self.f[:, None]
        self.kind = np.full(n, "", dtype=object)
        self.note = np.full(n, "", dtype=object)
        self.taken = np.zeros(n, dtype=bool)

    def _ids(self) -> np.ndarray:
        """18-digit NIP (birth date, TMT CPNS, sex, serial) for civil servants; 16-digit NIK otherwise."""
        n, rng = self.n, self.rng
        by = rng.integers(1966, 1994, n)
        bm, bd = rng.integers(1, 13, n), rng.integers(1, 29, n)
        ty = by + rng.integers(23, 31, n)
        tm = rng.integers(1, 13, n)
        sex = rng.integers(1, 3, n)
        serial = (np.arange(n) % 997) + 1
        nip = ((by * 10000 + bm * 100 + bd) * 10**10 + (ty * 100 + tm) * 10**4 + sex * 1000 + serial)
        nik_dd = np.where(sex == 2, bd + 40, bd)
        nik = ((99 * 100 + rng.integers(1, 6, n)) * 100 + rng.integers(1, 21, n)) * 10**10 \
            + (nik_dd * 10000 + bm * 100 + by % 100) * 10**4 + serial
        ids = np.where(self.is_pns, nip, nik).astype(np.int64)
        while True:
            dup = pd.Series(ids).duplicated().to_numpy()
            if not dup.any():
                break
            ids[dup] += 1
        return ids.astype(str).astype(object)

    # -- money ----------------------------------------------------------------------------------------
    def income(self):
        n, Y, rng = self.n, self.Y, self.rng
        lo = np.array([MONTHLY_JT[r][0] for r in range(7)])[self.role]
        hi = np.array([MONTHLY_JT[r][1] for r in range(7)])[self.role]
        gub = self.jabatan == "GUBERNUR"
        lo, hi = np.where(gub, GUBERNUR_MONTHLY_JT[0], lo), np.where(gub, GUBERNUR_MONTHLY_JT[1], hi)
        monthly = rng.uniform(lo, hi) * JT
        spouse = np.where(rng.random(n) < 0.45, rng.uniform(4, 12, n) * JT, 0.0)
        growth = rng.uniform(0.0, 0.05, n)
        base = (monthly + spouse) * 13
        self.P = _round(base[:, None] * (1 + growth[:, None]) ** self.t[None, :], 1000)
        usaha = np.where(rng.random(n) < 0.35, rng.uniform(0.01, 0.10, n), 0.0)
        self.U = _round(self.P * usaha[:, None], 1000)
        self.L = np.zeros((n, Y), dtype=np.int64)
        self.r_rate = rng.uniform(0.5, 0.72, n)
        self.R = _round((self.P + self.U) * self.r_rate[:, None], 1000)
        maint = np.where(rng.random(n) < 0.5, rng.uniform(0, 0.03, n), 0.0)
        self.H = _round((self.P + self.U) * maint[:, None], 1000)
        self.O = np.zeros((n, Y), dtype=np.int64)
        self.kas_adj = np.zeros((n, Y), dtype=np.int64)
        """Declared flows that did not move cash (unexplained spending): added back to the cash path."""
        self.kas_extra = np.zeros((n, Y), dtype=np.int64)
        """Unexplained cash that appeared, after the cash path is made non-negative."""
        self.K0 = _round((self.P[:, 0] + self.U[:, 0]) * np.clip(rng.lognormal(np.log(0.5), 0.7, n), 0.05, 3), 1000)
        self.has_loan = rng.random(n) < 0.25

    def inc(self, idx, t=0):
        return (self.P[idx, t] + self.U[idx, t]).astype(float)

    # -- ordinary assets ------------------------------------------------------------------------------
    def base_assets(self):
        n, rng, A = self.n, self.rng, self.assets
        idx = np.arange(n)
        s = self.f
        y0 = self.years[0] + s
        # House.
        h = idx[rng.random(n) < 0.92]
        med = np.array([HOUSE_JT[r] for r in range(7)])[self.role[h]] * JT
        v = np.clip(med * rng.lognormal(0, 0.4, len(h)), 250 * JT, 3500 * JT)
        self.land(h, v, s[h], y0[h] - rng.integers(2, 20, len(h)), bangunan=True, home=True,
                  rate=np.where(rng.random(len(h)) < 0.4, 0.0, rng.uniform(0.02, 0.06, len(h))))
        # Second plot of land.
        p2 = np.where(np.isin(self.role, (ES3, ES2, ES1, KD, DPRD)), 0.2, 0.08)
        l2 = idx[rng.random(n) < p2]
        v = rng.uniform(80, 900, len(l2)) * JT
        self.land(l2, v, s[l2], y0[l2] - rng.integers(1, 15, len(l2)), bangunan=False, home=False,
                  rate=np.where(rng.random(len(l2)) < 0.5, 0.0, rng.uniform(0.02, 0.06, len(l2))))
        # Cars.
        has_car = rng.random(n) < np.array([CAR_PROB[r] for r in range(7)])[self.role]
        c = idx[has_car]
        second = idx[has_car & np.isin(self.role, (ES2, ES1, KD, DPRD)) & (rng.random(n) < 0.3)]
        c = np.concatenate([c, second])
        tiers = np.array([CAR_TIER[r] for r in range(7)])[self.role[c]]
        tier = (rng.random(len(c))[:, None] > np.cumsum(tiers, axis=1)).sum(axis=1)
        built = y0[c] - rng.integers(1, 10, len(c))
        self.normal_vehicle(c, tier, built, s[c], y0[c])
        # Motorcycles.
        mo = idx[rng.random(n) < 0.2]
        self.motor(mo, y0[mo] - rng.integers(1, 8, len(mo)), s[mo], y0[mo])
        # Other movable goods, securities, other assets.
        b = idx[rng.random(n) < 0.1]
        gold = rng.random(len(b)) < 0.4
        A.add(b, kategori="harta_bergerak_lain", jenis=np.where(gold, "LOGAM MULIA", "PERABOTAN RUMAH TANGGA"),
              tahun_perolehan=(y0[b] - rng.integers(1, 10, len(b))).astype(float),
              nilai_perolehan=_round(rng.uniform(10, 120, len(b)) * JT, 100_000),
              value=_round(rng.uniform(10, 120, len(b)) * JT, 100_000), s=s[b],
              rate=np.where(gold, 0.05, 0.0), uraian_kind="goods")
        p_sb = np.where(np.isin(self.role, (ES2, ES1, KD, DPRD)), 0.25, 0.05)
        sb = idx[rng.random(n) < p_sb]
        val = _round(rng.uniform(20, 400, len(sb)) * JT, 1000)
        A.add(sb, kategori="surat_berharga",
              jenis=np.array(["REKSADANA", "SAHAM", "OBLIGASI NEGARA RITEL"], dtype=object)[
                  rng.integers(0, 3, len(sb))],
              tahun_perolehan=(y0[sb] - rng.integers(1, 6, len(sb))).astype(float), nilai_perolehan=val,
              value=val, s=s[sb], rate=rng.uniform(-0.03, 0.08, len(sb)), uraian_kind="goods")
        hl = idx[rng.random(n) < 0.02]
        val = _round(rng.uniform(10, 100, len(hl)) * JT, 1_000_000)
        A.add(hl, kategori="harta_lainnya", jenis="PIUTANG", tahun_perolehan=(y0[hl] - 1).astype(float),
              nilai_perolehan=val, value=val, s=s[hl], uraian_kind="goods")

    def land(self, off, value, s, acquired, *, bangunan, home=False, asal="hasil_sendiri", rate=0.0,
             atas_nama="pn"):
        rng, m = self.rng, len(off)
        value = _round(value, 1_000_000)
        bang = np.asarray(bangunan) if np.ndim(bangunan) else np.full(m, bool(bangunan))
        per_m2 = np.where(bang, rng.uniform(1.5, 5.0, m), rng.uniform(0.1, 1.2, m)) * JT
        lt = np.clip(np.round(value / per_m2 / 5) * 5, 60, 20000)
        lb = np.where(bang, np.round(lt * rng.uniform(0.35, 0.9, m)), np.nan)
        lok = LOKASI[rng.integers(0, len(LOKASI), m)]
        if home:
            lok = np.where(rng.random(m) < 0.85, LOKASI_HOME, lok)
        perolehan = _round(value * np.clip(1 - 0.04 * (self.years[0] - np.asarray(acquired)), 0.3, 1.0), 1_000_000)
        self.assets.add(off, kategori="tanah_bangunan", jenis=np.where(bang, "TANAH DAN BANGUNAN", "TANAH"),
                        luas_tanah=lt, luas_bangunan=lb, lokasi=np.asarray(lok, dtype=object), asal=asal,
                        atas_nama=atas_nama, tahun_perolehan=np.asarray(acquired, dtype=float),
                        nilai_perolehan=perolehan, value=value, s=np.asarray(s), rate=rate, uraian_kind="land")

    def normal_vehicle(self, off, tier, built, s, year_s, asal="hasil_sendiri"):
        rng = self.rng
        cars = np.array(NORMAL_CARS, dtype=object)
        ctier = cars[:, 3].astype(int)
        pick = np.empty(len(off), dtype=np.int64)
        for k in range(3):
            sel = np.flatnonzero(tier == k)
            cand = np.flatnonzero(ctier == k)
            pick[sel] = cand[rng.integers(0, len(cand), len(sel))]
        ref = cars[pick, 2].astype(float) * JT
        self.vehicle(off, "MOBIL", cars[pick, 0], cars[pick, 1], ref, built, s, year_s, asal=asal)

    def motor(self, off, built, s, year_s):
        bikes = np.array(MOTORS, dtype=object)
        pick = self.rng.integers(0, len(bikes), len(off))
        self.vehicle(off, "MOTOR", bikes[pick, 0], bikes[pick, 1], bikes[pick, 2].astype(float) * JT, built, s,
                     year_s)

    def vehicle(self, off, jenis, merek, model, ref, built, s, year_s, *, asal="hasil_sendiri", atas_nama="pn",
                value=None, acquired=None):
        """A vehicle declared from declaration index s; fair value = reference x 0.88^age unless given."""
        rng, m = self.rng, len(off)
        age = np.maximum(np.asarray(year_s) - np.asarray(built), 0)
        fair = ref * np.maximum(0.88 ** age, 0.35)
        value = fair if value is None else value
        acquired = np.asarray(built if acquired is None else acquired, dtype=float)
        perolehan = ref * np.maximum(0.88 ** np.maximum(acquired - np.asarray(built), 0), 0.35)
        flat = rng.random(m) < 0.35
        self.assets.add(off, kategori="alat_transportasi", jenis=jenis, merek=np.asarray(merek, dtype=object),
                        model=np.asarray(model, dtype=object), tahun_pembuatan=np.asarray(built, dtype=float),
                        asal=asal, atas_nama=atas_nama, tahun_perolehan=acquired,
                        nilai_perolehan=_round(perolehan, 100_000), value=_round(value, 100_000),
                        s=np.asarray(s), rate=np.where(flat, 0.0, -rng.uniform(0.05, 0.12, m)),
                        uraian_kind="vehicle")

    def loans(self, off, amount, s, pay, *, uraian, lump=None, acquired=None):
        """A debt declared from index s with balance `amount`, paid down by `pay` a year.

        `acquired` before the year of s means the debt is older than its first declaration: it was
        larger when taken and one instalment was already paid in that first year."""
        s = np.asarray(s, dtype=np.int64)
        year_s = self.years[0] + s
        acquired = year_s if acquired is None else np.asarray(acquired)
        pay = _round(pay, 1000)
        amount = _round(amount, 1_000_000)
        original = amount + pay * np.maximum(year_s - acquired + 1, 0) * (acquired < year_s)
        self.assets.add(off, kategori="hutang", jenis=uraian, asal=None, tahun_perolehan=acquired.astype(float),
                        nilai_perolehan=original, value=amount, s=s, rate=pay.astype(float),
                        lump=np.full(len(off), -1) if lump is None else np.asarray(lump), uraian_kind="debt")

    # -- special officials ----------------------------------------------------------------------------
    def pick(self, roles, count) -> np.ndarray:
        ok = np.flatnonzero(~self.taken & (self.f == 0) & np.isin(self.role, roles))
        if len(ok) == 0 or count <= 0:
            return np.array([], dtype=np.int64)
        chosen = np.sort(self.rng.choice(ok, size=min(count, len(ok)), replace=False))
        self.taken[chosen] = True
        return chosen

    def plant(self, n_planted: int, n_look: int):
        mid = (ES3, ES4, NON)
        mid_dprd = (ES3, ES4, NON, DPRD)
        rng, Y, yrs = self.rng, self.Y, self.years
        picks = {
            "lookalike_usaha_pasangan": self.pick(mid_dprd, n_look),
            "lookalike_temuan_dilaporkan": self.pick((ES2, DPRD, ES3), n_look),
            "lookalike_gaji_senior": self.pick((ES2, ES1, KD), n_look),
            "lookalike_hutang_kpr": self.pick((ES2, ES3, DPRD, ES4), n_look),
        }
        for k in PLANTED_KINDS:
            picks[k] = self.pick(mid if k.startswith("barang_mewah_vs") else mid_dprd, n_planted)
        picks["lookalike_warisan"] = self.pick(mid_dprd + (ES2,), n_look)
        picks["lookalike_hibah_akta"] = self.pick(mid_dprd + (ES2,), n_look)
        for k, idx in picks.items():
            self.kind[idx] = k
            self.has_loan[idx] = False
        self.picks = picks

        # Income changes first: look-alikes with a spouse's business or a senior salary.
        idx = picks["lookalike_usaha_pasangan"]
        car = np.array(LUXURY_CARS, dtype=object)[rng.choice([0, 4, 9], len(idx))]
        ref = car[:, 2].astype(float) * JT
        mult = np.maximum(rng.uniform(3, 6, len(idx)), (ref / 1.1 - self.P[idx, 0]) / self.P[idx, 0])
        self.U[idx] = _round(self.P[idx] * mult[:, None], 1000)
        self.r_rate[idx] = 0.5
        j = rng.integers(1, Y, len(idx))
        self.vehicle(idx, "MOBIL", car[:, 0], car[:, 1], ref, yrs[j], j, yrs[j], atas_nama="pasangan_anak")
        self.H[idx, j] += _round(ref, 100_000)
        for i, jj, c, r in zip(idx, j, car, ref):
            self.note[i] = (f"Pasangan memiliki usaha: penerimaan usaha {self._x(self.U[i, 0], self.P[i, 0])} gaji; "
                            f"membeli {c[0]} {c[1]} ({_rp(r)}) atas nama pasangan pada {yrs[jj]}, "
                            f"terbiayai penghasilan.")

        idx = picks["lookalike_temuan_dilaporkan"]
        car = np.array(LUXURY_CARS, dtype=object)[rng.choice([0, 1, 4, 9], len(idx))]
        ref = car[:, 2].astype(float) * JT
        need = np.maximum(ref / 1.0 - self.P[idx, 0], self.U[idx, 0])
        self.U[idx] = _round(need[:, None] * (1 + 0.03 * self.t[None, :]), 1000)
        a = rng.integers(1, Y, len(idx))
        self.vehicle(idx, "MOBIL", car[:, 0], car[:, 1], ref, yrs[a], a, yrs[a])
        self.H[idx, a] += _round(ref, 100_000)
        seen = a - rng.integers(0, 2, len(idx))
        self.add_temuan(idx, seen, car[:, 0], car[:, 1], "mobil", ref)
        for i, aa, ss, c in zip(idx, a, seen, car):
            self.note[i] = (f"Temuan {c[0]} {c[1]} tahun {yrs[ss]} tercantum dalam laporan {yrs[aa]} "
                            f"dengan nilai wajar; penghasilan (termasuk usaha) mencukupi.")

        idx = picks["lookalike_gaji_senior"]
        inc = self.inc(idx)
        self.land(idx, np.minimum(inc * rng.uniform(2, 4, len(idx)), 4000 * JT), np.zeros(len(idx), int),
                  yrs[0] - rng.integers(3, 12, len(idx)), bangunan=False)
        self.K0[idx] = _round(inc * rng.uniform(1, 2.5, len(idx)), 1000)
        self.r_rate[idx] = rng.uniform(0.5, 0.6, len(idx))
        alph = idx[rng.random(len(idx)) < 0.6]
        built = yrs[0] - rng.integers(3, 6, len(alph))
        self.vehicle(alph, "MOBIL", "TOYOTA", "ALPHARD", np.full(len(alph), 1400.0 * JT), built,
                     np.zeros(len(alph), int), np.full(len(alph), yrs[0]))
        has_alphard = set(alph.tolist())
        for i in idx:
            self.note[i] = (f"Pejabat senior ({self.jabatan[i]}) dengan penghasilan {_rp(self.inc(i))} setahun; "
                            f"harta besar dan tumbuh wajar" + (", memiliki TOYOTA ALPHARD sesuai penghasilan."
                                                              if i in has_alphard else "."))
        self.R = _round((self.P + self.U) * self.r_rate[:, None], 1000)

        # Gifts and inheritances: hibah tanpa akta (planted), warisan and hibah dengan akta (look-alikes).
        for kind, asal, lo, hi in (("hibah_tanpa_akta", "hibah_tanpa_akta", 3, 6),
                                   ("lookalike_warisan", "warisan", 3, 8),
                                   ("lookalike_hibah_akta", "hibah_dengan_akta", 3, 6)):
            idx = picks[kind]
            j = rng.integers(1, Y, len(idx))
            mult = rng.uniform(lo, hi, len(idx))
            value = _round(self.inc(idx, j) * mult, 1_000_000)
            bang = rng.random(len(idx)) < 0.5
            self.land(idx, value, j, yrs[j], bangunan=bang, asal=asal)
            declared = rng.random(len(idx)) < 0.5
            self.L[idx[declared], j[declared]] += value[declared]
            self.kas_adj[idx[declared], j[declared]] -= value[declared]
            for i, jj, v, m_, d, b in zip(idx, j, value, mult, declared, bang):
                self.note[i] = (f"{'Tanah dan bangunan' if b else 'Tanah'} senilai {_rp(v)} "
                                f"({m_:.1f} kali penghasilan setahun) diperoleh {yrs[jj]} dengan asal usul "
                                f"{ASAL_CODE[asal]}" + ("; dicatat pada penerimaan lainnya." if d else "."))

        # Net worth jump with no source.
        idx = picks["harta_naik_tak_terjelaskan"]
        j = np.where((rng.random(len(idx)) < 0.5) & (Y >= 4), Y - 2, Y - 1)
        mult = rng.uniform(4, 7, len(idx))
        value = _round(self.inc(idx, j) * mult, 1_000_000)
        as_land = rng.random(len(idx)) < 0.65
        li = idx[as_land]
        self.land(li, value[as_land], j[as_land], yrs[j[as_land]], bangunan=rng.random(len(li)) < 0.4)
        si = idx[~as_land]
        A = self.assets
        A.add(si, kategori="surat_berharga", jenis="SAHAM", tahun_perolehan=yrs[j[~as_land]].astype(float),
              nilai_perolehan=value[~as_land], value=value[~as_land], s=j[~as_land], uraian_kind="goods")
        for i, jj, v, m_, land in zip(idx, j, value, mult, as_land):
            what = "Tanah" if land else "Saham"
            self.note[i] = (f"{what} baru senilai {_rp(v)} ({m_:.1f} kali penghasilan setahun) muncul pada laporan "
                            f"{yrs[jj]}, asal usul hasil sendiri, penghasilan tidak naik.")

        # Luxury vehicles worth several years of income on a mid-level salary.
        idx = picks["barang_mewah_vs_penghasilan"]
        cars = np.array(LUXURY_CARS, dtype=object)
        car = cars[rng.choice([0, 1, 2, 5, 4, 9], len(idx))]
        built = yrs[0] - rng.integers(0, 3, len(idx))
        ref = car[:, 2].astype(float) * JT
        zeros = np.zeros(len(idx), int)
        self.vehicle(idx, "MOBIL", car[:, 0], car[:, 1], ref, built, zeros, np.full(len(idx), yrs[0]))
        fair = ref * 0.88 ** np.maximum(yrs[0] - built, 0)
        inc = self.inc(idx)
        low = fair < 5 * inc
        bikes = np.array(LUXURY_BIKES, dtype=object)
        bike = bikes[rng.integers(0, len(bikes), low.sum())]
        self.vehicle(idx[low], "MOTOR", bike[:, 0], bike[:, 1], bike[:, 2].astype(float) * JT, built[low] + 1,
                     zeros[low], np.full(low.sum(), yrs[0]))
        bi = iter(bike)
        for i, c, fv, lw, inc_i in zip(idx, car, fair, low, inc):
            extra = ""
            total = fv
            if lw:
                b = next(bi)
                total += b[2] * JT * 0.88
                extra = f" dan MOTOR {b[0]} {b[1]}"
            self.note[i] = (f"Memiliki MOBIL {c[0]} {c[1]}{extra} senilai sekitar {_rp(total)} "
                            f"({total / inc_i:.1f} kali penghasilan setahun) dengan gaji eselon {ESELON[self.role[i]]}.")

        # A luxury car declared at a small fraction of its catalogue value.
        idx = picks["barang_mewah_dinilai_rendah"]
        car = cars[rng.choice([0, 1, 2, 3, 5, 6, 8, 10, 11], len(idx))]
        ref = car[:, 2].astype(float) * JT
        a = rng.integers(0, Y, len(idx))
        frac = rng.uniform(0.05, 0.15, len(idx))
        value = _round(ref * frac, 5_000_000)
        self.vehicle(idx, "MOBIL", car[:, 0], car[:, 1], ref, yrs[a], a, yrs[a], value=value)
        bought = a > 0
        self.H[idx[bought], a[bought]] += value[bought]
        for i, c, aa, v, r in zip(idx, car, a, value, ref):
            self.note[i] = (f"MOBIL {c[0]} {c[1]} Tahun {yrs[aa]} dilaporkan {_rp(v)}, sekitar {v / r:.0%} "
                            f"dari nilai katalog {_rp(r)}.")

        # An observation of a luxury item the declarations do not hold.
        idx = picks["temuan_tidak_dilaporkan"]
        seen = rng.integers(0, Y, len(idx))
        what = rng.random(len(idx))
        goods = np.array(LUXURY_GOODS, dtype=object)
        for i, ss, w in zip(idx, seen, what):
            if w < 0.6:
                c = LUXURY_CARS[rng.integers(0, len(LUXURY_CARS))]
                jenis, merek, model, ref = "mobil", c[0], c[1], c[2] * JT
            elif w < 0.8:
                c = LUXURY_BIKES[rng.integers(0, len(LUXURY_BIKES))]
                jenis, merek, model, ref = "motor", c[0], c[1], c[2] * JT
            else:
                g = goods[rng.integers(0, len(goods))]
                jenis, merek, model, ref = g[0], g[1], g[2], g[3] * JT
            self.add_temuan(np.array([i]), np.array([ss]), np.array([merek], dtype=object),
                            np.array([model], dtype=object), jenis, np.array([float(ref)]))
            self.note[i] = (f"Temuan {jenis} {merek.title()} {model.title()} ({yrs[ss]}) tidak tercantum dalam "
                            f"laporan {yrs[ss]} maupun tahun berikutnya.")

        # Cash far above yearly income, held across the years.
        idx = picks["kas_melebihi_penghasilan"]
        mult = rng.uniform(12, 25, len(idx))
        self.K0[idx] = _round(self.inc(idx) * mult, 1000)
        for i, m_ in zip(idx, mult):
            self.note[i] = f"Kas dan setara kas sekitar {m_:.0f} kali penghasilan setahun sejak laporan pertama."

        # Declared spending above income plus cash.
        idx = picks["pengeluaran_melebihi_kemampuan"]
        self.K0[idx] = _round(self.inc(idx) * rng.uniform(0.05, 0.3, len(idx)), 1000)
        self.r_rate[idx] = 0.8
        self.R[idx] = _round((self.P[idx] + self.U[idx]) * 0.8, 1000)
        j = np.where((rng.random(len(idx)) < 0.5) & (Y >= 4), Y - 2, Y - 1)
        mult = rng.uniform(3.5, 5.5, len(idx))
        on_rutin = rng.random(len(idx)) < 0.6
        for i, jj, m_, rut in zip(idx, j, mult, on_rutin):
            for t in range(jj, Y):
                extra = int(round(self.inc(i, t) * m_, -3))
                (self.R if rut else self.H)[i, t] += extra
                self.kas_adj[i, t] += extra
            self.note[i] = (f"Pengeluaran {'rutin' if rut else 'untuk harta'} sejak {yrs[jj]} sekitar {m_ + 0.8:.1f} "
                            f"kali penghasilan setahun, melebihi penghasilan ditambah kas.")

        # Debts far beyond the ability to pay.
        idx = picks["hutang_melebihi_kemampuan"]
        inc = self.inc(idx)
        mult = rng.uniform(12, 20, len(idx))
        debt = _round(inc * mult, 1_000_000)
        new = (rng.random(len(idx)) < 0.5) & (Y >= 3)
        j = np.where(new, rng.integers(1, Y - 1, len(idx)), 0)
        house = _round(debt * rng.uniform(1.0, 1.15, len(idx)), 1_000_000)
        self.land(idx, house, j, np.where(new, yrs[j], yrs[0] - 1), bangunan=True)
        pay = inc * rng.uniform(0.05, 0.12, len(idx))
        self.loans(idx, debt, j, pay, uraian=np.full(len(idx), "HUTANG, PINJAMAN BANK", dtype=object),
                   acquired=np.where(new, yrs[j], yrs[0] - rng.integers(1, 4, len(idx))))
        self.L[idx[new], j[new]] += debt[new]
        self.H[idx[new], j[new]] += house[new]
        self.r_rate[idx] = 0.85
        self.R[idx] = _round((self.P[idx] + self.U[idx]) * 0.85, 1000)
        for i, jj, d, m_, nw in zip(idx, j, debt, mult, new):
            self.note[i] = (f"Hutang {_rp(d)} ({m_:.0f} kali penghasilan setahun)"
                            + (f" diambil {yrs[jj]}" if nw else " sejak laporan pertama")
                            + "; penghasilan hanya cukup untuk biaya hidup.")

        # A large debt vanishes without a source.
        idx = picks["hutang_lunas_tanpa_sumber"]
        inc = self.inc(idx)
        mult = rng.uniform(3.5, 6, len(idx))
        debt = _round(inc * mult, 1_000_000)
        bought = yrs[0] - rng.integers(1, 4, len(idx))
        self.land(idx, _round(debt * rng.uniform(1.1, 1.4, len(idx)), 1_000_000), np.zeros(len(idx), int),
                  bought, bangunan=True)
        pay = _round(debt / 20, 1000)
        self.R[idx] = _round((self.P[idx] + self.U[idx]) * rng.uniform(0.45, 0.55, len(idx))[:, None], 1000)
        lump = rng.integers(1, Y, len(idx))
        self.loans(idx, debt, np.zeros(len(idx), int), pay,
                   uraian=np.full(len(idx), "HUTANG, KREDIT PEMILIKAN RUMAH (KPR)", dtype=object), lump=lump,
                   acquired=bought)
        for i, ll, d, p_ in zip(idx, lump, debt, pay):
            left = d - p_ * (ll - 1)
            self.note[i] = (f"Sisa hutang KPR sekitar {_rp(left)} ({left / self.inc(i, ll):.1f} kali penghasilan "
                            f"setahun) lunas pada laporan "
                            f"{yrs[ll]} tanpa penerimaan, penjualan harta atau penurunan kas yang menjelaskannya.")

        # Look-alike: a big new mortgage with a new house and the loan proceeds declared.
        idx = picks["lookalike_hutang_kpr"]
        inc = self.inc(idx)
        j = rng.integers(1, max(2, Y - 1), len(idx))
        mult = rng.uniform(2, 3.5, len(idx))
        debt = _round(inc * mult, 1_000_000)
        house = _round(debt / rng.uniform(0.7, 0.85, len(idx)), 1_000_000)
        self.land(idx, house, j, yrs[j], bangunan=True)
        pay = np.minimum(debt / rng.uniform(10, 15, len(idx)), 0.3 * inc)
        self.loans(idx, debt, j, pay, uraian=np.full(len(idx), "HUTANG, KREDIT PEMILIKAN RUMAH (KPR)", dtype=object))
        self.L[idx, j] += debt
        self.H[idx, j] += house
        self.K0[idx] = np.maximum(self.K0[idx], _round(house - debt + 0.3 * inc, 1000))
        for i, jj, d, h, m_ in zip(idx, j, debt, house, mult):
            self.note[i] = (f"KPR baru {_rp(d)} ({m_:.1f} kali penghasilan setahun) pada {yrs[jj]} untuk rumah "
                            f"{_rp(h)}; pencairan kredit dicatat pada penerimaan lainnya, cicilan dalam batas "
                            f"penghasilan.")

        # Declared total that does not match its parts (applied after totals are known).
        idx = picks["total_tidak_sesuai"]
        both = (rng.random(len(idx)) < 0.5)
        up = rng.random(len(idx)) < 0.5
        factor = np.where(up, rng.uniform(1.4, 2.0, len(idx)), rng.uniform(0.35, 0.6, len(idx)))
        for i, b, fct in zip(idx, both, factor):
            ts = [Y - 1, Y - 2] if b else [Y - 1]
            for t in ts:
                self.totals_off.append((i, t, fct))
            self.note[i] = (f"Total harta kekayaan yang dicantumkan pada laporan "
                            f"{', '.join(str(yrs[t]) for t in sorted(ts))} sekitar {fct:.0%} dari jumlah rinciannya "
                            f"dikurangi hutang.")

        # Observations of ordinary officials that do match a declared ordinary vehicle.
        self.ordinary_temuan = max(2, round(self.n * 0.01))

    def add_temuan(self, off, t_idx, merek, model, jenis, value):
        """Observations are written as people type them (title case), see `_title`."""
        self.temuan.append(dict(off=np.asarray(off), t=np.asarray(t_idx), merek=np.asarray(merek, dtype=object),
                                model=np.asarray(model, dtype=object), jenis=jenis,
                                value=np.asarray(value, dtype=float)))

    @staticmethod
    def _x(a, b):
        return f"{a / b:.1f} kali"

    # -- ordinary purchases and the cash path ---------------------------------------------------------
    def loans_base(self):
        rng = self.rng
        idx = np.flatnonzero(self.has_loan)
        inc = self.inc(idx, self.f[idx])
        debt = self.P[idx, self.f[idx]] * rng.uniform(0.3, 2.0, len(idx))
        pay = np.minimum(debt / rng.uniform(5, 15, len(idx)), 0.2 * inc)
        kpr = rng.random(len(idx)) < 0.4
        self.loans(idx, debt, self.f[idx], pay,
                   uraian=np.where(kpr, "HUTANG, KREDIT PEMILIKAN RUMAH (KPR)", "HUTANG, PINJAMAN BANK").astype(object),
                   acquired=self.years[self.f[idx]] - rng.integers(1, 6, len(idx)))

    def ordinary_purchases(self):
        """Ordinary officials buy a car or a motorbike in the window when their cash allows."""
        rng, Y = self.rng, self.Y
        if Y - 1 < 1:
            return
        cand = np.flatnonzero(~self.taken & (rng.random(self.n) < 0.3) & (self.f < Y - 1))
        j = rng.integers(self.f[cand] + 1, Y)
        cash = self.cash_path()[cand, j]
        tiers = np.array([CAR_TIER[r] for r in range(7)])[self.role[cand]]
        tier = (rng.random(len(cand))[:, None] > np.cumsum(tiers, axis=1)).sum(axis=1)
        cars = np.array(NORMAL_CARS, dtype=object)
        pick = np.empty(len(cand), dtype=np.int64)
        for k in range(3):
            sel = np.flatnonzero(tier == k)
            c = np.flatnonzero(cars[:, 3].astype(int) == k)
            pick[sel] = c[rng.integers(0, len(c), len(sel))]
        price = cars[pick, 2].astype(float) * JT
        car_ok = (price <= 0.85 * cash) & (rng.random(len(cand)) < 0.6)
        bikes = np.array(MOTORS, dtype=object)
        bp = rng.integers(0, len(bikes), len(cand))
        bprice = bikes[bp, 2].astype(float) * JT
        bike_ok = ~car_ok & (bprice <= 0.85 * cash)
        yrs = self.years
        ci = cand[car_ok]
        self.vehicle(ci, "MOBIL", cars[pick[car_ok], 0], cars[pick[car_ok], 1], price[car_ok], yrs[j[car_ok]],
                     j[car_ok], yrs[j[car_ok]])
        self.H[ci, j[car_ok]] += _round(price[car_ok], 100_000)
        bi = cand[bike_ok]
        self.vehicle(bi, "MOTOR", bikes[bp[bike_ok], 0], bikes[bp[bike_ok], 1], bprice[bike_ok], yrs[j[bike_ok]],
                     j[bike_ok], yrs[j[bike_ok]])
        self.H[bi, j[bike_ok]] += _round(bprice[bike_ok], 100_000)

    def debt_schedule(self):
        """Outstanding balance per debt item and year; declared repayments into pengeluaran_lainnya."""
        a = self.assets.frame()
        is_debt = a["kategori"] == "hutang"
        off, s = a["off"][is_debt], a["s"][is_debt].astype(np.int64)
        amount, pay = a["value"][is_debt].astype(float), a["rate"][is_debt].astype(float)
        lump = a["lump"][is_debt].astype(np.int64)
        t = self.t[None, :]
        since = t - s[:, None]
        bal = np.where(since >= 0, np.maximum(amount[:, None] - pay[:, None] * since, 0), 0)
        bal = np.where((lump[:, None] >= 0) & (t >= lump[:, None]), 0, bal)
        prev = np.concatenate([np.zeros((len(off), 1)), bal[:, :-1]], axis=1)
        paid = np.where(since > 0, np.minimum(pay[:, None], prev), 0)
        older = a["tahun_perolehan"][is_debt] < self.years[0] + s
        paid = np.where((since == 0) & older[:, None], pay[:, None], paid)
        O = np.zeros((self.n, self.Y))
        np.add.at(O, off, paid)
        self.O = _round(O, 1000)
        self.debt_balance = _round(bal, 1000)

    def cash_path(self) -> np.ndarray:
        flow = self.P + self.U + self.L - self.R - self.H - self.O + self.kas_adj
        flow = np.where(self.t[None, :] > self.f[:, None], flow, 0)
        drift = getattr(self, "drift", 0)
        return self.K0[:, None] + np.cumsum(flow, axis=1) + drift

    def gaps(self):
        """A few ordinary officials miss one middle declaration: the next one covers two years."""
        if self.Y < 4:
            return
        nr = self.noise
        ok = np.flatnonzero((self.kind == "") & (self.f == 0) & (nr.random(self.n) < 0.04))
        gap = nr.integers(1, self.Y - 1, len(ok))
        self.valid[ok, gap] = False

    def settle_cash(self):
        """The cash path made non-negative, plus a drift: declared kas is never exactly what the declared flows
        imply (forgotten spending, a rounded balance, interest), up to ~0.3 years of income per declaration."""
        nr = self.noise
        step = nr.uniform(-0.3, 0.3, (self.n, self.Y)) * (self.P + self.U)
        step = np.where(self.t[None, :] > self.f[:, None], step, 0)
        self.drift = _round(np.cumsum(step, axis=1), 1000)
        kas = self.cash_path()
        low = np.where(self.valid, kas, np.iinfo(np.int64).max).min(axis=1)
        need = np.where(low < 0, -low + _round(self.inc(np.arange(self.n)) * 0.1, 1000), 0)
        self.K0 = self.K0 + need
        self.kas = self.cash_path() + np.cumsum(self.kas_extra, axis=1)
        self.gaps()

    # -- frames ---------------------------------------------------------------------------------------
    def frames(self) -> SampleBatch:
        n, Y, yrs = self.n, self.Y, self.years
        a = self.assets.frame()
        m = len(a["off"])
        s = a["s"].astype(np.int64)
        first = np.maximum(s, self.f[a["off"]])
        count = np.maximum(Y - first, 0)
        item = np.repeat(np.arange(m), count)
        t = first[item] + (np.arange(len(item)) - np.repeat(np.cumsum(count) - count, count))
        off = a["off"][item]
        since = t - s[item]
        is_debt = a["kategori"][item] == "hutang"
        unit = np.where(np.isin(a["kategori"][item], ("tanah_bangunan", "alat_transportasi")), 100_000, 1000)
        rate = self.reappraisal(a)
        value = np.round(a["value"][item].astype(float) * (1 + rate[item] * ~is_debt) ** since / unit) * unit
        # Debt balances.
        debt_rows = np.flatnonzero(is_debt)
        if len(debt_rows):
            d_items = item[debt_rows]
            d_index = np.searchsorted(np.flatnonzero(a["kategori"] == "hutang"), d_items)
            value[debt_rows] = self.debt_balance[d_index, t[debt_rows]]
        keep = ~(is_debt & (value <= 0)) & self.valid[off, t]
        item, t, off, value = item[keep], t[keep], off[keep], value[keep]
        retyped_from, retyped_text, retyped_model = self.retype(a)

        # Kas: one item per declaration.
        vi, vt = np.nonzero(self.valid)
        uraian_item = _uraian(a)
        kas_val = self.kas[vi, vt].astype(float)
        k = len(vi)
        h_off = np.concatenate([off, vi])
        h_t = np.concatenate([t, vt])
        h_item = np.concatenate([item, np.full(k, -1)])
        order = np.lexsort((np.concatenate([np.arange(len(item)), len(item) + np.arange(k)]),
                            np.where(h_item >= 0, _cat_rank(a["kategori"])[np.maximum(h_item, 0)], 4), h_t, h_off))
        h_off, h_t, h_item = h_off[order], h_t[order], h_item[order]
        h_val = np.concatenate([value, kas_val])[order]
        real = h_item >= 0
        ii = np.maximum(h_item, 0)

        def col(name, fill):
            src = a[name][ii]
            out = np.where(real, src, fill)
            return out

        kategori = np.where(real, a["kategori"][ii], "kas").astype(object)
        retyped = real & (h_t >= retyped_from[ii])
        uraian = np.where(real, uraian_item[ii], "TABUNGAN / GIRO / DEPOSITO, HASIL SENDIRI").astype(object)
        uraian[retyped] = retyped_text[ii[retyped]]
        model = col("model", None).astype(object)
        model[retyped] = np.where(retyped_model[ii[retyped]] == None, model[retyped],  # noqa: E711
                                  retyped_model[ii[retyped]])
        harta = pd.DataFrame({
            "id_pn": self.id_pn[h_off],
            "tahun_lapor": yrs[h_t].astype(np.int64),
            "tanggal_lapor": _dec31(yrs[h_t]),
            "kategori": kategori,
            "uraian": uraian,
            "jenis": np.where(real, a["jenis"][ii], "TABUNGAN / GIRO / DEPOSITO").astype(object),
            "merek": col("merek", None).astype(object),
            "model": model,
            "tahun_pembuatan": col("tahun_pembuatan", np.nan).astype(float),
            "luas_tanah": col("luas_tanah", np.nan).astype(float),
            "luas_bangunan": col("luas_bangunan", np.nan).astype(float),
            "lokasi": col("lokasi", None).astype(object),
            "tahun_perolehan": np.where(real, a["tahun_perolehan"][ii].astype(float), np.nan),
            "asal_usul": np.where(real, a["asal"][ii], "hasil_sendiri").astype(object),
            "atas_nama": np.where(real, a["atas_nama"][ii], "pn").astype(object),
            "nilai_perolehan": np.where(real, a["nilai_perolehan"][ii].astype(float), np.nan),
            "nilai_pelaporan": h_val.astype(float),
        })
        _place(harta, "harta")

        # Laporan totals = sums of items.
        decl = h_off * Y + h_t
        totals = {}
        for cat in KATEGORI_ORDER:
            sel = kategori == cat
            totals[cat] = np.bincount(decl[sel], weights=h_val[sel], minlength=n * Y).reshape(n, Y)
        parts = sum(totals[c] for c in KATEGORI_ORDER if c != "hutang")
        total = parts - totals["hutang"]
        total = total + self.rounding(total)
        for i, tt, fct in self.totals_off:
            true = total[i, tt]
            new = round(true * fct, -3)
            if abs(new - true) < 200 * JT:
                new = true + (200 * JT if fct > 1 else -200 * JT)
            total[i, tt] = new
        laporan = pd.DataFrame({
            "id_pn": self.id_pn[vi],
            "nama": self.nama[vi],
            "tahun_lapor": yrs[vt].astype(np.int64),
            "tanggal_lapor": _dec31(yrs[vt]),
            "jenis_laporan": "periodik",
            "lembaga": self.lembaga[vi],
            "unit_kerja": self.unit[vi],
            "jabatan": self.jabatan[vi],
            "eselon": ESELON[self.role[vi]],
            "golongan": self.golongan[vi],
            **{c: totals[c][vi, vt] for c in KATEGORI_ORDER if c != "hutang"},
            "hutang": totals["hutang"][vi, vt],
            "total_harta_kekayaan": total[vi, vt].astype(float),
            "penerimaan_pekerjaan": self.P[vi, vt].astype(float),
            "penerimaan_usaha": self.U[vi, vt].astype(float),
            "penerimaan_lainnya": self.L[vi, vt].astype(float),
            "pengeluaran_rutin": self.R[vi, vt].astype(float),
            "pengeluaran_harta": self.H[vi, vt].astype(float),
            "pengeluaran_lainnya": self.O[vi, vt].astype(float),
            "tanggal_kirim": np.full(len(vi), np.datetime64("NaT"), dtype="datetime64[ns]"),
        })
        self.blank_flows(laporan, vi, vt)
        laporan = laporan[list(SCHEMA["laporan"])]
        _place(laporan, "laporan")

        temuan = self.temuan_frame()
        kind = self.kind
        planted = np.isin(kind, PLANTED_KINDS).astype(np.int64)
        answer = pd.DataFrame({"id_pn": self.id_pn, "planted": planted, "kind": kind.astype(object),
                               "keterangan": self.note.astype(object)})
        return SampleBatch(laporan=laporan, harta=harta, temuan=temuan, answer_key=answer)

    # -- the noise of real declarations -------------------------------------------------------------------
    def reappraisal(self, a: dict) -> np.ndarray:
        """Yearly value change per item: land and buildings follow the NJOP (0-10 % up a year; a quarter are
        never re-appraised), vehicles keep the depreciation they were given, debts are scheduled elsewhere."""
        rate = a["rate"].astype(float).copy()
        land = np.flatnonzero(a["kategori"] == "tanah_bangunan")
        nr = self.noise
        rate[land] = np.where(nr.random(len(land)) < 0.25, 0.0, nr.uniform(0.0, 0.10, len(land)))
        return rate

    def retype(self, a: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Some items are typed differently from one declaration on: a misspelt or longer model name
        (`TOYOTA INOVA`), title case, spaces lost after commas, `KOTA` for `KAB / KOTA`. Returns per item the
        declaration index from which the new text is used (Y = never), the text, and the model it names."""
        nr, m, Y = self.noise, len(a["off"]), self.Y
        first = np.maximum(a["s"].astype(np.int64), self.f[a["off"]])
        kind = a["uraian_kind"]
        eligible = np.isin(kind, ("vehicle", "land", "goods")) & (first < Y - 1)
        chosen = eligible & (nr.random(m) < 0.12)
        start = np.where(chosen, nr.integers(np.minimum(first + 1, Y - 1), Y), Y)
        style = nr.integers(0, 3, m)
        base = _uraian(a)
        text = base.copy()
        model = np.full(m, None, dtype=object)
        # Vehicles, style 0: the model typed another way (the catalogue and observations must still find it).
        typo = chosen & (kind == "vehicle") & (style == 0)
        if typo.any():
            alt = dict(a)
            alt_model = pd.Series(a["model"]).map(lambda v: MODEL_TYPO.get(v, f"{v} A/T") if isinstance(v, str)
                                                  else v).to_numpy(dtype=object)
            alt["model"] = alt_model
            text[typo] = _uraian({k: v[typo] for k, v in alt.items()})
            model[typo] = alt_model[typo]
        title = chosen & (style == 1)
        text[title] = pd.Series(base[title], dtype=object).str.title().str.replace(" M2", " m2") \
            .str.replace("/ Kota", "/ KOTA").to_numpy(dtype=object)
        other = chosen & (style == 2)
        squeezed = pd.Series(base[other], dtype=object).str.replace(", ", ",", regex=False) \
            .str.replace("KAB / KOTA ", "KOTA ", regex=False).to_numpy(dtype=object)
        text[other] = squeezed
        return start, text, model

    def rounding(self, total: np.ndarray) -> np.ndarray:
        """The declared total is typed by hand: often rounded to a million or a few parts per thousand off."""
        nr = self.noise
        u = nr.random(total.shape)
        to_million = np.round(total / JT) * JT - total
        small = _round(total * nr.uniform(-0.004, 0.004, total.shape), 1000)
        return np.where(u < 0.15, to_million, np.where(u < 0.25, small, 0)).astype(np.int64)

    def blank_flows(self, laporan: pd.DataFrame, vi: np.ndarray, vt: np.ndarray) -> None:
        """Empty cells as people leave them: a whole pengeluaran section, or one penerimaan line (V.B or V.C
        mostly when there was nothing to declare, but loan proceeds or an inheritance are forgotten too; now
        and then V.A itself)."""
        nr, k = self.noise, len(vi)
        spend_cols = ["pengeluaran_rutin", "pengeluaran_harta", "pengeluaran_lainnya"]
        no_spend = (nr.random(k) < 0.08) & (self.kind[vi] != "pengeluaran_melebihi_kemampuan")
        laporan.loc[no_spend, spend_cols] = np.nan
        no_lainnya = ~no_spend & (self.O[vi, vt] == 0) & (nr.random(k) < 0.3)
        laporan.loc[no_lainnya, "pengeluaran_lainnya"] = np.nan
        u = nr.random(k)
        P, U, L = self.P[vi, vt], self.U[vi, vt], self.L[vi, vt]
        no_a = u < 0.03
        no_b = ~no_a & (((U == 0) & (u < 0.35)) | ((U > 0) & (U < 0.15 * P) & (u < 0.06)))
        no_c = ~no_a & ~no_b & (((L == 0) & (u < 0.6)) | ((L > 0) & (u < 0.3)))
        laporan.loc[no_a, "penerimaan_pekerjaan"] = np.nan
        laporan.loc[no_b, "penerimaan_usaha"] = np.nan
        laporan.loc[no_c, "penerimaan_lainnya"] = np.nan
        forgot = np.flatnonzero(no_c & (L > 0))
        for i, tt in zip(vi[forgot], vt[forgot]):
            year, note = self.years[tt], self.note[i]
            if "pencairan kredit dicatat pada penerimaan lainnya" in note:
                self.note[i] = note.replace("pencairan kredit dicatat pada penerimaan lainnya",
                                            f"pencairan kredit tidak diisi pada penerimaan lainnya {year} (baris "
                                            f"kosong) tetapi hutangnya tercantum pada rincian")
            elif "; dicatat pada penerimaan lainnya." in note:
                self.note[i] = note.replace("; dicatat pada penerimaan lainnya.",
                                            f"; baris penerimaan lainnya {year} dibiarkan kosong.")
            else:
                self.note[i] = f"{note} Baris penerimaan lainnya laporan {year} dibiarkan kosong."

    def temuan_frame(self) -> pd.DataFrame:
        rng, yrs = self.rng, self.years
        # Ordinary officials: a sighting of a declared ordinary car.
        a = self.assets.frame()
        cars = np.flatnonzero((a["jenis"] == "MOBIL") & ~self.taken[a["off"]] & (a["s"] == self.f[a["off"]]))
        if len(cars):
            pick = np.sort(rng.choice(cars, size=min(self.ordinary_temuan, len(cars)), replace=False))
            self.add_temuan(a["off"][pick], np.full(len(pick), self.Y - 1), a["merek"][pick], a["model"][pick],
                            "mobil", np.full(len(pick), np.nan))
        if not self.temuan:
            return _empty_temuan()
        off = np.concatenate([p["off"] for p in self.temuan])
        t = np.concatenate([p["t"] for p in self.temuan])
        merek = np.concatenate([p["merek"] for p in self.temuan])
        model = np.concatenate([p["model"] for p in self.temuan])
        jenis = np.concatenate([np.full(len(p["off"]), p["jenis"], dtype=object) for p in self.temuan])
        ref = np.concatenate([p["value"] for p in self.temuan])
        k = len(off)
        order = np.lexsort((np.arange(k), off))
        off, t, merek, model, jenis, ref = off[order], t[order], merek[order], model[order], jenis[order], ref[order]
        month = rng.integers(1, 13, k)
        day = rng.integers(1, 29, k)
        tanggal = pd.to_datetime(pd.DataFrame({"year": yrs[t], "month": month, "day": day}))
        given = rng.random(k) < 0.6
        value = np.where(given & ~np.isnan(ref), np.round(ref * rng.uniform(0.8, 1.0, k) / 10 / JT) * 10 * JT, np.nan)
        merek_t = np.array([_title(x) for x in merek], dtype=object)
        model_t = np.array([_title(x) for x in model], dtype=object)
        sumber = SUMBER[rng.integers(0, len(SUMBER), k)]
        kata = {"mobil": "mengendarai mobil", "motor": "mengendarai motor", "jam tangan": "memakai jam tangan",
                "tas": "membawa tas"}
        uraian = np.array([f"Terlihat {kata.get(j, 'menggunakan')} {m} {mo} ({s})"
                           for j, m, mo, s in zip(jenis, merek_t, model_t, sumber)], dtype=object)
        bukti = np.array([f"Arsip Inspektorat TMN-{y}-{i + 1:04d}" for i, y in enumerate(yrs[t])], dtype=object)
        temuan = pd.DataFrame({
            "id_pn": self.id_pn[off],
            "tanggal": tanggal,
            "jenis": jenis,
            "merek": merek_t,
            "model": model_t,
            "uraian": uraian,
            "perkiraan_nilai": value.astype(float),
            "sumber": sumber,
            "bukti": bukti,
        })
        temuan["tahun"] = temuan["tanggal"].dt.year.astype(np.int64)
        _place(temuan, "temuan")
        return temuan


def _title(text: str) -> str:
    """How people type a brand in a note: 'LAND ROVER' -> 'Land Rover', 'BMW' stays, 'MERCEDES-BENZ' -> 'Mercedes Benz'."""
    words = str(text).replace("-", " ").split()
    return " ".join(w if (len(w) <= 3 and w.isalpha() and w.upper() in ("BMW", "GS", "LX", "RX", "CX")) or
                    any(ch.isdigit() for ch in w) else w.capitalize() for w in words)


def _cat_rank(kategori: np.ndarray) -> np.ndarray:
    """Form order of the categories, so each declaration lists its items as the form does."""
    rank = {c: i for i, c in enumerate(KATEGORI_ORDER)}
    return pd.Series(kategori).map(rank).to_numpy(dtype=np.int64)


def _uraian(a: dict) -> np.ndarray:
    """e-Announcement style text for each item (built once per item, not per year)."""
    m = len(a["off"])
    out = np.empty(m, dtype=object)
    asal = pd.Series(a["asal"]).map(ASAL_CODE).fillna("").to_numpy(dtype=object)
    kind = a["uraian_kind"]
    sel = np.flatnonzero(kind == "vehicle")
    if len(sel):
        out[sel] = (pd.Series(a["jenis"][sel]).astype(str) + ", " + pd.Series(a["merek"][sel]).astype(str) + " "
                    + pd.Series(a["model"][sel]).astype(str) + " Tahun "
                    + pd.Series(a["tahun_pembuatan"][sel].astype(np.int64)).astype(str) + ", "
                    + pd.Series(asal[sel])).to_numpy(dtype=object)
    sel = np.flatnonzero(kind == "land")
    if len(sel):
        lt = pd.Series(a["luas_tanah"][sel].astype(np.int64)).astype(str)
        lb_raw = a["luas_bangunan"][sel].astype(float)
        lb = pd.Series(np.nan_to_num(lb_raw).astype(np.int64)).astype(str)
        bang = ~np.isnan(lb_raw)
        head = np.where(bang, "Tanah dan Bangunan Seluas ", "Tanah Seluas ")
        area = np.where(bang, (lt + " m2/" + lb + " m2").to_numpy(dtype=object), (lt + " m2").to_numpy(dtype=object))
        out[sel] = (pd.Series(head) + pd.Series(area) + " di KAB / KOTA " + pd.Series(a["lokasi"][sel]).astype(str)
                    + ", " + pd.Series(asal[sel])).to_numpy(dtype=object)
    sel = np.flatnonzero(kind == "goods")
    if len(sel):
        out[sel] = (pd.Series(a["jenis"][sel]).astype(str) + ", " + pd.Series(asal[sel])).to_numpy(dtype=object)
    sel = np.flatnonzero(kind == "debt")
    if len(sel):
        out[sel] = a["jenis"][sel]
    return out


def _dec31(years: np.ndarray) -> np.ndarray:
    uniq, inverse = np.unique(years, return_inverse=True)
    return pd.to_datetime([f"{y}-12-31" for y in uniq]).to_numpy()[inverse]


def _place(frame: pd.DataFrame, sheet: str) -> None:
    frame["_source"] = SOURCE
    frame["_sheet"] = sheet
    frame["_row"] = np.arange(2, len(frame) + 2, dtype=np.int64)


def _empty_temuan() -> pd.DataFrame:
    cols = {c: pd.Series(dtype="object") for c in SCHEMA["temuan"]}
    frame = pd.DataFrame(cols)
    frame["tahun"] = pd.Series(dtype=np.int64)
    for c in PLACE_COLUMNS:
        frame[c] = pd.Series(dtype="object")
    return frame


def _rp(value) -> str:
    return "Rp " + f"{float(value):,.0f}".replace(",", ".")


def _counts(n: int) -> tuple[int, int]:
    """Officials per planted kind and per look-alike kind: ~9 % planted, ~7 % look-alikes, each kind >= 2
    planted and >= 1 look-alike while the special officials stay at most half of the batch."""
    per_kind = max(2, round(n * 0.009))
    per_look = max(1, round(n * 0.012))
    while per_kind * len(PLANTED_KINDS) + per_look * len(LOOKALIKE_KINDS) > n // 2 and per_look > 1:
        per_look -= 1
    while per_kind * len(PLANTED_KINDS) + per_look * len(LOOKALIKE_KINDS) > n // 2 and per_kind > 1:
        per_kind -= 1
    return per_kind, per_look


def generate(n_officials: int = 300, years: int = 4, seed: int = 7, start_year: int | None = None,
             wajib_lapor: bool = False) -> SampleBatch:
    """A synthetic batch of `n_officials` officials with `years` yearly declarations (3–5) each; with
    `wajib_lapor`, also a roster of those who must file and submission dates (`_roster`)."""
    if not 3 <= int(years) <= 5:
        raise ValueError("years must be between 3 and 5")
    if int(n_officials) < 20:
        raise ValueError("n_officials must be at least 20")
    g = _Gen(int(n_officials), int(years), DEFAULT_START_YEAR if start_year is None else int(start_year), seed)
    g.officials()
    g.income()
    g.base_assets()
    per_kind, per_look = _counts(g.n)
    g.plant(per_kind, per_look)
    g.loans_base()
    g.debt_schedule()
    g.ordinary_purchases()
    g.settle_cash()
    out = g.frames()
    out.seed, out.years = seed, int(years)
    if wajib_lapor:
        _roster(g, out, seed)
    return out


# -- filing compliance: the roster and the submission dates ----------------------------------------------

LATE_SHARE, UNDATED_SHARE = 0.07, 0.04
"""Declarations submitted after the deadline, and declarations with no submission date."""


def _roster(g: _Gen, out: SampleBatch, seed: int) -> None:
    """Submission dates on every declaration (most before 31 March of the next year, some late, a few not
    given), and the roster of the last year as a personnel office keeps it: every official, a few who never
    filed (new NIPs), a few filers left off, ids typed with spaces or dots, a duplicate row and a blank row.
    Its own random stream: the declarations and the planted cases stay as they are."""
    rng = np.random.default_rng([seed, 2])
    lap = out.laporan
    k = len(lap)
    deadline = pd.to_datetime((lap["tahun_lapor"] + 1).astype(str) + "-03-31").to_numpy()
    u = rng.random(k)
    late = u < LATE_SHARE
    undated = (u >= LATE_SHARE) & (u < LATE_SHARE + UNDATED_SHARE)
    offset = np.where(late, rng.integers(1, 121, k), -rng.integers(0, 86, k))
    sent = deadline + offset.astype("timedelta64[D]")
    sent[undated] = np.datetime64("NaT")
    lap["tanggal_kirim"] = sent.astype("datetime64[ns]")

    year = int(g.years[-1])
    last = (lap["tahun_lapor"] == year).to_numpy()
    filers = pd.unique(lap.loc[last, "id_pn"])
    status = pd.Series("belum lapor", index=g.id_pn, dtype=object)
    days = pd.Series(pd.NA, index=g.id_pn, dtype="Int64")
    status[lap.loc[last & ~late & ~undated, "id_pn"].to_numpy()] = "tepat waktu"
    status[lap.loc[last & undated, "id_pn"].to_numpy()] = "sudah lapor"
    late_rows = lap.loc[last & late]
    status[late_rows["id_pn"].to_numpy()] = "terlambat"
    days[late_rows["id_pn"].to_numpy()] = offset[last & late]

    n_unlisted, n_never = max(2, round(g.n * 0.01)), max(3, round(g.n * 0.03))
    unlisted = set(rng.choice(filers, size=min(n_unlisted, len(filers)), replace=False).tolist())
    listed = np.array([i for i in range(g.n) if g.id_pn[i] not in unlisted])
    donor = rng.integers(0, g.n, n_never)  # a never-filer works where an official of the batch does
    taken = set(g.id_pn)
    new_ids = []
    for i in range(n_never):
        nip = f"{rng.integers(1968, 1995)}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}" \
              f"{rng.integers(2015, 2023)}{rng.integers(1, 13):02d}{rng.integers(1, 3)}{900 + i:03d}"
        while nip in taken:
            nip = str(int(nip) + 1)
        taken.add(nip)
        new_ids.append(nip)
    roster = pd.DataFrame({
        "id_pn": np.concatenate([g.id_pn[listed], np.array(new_ids, dtype=object)]),
        "nama": np.concatenate([g.nama[listed], np.array([f"Pejabat Sampel Baru {i + 1:03d}" for i in range(n_never)],
                                                         dtype=object)]),
        "jabatan": np.concatenate([g.jabatan[listed], g.jabatan[donor]]),
        "unit_kerja": np.concatenate([g.unit[listed], g.unit[donor]]),
        "lembaga": np.concatenate([g.lembaga[listed], g.lembaga[donor]]),
        "jenis": np.concatenate([np.where(np.isin(g.role[listed], (ES4, NON)), "LHKASN", "LHKPN"),
                                 np.full(n_never, "LHKASN")]).astype(object),
    })
    roster = roster.sort_values(["lembaga", "unit_kerja", "nama"], kind="stable").reset_index(drop=True)
    key = pd.DataFrame({"id_pn": roster["id_pn"], "tahun_lapor": year,
                        "status": roster["id_pn"].map(status).fillna("belum lapor"),
                        "hari_terlambat": roster["id_pn"].map(days).astype("Int64"),
                        "unit_kerja": roster["unit_kerja"], "lembaga": roster["lembaga"]})
    off = lap.loc[last & lap["id_pn"].isin(unlisted).to_numpy()].drop_duplicates("id_pn").sort_values("id_pn")
    key = pd.concat([key, pd.DataFrame({"id_pn": off["id_pn"], "tahun_lapor": year, "status": "tidak di daftar",
                                        "hari_terlambat": pd.Series(pd.NA, index=off.index, dtype="Int64"),
                                        "unit_kerja": off["unit_kerja"], "lembaga": off["lembaga"]})],
                    ignore_index=True)

    # As typed at the personnel office: NIPs with spaces or dots, one official twice, a blank row.
    typed = roster["id_pn"].astype(str).copy()
    nip = typed.str.len() == 18
    form = rng.random(len(typed))
    spaced = nip & (form < 0.06)
    dotted = nip & (form >= 0.06) & (form < 0.10)
    parts = [typed.str.slice(0, 8), typed.str.slice(8, 14), typed.str.slice(14, 15), typed.str.slice(15)]
    typed[spaced] = (parts[0] + " " + parts[1] + " " + parts[2] + " " + parts[3])[spaced]
    typed[dotted] = (parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3])[dotted]
    raw = pd.DataFrame({"NIP": typed, "Nama": roster["nama"], "Jabatan": roster["jabatan"],
                        "Unit Kerja": roster["unit_kerja"], "Instansi": roster["lembaga"], "Jenis": roster["jenis"],
                        "Tahun Lapor": year})
    twice = rng.choice(np.flatnonzero(nip.to_numpy()), size=2, replace=False)
    again = raw.iloc[twice].copy()
    again.iloc[0, 0] = parts[0].iloc[twice[0]] + " " + parts[1].iloc[twice[0]] + " " + parts[2].iloc[twice[0]] \
        + " " + parts[3].iloc[twice[0]]  # the same official, once in the other form
    again.iloc[1, 0] = roster["id_pn"].iloc[twice[1]]
    blank = pd.DataFrame([[None] * raw.shape[1]], columns=raw.columns)
    cut = len(raw) // 2
    raw = pd.concat([raw.iloc[:cut], blank, raw.iloc[cut:], again], ignore_index=True)
    raw["Tahun Lapor"] = raw["Tahun Lapor"].astype("Int64")
    out.wajib_lapor = raw
    out.kepatuhan_key = key


# -- writing the raw input a user would have --------------------------------------------------------------

LAPORAN_HEADERS = {
    "id_pn": "ID PN", "nama": "Nama", "tanggal_lapor": "Tanggal Lapor", "jenis_laporan": "Jenis Laporan",
    "lembaga": "Lembaga", "unit_kerja": "Unit Kerja", "jabatan": "Jabatan", "eselon": "Eselon",
    "golongan": "Golongan", "tanah_bangunan": "Tanah dan Bangunan",
    "alat_transportasi": "Alat Transportasi dan Mesin", "harta_bergerak_lain": "Harta Bergerak Lainnya",
    "surat_berharga": "Surat Berharga", "kas": "Kas dan Setara Kas", "harta_lainnya": "Harta Lainnya",
    "hutang": "Hutang", "total_harta_kekayaan": "Total Harta Kekayaan",
    "penerimaan_pekerjaan": "Penerimaan dari Pekerjaan", "penerimaan_usaha": "Penerimaan dari Usaha dan Kekayaan",
    "penerimaan_lainnya": "Penerimaan Lainnya", "pengeluaran_rutin": "Pengeluaran Rutin",
    "pengeluaran_harta": "Pengeluaran Harta", "pengeluaran_lainnya": "Pengeluaran Lainnya",
}
HARTA_HEADERS = {
    "id_pn": "ID PN", "tanggal_lapor": "Tanggal Lapor", "kategori": "Kategori", "uraian": "Uraian",
    "tahun_perolehan": "Tahun Perolehan", "asal_usul": "Asal Usul", "atas_nama": "Atas Nama",
    "nilai_perolehan": "Nilai Perolehan", "nilai_pelaporan": "Nilai Pelaporan",
}
TEMUAN_HEADERS = {
    "id_pn": "ID PN", "tanggal": "Tanggal", "jenis": "Jenis", "merek": "Merek", "model": "Model",
    "uraian": "Uraian", "perkiraan_nilai": "Perkiraan Nilai", "sumber": "Sumber", "bukti": "Bukti",
}
JENIS_LAPORAN_RAW = {"periodik": "Periodik", "khusus_calon": "Khusus, Calon PN",
                     "khusus_awal": "Khusus, Awal Menjabat", "khusus_akhir": "Khusus, Akhir Menjabat"}
ATAS_NAMA_RAW = {"pn": "PN", "pasangan_anak": "PASANGAN/ANAK", "lainnya": "LAINNYA"}
ESELON_TO_RAW = dict(zip(ESELON, ESELON_RAW))


def _by_unique(values, fmt) -> np.ndarray:
    """Format each distinct value once; missing stays None."""
    s = pd.Series(values)
    uniq = s.dropna().unique()
    table = {u: fmt(u) for u in uniq}
    return s.map(table).astype(object).where(s.notna(), None).to_numpy(dtype=object)


def _dotted(values, prefix: str = "") -> np.ndarray:
    """Money as people type it: 1.250.000.000 (negatives stay plain numbers)."""
    def fmt(v):
        return f"{prefix}{int(v):,}".replace(",", ".") if v >= 0 else int(v)
    return _by_unique(values, fmt)


def _tanggal_id(dates) -> np.ndarray:
    def fmt(d):
        d = pd.Timestamp(d)
        return f"{d.day} {BULAN[d.month - 1]} {d.year}"
    return _by_unique(dates, fmt)


def _nilai_temuan(v: float) -> str:
    """'Rp 1,34 M' for miliar, '820 jt' for juta, as written in a note."""
    if v >= 1e9:
        return "Rp " + f"{v / 1e9:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " M"
    return f"{v / JT:.0f} jt"


def _int_or_none(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float)).astype("Int64")


def raw_frames(sample: SampleBatch) -> dict[str, pd.DataFrame]:
    """The three sheets as a user would have them: e-LHKPN labels, Indonesian dates, some money as text."""
    lap = sample.laporan
    out = pd.DataFrame({LAPORAN_HEADERS[c]: lap[c] for c in LAPORAN_HEADERS})
    out["Tanggal Lapor"] = _tanggal_id(lap["tanggal_lapor"])
    out["Jenis Laporan"] = lap["jenis_laporan"].map(JENIS_LAPORAN_RAW)
    out["Eselon"] = lap["eselon"].map(ESELON_TO_RAW)
    out["Kas dan Setara Kas"] = _dotted(lap["kas"])
    out["Total Harta Kekayaan"] = _dotted(lap["total_harta_kekayaan"], "Rp.")
    for c in ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "harta_lainnya",
              "hutang", "penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya", "pengeluaran_rutin",
              "pengeluaran_harta", "pengeluaran_lainnya"):
        out[LAPORAN_HEADERS[c]] = _int_or_none(lap[c]) if lap[c].isna().any() else lap[c].astype(np.int64)

    h = sample.harta
    harta = pd.DataFrame({
        "ID PN": h["id_pn"],
        "Tanggal Lapor": _tanggal_id(h["tanggal_lapor"]),
        "Kategori": h["kategori"].map(KATEGORI_LABEL),
        "Uraian": h["uraian"],
        "Tahun Perolehan": _int_or_none(h["tahun_perolehan"]),
        "Asal Usul": h["asal_usul"].map(ASAL_CODE),
        "Atas Nama": h["atas_nama"].map(ATAS_NAMA_RAW),
        "Nilai Perolehan": _int_or_none(h["nilai_perolehan"]),
        "Nilai Pelaporan": _dotted(h["nilai_pelaporan"]),
    })

    tm = sample.temuan
    temuan = pd.DataFrame({TEMUAN_HEADERS[c]: tm[c] for c in TEMUAN_HEADERS})
    temuan["Tanggal"] = _tanggal_id(tm["tanggal"])
    temuan["Perkiraan Nilai"] = _by_unique(tm["perkiraan_nilai"], _nilai_temuan)
    frames = {"laporan": out, "harta": harta, "temuan": temuan}
    if sample.wajib_lapor is not None:  # only with a roster: the default sample stays as it was
        out["Tanggal Kirim"] = _tanggal_id(lap["tanggal_kirim"])
        frames["wajib_lapor"] = sample.wajib_lapor
    return frames


def _write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        cols = []
        for c in frame.columns:
            col = frame[c]
            if col.dtype.kind in "iu":
                cols.append(col.to_numpy().tolist())
            elif isinstance(col.dtype, pd.Int64Dtype):
                cols.append([None if v is pd.NA else int(v) for v in col.tolist()])
            else:
                cols.append(col.astype(object).where(col.notna(), None).tolist())
        for row in zip(*cols):
            ws.append(row)
    wb.save(path)


def _readme(sample: SampleBatch, fmt: str) -> str:
    ak = sample.answer_key
    counts = ak["kind"].value_counts()
    lines = [
        "# Sampel sintetis LHKPN",
        "",
        "Data ini **sintetis** (buatan `lhkpn-check sample`): nama (`Pejabat Sampel ...`), NIP/NIK, nilai dan "
        f"jabatan bukan milik orang sungguhan. Provinsinya fiktif (PROVINSI {PROVINSI}).",
        "",
        f"- {ak.shape[0]} pejabat, {len(sample.laporan)} laporan, {len(sample.harta)} rincian harta, "
        f"{len(sample.temuan)} temuan.",
        "- Berkas: " + ("`sampel.xlsx` (lembar laporan, harta, temuan)" if fmt == "xlsx"
                        else "`laporan.csv`, `harta.csv`, `temuan.csv`") + "; kunci jawaban `kunci_jawaban.csv` "
        "(id_pn, planted, kind, keterangan).",
        "",
        "Kasus yang ditanam (planted = 1) — setiap pejabat hanya satu jenis:",
        "",
        "| jenis | jumlah |",
        "|---|---|",
        *[f"| `{k}` | {int(counts.get(k, 0))} |" for k in PLANTED_KINDS],
        "",
        "Pembanding yang sah (planted = 0): kaya atau berubah, tetapi terjelaskan:",
        "",
        "| jenis | jumlah |",
        "|---|---|",
        *[f"| `{k}` | {int(counts.get(k, 0))} |" for k in LOOKALIKE_KINDS],
        "",
        "Seperti laporan sungguhan, data pejabat biasa tidak rapi: kas bergeser sampai sekitar 0,3 tahun "
        "penghasilan dari yang tersirat oleh penerimaan dan pengeluaran; tanah dan bangunan dinilai ulang (NJOP, "
        "naik 0–10 % setahun) dan kendaraan menyusut; sebagian rincian ditulis lain pada tahun berikutnya "
        "(`TOYOTA KIJANG INOVA` untuk `KIJANG INNOVA`, huruf kecil, spasi, `KOTA` untuk `KAB / KOTA`); sebagian "
        "laporan tanpa pengeluaran atau dengan satu baris penerimaan kosong; total harta kadang dibulatkan; "
        "beberapa pejabat melewatkan satu tahun laporan; ada temuan kendaraan biasa yang memang dilaporkan.",
        "",
        "Setiap tanda dalam hasil analisis adalah sinyal yang meminta penjelasan, bukan tuduhan.",
        "",
    ]
    if sample.kepatuhan_key is not None:
        kk = sample.kepatuhan_key["status"].value_counts()
        lines[-2:-2] = [
            "Kepatuhan pelaporan: " + ("lembar `wajib_lapor`" if fmt == "xlsx" else "`wajib_lapor.csv`")
            + " berisi daftar wajib lapor tahun terakhir (NIP sebagian ditulis dengan spasi atau titik, satu "
            "pejabat tercantum dua kali, ada baris kosong), dan laporan memuat `Tanggal Kirim`. Kunci jawabannya "
            "`kunci_kepatuhan.csv`: " + ", ".join(f"{s} {int(kk.get(s, 0))}" for s in
                                                   ("tepat waktu", "terlambat", "sudah lapor", "belum lapor",
                                                    "tidak di daftar")) + ".", ""]
    if sample.seed is not None and sample.years is not None:
        command = (f"lhkpn-check sample <folder> --officials {ak.shape[0]} --years {sample.years} --seed {sample.seed}"
                   + (" --format csv" if fmt == "csv" else "")
                   + (" --wajib-lapor" if sample.kepatuhan_key is not None else ""))
        lines[4:4] = [f"Dibuat dengan `{command}`.", ""]
    return "\n".join(lines)


def write_sample(sample: SampleBatch, folder, *, fmt: str = "xlsx") -> list[Path]:
    """Write the batch as raw input (one workbook or three CSV files), the answer key and a README."""
    if fmt not in ("xlsx", "csv"):
        raise ValueError("fmt must be 'xlsx' or 'csv'")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    frames = raw_frames(sample)
    paths: list[Path] = []
    if fmt == "xlsx":
        path = folder / SOURCE
        _write_xlsx(frames, path)
        paths.append(path)
    else:
        for name, frame in frames.items():
            path = folder / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8")
            paths.append(path)
    key = folder / "kunci_jawaban.csv"
    sample.answer_key.to_csv(key, index=False, encoding="utf-8")
    if sample.kepatuhan_key is not None:
        paths.append(folder / "kunci_kepatuhan.csv")
        sample.kepatuhan_key.to_csv(paths[-1], index=False, encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(_readme(sample, fmt), encoding="utf-8")
    return [*paths, key, readme]
