"""Batches in the shapes other hands make, independent of `lhkpn_check.sample` and its planted cases.

`sample.py` writes the batches the rules are tested on: few distinct descriptions, tidy numbers. A bench on
those alone flatters the tool. The batches here are made from scratch, the way an inspectorate's own
exports look:

- 18-digit NIPs (birth date, appointment month, sex, sequence);
- one description per item of each official, repeated across that official's years (hundreds of
  thousands of distinct texts at national scale), with the e-Announcement's vehicle and land wording;
- money in several hands: dotted text (`1.250.000.000`, `Rp 1.250.000.000`) and float text as pandas
  writes floats (`1250000000.0`); in a workbook, numbers Excel stored as numbers beside dotted text;
- category totals that are the sums of their items (`clean`), or, in the `messy` shape, totals that differ
  from their items in every declaration (every declaration then has data-quality rows).

    python bench/shapes.py DIR --officials 20000 --years 5 --format xlsx [--messy] [--seed 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

KATEGORI = ("Tanah dan Bangunan", "Alat Transportasi dan Mesin", "Harta Bergerak Lainnya", "Surat Berharga",
            "Kas dan Setara Kas", "Harta Lainnya", "Hutang")
ITEM_SHARE = (0.30, 0.22, 0.10, 0.06, 0.22, 0.04, 0.06)
BASE_VALUE = (6e8, 2e8, 3e7, 1e8, 1.5e8, 5e7, 1.5e8)
YEARLY_CHANGE = (1.06, 0.90, 1.0, 1.04, 1.05, 1.0, 0.85)
VEHICLES = (("MOBIL", "TOYOTA", ("AVANZA", "INNOVA", "FORTUNER", "RUSH", "YARIS")),
            ("MOBIL", "HONDA", ("JAZZ", "CR-V", "HR-V", "BRIO", "CIVIC")),
            ("MOBIL", "MITSUBISHI", ("PAJERO SPORT", "XPANDER")),
            ("MOTOR", "HONDA", ("BEAT", "VARIO", "PCX", "SUPRA X")),
            ("MOTOR", "YAMAHA", ("NMAX", "MIO", "AEROX")),
            ("MOBIL", "TOYOTA", ("LAND CRUISER", "ALPHARD")))
GOODS = ("Perhiasan Emas", "Jam Tangan", "Peralatan Elektronik", "Mebel", "Barang Seni dan Antik")
ASAL = ("HASIL SENDIRI", "HASIL SENDIRI", "HASIL SENDIRI", "WARISAN", "HIBAH DENGAN AKTA")
FIRST = ("Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gunawan", "Hendra", "Indah", "Joko", "Kartika",
         "Lestari", "Mulyadi", "Nur", "Putri", "Rahmat", "Sri", "Teguh", "Wahyu", "Yuni")
LAST = ("Santoso", "Wijaya", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho", "Siregar", "Harahap",
        "Setiawan", "Lubis", "Wibowo", "Rahayu", "Susanti", "Purnomo", "Hasibuan")


def _nip(rng: np.random.Generator, n: int) -> np.ndarray:
    """18 digits: birth date (yyyymmdd), appointment (yyyymm), sex (1/2), sequence (3 digits). Distinct: the
    sequence is the official's number modulo 1,000, and each thousand has birth dates of its own."""
    i = np.arange(n)
    born = pd.Timestamp("1962-01-01") + pd.to_timedelta((i // 1000) * 50 + rng.integers(0, 50, n), unit="D")
    appointed = (born.year.to_numpy() + rng.integers(22, 30, n)) * 100 + rng.integers(1, 13, n)
    return (pd.Series(born.strftime("%Y%m%d"), dtype=object) + pd.Series(appointed.astype(str), dtype=object)
            + pd.Series(rng.integers(1, 3, n).astype(str), dtype=object)
            + pd.Series(i % 1000, dtype=object).astype(str).str.zfill(3)).to_numpy(dtype=object)


def _dotted(values: np.ndarray, prefix: str = "") -> np.ndarray:
    whole = pd.Series(np.round(values).astype(np.int64).astype(str), dtype=object)
    return (prefix + whole.str[::-1].str.replace(r"(\d{3})(?=\d)", r"\1.", regex=True).str[::-1]).to_numpy()


def generate(officials: int, years: int, *, seed: int = 3, messy: bool = False) -> dict[str, pd.DataFrame]:
    """laporan, harta and temuan frames, headers as the e-LHKPN form writes them; money columns as floats
    or text (see the module's list)."""
    rng = np.random.default_rng(seed)
    n = officials
    nip = _nip(rng, n)
    name = (np.array(FIRST, dtype=object)[rng.integers(0, len(FIRST), n)] + " "
            + np.array(LAST, dtype=object)[rng.integers(0, len(LAST), n)])
    lembaga = np.array([f"PEMERINTAH KABUPATEN {k:03d}" for k in range(60)], dtype=object)[rng.integers(0, 60, n)]
    unit = np.array([f"DINAS {k:03d}" for k in range(250)], dtype=object)[rng.integers(0, 250, n)]
    jabatan = np.array([f"KEPALA BIDANG {k:03d}" for k in range(400)], dtype=object)[rng.integers(0, 400, n)]
    eselon = np.array(["II", "III", "IV", "IV", "non-eselon", ""], dtype=object)[rng.integers(0, 6, n)]
    golongan = np.array(["III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c"], dtype=object)[
        rng.integers(0, 7, n)]
    wealth = rng.lognormal(0.0, 0.8, n)

    # Items: 2-5 per official, each with one description kept over the years.
    per = rng.integers(2, 6, n)
    owner = np.repeat(np.arange(n), per)
    m = len(owner)
    kat = rng.choice(len(KATEGORI), size=m, p=ITEM_SHARE)
    base = np.array(BASE_VALUE)[kat] * wealth[owner] * rng.lognormal(0, 0.5, m)
    acquired = rng.integers(2000, 2020, m)
    asal = np.array(ASAL, dtype=object)[rng.integers(0, len(ASAL), m)]
    k = np.arange(m)
    uraian = np.empty(m, dtype=object)
    land = kat == 0
    uraian[land] = [f"Tanah dan Bangunan Seluas {a} m2/{b} m2 di KAB / KOTA {c:03d}, {s}"
                    for a, b, c, s in zip(rng.integers(60, 2000, land.sum()), rng.integers(36, 600, land.sum()),
                                          rng.integers(0, 500, land.sum()), asal[land])]
    vehicle = kat == 1
    picks = rng.integers(0, len(VEHICLES), vehicle.sum())
    uraian[vehicle] = [f"{VEHICLES[p][0]}, {VEHICLES[p][1]} {VEHICLES[p][2][q % len(VEHICLES[p][2])]} Tahun {y}, {s}"
                       f" (NOPOL {i:07d})"
                       for p, q, y, s, i in zip(picks, rng.integers(0, 5, vehicle.sum()), acquired[vehicle],
                                                asal[vehicle], k[vehicle])]
    rest = ~land & ~vehicle
    words = np.array(["", *GOODS, "Saham", "Reksa Dana", "Tabungan", "Piutang", "Kredit Pemilikan Rumah"],
                     dtype=object)
    uraian[rest] = [f"{words[1 + (c * 7 + i) % (len(words) - 1)]} nomor {i:07d}, {s}"
                    for c, i, s in zip(kat[rest], k[rest], asal[rest])]

    year_list = np.arange(2024 - years + 1, 2025)
    decl_official = np.repeat(np.arange(n), years)
    decl_year = np.tile(year_list, n)
    # Each item in every declaration of its official, its value moving by its category's yearly change.
    item_of = np.repeat(k, years)
    item_year = np.tile(year_list, m)
    step = item_year - year_list[0]
    value = np.round(base[item_of] * np.array(YEARLY_CHANGE)[kat[item_of]] ** step * rng.uniform(0.97, 1.03,
                                                                                                 len(item_of)), -3)
    item_kat = kat[item_of]
    decl_of_item = owner[item_of] * years + step
    totals = np.zeros((n * years, len(KATEGORI)))
    np.add.at(totals, (decl_of_item, item_kat), value)
    if messy:  # every declaration: each category it lists disagrees with its items
        totals = np.round(totals * rng.uniform(1.2, 1.6, totals.shape), -3)
    assets = totals[:, :6].sum(axis=1)
    income = np.round(rng.uniform(1.2e8, 4e8, n * years) * wealth[decl_official] ** 0.3, -3)

    tanggal = pd.Series(pd.to_datetime(decl_year.astype(str) + "-12-31")).dt.strftime("%d/%m/%Y").to_numpy()
    laporan = pd.DataFrame({
        "NIP": nip[decl_official], "Nama": name[decl_official], "Tanggal Lapor": tanggal,
        "Jenis Laporan": "Periodik", "Lembaga": lembaga[decl_official], "Unit Kerja": unit[decl_official],
        "Jabatan": jabatan[decl_official], "Eselon": eselon[decl_official], "Golongan": golongan[decl_official],
    })
    for j, label in enumerate(KATEGORI):
        # float text (pandas' own writing of a float column) for some categories, dotted text for others
        laporan[label] = totals[:, j] if j % 2 == 0 else _dotted(totals[:, j])
    laporan["Total Harta Kekayaan"] = _dotted(assets - totals[:, 6], "Rp ")
    laporan["Penerimaan dari Pekerjaan"] = income
    laporan["Pengeluaran Rutin"] = _dotted(np.round(income * rng.uniform(0.5, 0.8, len(income)), -3))
    harta = pd.DataFrame({
        "NIP": nip[owner[item_of]], "Tanggal Lapor": tanggal[decl_of_item],
        "Kategori": np.array(KATEGORI, dtype=object)[item_kat], "Uraian": uraian[item_of],
        "Tahun Perolehan": acquired[item_of], "Asal Usul": asal[item_of], "Atas Nama": "PN",
        "Nilai Perolehan": _dotted(base[item_of] * 0.8, "Rp "), "Nilai Pelaporan": value,
    })
    seen = rng.choice(n, size=max(n // 50, 1), replace=False)
    temuan = pd.DataFrame({
        "NIP": nip[seen], "Tanggal": pd.Series(pd.to_datetime("2023-06-15")).dt.strftime("%d/%m/%Y")[0],
        "Jenis": "mobil", "Merek": np.array(["Toyota", "BMW", "Mercedes-Benz", "Honda"], dtype=object)[
            rng.integers(0, 4, len(seen))],
        "Model": np.array(["Land Cruiser", "X5", "S 450", "CR-V"], dtype=object)[rng.integers(0, 4, len(seen))],
        "Uraian": "Terlihat mengendarai mobil (pengaduan masyarakat)", "Perkiraan Nilai": "Rp 1,5 M",
        "Sumber": "pengaduan masyarakat",
    })
    return {"laporan": laporan, "harta": harta, "temuan": temuan}


def write(frames: dict[str, pd.DataFrame], folder: Path, fmt: str) -> Path:
    """The batch as a folder of CSV files (pandas' writer, floats as it writes them) or one workbook."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        for name, frame in frames.items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        return folder
    from openpyxl import Workbook

    path = folder / "batch.xlsx"
    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        columns = [frame[c].to_numpy(dtype=object).tolist() for c in frame.columns]
        for row in zip(*columns):
            ws.append(row)
    wb.save(path)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--officials", type=int, default=2000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--format", dest="fmt", choices=["xlsx", "csv"], default="csv")
    parser.add_argument("--messy", action="store_true")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    frames = generate(args.officials, args.years, seed=args.seed, messy=args.messy)
    print(write(frames, args.folder, args.fmt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
