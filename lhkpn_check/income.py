"""Yearly income per declaration: as declared (penerimaan V.A-V.C), else estimated from a reference table.

Public e-Announcement data never carries income, yet every rule that compares wealth with income needs
one. The estimate is deliberately simple and editable (lhkpn_check/data/penghasilan_referensi.csv names
its legal sources): base salary by golongan + structural allowance by eselon + a regional allowance
(TPP) band, or the DPRD / kepala daerah / KPU / kepala desa amounts. When eselon is not given it is
inferred from the jabatan (lhkpn_check/data/jabatan_eselon.csv), parsing each distinct title once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from lhkpn_check.parse import choose_text, distinct_rows, factorize, run_start
from lhkpn_check.schema import PENERIMAAN

PNS_ESELON = ("I", "II", "III", "IV", "non-eselon")
_SPACES = re.compile(r"[^0-9A-Z]+")


def norm_text(values: pd.Series) -> pd.Series:
    """Upper case, punctuation to single spaces; computed once per distinct text."""
    s = pd.Series(values, dtype=object)
    codes, uniques = factorize(s, use_na_sentinel=True)
    table = np.array([_SPACES.sub(" ", str(u).upper()).strip() for u in uniques] + [""], dtype=object)
    return pd.Series(table[codes], index=s.index, dtype=object, copy=False)


@lru_cache(maxsize=1)
def reference_table() -> pd.DataFrame:
    with (resources.files("lhkpn_check") / "data" / "penghasilan_referensi.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    table["nilai_bulanan"] = pd.to_numeric(table["nilai_bulanan"], errors="coerce")
    upper = pd.to_numeric(table["nilai_atas"], errors="coerce") if "nilai_atas" in table else table["nilai_bulanan"]
    table["nilai_atas"] = upper.fillna(table["nilai_bulanan"])
    table["bulan"] = pd.to_numeric(table["bulan"], errors="coerce")
    return table


@lru_cache(maxsize=1)
def tukin_table() -> tuple[tuple[re.Pattern, str, float], ...]:
    """(pattern on agency, unit and title; eselon; monthly tunjangan kinerja) of the central agencies whose
    published allowances replace the regional TPP band (data/tunjangan_kinerja.csv names the sources)."""
    with (resources.files("lhkpn_check") / "data" / "tunjangan_kinerja.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return tuple((_noncapturing(r.pola), r.eselon, float(r.nilai_bulanan)) for r in table.itertuples(index=False))


def tunjangan_kinerja(lembaga: pd.Series, unit_kerja: pd.Series, jabatan: pd.Series, eselon: pd.Series) -> pd.Series:
    """Monthly tunjangan kinerja of officials of the agencies in tukin_table (NaN for the others); the first
    pattern that matches the agency, unit or title wins."""
    text = _joined_norm([lembaga, unit_kerja, jabatan])
    es = eselon.fillna("non-eselon").astype(str).where(eselon.isin(PNS_ESELON), "non-eselon")
    out = pd.Series(np.nan, index=lembaga.index)
    done = pd.Series(False, index=lembaga.index)
    patterns: dict[str, pd.Series] = {}
    for pola, level, value in tukin_table():
        if pola.pattern not in patterns:
            patterns[pola.pattern] = text.str.contains(pola, regex=True)
        hit = patterns[pola.pattern] & (es == level) & ~done
        out[hit] = value
    return out


def _joined_norm(columns: list[pd.Series]) -> pd.Series:
    """`norm_text` of the columns' texts joined by " | " (a missing one empty), from each column's distinct
    texts normalised once: the separator is no letter or digit, so the joined text normalises to the
    parts' normal forms joined by one space, the empty ones left out."""
    out = sep = None
    for col in columns:
        part = norm_text(col.fillna("").astype(str)).to_numpy(dtype=object)
        if out is None:
            out, given = part, part != ""
            continue
        has = part != ""
        out = out + np.where(given & has, " ", "").astype(object) + part
        given = given | has
    return pd.Series(out, index=columns[0].index, dtype=object)


@lru_cache(maxsize=1)
def jabatan_table() -> tuple[tuple[re.Pattern, re.Pattern | None, str, str], ...]:
    with (resources.files("lhkpn_check") / "data" / "jabatan_eselon.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return tuple((_noncapturing(r.pola), _noncapturing(r.lembaga_pola) if r.lembaga_pola else None, r.eselon,
                  r.peran) for r in table.itertuples(index=False))


def _noncapturing(pattern: str) -> re.Pattern:
    """Groups in the editable table are for alternation only (pandas warns on capturing groups)."""
    return re.compile(re.sub(r"\((?!\?)", "(?:", pattern))


