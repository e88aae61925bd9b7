"""Province batches for the quality bench, simulated from how declarations behave, not from the rule list.

    from scenarios import generate, write_workbook
    pop = generate(n_officials=600, years=5, seed=101)
    write_workbook(pop, "declared", "batch.xlsx")     # or "public": no penerimaan/pengeluaran columns

Each official lives through 3 to `years` yearly Periodik declarations (31 Dec). A normal official earns a
salary for the grade (gaji pokok + TPP or a central agency's tunjangan kinerja, spouse income sometimes),
spends 50-80 % of it, saves the rest in cash and a little in securities, pays loans down, revalues the house
a little, replaces the car now and then. Families then change a few officials: look-alikes (wealthy or
changing, explained by their own figures) and hidden cases (what an inspectorate must find). The design
follows the SPEC, the income notes and the real e-Announcement files, deliberately not the engine's rules.

Form applicability (the answer key's `forms`):
  spending_beyond_means  hidden, declared only: its signal is pengeluaran_rutin, which the public form lacks.
  spouse_business        look-alike, declared only: in the public form nothing explains the growth, so it is
                         neither a look-alike nor a planted case there. Both are left out of the public
                         form's metrics (they stay in the batch, as they would in a real one).
Both forms hold the same harta and temuan sheets; only the laporan columns differ (the public form keeps
eselon and golongan, which an inspectorate joins from its own roster, so the tool can estimate income).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

END_YEAR = 2024

# -- the province ---------------------------------------------------------------------------------------------

PROVINCE = "PEMERINTAH PROVINSI DAERAH ISTIMEWA YOGYAKARTA"
REGIONS = (  # lembaga, kab/kota as in uraian, share, TPP factor (province pays the most), land Rp/m2 range
    (PROVINCE, "KOTA YOGYAKARTA", 0.32, 1.00, (4.0e6, 9.0e6)),
    ("PEMERINTAH KABUPATEN SLEMAN", "KAB / KOTA SLEMAN", 0.17, 0.80, (2.5e6, 7.0e6)),
    ("PEMERINTAH KABUPATEN BANTUL", "KAB / KOTA BANTUL", 0.14, 0.70, (1.5e6, 4.5e6)),
    ("PEMERINTAH KABUPATEN GUNUNGKIDUL", "KAB / KOTA GUNUNGKIDUL", 0.09, 0.60, (0.4e6, 1.5e6)),
    ("PEMERINTAH KABUPATEN KULON PROGO", "KAB / KOTA KULON PROGO", 0.08, 0.60, (0.6e6, 2.5e6)),
    ("PEMERINTAH KOTA YOGYAKARTA", "KAB / KOTA YOGYAKARTA", 0.12, 0.85, (5.0e6, 12.0e6)),
)
REGION_PRICE = {r[1]: r[4] for r in REGIONS}
CENTRAL = (  # lembaga, unit kerja prefix, share of all officials, kind of pay
    ("KEMENTERIAN KEUANGAN", "DIREKTORAT JENDERAL PAJAK", 0.05, "djp"),
    ("KEMENTERIAN KEUANGAN", "DIREKTORAT JENDERAL BEA DAN CUKAI", 0.03, "bc"),
)
CENTRAL_UNITS = {
    "DIREKTORAT JENDERAL PAJAK": ("KANWIL DJP DAERAH ISTIMEWA YOGYAKARTA", "KPP PRATAMA YOGYAKARTA",
                                  "KPP PRATAMA SLEMAN", "KPP PRATAMA BANTUL", "KPP PRATAMA WONOSARI"),
    "DIREKTORAT JENDERAL BEA DAN CUKAI": ("KPPBC TMP B YOGYAKARTA", "KANWIL DJBC JAWA TENGAH DAN DIY"),
}
REGIONAL_UNITS = ("DINAS PENDIDIKAN, PEMUDA DAN OLAHRAGA", "DINAS KESEHATAN", "DINAS PEKERJAAN UMUM, PERUMAHAN "
                  "DAN ENERGI SUMBER DAYA MINERAL", "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
                  "BADAN PERENCANAAN PEMBANGUNAN DAERAH", "DINAS PERHUBUNGAN", "INSPEKTORAT",
                  "SEKRETARIAT DAERAH", "DINAS PARIWISATA", "DINAS PERTANIAN DAN KETAHANAN PANGAN",
                  "BADAN KEPEGAWAIAN DAERAH", "DINAS SOSIAL", "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU",
                  "RUMAH SAKIT UMUM DAERAH", "DINAS LINGKUNGAN HIDUP", "SATUAN POLISI PAMONG PRAJA")

# eselon -> (share, jabatan titles, eselon cell spellings, golongan range, structural allowance / month)
GRADES = {
    "II": (0.07, ("KEPALA DINAS", "KEPALA BADAN", "INSPEKTUR", "ASISTEN SEKRETARIS DAERAH", "STAF AHLI"),
           ("II", "II", "JPT Pratama"), ("IV/c", "IV/d", "IV/e"), 3_250_000),
    "III": (0.22, ("KEPALA BIDANG", "SEKRETARIS DINAS", "KEPALA BAGIAN", "CAMAT", "INSPEKTUR PEMBANTU"),
            ("III", "III", "Administrator"), ("III/d", "IV/a", "IV/b"), 1_260_000),
    "IV": (0.38, ("KEPALA SEKSI", "KEPALA SUB BAGIAN", "LURAH", "KEPALA UPT", "KEPALA SUB BIDANG"),
           ("IV", "IV", "Pengawas"), ("III/b", "III/c", "III/d", "IV/a"), 540_000),
    "non-eselon": (0.33, ("AUDITOR AHLI MUDA", "PENGAWAS SEKOLAH", "BENDAHARA PENGELUARAN",
                          "PENGELOLA PENGADAAN BARANG/JASA", "AUDITOR AHLI PERTAMA", "PENATA KELOLA KEUANGAN",
                          "PERENCANA AHLI MUDA"),
                   ("non-eselon", "Fungsional", "Pelaksana"), ("III/a", "III/b", "III/c", "III/d"), 700_000),
}
CENTRAL_TITLES = {
    "djp": {"II": "KEPALA KANTOR WILAYAH", "III": "KEPALA KANTOR PELAYANAN PAJAK", "IV": "KEPALA SEKSI",
            "non-eselon": "PEMERIKSA PAJAK AHLI MUDA"},
    "bc": {"II": "KEPALA KANTOR WILAYAH", "III": "KEPALA KANTOR PENGAWASAN DAN PELAYANAN",
           "IV": "KEPALA SEKSI", "non-eselon": "PEMERIKSA BEA DAN CUKAI AHLI PERTAMA"},
}
# Gaji pokok per month, middle of the PP 5/2024 range per golongan (years of service spread it).
GAJI_POKOK = {"III/a": 3.6e6, "III/b": 3.8e6, "III/c": 3.9e6, "III/d": 4.1e6, "IV/a": 4.3e6, "IV/b": 4.5e6,
              "IV/c": 4.7e6, "IV/d": 4.9e6, "IV/e": 5.1e6}
# TPP per month at the province (kabupaten/kota pay a factor of it); tunjangan kinerja for the centre
# (DJP: Perpres 37/2015 bands of the income notes; Bea Cukai: Kemenkeu classes, lower).
TPP = {"II": (25e6, 35e6), "III": (12e6, 18e6), "IV": (7e6, 10e6), "non-eselon": (3.5e6, 6.5e6)}
TUKIN = {
    "djp": {"II": (56.8e6, 81.9e6), "III": (37.2e6, 46.5e6), "IV": (22.9e6, 28.8e6), "non-eselon": (12e6, 25e6)},
    "bc": {"II": (28e6, 36e6), "III": (17e6, 23e6), "IV": (10e6, 14e6), "non-eselon": (5e6, 9e6)},
}

FIRST_NAMES = ("AGUS", "BUDI", "SRI", "DWI", "EKO", "TRI", "ENDANG", "HARI", "YULI", "ARIF", "RINA", "DEWI",
               "WAHYU", "SUSILO", "BAMBANG", "HERU", "NUR", "TITIK", "ANDI", "RATNA", "SUGENG", "WIDODO",
               "FAJAR", "LESTARI", "PURWANTO", "SETYO", "RUDI", "SITI", "ANIK", "HENDRO", "YUDI", "INDAH")
LAST_NAMES = ("SANTOSO", "WIBOWO", "LESTARI", "RAHAYU", "PRASETYO", "HIDAYAT", "NUGROHO", "SUSANTO",
              "PURNOMO", "WIJAYA", "KURNIAWAN", "SETIAWAN", "HANDAYANI", "SAPUTRA", "UTOMO", "HARYANTO",
              "SULISTYO", "MULYANI", "PRATAMA", "SUBAGYO", "WULANDARI", "RAHMAWATI", "ISWANTO", "SUPRIYADI")

# Ordinary cars and motorbikes: (jenis, merek, model, new price).
CARS = (("MOBIL", "TOYOTA", "AVANZA", 235e6), ("MOBIL", "DAIHATSU", "XENIA", 220e6),
        ("MOBIL", "TOYOTA", "INNOVA", 390e6), ("MOBIL", "HONDA", "BRIO", 180e6),
        ("MOBIL", "SUZUKI", "ERTIGA", 245e6), ("MOBIL", "MITSUBISHI", "XPANDER", 280e6),
        ("MOBIL", "HONDA", "HR-V", 380e6), ("MOBIL", "TOYOTA", "RUSH", 270e6),
        ("MOBIL", "HONDA", "MOBILIO", 230e6), ("MOBIL", "DAIHATSU", "TERIOS", 250e6))
UPPER_CARS = (("MOBIL", "TOYOTA", "FORTUNER", 600e6), ("MOBIL", "MITSUBISHI", "PAJERO SPORT", 620e6),
              ("MOBIL", "HONDA", "CR-V", 560e6), ("MOBIL", "TOYOTA", "INNOVA ZENIX", 500e6))
BIKES = (("MOTOR", "HONDA", "VARIO", 24e6), ("MOTOR", "HONDA", "BEAT", 18e6), ("MOTOR", "YAMAHA", "NMAX", 32e6),
         ("MOTOR", "HONDA", "SCOOPY", 22e6), ("MOTOR", "YAMAHA", "MIO", 17e6), ("MOTOR", "HONDA", "SUPRA X", 19e6))
# Luxury (market value new), as an inspectorate would look them up.
LUXURY = {
    "alphard": ("MOBIL", "TOYOTA", "ALPHARD", 1.35e9), "land cruiser": ("MOBIL", "TOYOTA", "LAND CRUISER", 2.3e9),
    "rubicon": ("MOBIL", "JEEP", "WRANGLER RUBICON", 1.6e9), "x5": ("MOBIL", "BMW", "X5", 1.7e9),
    "e300": ("MOBIL", "MERCEDES-BENZ", "E 300", 1.45e9), "c200": ("MOBIL", "MERCEDES-BENZ", "C 200", 1.0e9),
    "320i": ("MOBIL", "BMW", "320I", 0.95e9), "cayenne": ("MOBIL", "PORSCHE", "CAYENNE", 2.6e9),
    "lexus": ("MOBIL", "LEXUS", "RX 300", 1.4e9),
    "fatboy": ("MOTOR", "HARLEY-DAVIDSON", "FAT BOY", 0.95e9),
    "streetglide": ("MOTOR", "HARLEY-DAVIDSON", "STREET GLIDE", 1.2e9),
    "r1250gs": ("MOTOR", "BMW", "R 1250 GS", 0.8e9),
}
WATCHES_BAGS = (("jam tangan", "ROLEX", "SUBMARINER", 0.28e9), ("jam tangan", "ROLEX", "DAYTONA", 0.75e9),
                ("jam tangan", "PATEK PHILIPPE", "NAUTILUS", 1.6e9), ("tas", "HERMES", "BIRKIN 30", 0.45e9),
                ("jam tangan", "AUDEMARS PIGUET", "ROYAL OAK", 0.9e9))
SUMBER = ("media sosial (Instagram)", "pengaduan masyarakat", "pemberitaan media", "observasi lapangan",
          "media sosial (TikTok)")

KATEGORI_LABEL = {"tanah_bangunan": "Tanah dan Bangunan", "alat_transportasi": "Alat Transportasi dan Mesin",
                  "harta_bergerak_lain": "Harta Bergerak Lainnya", "surat_berharga": "Surat Berharga",
                  "kas": "Kas dan Setara Kas", "harta_lainnya": "Harta Lainnya", "hutang": "Hutang"}
ASAL_LABEL = {"hasil_sendiri": "HASIL SENDIRI", "warisan": "WARISAN", "hibah_dengan_akta": "HIBAH DENGAN AKTA",
              "hibah_tanpa_akta": "HIBAH TANPA AKTA", "hadiah": "HADIAH"}
HARTA_KATEGORI = ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga", "kas",
                  "harta_lainnya")

HIDDEN = ("blatant_growth", "subtle_growth", "spread_accumulation", "undeclared_luxury", "luxury_beyond_income",
          "undervalued_luxury", "cash_hoard", "spending_beyond_means", "debt_paid_unexplained",
          "gift_without_deed")
LOOKALIKE = ("revaluation", "mortgage_purchase", "sale_funds_purchase", "purchase_from_savings", "inheritance",
             "spouse_business", "senior_affordable_luxury", "declared_observed_car")
DECLARED_ONLY = {"spending_beyond_means", "spouse_business"}


# -- the state of one official --------------------------------------------------------------------------------

@dataclass
class Item:
    kategori: str
    uraian: str
    value: float
    asal: str = "hasil_sendiri"
    atas_nama: str = "PN"
    tahun_perolehan: int | None = None
    nilai_perolehan: float | None = None
    jenis: str | None = None
    merek: str | None = None
    model: str | None = None
    tahun_pembuatan: int | None = None
    luas_tanah: float | None = None
    luas_bangunan: float | None = None
    growth: float = 0.0
    """Yearly change of value (land up, vehicles down); applied when the official updates the value."""
    update_p: float = 0.6
    """Chance per year that the official retypes the value (many copy last year's figure)."""
    fields_given: bool = True
    """Vehicle: merek/model/tahun given in their columns (else only in uraian)."""
    payment: float = 0.0
    """Debt: principal repaid per year."""
    keep: bool = False
    """Planted by a family: never sold off in a routine car replacement."""


@dataclass
class Official:
    id_pn: str
    nama: str
    lembaga: str
    unit_kerja: str
    jabatan: str
    eselon: str
    eselon_cell: str
    golongan: str
    kota: str
    land_price: float
    pay: str  # "regional", "djp", "bc"
    first_year: int
    official_income: float
    spouse_income: float
    spend_rate: float
    securities_share: float
    pay_terms: tuple = ()
    """(factor, gapok_scale, band, honor): what _yearly_pay needs beyond eselon and golongan."""
    reserved: float = 0.0
    """Savings a planted plan has set aside (a down payment, a purchase): routine spending leaves them alone."""
    promotion: int | None = None
    """Year of a promotion one eselon up (a routine career step), if any."""
    items: list[Item] = field(default_factory=list)
    family: str = "normal"
    kind: str = "normal"
    note: str = ""


@dataclass
class Population:
    laporan: pd.DataFrame
    harta: pd.DataFrame
    temuan: pd.DataFrame
    answer_key: pd.DataFrame
    seed: int
    years: int


# -- helpers --------------------------------------------------------------------------------------------------

def _round(v: float, step: float) -> float:
    return float(max(0.0, round(v / step) * step))


def _vehicle(rng, spec, year_made, value, asal="hasil_sendiri", acquired=None, fields_p=0.6) -> Item:
    jenis, merek, model, _ = spec
    return Item("alat_transportasi", f"{jenis}, {merek} {model} Tahun {year_made}, {ASAL_LABEL[asal]}",
                _round(value, 500_000), asal=asal, tahun_perolehan=acquired or year_made,
                nilai_perolehan=_round(value, 500_000), jenis=jenis, merek=merek, model=model,
                tahun_pembuatan=year_made, growth=-rng.uniform(0.05, 0.12), update_p=0.7,
                fields_given=bool(rng.random() < fields_p))


def _kept_vehicle(*args, **kwargs) -> Item:
    item = _vehicle(*args, **kwargs)
    item.keep = True
    return item


def _land(rng, o: Official, value_target: float | None, kota=None, building=True, asal="hasil_sendiri",
          acquired=None, big=False, price=None) -> Item:
    """A plot (with a house when `building`) sized so that its value is about `value_target`."""
    if price is None:
        price = o.land_price if kota is None or kota == o.kota else rng.uniform(*REGION_PRICE.get(kota, (3e6, 9e6)))
    kota = kota or o.kota
    ratio, cost = rng.uniform(0.35, 0.8), rng.uniform(3.0e6, 5.0e6)  # building m2 per land m2, Rp per m2
    per_m2 = price + (ratio * cost if building else 0.0)
    if value_target is None:
        area = float(rng.integers(100, 400) if not big else rng.integers(800, 3000))
    else:
        area = round(value_target / per_m2 / 5) * 5
        if area < 60:  # too little for a plot here: a plot of ordinary size further out, where land is cheaper
            area = float(rng.integers(12, 30) * 5)
            price = max(0.1e6, value_target / area - (ratio * cost if building else 0.0))
    lb = float(max(21, round(area * ratio / 2) * 2)) if building else None
    value = area * price + (lb * cost if building else 0.0)
    kind = "Tanah dan Bangunan" if building else "Tanah"
    luas = f"{area:.0f} m2/{lb:.0f} m2" if building else f"{area:.0f} m2"
    v = _round(value, 5_000_000)
    return Item("tanah_bangunan", f"{kind} Seluas {luas} di {kota}, {ASAL_LABEL[asal]}", v, asal=asal,
                tahun_perolehan=acquired, nilai_perolehan=v if acquired else _round(v * rng.uniform(0.3, 0.7), 1e6),
                luas_tanah=area, luas_bangunan=lb, growth=rng.uniform(0.03, 0.10), update_p=0.55)


def _cash(rng, value, bank=None) -> Item:
    bank = bank or rng.choice(("BANK BPD DIY", "BANK BRI", "BANK BNI", "BANK MANDIRI", "BANK BTN", "BANK BSI"))
    return Item("kas", f"TABUNGAN, {bank}, HASIL SENDIRI", float(value), update_p=1.0)


def _debt(uraian, balance, years) -> Item:
    return Item("hutang", uraian, float(balance), payment=float(balance) / years, update_p=1.0)


# -- the population -------------------------------------------------------------------------------------------

def _yearly_pay(es, gol, pay, factor, gapok_scale, band, honor) -> float:
    """The official's own yearly pay: gaji pokok x 14 (13th month and THR), family and meal allowances,
    structural allowance, and TPP (regional, x 13) or tunjangan kinerja (central, x 13) at `band` in its range."""
    gapok = GAJI_POKOK[gol] * gapok_scale
    base = gapok * 14 + gapok * 0.1 * 12 + 37_000 * 21 * 12 + GRADES[es][4] * 12
    if pay == "regional":
        lo, hi = TPP[es]
        return base + (lo + band * (hi - lo)) * factor * 13 + honor
    lo, hi = TUKIN[pay][es]
    return base + (lo + band * (hi - lo)) * 13


def _title(rng, es, pay) -> str:
    if pay != "regional":
        return CENTRAL_TITLES[pay][es]
    title = str(rng.choice(GRADES[es][1]))
    if title in ("KEPALA BIDANG", "KEPALA SEKSI", "KEPALA SUB BAGIAN", "KEPALA SUB BIDANG", "KEPALA BAGIAN"):
        title = f"{title} {rng.choice(('ANGGARAN', 'UMUM', 'PERENCANAAN', 'PENGENDALIAN', 'PELAYANAN'))}"
    return title


def _make_official(rng, years: int) -> Official:
    r = rng.random()
    central = None
    acc = 0.0
    for c in CENTRAL:
        acc += c[2]
        if r < acc:
            central = c
            break
    region_w = np.array([x[2] for x in REGIONS])
    region = REGIONS[rng.choice(len(REGIONS), p=region_w / region_w.sum())]
    eselons = list(GRADES)
    es = eselons[rng.choice(4, p=np.array([GRADES[e][0] for e in eselons]))]
    gol = str(rng.choice(GRADES[es][3]))
    gapok_scale, band, honor = rng.uniform(0.88, 1.12), rng.random(), rng.uniform(0, 20e6)
    if central:
        lembaga, unit, _, pay = central
        unit_kerja = f"{unit} - {rng.choice(CENTRAL_UNITS[unit])}"
        kota = str(rng.choice(("KAB / KOTA SLEMAN", "KAB / KOTA YOGYAKARTA", "KAB / KOTA BANTUL")))
        land_price = rng.uniform(3.0e6, 9.0e6)
        factor = 1.0
    else:
        lembaga, kota, _, factor, (plo, phi) = region
        pay = "regional"
        unit_kerja = str(rng.choice(REGIONAL_UNITS))
        land_price = rng.uniform(plo, phi)
    jabatan = _title(rng, es, pay)
    income = _yearly_pay(es, gol, pay, factor, gapok_scale, band, honor)
    spouse = 0.0
    if rng.random() < 0.45:
        spouse = rng.uniform(36e6, 180e6) if rng.random() < 0.9 else rng.uniform(200e6, 400e6)
    n_years = int(rng.integers(3, years + 1)) if years > 3 else years
    birth = int(rng.integers(1966, 1992))
    nip = f"{birth}{rng.integers(1, 13):02d}{rng.integers(1, 29):02d}{birth + rng.integers(22, 30)}" \
          f"{rng.integers(1, 13):02d}{rng.integers(1, 3)}{rng.integers(1, 999):03d}"
    nama = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Official(id_pn=nip, nama=nama, lembaga=lembaga, unit_kerja=unit_kerja, jabatan=jabatan, eselon=es,
                    eselon_cell=str(rng.choice(GRADES[es][2])), golongan=gol, kota=kota, land_price=land_price, pay=pay,
                    first_year=END_YEAR - n_years + 1, official_income=income,
                    pay_terms=(factor, gapok_scale, band, honor), spouse_income=spouse,
                    spend_rate=rng.uniform(0.5, 0.8), securities_share=rng.uniform(0.05, 0.2) if rng.random() < 0.3
                    else 0.0)


def _initial_items(rng, o: Official) -> None:
    """What an official holds at the start of the first declared year: a career's savings."""
    inc = o.official_income + o.spouse_income
    y0 = o.first_year
    house_factor = {"II": 2.2, "III": 1.5, "IV": 1.1, "non-eselon": 0.9}[o.eselon]
    o.items.append(_land(rng, o, 150e6 + inc * rng.uniform(1.5, 4.0) * house_factor,
                         acquired=int(rng.integers(y0 - 20, y0 - 2))))
    if rng.random() < 0.35:
        o.items.append(_land(rng, o, rng.uniform(60e6, 500e6), building=False,
                             acquired=int(rng.integers(y0 - 15, y0)), price=o.land_price * rng.uniform(0.2, 0.6)))
        if o.spouse_income and rng.random() < 0.4:
            o.items[-1].atas_nama = "Pasangan/Anak"
    if rng.random() < 0.10:
        o.items.append(_land(rng, o, None, building=False, asal="warisan", big=True,
                             price=rng.uniform(0.15e6, 0.5e6)))
    if rng.random() < 0.85:
        spec = CARS[rng.integers(len(CARS))] if (o.eselon in ("IV", "non-eselon") or rng.random() < 0.6) \
            else UPPER_CARS[rng.integers(len(UPPER_CARS))]
        made = int(rng.integers(y0 - 10, y0))
        o.items.append(_vehicle(rng, spec, made, spec[3] * (0.9 ** (y0 - made))))
    for _ in range(int(rng.choice([0, 1, 1, 2]))):
        spec = BIKES[rng.integers(len(BIKES))]
        made = int(rng.integers(y0 - 12, y0))
        o.items.append(_vehicle(rng, spec, made, spec[3] * (0.88 ** (y0 - made))))
    if rng.random() < 0.6:
        o.items.append(Item("harta_bergerak_lain", "PERABOTAN RUMAH TANGGA DAN ELEKTRONIK, HASIL SENDIRI",
                            _round(rng.uniform(10e6, 60e6), 1e6), growth=0.0, update_p=0.2))
    if rng.random() < 0.3:
        o.items.append(Item("harta_bergerak_lain", "PERHIASAN EMAS, HASIL SENDIRI",
                            _round(rng.uniform(10e6, 80e6), 1e6), growth=0.05, update_p=0.4))
    o.items.append(_cash(rng, _round(inc * rng.uniform(0.15, 1.2), 1)))
    if rng.random() < 0.3:
        o.items.append(_cash(rng, _round(inc * rng.uniform(0.05, 0.4), 1)))
    if o.securities_share > 0:
        o.items.append(Item("surat_berharga", "REKSADANA, HASIL SENDIRI", _round(rng.uniform(10e6, 150e6), 1),
                            growth=0.05, update_p=1.0))
    if rng.random() < 0.08:
        o.items.append(Item("harta_lainnya", "PIUTANG, HASIL SENDIRI", _round(rng.uniform(10e6, 80e6), 1e6),
                            update_p=0.3))
    if rng.random() < 0.45:
        bal = _round(rng.uniform(0.1, 0.8) * o.official_income, 1)
        o.items.append(_debt(f"KREDIT MULTIGUNA (SK) {rng.choice(('BANK BPD DIY', 'BANK BRI', 'BANK MANDIRI'))}",
                             bal, rng.integers(3, 8)))
    if rng.random() < 0.25:
        bal = _round(rng.uniform(80e6, 450e6), 1)
        o.items.append(_debt("KREDIT PEMILIKAN RUMAH BANK BTN", bal, rng.integers(8, 16)))


@dataclass
class Flows:
    pekerjaan: float = 0.0
    usaha: float = 0.0
    lainnya: float = 0.0
    rutin: float = 0.0
    harta: float = 0.0
    p_lainnya: float = 0.0
    adjust: float = 0.0
    """Cash change not carried by the declared flows: + money from outside the form, - non-cash receipts."""


def _cash_items(o):
    return [it for it in o.items if it.kategori == "kas"]


def _add_cash(o: Official, amount: float) -> None:
    """Move cash: in to the first account; out from the accounts in turn, never below zero."""
    accounts = _cash_items(o)
    if amount >= 0:
        accounts[0].value += amount
        return
    need = -amount
    for acc in accounts:
        take = min(acc.value, need)
        acc.value -= take
        need -= take
    if need > 1:  # short: the household spent less (people adjust); the first account stays at zero
        pass


def _total_cash(o):
    return sum(it.value for it in _cash_items(o))


def _simulate(rng, o: Official, events: dict) -> list[tuple[int, list[Item], Flows]]:
    """Run the official's years; `events` maps a year to callables (rng, o, flows) applied that year."""
    snapshots = []
    income_growth = 1.0
    for year in range(o.first_year, END_YEAR + 1):
        f = Flows()
        if o.promotion == year:
            _promote(rng, o)
        if year > o.first_year:
            income_growth *= 1 + rng.uniform(0.0, 0.06) + (0.08 if year == 2024 else 0.0) * 0.5
        own = o.official_income * income_growth
        spouse = o.spouse_income * income_growth
        f.pekerjaan = own + spouse
        f.rutin = f.pekerjaan * float(np.clip(o.spend_rate + rng.normal(0, 0.04), 0.45, 0.85))
        # this year's planted events first, so a sale fetches about the last declared value
        for event in events.get(year, ()):
            event(rng, o, f, year)
        # revaluation and depreciation of items held from before this year (many copy last year's figure)
        for it in o.items:
            if it.tahun_perolehan == year:
                continue
            if it.kategori in ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain") and it.growth:
                if rng.random() < it.update_p:
                    step = 5_000_000 if it.kategori == "tanah_bangunan" else 500_000
                    it.value = _round(it.value * (1 + it.growth) ** rng.uniform(1.0, 1.6), step)
            elif it.kategori == "surat_berharga":
                ret = it.value * rng.uniform(-0.03, 0.09)
                it.value += ret
        # interest on savings
        f.usaha += _total_cash(o) * rng.uniform(0.005, 0.02)
        # loan repayments
        for it in [x for x in o.items if x.kategori == "hutang"]:
            pay = min(it.value, it.payment)
            it.value -= pay
            f.p_lainnya += pay
            if it.value <= 1:
                o.items.remove(it)
        # routine events of a normal life
        if rng.random() < 0.10:
            _replace_car(rng, o, year, f)
        if rng.random() < 0.05 and not any(x.kategori == "hutang" and "SK" in x.uraian for x in o.items):
            loan = _round(rng.uniform(0.2, 0.6) * o.official_income, 1e6)
            o.items.append(_debt("KREDIT MULTIGUNA (SK) BANK BPD DIY", loan, rng.integers(3, 6)))
            f.lainnya += loan
            house = next(x for x in o.items if x.kategori == "tanah_bangunan")
            house.value = _round(house.value + loan * rng.uniform(0.7, 1.0), 5_000_000)  # renovation
            f.harta += loan
        if rng.random() < 0.015:
            plot = _land(rng, o, rng.uniform(50e6, 200e6), building=False, asal="warisan", acquired=year)
            o.items.append(plot)
            f.lainnya += plot.value
            f.adjust -= plot.value
        net = f.pekerjaan + f.usaha + f.lainnya - f.rutin - f.harta - f.p_lainnya + f.adjust
        securities = [x for x in o.items if x.kategori == "surat_berharga"]
        if net > 0 and securities and o.securities_share:
            buy = net * o.securities_share
            securities[0].value += buy
            net -= buy
            f.harta += buy
        if _total_cash(o) + net < 0:  # the household cut spending to stay solvent
            cut = -(_total_cash(o) + net)
            f.rutin = max(0.0, f.rutin - cut)
            net += cut
        _add_cash(o, net)
        snapshots.append((year, [_copy(it) for it in o.items], f, (o.jabatan, o.eselon_cell, o.golongan)))
    return snapshots


PROMOTION = {"non-eselon": "IV", "IV": "III", "III": "II"}


def _promote(rng, o: Official) -> None:
    """One eselon up: new title, the grade's pay from this year (golongan raised if the post needs it)."""
    es = PROMOTION[o.eselon]
    gols = GRADES[es][3]
    if o.golongan not in gols and list(GAJI_POKOK).index(o.golongan) < list(GAJI_POKOK).index(gols[0]):
        o.golongan = gols[0]
    o.eselon, o.eselon_cell, o.jabatan = es, str(rng.choice(GRADES[es][2])), _title(rng, es, o.pay)
    o.official_income = _yearly_pay(es, o.golongan, o.pay, *o.pay_terms)


def _copy(it: Item) -> Item:
    return Item(**{k: getattr(it, k) for k in it.__dataclass_fields__})


def _replace_car(rng, o: Official, year: int, f: Flows) -> None:
    cars = [x for x in o.items if x.jenis == "MOBIL" and not x.keep]
    if not cars and any(x.jenis == "MOBIL" for x in o.items):
        return
    old = cars[0] if cars else None
    pool = CARS if o.eselon in ("IV", "non-eselon") else CARS + UPPER_CARS
    spec = pool[rng.integers(len(pool))]
    price = spec[3] * rng.uniform(0.9, 1.05)
    proceeds = old.value if old else 0.0
    cash = _total_cash(o)
    if cash - o.reserved - (price - proceeds) < 0.3 * f.pekerjaan:  # no car from the savings set aside
        return
    if old:
        o.items.remove(old)
        f.usaha += proceeds
    o.items.append(_vehicle(rng, spec, year, price, acquired=year))
    f.harta += price


# -- families -------------------------------------------------------------------------------------------------

def _income(o: Official) -> float:
    return o.official_income + o.spouse_income


def _event_year(rng, o: Official) -> int:
    return int(rng.integers(o.first_year + 1, END_YEAR + 1))


def _add(events, year, fn):
    events.setdefault(year, []).append(fn)


def _unexplained_asset(rng, o: Official, value: float, year: int, f: Flows, declare_spending: bool) -> None:
    """An asset whose money came from nowhere on the form (cash does not fall)."""
    kind = rng.random()
    if kind < 0.5:
        kota = str(rng.choice([r[1] for r in REGIONS]))
        o.items.append(_land(rng, o, value, kota=kota, building=rng.random() < 0.6, acquired=year))
    elif kind < 0.75:
        o.items.append(Item("kas", f"DEPOSITO, {rng.choice(('BANK MANDIRI', 'BANK BCA', 'BANK BNI'))}, "
                                   "HASIL SENDIRI", _round(value, 1e6), update_p=1.0))
    else:
        o.items.append(Item("surat_berharga", "SAHAM, HASIL SENDIRI", _round(value, 1), growth=0.05))
    if declare_spending:
        f.harta += value
        f.adjust += value


def _apply_family(rng, o: Official, family: str, events: dict, temuan: list) -> str:
    """Plant one family on an official; returns a note with its magnitude."""
    inc = _income(o)
    e = _event_year(rng, o)
    note = ""
    if family in ("blatant_growth", "subtle_growth"):
        m = rng.uniform(6, 20) if family == "blatant_growth" else rng.uniform(2, 4)
        declare = bool(rng.random() < 0.5)
        _add(events, e, lambda r, oo, f, y: _unexplained_asset(r, oo, m * inc, y, f, declare))
        note = f"{m:.1f} years of income in {e}"
    elif family == "spread_accumulation":
        periods = END_YEAR - o.first_year
        total = min(rng.uniform(4, 5), periods * rng.uniform(1.1, 1.45))  # never 1.5 years in one period
        note = f"{total:.1f} years of income over {periods} periods"
        for y in range(o.first_year + 1, END_YEAR + 1):
            part = total / periods * rng.uniform(0.85, 1.15)
            part = min(part, 1.45)

            def grow(r, oo, f, yy, part=part):
                choice = r.random()
                if choice < 0.5:
                    _add_cash(oo, part * inc)
                elif choice < 0.75 or not any(x.kategori == "surat_berharga" for x in oo.items):
                    oo.items.append(_land(r, oo, part * inc, building=False, acquired=yy))
                else:
                    next(x for x in oo.items if x.kategori == "surat_berharga").value += part * inc
            _add(events, y, grow)
    elif family == "undeclared_luxury":
        spec = _luxury_for(rng, inc, lo=0.8, hi=10)  # never a model the official declares (no upper-middle cars)
        value = spec[3]
        jenis = spec[0].lower() if spec[0] in ("MOBIL", "MOTOR") else spec[0]
        temuan.append(_temuan(rng, o, jenis, spec[1], spec[2], value, e))
        note = f"{spec[1]} {spec[2]} seen, {value / inc:.1f} years of income, not declared"
    elif family == "luxury_beyond_income":
        spec = _luxury_for(rng, inc, lo=4, hi=15, vehicles_only=True)
        held = rng.random() < 0.4
        year = o.first_year - 1 if held else e
        made = year - int(rng.integers(0, 3))

        def buy(r, oo, f, yy, spec=spec, made=made):
            oo.items.append(_kept_vehicle(r, spec, made, spec[3] * 0.92 ** (yy - made), acquired=yy, fields_p=0.5))
            f.harta += spec[3]
            f.adjust += spec[3]
        if held:
            o.items.append(_kept_vehicle(rng, spec, made, spec[3] * 0.92 ** (o.first_year - made),
                                    acquired=o.first_year - 1, fields_p=0.5))
        else:
            _add(events, e, buy)
        note = f"{spec[1]} {spec[2]} declared, {spec[3] / inc:.1f} years of income, {'held' if held else year}"
    elif family == "undervalued_luxury":
        spec = LUXURY[str(rng.choice(("alphard", "land cruiser", "x5", "e300", "lexus", "rubicon")))]
        frac = rng.uniform(0.15, 0.35)

        # enough saved for the declared price, which is the cover story
        o.items.append(_cash(rng, _round(spec[3] * frac * rng.uniform(1.0, 1.3), 1)))
        o.reserved = o.items[-1].value

        def buy(r, oo, f, yy, spec=spec, frac=frac):
            oo.reserved = 0.0
            v = spec[3] * frac
            oo.items.append(_kept_vehicle(r, spec, yy - int(r.integers(0, 2)), v, acquired=yy, fields_p=0.5))
            f.harta += oo.items[-1].value
        _add(events, e, buy)
        note = f"{spec[1]} {spec[2]} declared at {frac:.0%} of {spec[3] / 1e9:.2f} M in {e}"
    elif family == "cash_hoard":
        m = rng.uniform(5, 15)
        if rng.random() < 0.4:
            o.items.append(Item("kas", "UANG TUNAI, HASIL SENDIRI", _round(m * inc, 1e6), update_p=1.0))
            note = f"cash {m:.1f} years of income held from the first declaration"
        else:
            _add(events, e, lambda r, oo, f, y: oo.items.append(
                Item("kas", "UANG TUNAI, HASIL SENDIRI", _round(m * inc, 1e6), update_p=1.0)))
            note = f"cash {m:.1f} years of income appearing in {e}"
    elif family == "spending_beyond_means":
        m = rng.uniform(2, 5)
        for y in range(max(o.first_year, e - 1), END_YEAR + 1):
            def spend(r, oo, f, yy, m=m):
                extra = (m - 1) * (f.pekerjaan + f.usaha)
                f.rutin += extra
                f.adjust += extra  # the money spent came from outside the form: cash does not fall
            _add(events, y, spend)
        note = f"pengeluaran rutin {m:.1f}x penerimaan from {max(o.first_year, e - 1)}"
    elif family == "debt_paid_unexplained":
        m = rng.uniform(2, 5)  # what a bank would have lent
        bal = _round(m * inc, 1e6)
        debt = _debt(f"KREDIT {rng.choice(('MODAL KERJA', 'PEMILIKAN RUMAH', 'INVESTASI'))} "
                     f"{rng.choice(('BANK BTN', 'BANK BRI', 'BANK MANDIRI'))}", bal, 15)
        o.items.append(debt)
        o.items.append(_land(rng, o, bal * rng.uniform(1.1, 1.4), acquired=o.first_year - 1))

        def payoff(r, oo, f, yy, debt=debt):
            for it in oo.items:
                if it.kategori == "hutang" and it.uraian == debt.uraian:
                    f.p_lainnya += it.value
                    f.adjust += it.value  # paid from outside the form
                    oo.items.remove(it)
                    break
        _add(events, e, payoff)
        note = f"debt {m:.1f} years of income paid off in {e}"
    elif family == "gift_without_deed":
        m = rng.uniform(2, 8)
        asal = str(rng.choice(("hibah_tanpa_akta", "hadiah")))
        in_penerimaan = bool(rng.random() < 0.5)

        def gift(r, oo, f, yy, m=m, asal=asal):
            if r.random() < 0.6:
                oo.items.append(_land(r, oo, m * inc, building=r.random() < 0.5, asal=asal, acquired=yy))
            else:
                spec = _luxury_for(r, inc, lo=m * 0.7, hi=m * 1.3, vehicles_only=True)
                oo.items.append(_kept_vehicle(r, spec, yy, spec[3], asal=asal, acquired=yy))
            if in_penerimaan:
                f.lainnya += oo.items[-1].value
                f.adjust -= oo.items[-1].value
        _add(events, e, gift)
        note = f"{asal} {m:.1f} years of income in {e}{' (in penerimaan lainnya)' if in_penerimaan else ''}"
    # -- look-alikes --
    elif family == "revaluation":
        plot = _land(rng, o, inc * rng.uniform(2, 6), building=rng.random() < 0.4,
                     acquired=o.first_year - int(rng.integers(3, 20)))
        plot.update_p = 0.0  # the official kept the old figure...
        o.items.append(plot)
        factor = rng.uniform(1.8, 2.6)

        def revalue(r, oo, f, yy, plot_uraian=plot.uraian, factor=factor):
            it = next(x for x in oo.items if x.uraian == plot_uraian)
            it.value = _round(it.value * factor, 5_000_000)  # ...until updated to the NJOP
        _add(events, e, revalue)
        note = f"plot revalued x{factor:.2f} in {e} ({plot.value / inc:.1f} years of income before)"
    elif family == "mortgage_purchase":
        # a bank lends about three years of household income at most (instalments <= ~35 % of income)
        price = _round(inc * rng.uniform(2.5, 4.5), 5e6)
        loan_share = rng.uniform(0.7, 0.9)
        o.items.append(Item("kas", "DEPOSITO, BANK BTN, HASIL SENDIRI",  # the down payment, saved for years
                            _round(max(price * (1 - loan_share), price - 3 * inc) * rng.uniform(1.0, 1.2), 1),
                            update_p=1.0))
        o.reserved = o.items[-1].value

        def buy(r, oo, f, yy, price=price, loan_share=loan_share):
            oo.reserved = 0.0
            oo.items.append(_land(r, oo, price, acquired=yy))
            price_real = oo.items[-1].value
            loan = _round(min(price_real * loan_share, 3 * inc), 1e6)
            if _total_cash(oo) * 0.9 < price_real - loan:  # short of the down payment: the bank stretches a bit
                loan = _round(min(price_real - _total_cash(oo) * 0.9, 3.5 * inc), 1e6)
            oo.items.append(_debt(f"KREDIT PEMILIKAN RUMAH {r.choice(('BANK BTN', 'BANK BSI', 'BANK BPD DIY'))}",
                                  loan, 15))
            f.lainnya += loan
            f.harta += price_real
        _add(events, e, buy)
        note = f"house {price / inc:.1f} years of income bought on a mortgage in {e}"
    elif family == "sale_funds_purchase":
        v = inc * rng.uniform(3, 10)
        old = _land(rng, o, v, building=rng.random() < 0.5, acquired=o.first_year - int(rng.integers(3, 15)))
        o.items.append(old)

        def swap(r, oo, f, yy, old_uraian=old.uraian):
            it = next(x for x in oo.items if x.uraian == old_uraian)
            sale = _round(it.value * r.uniform(0.95, 1.05), 5e6)
            oo.items.remove(it)
            f.usaha += sale
            new = _land(r, oo, sale * r.uniform(0.85, 1.0), kota=str(r.choice([x[1] for x in REGIONS])),
                        acquired=yy)
            oo.items.append(new)
            f.harta += new.value
        _add(events, e, swap)
        note = f"plot of {v / inc:.1f} years of income sold to buy another in {e}"
    elif family == "purchase_from_savings":
        saved = inc * rng.uniform(2.5, 5)
        o.items.append(Item("kas", f"DEPOSITO, {rng.choice(('BANK BPD DIY', 'BANK BNI'))}, HASIL SENDIRI",
                            _round(saved, 1), update_p=1.0))
        o.reserved = o.items[-1].value

        def buy(r, oo, f, yy):
            oo.reserved = 0.0
            price = _round(_total_cash(oo) * r.uniform(0.75, 0.92), 5e6)
            if r.random() < 0.7:
                new = _land(r, oo, price, building=r.random() < 0.5, acquired=yy)
            else:  # a family car, the dearest the savings buy (luxury is its own family)
                cars = [c for c in CARS + UPPER_CARS if c[3] <= price] or [min(CARS, key=lambda c: c[3])]
                spec = max(cars, key=lambda c: c[3])
                new = _kept_vehicle(r, spec, yy, spec[3], acquired=yy)
            oo.items.append(new)
            f.harta += new.value
        _add(events, e, buy)
        note = f"savings of {saved / inc:.1f} years of income spent on an asset in {e}"
    elif family == "inheritance":
        m = rng.uniform(3, 10)

        def inherit(r, oo, f, yy, m=m):
            oo.items.append(_land(r, oo, m * inc, building=r.random() < 0.5, asal="warisan", acquired=yy))
            f.lainnya += oo.items[-1].value
            f.adjust -= oo.items[-1].value
        _add(events, e, inherit)
        note = f"inheritance {m:.1f} years of income in {e}"
    elif family == "spouse_business":
        m = rng.uniform(2, 6)
        o.note = "spouse business"
        for y in range(o.first_year, END_YEAR + 1):
            def business(r, oo, f, yy, m=m):
                profit = m * oo.official_income * r.uniform(0.8, 1.2)
                f.usaha += profit
                f.rutin += profit * r.uniform(0.2, 0.4)
                if r.random() < 0.35:
                    plot = _land(r, oo, profit * 0.5, building=r.random() < 0.5, acquired=yy)
                    plot.atas_nama = "Pasangan/Anak"
                    oo.items.append(plot)
                    f.harta += plot.value
            _add(events, y, business)
        note = f"spouse's business {m:.1f}x the official's pay a year"
    elif family == "senior_affordable_luxury":
        spec = _luxury_for(rng, inc, lo=0.4, hi=1.5, vehicles_only=True, include_upper=True)
        o.items.append(Item("kas", "DEPOSITO, BANK MANDIRI, HASIL SENDIRI", _round(spec[3] * rng.uniform(1.2, 2), 1),
                            update_p=1.0))
        o.reserved = o.items[-1].value

        def buy(r, oo, f, yy, spec=spec):
            oo.reserved = 0.0
            car = _kept_vehicle(r, spec, yy, spec[3], acquired=yy)
            oo.items.append(car)
            f.harta += car.value
        _add(events, e, buy)
        note = f"{spec[1]} {spec[2]} {spec[3] / inc:.1f} years of income, bought from savings in {e}"
    elif family == "declared_observed_car":
        spec = _luxury_for(rng, inc, lo=0.3, hi=1.6, vehicles_only=True, include_upper=True)
        made = o.first_year - int(rng.integers(1, 6))
        o.items.append(_kept_vehicle(rng, spec, made, spec[3] * 0.9 ** (o.first_year - made), acquired=made))
        jenis = "mobil" if spec[0] == "MOBIL" else "motor"
        temuan.append(_temuan(rng, o, jenis, spec[1], spec[2], spec[3] * 0.9 ** (END_YEAR - made), END_YEAR))
        note = f"{spec[1]} {spec[2]} declared since {made}, seen {END_YEAR}"
    else:
        raise ValueError(family)
    return note


def _luxury_for(rng, inc, lo, hi, vehicles_only=False, include_upper=False):
    """A luxury item whose value is lo-hi years of income (the closest one when none fits)."""
    pool = list(LUXURY.values())
    if not vehicles_only:
        pool += [(j, m, mo, v) for j, m, mo, v in WATCHES_BAGS]
    if include_upper:
        pool += list(UPPER_CARS)
    fit = [p for p in pool if lo * inc <= p[3] <= hi * inc]
    if not fit:
        target = (lo + hi) / 2 * inc
        fit = [min(pool, key=lambda p: abs(np.log(p[3] / target)))]
    return fit[rng.integers(len(fit))]


def _temuan(rng, o: Official, jenis, merek, model, value, year) -> dict:
    month = int(rng.integers(1, 13))
    given = rng.random() < 0.75
    return {"id_pn": o.id_pn, "tanggal": f"{year}-{month:02d}-{int(rng.integers(1, 28)):02d}", "jenis": jenis,
            "merek": merek, "model": model, "uraian": f"{merek} {model} terlihat dipakai yang bersangkutan",
            "perkiraan_nilai": _round(value, 1e6) if given else None, "sumber": str(rng.choice(SUMBER)),
            "bukti": f"ADU-{year}-{int(rng.integers(1, 999)):03d}"}


def _eligible(o: Official, family: str) -> bool:
    if family == "senior_affordable_luxury":
        return o.eselon == "II"
    if family in ("luxury_beyond_income",):
        return o.eselon in ("IV", "non-eselon") and o.pay == "regional"
    if family == "declared_observed_car":
        return o.eselon in ("II", "III")
    if family == "spread_accumulation":
        return o.first_year <= END_YEAR - 2
    return True


def generate(n_officials: int = 600, years: int = 5, seed: int = 101) -> Population:
    """A province batch with its answer key (deterministic per seed)."""
    if years < 3:
        raise ValueError("years must be at least 3")
    rng = np.random.default_rng(seed)
    officials = [_make_official(rng, years) for _ in range(n_officials)]
    seen = set()
    for o in officials:  # NIPs are unique
        while o.id_pn in seen:
            o.id_pn = o.id_pn[:-3] + f"{int(rng.integers(1, 999)):03d}"
        seen.add(o.id_pn)
    for o in officials:
        _initial_items(rng, o)
    # families: several members each, scaled to the population
    free = list(rng.permutation(n_officials))
    temuan: list[dict] = []
    events: dict[int, dict] = {}
    for family in HIDDEN + LOOKALIKE:
        n = max(2, int(round(n_officials * rng.uniform(4, 8) / 600)))
        chosen = [i for i in free if _eligible(officials[i], family)][:n]
        for i in chosen:
            free.remove(i)
            o = officials[i]
            o.family, o.kind = family, "hidden" if family in HIDDEN else "lookalike"
            ev: dict = {}
            o.note = _apply_family(rng, o, family, ev, temuan)
            events[i] = ev
    for o in officials:  # a routine career step for some of the rest
        if o.family == "normal" and o.eselon != "II" and o.first_year < END_YEAR and rng.random() < 0.10:
            o.promotion = int(rng.integers(o.first_year + 1, END_YEAR + 1))
    lap_rows, harta_rows = [], []
    for i, o in enumerate(officials):
        sub = np.random.default_rng([seed, i])
        for year, items, f, ident in _simulate(sub, o, events.get(i, {})):
            lap_rows.append(_laporan_row(o, year, items, f, ident))
            for it in items:
                harta_rows.append(_harta_row(o, year, it))
    laporan = pd.DataFrame(lap_rows)
    harta = pd.DataFrame(harta_rows)
    temuan_df = pd.DataFrame(temuan, columns=["id_pn", "tanggal", "jenis", "merek", "model", "uraian",
                                              "perkiraan_nilai", "sumber", "bukti"])
    key = pd.DataFrame({"id_pn": [o.id_pn for o in officials], "family": [o.family for o in officials],
                        "kind": [o.kind for o in officials],
                        "forms": ["declared" if o.family in DECLARED_ONLY else "both" for o in officials],
                        "eselon": [o.eselon for o in officials], "pay": [o.pay for o in officials],
                        "income": [round(_income(o)) for o in officials],
                        "note": [o.note if o.kind != "normal" else "" for o in officials]})
    return Population(laporan, harta, temuan_df, key, seed, years)


def _laporan_row(o: Official, year: int, items: list[Item], f: Flows, ident: tuple) -> dict:
    jabatan, eselon_cell, golongan = ident
    row = {"id_pn": o.id_pn, "nama": o.nama, "tahun_lapor": year, "jenis_laporan": "Periodik",
           "lembaga": o.lembaga, "unit_kerja": o.unit_kerja, "jabatan": jabatan, "eselon": eselon_cell,
           "golongan": golongan}
    for k in HARTA_KATEGORI + ("hutang",):
        row[k] = float(round(sum(round(it.value) for it in items if it.kategori == k)))
    row["total_harta_kekayaan"] = sum(row[k] for k in HARTA_KATEGORI) - row["hutang"]
    row.update({"penerimaan_pekerjaan": float(round(f.pekerjaan)), "penerimaan_usaha": float(round(f.usaha)),
                "penerimaan_lainnya": float(round(f.lainnya)), "pengeluaran_rutin": float(round(f.rutin)),
                "pengeluaran_harta": float(round(f.harta)), "pengeluaran_lainnya": float(round(f.p_lainnya))})
    return row


def _harta_row(o: Official, year: int, it: Item) -> dict:
    vehicle = it.kategori == "alat_transportasi"
    return {"id_pn": o.id_pn, "tahun_lapor": year, "kategori": it.kategori, "uraian": it.uraian,
            "jenis": it.jenis if vehicle and it.fields_given else None,
            "merek": it.merek if vehicle and it.fields_given else None,
            "model": it.model if vehicle and it.fields_given else None,
            "tahun_pembuatan": it.tahun_pembuatan if vehicle and it.fields_given else None,
            "luas_tanah": it.luas_tanah, "luas_bangunan": it.luas_bangunan, "tahun_perolehan": it.tahun_perolehan,
            "asal_usul": it.asal, "atas_nama": it.atas_nama, "nilai_perolehan": it.nilai_perolehan,
            "nilai_pelaporan": float(round(it.value))}


# -- the workbook, as people type it --------------------------------------------------------------------------

LAPORAN_HEADERS = {
    "id_pn": "ID PN", "nama": "Nama", "tahun_lapor": "Tahun Pelaporan", "jenis_laporan": "Jenis Laporan",
    "lembaga": "Lembaga", "unit_kerja": "Unit Kerja", "jabatan": "Jabatan", "eselon": "Eselon",
    "golongan": "Golongan", "tanah_bangunan": "Tanah dan Bangunan",
    "alat_transportasi": "Alat Transportasi dan Mesin", "harta_bergerak_lain": "Harta Bergerak Lainnya",
    "surat_berharga": "Surat Berharga", "kas": "Kas dan Setara Kas", "harta_lainnya": "Harta Lainnya",
    "hutang": "Hutang", "total_harta_kekayaan": "Total Harta Kekayaan",
    "penerimaan_pekerjaan": "Penerimaan dari Pekerjaan", "penerimaan_usaha": "Penerimaan dari Usaha dan Kekayaan",
    "penerimaan_lainnya": "Penerimaan Lainnya", "pengeluaran_rutin": "Pengeluaran Rutin",
    "pengeluaran_harta": "Pengeluaran Harta", "pengeluaran_lainnya": "Pengeluaran Lainnya",
}
FLOW_COLUMNS = ("penerimaan_pekerjaan", "penerimaan_usaha", "penerimaan_lainnya", "pengeluaran_rutin",
                "pengeluaran_harta", "pengeluaran_lainnya")
HARTA_HEADERS = {
    "id_pn": "ID PN", "tahun_lapor": "Tahun Pelaporan", "kategori": "Kategori", "uraian": "Uraian",
    "jenis": "Jenis", "merek": "Merek", "model": "Model", "tahun_pembuatan": "Tahun Pembuatan",
    "luas_tanah": "Luas Tanah (m2)", "luas_bangunan": "Luas Bangunan (m2)", "tahun_perolehan": "Tahun Perolehan",
    "asal_usul": "Asal Usul", "atas_nama": "Atas Nama", "nilai_perolehan": "Nilai Perolehan (Rp)",
    "nilai_pelaporan": "Nilai Pelaporan (Rp)",
}
TEMUAN_HEADERS = {"id_pn": "ID PN", "tanggal": "Tanggal", "jenis": "Jenis", "merek": "Merek", "model": "Model",
                  "uraian": "Uraian", "perkiraan_nilai": "Perkiraan Nilai", "sumber": "Sumber", "bukti": "Bukti"}
MONEY = set(HARTA_KATEGORI) | {"hutang", "total_harta_kekayaan", "nilai_perolehan", "nilai_pelaporan",
                               "perkiraan_nilai"} | set(FLOW_COLUMNS)


def _dotted(v: float) -> str:
    return f"{int(round(v)):,}".replace(",", ".")


def typed_money(v, rng) -> object:
    """A money value as someone might type it: a number mostly, sometimes text in a local habit."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    r = rng.random()
    if r < 0.80:
        return int(round(v))
    if v == 0:
        return "-" if r < 0.9 else 0
    if v >= 1e9 and v % 10_000_000 == 0 and r < 0.86:
        return f"{v / 1e9:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " M"
    if 1e6 <= v < 1e9 and v % 1_000_000 == 0 and r < 0.86:
        return f"{int(v // 1_000_000)} jt"
    if r < 0.92:
        return f"Rp {_dotted(v)},00"
    if r < 0.96:
        return f"Rp.{_dotted(v)}"
    return _dotted(v)


def _messy_laporan(laporan: pd.DataFrame, rng) -> pd.DataFrame:
    """Missing cells and the odd total that is off its items, as declarations have them."""
    d = laporan.copy().astype(object)
    n = len(d)
    for col, p in (("golongan", 0.03), ("unit_kerja", 0.02), ("eselon", 0.01)):
        d.loc[rng.random(n) < p, col] = None
    # a category total left empty (the items give it) or rounded off its items
    for col in ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain"):
        d.loc[rng.random(n) < 0.01, col] = None
        off = rng.random(n) < 0.01
        d.loc[off, col] = [_round(float(v), 1e6) if v is not None else None for v in d.loc[off, col]]
    d.loc[rng.random(n) < 0.03, "total_harta_kekayaan"] = None
    d.loc[rng.random(n) < 0.02, "penerimaan_usaha"] = None
    return d


def _messy_harta(harta: pd.DataFrame, rng) -> pd.DataFrame:
    d = harta.copy().astype(object)
    n = len(d)
    d.loc[rng.random(n) < 0.10, "nilai_perolehan"] = None
    d.loc[rng.random(n) < 0.15, "tahun_perolehan"] = None
    d["kategori"] = d["kategori"].map(KATEGORI_LABEL)
    d["asal_usul"] = d["asal_usul"].map(lambda a: ASAL_LABEL.get(a, a).title())
    return d


def form_sheets(pop: Population, form: str) -> dict[str, pd.DataFrame]:
    """The three sheets of one form with canonical column names (values still clean numbers)."""
    if form not in ("declared", "public"):
        raise ValueError(f"form must be 'declared' or 'public', not {form!r}")
    rng = np.random.default_rng([pop.seed, 7])  # the same mess in both forms
    laporan = _messy_laporan(pop.laporan, rng)
    if form == "public":
        laporan = laporan.drop(columns=list(FLOW_COLUMNS))
    return {"laporan": laporan, "harta": _messy_harta(pop.harta, rng), "temuan": pop.temuan.astype(object)}


def write_workbook(pop: Population, form: str, path) -> Path:
    """Write one form as an .xlsx with e-LHKPN headers and typing habits in a fraction of money cells."""
    from openpyxl import Workbook

    path = Path(path)
    sheets = form_sheets(pop, form)
    rng = np.random.default_rng([pop.seed, 8])
    wb = Workbook(write_only=True)
    for name, headers in (("laporan", LAPORAN_HEADERS), ("harta", HARTA_HEADERS), ("temuan", TEMUAN_HEADERS)):
        df = sheets[name]
        cols = [c for c in headers if c in df.columns]
        ws = wb.create_sheet(name)
        ws.append([headers[c] for c in cols])
        money = [c in MONEY for c in cols]
        for values in df[cols].itertuples(index=False, name=None):
            row = []
            for v, is_money in zip(values, money):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    row.append(None)
                elif is_money:
                    row.append(typed_money(float(v), rng))
                elif isinstance(v, (float, np.floating)) and float(v).is_integer():
                    row.append(int(v))
                elif isinstance(v, np.integer):
                    row.append(int(v))
                else:
                    row.append(v)
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
