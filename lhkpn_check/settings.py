"""One defaults table drives every threshold: the config file, `lhkpn-check rules` and the method page.

A config file is TOML with any of these names at top level (or under `[lhkpn_check]`); an unknown
name or a value of the wrong type is refused with a message naming the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from lhkpn_check.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    """English."""
    bantuan: str
    """Bahasa Indonesia."""
    group: str = "umum"


SETTINGS: tuple[Setting, ...] = (
    # -- run ------------------------------------------------------------------------------------------
    Setting("seed", 20240101, "Random seed for the outlier detectors (same seed, same output).",
            "Benih acak untuk detektor pencilan (benih sama, hasil sama).", "run"),
    Setting("max_unzipped_bytes", 1 << 30,
            "Refuse an .xlsx whose parts would decompress to more than this many bytes (zip bomb guard).",
            "Tolak berkas .xlsx yang isinya bila diekstrak melebihi sekian byte (pelindung zip bomb).", "run"),
    Setting("dossiers", 5000, "Write a dossier page for at most this many officials, highest ranked first.",
            "Tulis halaman dosir untuk paling banyak sekian pejabat, mulai dari peringkat teratas.", "run"),
    Setting("quality_rows_in_workbook", 100_000,
            "The Kualitas Data sheet of hasil.xlsx lists at most this many problem rows (data_quality.csv has all).",
            "Lembar Kualitas Data di hasil.xlsx memuat paling banyak sekian baris masalah (data_quality.csv memuat "
            "semuanya).", "run"),
    Setting("min_year", 1990, "Reporting years before this are rejected as implausible.",
            "Tahun pelaporan sebelum tahun ini ditolak karena tidak wajar.", "run"),
    Setting("max_money", 1e15, "A money value above this (Rupiah) is treated as a typing error and set to missing.",
            "Nilai uang di atas angka ini (Rupiah) dianggap salah ketik dan dikosongkan.", "run"),
    # -- engine: rules (group = rule id) ----------------------------------------------------------------
    Setting("unexplained_growth_years", 1.5,
            "Flag when net worth grew by more than this many years of income beyond what declared income, "
            "gifts, inheritance and revaluation explain (source and application of funds).",
            "Tandai bila kenaikan harta bersih melebihi sekian tahun penghasilan di luar yang dijelaskan oleh "
            "penghasilan, hibah, warisan dan perubahan nilai (metode sumber dan penggunaan dana).",
            "harta_naik_tak_terjelaskan"),
    Setting("unexplained_min_rupiah", 100_000_000.0,
            "Ignore an unexplained remainder smaller than this (Rupiah).",
            "Abaikan selisih tak terjelaskan yang lebih kecil dari angka ini (Rupiah).", "harta_naik_tak_terjelaskan"),
    Setting("revaluation_cap_rate", 0.3,
            "Securities and other movables held in both declarations may gain at most this share of their value "
            "per year as revaluation (more of one security under one description is new money). Land, buildings "
            "and vehicles held in both with the same description and areas are revalued in full.",
            "Surat berharga dan harta bergerak lain yang ada di kedua laporan paling banyak naik sekian bagian "
            "nilainya per tahun sebagai perubahan nilai (tambahan efek yang sama adalah dana baru). Tanah, "
            "bangunan dan kendaraan yang sama (uraian dan luas sama) dinilai ulang sepenuhnya.",
            "harta_naik_tak_terjelaskan"),
    Setting("history_unexplained_years", 3.0,
            "Flag when, over the whole history of comparable declarations, net worth grew by more than this many "
            "years of (average) income beyond what the declarations explain, even if no single period did.",
            "Tandai bila sepanjang riwayat laporan yang dapat dibandingkan, kenaikan harta bersih melebihi sekian "
            "tahun penghasilan (rata-rata) di luar yang dijelaskan laporan, walau tidak ada satu periode pun yang "
            "melampaui batas.", "harta_naik_kumulatif"),
    Setting("history_unexplained_rate", 1.0,
            "A shorter history is flagged sooner: when it holds more than this many years of income unexplained for "
            "every year it covers (a pace kept over at least two periods), never less than one period's threshold.",
            "Riwayat yang lebih pendek ditandai lebih awal: bila tiap tahun yang dicakupnya menyimpan lebih dari "
            "sekian tahun penghasilan yang belum dijelaskan (laju yang bertahan sedikitnya dua periode), tidak "
            "pernah di bawah batas satu periode.", "harta_naik_kumulatif"),
    Setting("revaluation_signal_ratio", 4.0,
            "Ask for the basis of a land or vehicle value multiplied by at least this factor between two "
            "declarations (a low-severity signal; revaluation is never counted as new money).",
            "Minta dasar penilaian tanah atau kendaraan yang nilainya naik sedikitnya sekian kali antara dua "
            "laporan (sinyal ringan; perubahan nilai tidak pernah dihitung sebagai dana baru).",
            "revaluasi_tidak_wajar"),
    Setting("hibah_min_income_years", 1.0,
            "Flag an asset received as hibah without a deed or as hadiah worth at least this many years of income.",
            "Tandai harta dari hibah tanpa akta atau hadiah yang bernilai sedikitnya sekian tahun penghasilan.",
            "hibah_tanpa_akta"),
    Setting("hibah_min_rupiah", 50_000_000.0, "Ignore a hibah/hadiah item below this value (Rupiah).",
            "Abaikan hibah/hadiah di bawah nilai ini (Rupiah).", "hibah_tanpa_akta"),
    Setting("luxury_income_ratio", 3.0,
            "Flag when declared luxury items (catalogue) are worth more than this many years of income.",
            "Tandai bila barang mewah yang dilaporkan (katalog) bernilai lebih dari sekian tahun penghasilan.",
            "barang_mewah_vs_penghasilan"),
    Setting("undervalue_ratio", 0.5,
            "Flag a luxury item declared below this share of its depreciated catalogue value.",
            "Tandai barang mewah yang dilaporkan di bawah bagian ini dari nilai katalog setelah penyusutan.",
            "barang_mewah_dinilai_rendah"),
    Setting("luxury_depreciation_rate", 0.12,
            "Yearly depreciation of a vehicle's catalogue value by its age (build year to reporting year).",
            "Penyusutan tahunan nilai katalog kendaraan menurut umurnya (tahun pembuatan sampai tahun lapor).",
            "barang_mewah_dinilai_rendah"),
    Setting("luxury_value_floor", 0.1,
            "A vehicle's depreciated catalogue value never falls below this share of the new price.",
            "Nilai katalog kendaraan setelah penyusutan tidak kurang dari bagian ini dari harga baru.",
            "barang_mewah_dinilai_rendah"),
    Setting("temuan_years_after", 1,
            "An observation is matched to the declaration of its year and of up to this many years after.",
            "Temuan dicocokkan dengan laporan tahun yang sama dan sampai sekian tahun sesudahnya.",
            "temuan_tidak_dilaporkan"),
    Setting("cash_income_ratio", 10.0, "Flag cash and equivalents above this many years of income.",
            "Tandai kas dan setara kas di atas sekian tahun penghasilan.", "kas_melebihi_penghasilan"),
    Setting("spending_unfunded_years", 0.5,
            "Flag declared spending (VI.A-C) that exceeds by this many years of income what could pay for it: "
            "receipts (V.A-C), the fall in cash and securities since the previous declaration, new debts and assets "
            "no longer declared.",
            "Tandai pengeluaran (VI.A-C) yang melebihi sekian tahun penghasilan dari yang dapat membiayainya: "
            "penerimaan (V.A-C), turunnya kas dan surat berharga sejak laporan sebelumnya, hutang baru, dan harta "
            "yang tidak lagi dilaporkan.",
            "pengeluaran_melebihi_kemampuan"),
    Setting("spending_min_rupiah", 50_000_000.0, "Ignore spending excesses smaller than this (Rupiah).",
            "Abaikan kelebihan pengeluaran yang lebih kecil dari angka ini (Rupiah).",
            "pengeluaran_melebihi_kemampuan"),
    Setting("debt_income_ratio", 8.0, "Flag debts above this many years of income ...",
            "Tandai hutang di atas sekian tahun penghasilan ...", "hutang_melebihi_kemampuan"),
    Setting("debt_repay_years", 15.0,
            "... that would also take more than this many years to repay from income minus routine spending.",
            "... yang juga butuh lebih dari sekian tahun untuk dilunasi dari penghasilan dikurangi pengeluaran rutin.",
            "hutang_melebihi_kemampuan"),
    Setting("debt_paid_income_years", 1.5,
            "Flag a fall in debts, not covered by income, asset sales or falling cash, above this many years of "
            "income.",
            "Tandai penurunan hutang yang tidak tertutup penghasilan, penjualan harta atau turunnya kas, di atas "
            "sekian tahun penghasilan.", "hutang_lunas_tanpa_sumber"),
    Setting("total_mismatch_ratio", 0.1,
            "Flag a declared total differing from (sum of categories - debts) by more than this share ...",
            "Tandai total yang dicantumkan yang berbeda dari (jumlah kategori - hutang) lebih dari bagian ini ...",
            "total_tidak_sesuai"),
    Setting("total_mismatch_min_rupiah", 10_000_000.0, "... and by more than this amount (Rupiah).",
            "... dan lebih dari jumlah ini (Rupiah).", "total_tidak_sesuai"),
    Setting("peer_outlier_share", 0.02,
            "Flag the top share of each peer group by the combined peer score (0.02 = top 2 %).",
            "Tandai bagian teratas setiap kelompok sejawat menurut skor sejawat gabungan (0,02 = 2 % teratas).",
            "pencilan_sejawat"),
    # -- engine: income estimate, peer groups, score ----------------------------------------------------
    Setting("income_upper_band", True,
            "When income is estimated, use the upper end of each reference band (longest service, highest regional "
            "allowance) and the published allowances of central agencies: the benefit of the doubt.",
            "Bila penghasilan diperkirakan, pakai batas atas setiap rentang tabel referensi (masa kerja terpanjang, "
            "TPP tertinggi) dan tunjangan kinerja instansi pusat yang diumumkan: keraguan menguntungkan pejabat.",
            "penghasilan"),
    Setting("income_months", 14.0,
            "Months of pay per year in the income estimate (12 + gaji ke-13 + THR).",
            "Jumlah bulan gaji setahun dalam perkiraan penghasilan (12 + gaji ke-13 + THR).", "penghasilan"),
    Setting("tpp_multiplier_provinsi", 1.5,
            "TPP (regional allowance) of a province relative to the kabupaten/kota band of the reference table.",
            "TPP pemerintah provinsi dibanding rentang kabupaten/kota pada tabel referensi.", "penghasilan"),
    Setting("tpp_multiplier_pusat", 1.3,
            "Tunjangan kinerja of a central agency relative to the kabupaten/kota TPP band.",
            "Tunjangan kinerja instansi pusat dibanding rentang TPP kabupaten/kota.", "penghasilan"),
    Setting("estimated_spending_share", 0.6,
            "When spending is not declared, routine spending is taken as this share of income.",
            "Bila pengeluaran tidak dilaporkan, pengeluaran rutin dianggap sebesar bagian ini dari penghasilan.",
            "penghasilan"),
    Setting("peer_group_min_size", 30,
            "A peer group (eselon x level of government) smaller than this is merged into a larger group.",
            "Kelompok sejawat (eselon x tingkat pemerintahan) yang lebih kecil dari ini digabung ke kelompok lebih "
            "besar.", "peer"),
    Setting("peer_min_fit", 8, "Below this many officials in a group the peer score is not computed (0).",
            "Di bawah jumlah pejabat ini dalam satu kelompok skor sejawat tidak dihitung (0).", "peer"),
    Setting("iforest_max_samples", 256, "Rows drawn per tree of the Isolation Forest.",
            "Jumlah baris per pohon Isolation Forest.", "peer"),
    Setting("iforest_estimators", 100, "Trees of the Isolation Forest.", "Jumlah pohon Isolation Forest.", "peer"),
    Setting("weight_tinggi", 50.0, "Score points for each rule of severity tinggi that fires.",
            "Poin skor untuk setiap aturan berkeparahan tinggi yang terpicu.", "skor"),
    Setting("weight_sedang", 35.0, "Score points for each rule of severity sedang that fires.",
            "Poin skor untuk setiap aturan berkeparahan sedang yang terpicu.", "skor"),
    Setting("weight_rendah", 10.0, "Score points for each rule of severity rendah that fires.",
            "Poin skor untuk setiap aturan berkeparahan rendah yang terpicu.", "skor"),
    Setting("weight_ml", 15.0, "Score points for the peer score (0-1) times this weight.",
            "Poin skor dari skor sejawat (0-1) dikali bobot ini.", "skor"),
    Setting("basis_items_factor", 0.75,
            "A finding on the declaration's own lines and items against an estimated income counts this share "
            "of one on declared income.",
            "Temuan atas rincian laporan sendiri terhadap penghasilan perkiraan dihitung sebesar bagian ini dari "
            "temuan atas penghasilan yang dilaporkan.", "skor"),
    Setting("basis_totals_factor", 0.45,
            "A finding that rests only on declared totals against an estimated income counts this share.",
            "Temuan yang hanya bertumpu pada total laporan terhadap penghasilan perkiraan dihitung sebesar bagian "
            "ini.", "skor"),
    Setting("second_signal_factor", 0.5,
            "Each further independent signal of an official adds this share of the one before it (the strongest "
            "counts in full).",
            "Setiap sinyal mandiri berikutnya dari seorang pejabat menambah bagian ini dari sinyal sebelumnya "
            "(sinyal terkuat dihitung penuh).", "skor"),
    Setting("score_half", 60.0,
            "Points at which the score reaches 50; the score approaches 100 and never reaches it, so the order "
            "at the top stays meaningful.",
            "Poin saat skor mencapai 50; skor mendekati 100 tanpa pernah mencapainya, sehingga urutan teratas "
            "tetap bermakna.", "skor"),
    Setting("tier_tinggi_min", 50.0, "Score from which an official is in tier tinggi.",
            "Skor minimal untuk tingkat tinggi.", "skor"),
    Setting("tier_tinggi_max_share", 0.1,
            "At most this share of officials (the highest ranked) is in tier tinggi: the list an inspectorate "
            "can ask klarifikasi of first.",
            "Paling banyak bagian pejabat ini (peringkat teratas) masuk tingkat tinggi: daftar yang dapat "
            "dimintai klarifikasi lebih dulu.", "skor"),
    Setting("tier_sedang_min", 35.0, "Score from which an official is in tier sedang.",
            "Skor minimal untuk tingkat sedang.", "skor"),
    # -- filing compliance (kepatuhan.py), last so that the rows above keep their places -----------------
    Setting("batas_lapor", "31-03",
            "Filing compliance: the deadline of a periodic declaration when the roster gives none, as day-month "
            "of the year after the reporting year.",
            "Kepatuhan: batas waktu laporan periodik bila daftar wajib lapor tidak mencantumkannya, sebagai "
            "tanggal-bulan tahun berikutnya setelah tahun pelaporan.", "kepatuhan"),
)


class Settings:
    """The configuration in force: defaults overridden by a config file and options."""

    def __init__(self, values: dict | None = None):
        self._values = {s.name: s.default for s in SETTINGS}
        self._source = {s.name: "default" for s in SETTINGS}
        for key, value in (values or {}).items():
            self.set(key, value, "option")

    def set(self, key: str, value, source: str = "option") -> None:
        spec = SETTING_BY_NAME.get(key)
        if spec is None:
            raise ConfigError(f"pengaturan '{key}' tidak dikenal", column=key,
                              fix="Lihat daftar nama yang sah dengan: lhkpn-check rules")
        self._values[key] = _coerce(spec, value)
        self._source[key] = source

    def __getattr__(self, key: str):
        try:
            return self.__dict__["_values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str):
        return self._values[key]

    def as_dict(self) -> dict:
        return dict(self._values)

    def source(self, key: str) -> str:
        return self._source[key]


SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(spec: Setting, value):
    want = type(spec.default)
    if isinstance(value, bool) != isinstance(spec.default, bool):
        raise _bad_type(spec, value)
    if want is float and isinstance(value, (int, float)):
        return float(value)
    if want is int and isinstance(value, int):
        return value
    if want is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, want):
        return value
    raise _bad_type(spec, value)


def _bad_type(spec: Setting, value) -> ConfigError:
    return ConfigError(f"nilai {value!r} untuk '{spec.name}' tidak sesuai (contoh yang benar: {spec.default!r})",
                       column=spec.name, fix=f"Perbaiki nilai '{spec.name}' di berkas konfigurasi.")


def _kolom(table, path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """The `[kolom]` table: `column = "header as in my file"` (or a list of headers) for every sheet, and
    `[kolom.harta]`-style tables for one sheet. Returned as {'*' or sheet: {column: (header, ...)}}; an
    unknown column or a value that is not text is refused naming the key."""
    from lhkpn_check.schema import SCHEMA

    def headers(key: str, value) -> tuple[str, ...]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip()
                                                                  for v in values):
            raise ConfigError(f"nilai {value!r} untuk '[kolom] {key}' bukan judul kolom", file=path,
                              column=key, fix=f'Tulis judul kolom dalam tanda kutip, misalnya {key} = "Nomor Induk".')
        return tuple(v.strip() for v in values)

    if not isinstance(table, dict):
        raise ConfigError("'kolom' harus berupa tabel [kolom]", file=path, column="kolom",
                          fix='Tulis [kolom] pada satu baris, lalu di bawahnya id_pn = "Nomor Induk".')
    known = sorted({name for cols in SCHEMA.values() for name in cols})
    out: dict[str, dict[str, tuple[str, ...]]] = {"*": {}}
    for key, value in table.items():
        if isinstance(value, dict) and key in SCHEMA:
            for name, sub in value.items():
                if name not in SCHEMA[key]:
                    raise ConfigError(f"kolom '{name}' tidak ada di sheet {key}", file=path,
                                      column=f"kolom.{key}.{name}",
                                      fix=f"Nama kolom sheet {key} yang sah: {', '.join(SCHEMA[key])}.")
                out.setdefault(key, {})[name] = headers(f"{key}.{name}", sub)
        elif key in known:
            out["*"][key] = headers(key, value)
        else:
            raise ConfigError(f"kolom '{key}' tidak dikenal di [kolom]", file=path, column=f"kolom.{key}",
                              fix=f"Di kiri tanda '=' tulis nama kolom alat ini, misalnya {', '.join(known[:6])} "
                                  "(daftar lengkap: lhkpn-check template, sheet Petunjuk); di kanan judul kolom "
                                  "di berkas Anda.")
    return out


def read_config(path: Path) -> dict:
    """The config file's TOML, or a ConfigError naming the file and the fix."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError("berkas konfigurasi tidak ditemukan", file=path,
                          fix="Periksa nama dan letak berkas --config.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"berkas konfigurasi bukan TOML yang sah ({exc})", file=path,
                          fix="Tulis setiap pengaturan sebagai `nama = nilai`, satu per baris.") from None


def load_settings(config: str | Path | None = None, overrides: dict | None = None) -> Settings:
    """Defaults, then the TOML config file, then command-line overrides."""
    settings = Settings()
    if config is not None:
        path = Path(config)
        raw = read_config(path)
        data = dict(raw.get("lhkpn_check", raw))
        if "kolom" in data:
            settings.kolom = _kolom(data.pop("kolom"), path)
        for key, value in data.items():
            if key == "surat" and isinstance(value, dict):  # the letters' placeholders: letters.surat_config
                continue
            try:
                settings.set(key, value, str(path.name))
            except ConfigError as exc:
                exc.file = path
                raise ConfigError(exc.problem, file=path, column=exc.column, fix=exc.fix) from None
    for key, value in (overrides or {}).items():
        if value is not None:
            settings.set(key, value, "option")
    return settings