def government_level(lembaga: pd.Series) -> pd.Series:
    """provinsi / kabupaten / kota / pusat / bumn / lainnya, read from the agency name (once per name)."""
    norm = norm_text(lembaga)
    uniq = pd.Series(norm.unique())
    out = pd.Series("lainnya", index=uniq.index, dtype=object)
    rules = (
        ("bumn", r"^PT\b|\bBANK\b|PERSERO|PERUSAHAAN UMUM|\bPDAM\b|\bBUMD\b|\bBUMN\b"),
        ("pusat", r"^(?:KEMENTERIAN|BADAN|LEMBAGA|KOMISI|MAHKAMAH|SEKRETARIAT JENDERAL|KEJAKSAAN|KEPOLISIAN)\b"),
        ("provinsi", r"\bPROVINSI\b|\bD ?I YOGYAKARTA\b|\bDKI\b"),
        ("kabupaten", r"\bKABUPATEN\b|\bKAB\b"),
        ("kota", r"\bKOTA\b"),
    )
    done = pd.Series(False, index=uniq.index)
    for level, pattern in rules:
        hit = uniq.str.contains(pattern, regex=True) & ~done
        out[hit] = level
        done |= hit
    # A KPU/DPRD of a kabupaten names it: prefer the region over 'pusat' for those.
    region = uniq.str.extract(r"\b(PROVINSI|KABUPATEN|KOTA)\b")[0].str.lower()
    regional_body = uniq.str.contains(r"DEWAN PERWAKILAN RAKYAT DAERAH|\bDPRD\b|\bKPU\b|KOMISI PEMILIHAN", regex=True)
    out[regional_body & region.notna()] = region[regional_body & region.notna()]
    return norm.map(dict(zip(uniq, out))).astype(object)


def infer_eselon(jabatan: pd.Series, lembaga: pd.Series) -> pd.DataFrame:
    """eselon and peran (role, for DPRD / kepala daerah / KPU amounts) from the title, each pattern tried on
    each distinct title (and agency) once."""
    j_code, j_text = _norm_codes(jabatan)
    l_code, l_text = _norm_codes(lembaga)
    eselon = np.full(len(jabatan), "non-eselon", dtype=object)
    peran = np.full(len(jabatan), "", dtype=object)
    done = np.zeros(len(jabatan), dtype=bool)
    for pola, lembaga_pola, es, role in jabatan_table():
        hit = j_text.str.contains(pola, regex=True).to_numpy(dtype=bool)[j_code] & ~done
        if lembaga_pola is not None:
            hit &= l_text.str.contains(lembaga_pola, regex=True).to_numpy(dtype=bool)[l_code]
        eselon[hit], peran[hit] = es, role
        done |= hit
    return pd.DataFrame({"eselon": eselon, "peran": peran}, index=jabatan.index)


