"""Three officials whose flexing made the news in 2023, entered from the figures the press quoted from
their public declarations, placed among the 203 real Yogyakarta officials: where does each rank?

    python bench/press.py [--real ../shared/data/real]

The figures are the press's, rounded as quoted; ids are placeholders. The police officer's declaration
is Rp 467 jt and he was seen with a Jeep Rubicon and a Harley-Davidson; the tax official's wealth rose by
about Rp 20.8 M over seven years; the customs office head declared about Rp 9 M of debts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PAJAK = ("KEMENTERIAN KEUANGAN", "DIREKTORAT JENDERAL PAJAK", "KEPALA BAGIAN UMUM KANWIL DJP JAKARTA SELATAN II")
POLRI = ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", "DIREKTORAT RESERSE NARKOBA POLDA SUMATERA UTARA",
         "KEPALA BAGIAN BINA OPERASIONAL")
BEA_CUKAI = ("KEMENTERIAN KEUANGAN", "DIREKTORAT JENDERAL BEA DAN CUKAI",
             "KEPALA KANTOR PENGAWASAN DAN PELAYANAN BEA DAN CUKAI YOGYAKARTA")


def press_rows() -> tuple[list[dict], list[dict]]:
    rows = []

    def decl(pid, where, year, total, hutang=None):
        rows.append({"id_pn": pid, "nama": f"Pejabat {pid}", "lembaga": where[0], "unit_kerja": where[1],
                     "jabatan": where[2], "tanggal_lapor": f"31 Desember {year}", "jenis_laporan": "Periodik",
                     "total_harta_kekayaan": str(total), "hutang": None if hutang is None else str(hutang)})

    for year, total in ((2015, 35_300_000_000), (2017, 42_000_000_000), (2019, 49_000_000_000),
                        (2021, 56_100_000_000)):
        decl("PRESS-PAJAK", PAJAK, year, total)
    for year in (2021, 2022):
        decl("PRESS-POLRI", POLRI, year, 467_000_000)
    for year, total, hutang in ((2021, 6_500_000_000, 9_000_000_000), (2022, 6_720_000_000, 9_018_000_000)):
        decl("PRESS-BC", BEA_CUKAI, year, total, hutang)
    seen = [{"id_pn": "PRESS-POLRI", "tanggal": "2023-04-25", "jenis": jenis, "merek": merek, "model": model,
             "uraian": f"{merek} {model} dipakai keluarga, diberitakan media".strip(), "perkiraan_nilai": "",
             "sumber": "media", "bukti": "BERITA-2023-04"}
            for jenis, merek, model in (("mobil", "JEEP", "WRANGLER RUBICON"), ("motor", "HARLEY-DAVIDSON", ""))]
    return rows, seen


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    args = ap.parse_args(argv)
    source = args.real / "yogyakarta_totals.csv"
    if not source.exists():
        print(f"{source} not found: pass --real with the folder of the real files", file=sys.stderr)
        return 2
    from lhkpn_check.pipeline import run_batch
    from lhkpn_check.settings import load_settings

    rows, seen = press_rows()
    with tempfile.TemporaryDirectory(prefix="lhkpn-press-") as tmp:
        folder = Path(tmp) / "masukan"
        folder.mkdir()
        real = pd.read_csv(source, dtype=str)
        pd.concat([real, pd.DataFrame(rows)], ignore_index=True).to_csv(folder / "laporan.csv", index=False)
        pd.DataFrame(seen).to_csv(folder / "temuan.csv", index=False)
        out = Path(tmp) / "hasil"
        run_batch(folder, out, settings=load_settings(None, {"dossiers": 0}), command="bench/press.py")
        ranking = pd.read_csv(out / "ranking.csv", dtype={"id_pn": str})
    n, tinggi = len(ranking), int((ranking["tier"] == "tinggi").sum())
    print(f"{n} officials ({n - 3} real from Yogyakarta, 3 press cases), {tinggi} tinggi")
    cases = ranking[ranking["id_pn"].str.startswith("PRESS-")]
    print(cases[["rank", "id_pn", "score", "tier", "rules"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