def _norm_codes(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Each value's number among the distinct `norm_text` forms, and those forms."""
    codes, uniques = factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    norm = norm_text(pd.Series(np.append(np.asarray(uniques, dtype=object), ""), dtype=object))
    alike, forms = factorize(norm.to_numpy(dtype=object))
    return alike[codes], pd.Series(forms, dtype=object)


def _kepala_daerah_role(jabatan: pd.Series) -> pd.Series:
    """gubernur / bupati / walikota, or wakil_ of one, read from each distinct title once."""
    codes, uniques = factorize(jabatan, use_na_sentinel=True)
    norm = norm_text(pd.Series(uniques, dtype=object))
    wakil = norm.str.contains(r"\bWAKIL\b", regex=True)
    kind = np.select([norm.str.contains("GUBERNUR"), norm.str.contains(r"WALI ?KOTA", regex=True)],
                     ["gubernur", "walikota"], "bupati")
    roles = np.append(np.where(wakil, "wakil_" + kind, kind).astype(object), "bupati")
    return pd.Series(roles[codes], index=jabatan.index, dtype=object)


def estimate_income(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """Estimated yearly income of every declaration, with the eselon used and whether it was inferred.

    Returns columns eselon_used, eselon_inferred, peran, tingkat, income_estimate (Rupiah a year)."""
    ref = reference_table()
    # The benefit of the doubt: the upper end of each band (the longest service, the richest region).
    value_col = "nilai_atas" if settings.income_upper_band else "nilai_bulanan"
    months_default = float(settings.income_months)
    jabatan = laporan["jabatan"] if "jabatan" in laporan else pd.Series("", index=laporan.index)
    lembaga = laporan["lembaga"] if "lembaga" in laporan else pd.Series("", index=laporan.index)
    inferred = infer_eselon(jabatan, lembaga)
    given = laporan["eselon"] if "eselon" in laporan else pd.Series(np.nan, index=laporan.index, dtype=object)
    given = given.astype(object).where(given.notna() & (given.astype(str).str.strip() != ""))
    eselon = given.fillna(inferred["eselon"])
    tingkat = government_level(lembaga)

    def lookup(komponen: str, keys: pd.Series, tingkat_key: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
        """(monthly value, months) of the reference rows whose key (and level) match; the last row wins."""
        part = ref[ref["komponen"] == komponen]
        if tingkat_key is None:
            index, wanted = pd.Index(part["kunci"]), keys
        else:
            index = pd.MultiIndex.from_arrays([part["kunci"], part["tingkat"]])
            wanted = pd.MultiIndex.from_arrays([keys, tingkat_key])
        last = ~index.duplicated(keep="last")
        pos = index[last].get_indexer(wanted)
        found = pos >= 0  # the others take the NaN appended below

        def take(col: str) -> pd.Series:
            values = np.append(part[col].to_numpy(dtype=float)[last], np.nan)
            return pd.Series(values[np.where(found, pos, -1)], index=keys.index)

        return take(value_col), take("bulan")

    # Civil servants: gaji pokok + tunjangan jabatan + TPP (scaled by level of government).
    default_gol = dict(zip(ref.loc[ref["komponen"] == "golongan_bawaan", "kunci"],
                           ref.loc[ref["komponen"] == "golongan_bawaan", "catatan"]))
    golongan = laporan["golongan"] if "golongan" in laporan else pd.Series(np.nan, index=laporan.index)
    golongan = golongan.astype(object).where(golongan.notna(), eselon.map(default_gol)).fillna("III/b")
    gaji, _ = lookup("gaji_pokok", golongan.astype(str))
    tunj, _ = lookup("tunjangan_jabatan", eselon.astype(str))
    tpp, _ = lookup("tpp", eselon.astype(str))
    mult = np.select([tingkat == "provinsi", tingkat == "pusat"],
                     [float(settings.tpp_multiplier_provinsi), float(settings.tpp_multiplier_pusat)], 1.0)
    unit = laporan["unit_kerja"] if "unit_kerja" in laporan else pd.Series("", index=laporan.index)
    tukin = tunjangan_kinerja(lembaga, unit, jabatan, eselon)
    allowance = tukin.fillna(tpp.fillna(0) * mult)
    pns = (gaji.fillna(0) + tunj.fillna(0) + allowance) * months_default

    # DPRD members, kepala daerah, KPU, kepala desa, BUMN/BUMD.
    peran = inferred["peran"].astype(object)
    is_dprd = eselon == "DPRD"
    dprd_role = peran.where(peran.isin(["ketua", "wakil_ketua", "anggota"]), "anggota")
    dprd_level = pd.Series(np.where(tingkat == "provinsi", "provinsi", "kabupaten"), index=laporan.index)
    dprd_v, dprd_m = lookup("hak_keuangan_dprd", dprd_role, dprd_level)
    is_kd = eselon == "Kepala Daerah"
    roles = pd.Series(peran.unique(), dtype=object)
    kd_named = peran.isin(roles[roles.str.contains("gubernur|bupati|walikota", regex=True).fillna(False)])
    kd_role = peran.where(kd_named, _kepala_daerah_role(jabatan))
    kd_v, kd_m = lookup("kepala_daerah", kd_role)
    other_key = np.where(eselon == "KPU", "KPU:" + peran.where(peran != "", "anggota"), eselon.astype(str))
    other_v, other_m = lookup("lainnya", pd.Series(other_key, index=laporan.index, dtype=object))

    estimate = pns.where(eselon.isin(PNS_ESELON))
    estimate = estimate.fillna((dprd_v * dprd_m.fillna(months_default)).where(is_dprd))
    estimate = estimate.fillna((kd_v * kd_m.fillna(months_default)).where(is_kd))
    estimate = estimate.fillna(other_v * other_m.fillna(months_default))
    # Unknown eselon label (e.g. a JPT name not in the table): fall back to a non-eselon civil servant.
    fallback = (ref.loc[(ref["komponen"] == "gaji_pokok") & (ref["kunci"] == "III/b"), value_col].sum()
                + ref.loc[(ref["komponen"].isin(["tunjangan_jabatan", "tpp"])) & (ref["kunci"] == "non-eselon"),
                          value_col].sum()) * months_default
    estimate = estimate.fillna(fallback)
    return pd.DataFrame({
        "eselon_used": eselon.astype(object),
        "eselon_inferred": given.isna().to_numpy(),
        "peran": peran.where(~is_kd, kd_role).where(~is_dprd, dprd_role),
        "tingkat": tingkat.to_numpy(),
        "income_estimate": estimate.round(-3).astype(float),
    }, index=laporan.index)


ESTIMATE_INPUT = ("jabatan", "lembaga", "unit_kerja", "eselon", "golongan")
"""The columns `estimate_income` reads: declarations alike in these get the same estimate."""


def _estimate_per_distinct(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """estimate_income of each distinct (jabatan, lembaga, eselon, golongan) once, taken back per row: an
    official keeps one title for years, so a national batch has far fewer of them than declarations."""
    cols = [c for c in ESTIMATE_INPUT if c in laporan]
    if not cols or len(laporan) < 2:
        return estimate_income(laporan, settings)
    key, first = distinct_rows(laporan[cols])
    distinct = estimate_income(laporan.iloc[first][cols].reset_index(drop=True), settings)
    return distinct.take(key).set_axis(laporan.index)


INCOME_COLUMNS = ("eselon_used", "eselon_inferred", "peran", "tingkat", "income_estimate",
                  "penerimaan_pekerjaan_filled", "income_declared", "income_recurring", "income_source",
                  "income_yearly")
"""The columns `add_income` adds."""
INCOME_INPUT = (*ESTIMATE_INPUT, *PENERIMAAN, "_id_pn_code", "tahun_lapor")
"""The columns `add_income` reads."""


def add_income(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """laporan + income columns: income_declared, income_recurring, income_yearly, income_source, ...

    income_yearly = declared penerimaan from work and business (V.A + V.B, the recurring part) when any
    penerimaan is declared, else the estimate. penerimaan_lainnya (loans, gifts, inheritance) is a
    one-off source and enters the source-and-application analysis instead."""
    out = laporan.copy(deep=False)
    est = _estimate_per_distinct(out, settings)
    for col in est.columns:
        out[col] = est[col]
    pen = out.reindex(columns=list(PENERIMAAN)).astype(float)
    declared = pen.notna().any(axis=1)
    # V.A left empty while V.B or V.C is filled: an official always has a salary, so an empty V.A means
    # "not typed", not zero. Take it from the official's nearest declaration that has it, else the estimate.
    work = pen["penerimaan_pekerjaan"]
    gap = declared & work.isna()
    out["penerimaan_pekerjaan_filled"] = gap.to_numpy()
    if gap.any():
        near = _nearest_declared(work, out["_id_pn_code"].to_numpy(dtype=np.int64), out["tahun_lapor"])
        pen.loc[gap, "penerimaan_pekerjaan"] = near[gap].fillna(out.loc[gap, "income_estimate"])
    out["income_declared"] = pen.sum(axis=1, min_count=1)
    out["income_recurring"] = pen[["penerimaan_pekerjaan", "penerimaan_usaha"]].sum(axis=1, min_count=1)
    recurring = out["income_recurring"].where(out["income_recurring"] > 0)
    out["income_source"] = choose_text(np.asarray(declared, dtype=int), ("estimated", "declared"), out.index)
    out["income_yearly"] = recurring.where(declared, out["income_estimate"]).fillna(out["income_estimate"])
    return out


def _nearest_declared(values: pd.Series, official: np.ndarray, tahun: pd.Series) -> pd.Series:
    """The same official's value from the previous declaration that has it, else the next one. `official`:
    validate's numbers for the ids (model.Batch's `_id_pn_code`)."""
    n = len(values)
    year = pd.to_numeric(tahun, errors="coerce").to_numpy(dtype=float)
    order = np.lexsort((year, official))  # by official, then year; ties keep their order
    v = values.to_numpy(dtype=float)[order]
    who = official[order]
    pos = np.arange(n)
    first = np.r_[True, who[1:] != who[:-1]] if n else np.zeros(0, dtype=bool)
    last = np.r_[who[1:] != who[:-1], True] if n else np.zeros(0, dtype=bool)
    group_start = run_start(first)
    group_end = np.minimum.accumulate(np.where(last, pos, n)[::-1])[::-1]
    given = ~np.isnan(v)
    before = np.maximum.accumulate(np.where(given, pos, -1))
    after = np.minimum.accumulate(np.where(given, pos, n)[::-1])[::-1]
    near = np.where(before >= group_start, v[np.maximum(before, 0)],
                    np.where(after <= group_end, v[np.minimum(after, n - 1)], np.nan))
    out = np.empty(n)
    out[order] = near
    return pd.Series(out, index=values.index)
