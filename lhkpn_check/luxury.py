"""Luxury catalogue (lhkpn_check/data/katalog_mewah.csv) and the matching of declared items and observations.

Why tolerant matching: people write `JEEP RUBICON`, `WRANGLER RUBICON`, `Harley Davidson`, `HARLEY-DAVIDSON`,
`Mercy S 450`. Texts are normalised to upper-case tokens, brands go through aliases, and every distinct
(class, text) pair is matched once against the catalogue (a loop over catalogue rows, not over items).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from lhkpn_check.income import norm_text
from lhkpn_check.parse import distinct_rows, isin

# Brand spellings that are not luxury catalogue brands but must compare equal.
BRAND_ALIASES = {
    "NISAN": "NISSAN", "MITSUBISI": "MITSUBISHI", "MITSHUBISHI": "MITSUBISHI", "DAIHATSHU": "DAIHATSU",
    "SUSUKI": "SUZUKI", "VW": "VOLKSWAGEN", "CHEVY": "CHEVROLET", "HYUNDAY": "HYUNDAI",
}
GENERIC_TOKENS = frozenset({"MOBIL", "MOTOR", "TAHUN", "HASIL", "SENDIRI", "WARISAN", "HIBAH", "HADIAH", "DENGAN",
                            "TANPA", "AKTA", "LAINNYA", "JAM", "TANGAN", "TAS", "DAN", "THE", "NEW", "ALL", "TYPE",
                            "TIPE", "UNIT", "WARNA", "SEPEDA", "KENDARAAN", "RODA"})
_VEHICLE_TEXT = re.compile(r"^\s*([^,]+),\s*(.+?)\s+TAHUN\s+(\d{4})", re.IGNORECASE)
TEMUAN_CLASS = {"mobil": "mobil", "motor": "motor", "jam tangan": "barang", "tas": "barang", "perhiasan": "barang",
                "properti": "properti", "lainnya": "", "perjalanan luar negeri": "perjalanan"}


@lru_cache(maxsize=1)
def catalogue() -> pd.DataFrame:
    with (resources.files("lhkpn_check") / "data" / "katalog_mewah.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    table["nilai_referensi"] = pd.to_numeric(table["nilai_referensi"], errors="coerce").astype(float)
    table["tanpa_merek"] = table["tanpa_merek"].str.strip().isin(["1", "ya", "true", "True"])
    table["kelas_jenis"] = table["jenis"].map(lambda j: j if j in ("mobil", "motor") else "barang")
    return table.reset_index(drop=True)


@lru_cache(maxsize=1)
def _brand_table() -> tuple[tuple[str, str], ...]:
    """(alias, canonical) pairs, longest alias first, from the catalogue plus BRAND_ALIASES."""
    pairs = {}
    for merek, aliases in zip(catalogue()["merek"], catalogue()["merek_alias"]):
        for alias in [merek, *aliases.split("|")]:
            alias = re.sub(r"[^0-9A-Z]+", " ", alias.upper()).strip()
            if alias:
                pairs.setdefault(alias, merek)
    for alias, canonical in BRAND_ALIASES.items():
        pairs.setdefault(alias, canonical)
    return tuple(sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def canonical_brand(merek: pd.Series) -> pd.Series:
    """Brand as one canonical word group: alias table, else the first word as written. Once per text."""
    norm = norm_text(merek)
    uniq = pd.Series(norm.unique())
    out = uniq.str.split(" ").str[0].fillna("")
    done = pd.Series(False, index=uniq.index)
    for alias, canonical in _brand_table():
        hit = ~done & ((uniq == alias) | uniq.str.startswith(alias + " "))
        out[hit] = canonical
        done |= hit
    return norm.map(dict(zip(uniq, out))).fillna("")


def tokens(text: pd.Series) -> pd.Series:
    """Model tokens for overlap tests: words of 2+ characters (or containing a digit), generic words removed."""
    norm = norm_text(text)
    uniq = norm.unique()
    table = {u: frozenset(w for w in u.split() if (len(w) >= 2 or w.isdigit()) and w not in GENERIC_TOKENS)
             for u in uniq}
    return norm.map(table)


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one keystroke: a replaced character (both 5+ long) or one inserted
    letter (the shorter 3+ long; an inserted digit would make another model, `CX3` -> `CX30`)."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == len(b):
        return len(a) >= 5 and sum(x != y for x, y in zip(a, b)) == 1
    if len(b) - len(a) != 1 or len(a) < 3:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return b[i].isalpha() and a[i:] == b[i + 1:]


def _model_agrees(a: frozenset, b: frozenset) -> bool:
    """Model tokens agree: a shared word; the same letters once spaces and hyphens are dropped (`XL 7` =
    `XL7`, `FAT BOY` = `FATBOY`); or a word one keystroke off (`INOVA` = `INNOVA`, `AVANSA` = `AVANZA`,
    `MAX` = `NMAX`)."""
    if not a or a & b:
        return True
    if {"".join(p) for p in _orders(a)} & {"".join(p) for p in _orders(b)}:
        return True
    return any(_one_edit(x, y) for x in a for y in b)


def _orders(words: frozenset) -> list[str]:
    from itertools import permutations
    return list(map("".join, permutations(sorted(words)))) if len(words) <= 3 else ["".join(sorted(words))]


def models_agree(left: pd.Series, right: pd.Series) -> np.ndarray:
    """`_model_agrees` per pair of token sets, judged once per distinct pair."""
    pairs = pd.Series(list(zip(left, right)), dtype=object)
    uniq = pairs.unique()
    table = {p: _model_agrees(p[0], p[1]) for p in uniq}
    return pairs.map(table).to_numpy(dtype=bool)


ITEM_FIELD_INPUTS = ("uraian", "merek", "model", "jenis", "kategori", "tahun_pembuatan")


def item_fields(harta: pd.DataFrame) -> pd.DataFrame:
    """Per item: cls (mobil/motor/barang/properti/''), merek, model, text, build_year; read out of `uraian`
    when the validator left merek/model empty."""
    codes, fields = distinct_item_fields(harta)
    return fields.iloc[codes].set_axis(harta.index)


def distinct_item_fields(harta: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """`item_fields` of each distinct combination of the columns they come from, and each item's row in
    them: items repeat across declarations and officials, so the fields, and what is looked up by them,
    are worked out once per combination."""
    inputs = [c for c in ITEM_FIELD_INPUTS if c in harta]
    if not inputs or not len(harta):
        return np.arange(len(harta)), _item_fields(harta).reset_index(drop=True)
    frame = harta[inputs]
    if "uraian" in frame:  # most descriptions are one item's own, yet read only where a field is missing
        frame = frame.assign(uraian=frame["uraian"].where(_reads_uraian(frame)))
    codes, first = distinct_rows(frame)
    return codes, _item_fields(frame.iloc[first].reset_index(drop=True))


def _reads_uraian(harta: pd.DataFrame) -> np.ndarray:
    """Whether `_item_fields` reads an item's uraian: where merek or model is blank, jenis missing or the
    build year unknown (the text then comes out of the description)."""
    def written(col: str) -> np.ndarray:
        if col not in harta:
            return np.zeros(len(harta), dtype=bool)
        codes, uniques = pd.factorize(harta[col], use_na_sentinel=True)  # each distinct value judged once
        return np.append([str(u).strip() != "" for u in uniques], False).astype(bool)[codes]

    jenis = harta["jenis"].notna().to_numpy() if "jenis" in harta else np.zeros(len(harta), dtype=bool)
    built = pd.to_numeric(harta["tahun_pembuatan"], errors="coerce").notna().to_numpy() \
        if "tahun_pembuatan" in harta else np.zeros(len(harta), dtype=bool)
    return ~(written("merek") & written("model") & jenis & built)


def _item_fields(harta: pd.DataFrame) -> pd.DataFrame:
    idx = harta.index
    get = lambda c: harta[c] if c in harta else pd.Series(np.nan, index=idx, dtype=object)  # noqa: E731
    uraian = get("uraian").astype(object)
    uniq = pd.Series(uraian.dropna().unique(), dtype=object)
    parsed = uniq.str.upper().str.extract(_VEHICLE_TEXT)
    parsed.index = uniq
    head = uraian.map(parsed[0]) if len(uniq) else pd.Series(np.nan, index=idx, dtype=object)
    body = uraian.map(parsed[1]) if len(uniq) else pd.Series(np.nan, index=idx, dtype=object)
    year = uraian.map(parsed[2]) if len(uniq) else pd.Series(np.nan, index=idx, dtype=object)
    merek = get("merek").astype(object)
    model = get("model").astype(object)
    body_merek = body.str.split(" ", n=1).str[0]
    body_model = body.str.split(" ", n=1).str[1]
    merek = merek.where(merek.notna() & (merek.astype(str).str.strip() != ""), body_merek)
    model = model.where(model.notna() & (model.astype(str).str.strip() != ""), body_model)
    jenis = get("jenis").astype(object).fillna(head)
    jenis_n = norm_text(jenis)
    kategori = get("kategori").astype(object)
    cls = np.select(
        [kategori.eq("alat_transportasi") & jenis_n.str.contains(r"MOTOR|\bSEPEDA\b", regex=True),
         kategori.eq("alat_transportasi") & jenis_n.str.contains(r"MOBIL|\bJEEP\b|\bTRUK\b|\bBUS\b", regex=True),
         kategori.eq("alat_transportasi"),
         kategori.eq("harta_bergerak_lain"),
         kategori.eq("tanah_bangunan")],
        ["motor", "mobil", "", "barang", "properti"], "lain")
    text = (merek.fillna("").astype(str) + " " + model.fillna("").astype(str)).str.strip()
    text = text.where(text != "", uraian.fillna("").astype(str))
    build = pd.to_numeric(get("tahun_pembuatan"), errors="coerce").astype(float)
    build = build.fillna(pd.to_numeric(year, errors="coerce").astype(float))
    return pd.DataFrame({"cls": cls, "merek": merek, "model": model, "text": text, "build_year": build}, index=idx)


def match_catalogue(text: pd.Series, cls: pd.Series) -> pd.Series:
    """Catalogue row index (or -1) for each (class, text); first matching catalogue row wins."""
    cat = catalogue()
    pairs = pd.DataFrame({"t": norm_text(text).to_numpy(), "c": pd.Series(cls).fillna("").astype(str).to_numpy()})
    every = pairs.drop_duplicates().reset_index(drop=True)
    # Only texts holding some catalogue brand or model can match a row: one pass of two patterns finds
    # them, and the loop over the catalogue looks at those alone (a handful of a national batch's texts).
    candidate = _could_match(every["t"])
    uniq = every[candidate].reset_index(drop=True)
    padded = " " + uniq["t"] + " "
    out = pd.Series(-1, index=uniq.index, dtype=np.int64)
    for i, row in cat.iterrows():
        if not (out == -1).any():
            break
        aliases = [re.sub(r"[^0-9A-Z]+", " ", a.upper()).strip() for a in [row["merek"], *row["merek_alias"].split("|")]]
        brand_hit = pd.Series(False, index=uniq.index)
        for alias in filter(None, aliases):
            brand_hit |= padded.str.contains(" " + alias + " ", regex=False)
        if row["model_pattern"]:
            model_hit = uniq["t"].str.contains(row["model_pattern"], regex=True)
            hit = (brand_hit & model_hit) | (model_hit & bool(row["tanpa_merek"]))
        else:
            hit = brand_hit
        compatible = uniq["c"].isin(["", "lain", row["kelas_jenis"]])
        out[(out == -1) & hit & compatible] = i
    found = np.full(len(every), -1, dtype=np.int64)
    found[candidate] = out.to_numpy()
    merged = pairs.merge(every.assign(cat=found), on=["t", "c"], how="left")
    return pd.Series(merged["cat"].to_numpy(), index=pd.Series(text).index)


@lru_cache(maxsize=1)
def _catalogue_patterns() -> tuple[re.Pattern | None, re.Pattern | None]:
    """Any catalogue brand alias as a whole word (of a text padded with spaces), and any model pattern;
    None when the patterns cannot be joined into one (then every text is looked at)."""
    cat = catalogue()
    aliases = {re.sub(r"[^0-9A-Z]+", " ", a.upper()).strip() for m, more in zip(cat["merek"], cat["merek_alias"])
               for a in [m, *more.split("|")]} - {""}
    try:
        brand = re.compile("|".join(re.escape(f" {a} ") for a in sorted(aliases))) if aliases else None
        models = [p for p in cat["model_pattern"] if p]
        model = re.compile("|".join(f"(?:{p})" for p in models)) if models else None
    except re.error:
        return None, None
    return brand, model


def _could_match(texts: pd.Series) -> np.ndarray:
    """Whether each text holds a catalogue brand alias or model pattern (a text that holds neither matches
    no catalogue row)."""
    brand, model = _catalogue_patterns()
    if brand is None and model is None:
        return np.ones(len(texts), dtype=bool)
    t = texts.astype(object)
    hit = np.zeros(len(texts), dtype=bool)
    if brand is not None:
        hit |= (" " + t + " ").str.contains(brand, regex=True, na=False).to_numpy(dtype=bool)
    if model is not None:
        hit |= t.str.contains(model, regex=True, na=False).to_numpy(dtype=bool)
    return hit


def depreciated_value(new_value: pd.Series, jenis: pd.Series, build_year: pd.Series, tahun: pd.Series,
                      settings) -> pd.Series:
    """Vehicles lose a fixed share a year down to a floor; an unknown build year takes the floor. Goods keep value."""
    rate = float(settings.luxury_depreciation_rate)
    floor = float(settings.luxury_value_floor)
    age = (tahun.astype(float) - build_year.astype(float)).clip(lower=0)
    factor = np.maximum((1 - rate) ** age.fillna(np.inf), floor)
    vehicle = jenis.isin(["mobil", "motor"])
    return pd.Series(np.where(vehicle, new_value * factor, new_value), index=new_value.index).astype(float)


def declared_luxury(harta: pd.DataFrame, settings) -> pd.DataFrame:
    """Declared items that match the catalogue, with their catalogue value at the reporting year.

    Items tagged with their declaration (`decl_seq`, from features.item_changes) keep the tag, so that two
    declarations in one year each count only their own luxury."""
    cols = ["id_pn", "tahun_lapor", "_sheet", "_row", "uraian", "merek", "model", "kategori", "nilai_pelaporan",
            "build_year", "catalogue_new", "catalogue_value", "luxury_class", "catalogue_name"]
    if harta is not None and "decl_seq" in harta:
        cols.insert(2, "decl_seq")
    carried = ["decl_pos"] if harta is not None and "decl_pos" in harta else []  # for features.funds
    if harta is None or harta.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    read = [c for c in dict.fromkeys((*ITEM_FIELD_INPUTS, "id_pn", "tahun_lapor", "decl_seq", *carried, "_sheet",
                                      "_row", "nilai_pelaporan")) if c in harta]  # what is read below, not all
    at = np.flatnonzero(isin(harta["kategori"], ["alat_transportasi", "harta_bergerak_lain"]))
    if not len(at):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    codes, fields = distinct_item_fields(harta[[c for c in ITEM_FIELD_INPUTS if c in harta]].take(at))
    cat_idx = match_catalogue(fields["text"], fields["cls"]).to_numpy()[codes]
    hit = cat_idx >= 0
    if not hit.any():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    items = harta[read].take(at[hit])  # only the matched items' other columns are read
    f = fields.iloc[codes[hit]]
    cat = catalogue().iloc[cat_idx[hit]].reset_index(drop=True)
    out = pd.DataFrame({
        "id_pn": items["id_pn"].to_numpy(),
        "tahun_lapor": items["tahun_lapor"].to_numpy(),
        **({"decl_seq": items["decl_seq"].to_numpy()} if "decl_seq" in items else {}),
        **{c: items[c].to_numpy() for c in carried},
        "_sheet": items["_sheet"].to_numpy() if "_sheet" in items else "harta",
        "_row": items["_row"].to_numpy() if "_row" in items else np.arange(len(items)),
        "uraian": items["uraian"].to_numpy() if "uraian" in items else f["text"].to_numpy(),
        "merek": f["merek"].to_numpy(),
        "model": f["model"].to_numpy(),
        "kategori": items["kategori"].to_numpy(),
        "nilai_pelaporan": items["nilai_pelaporan"].astype(float).to_numpy(),
        "build_year": f["build_year"].to_numpy(),
        "catalogue_new": cat["nilai_referensi"].to_numpy(),
        "luxury_class": cat["kelas"].to_numpy(),
        "catalogue_name": catalogue()["catatan"].str.split(";").str[0].to_numpy()[cat_idx[hit]],
        "jenis_cat": cat["jenis"].to_numpy(),
    })
    out["catalogue_value"] = depreciated_value(out["catalogue_new"], out["jenis_cat"], out["build_year"],
                                               out["tahun_lapor"], settings).round(-5)
    return out.drop(columns="jenis_cat").sort_values(["id_pn", "tahun_lapor", "_row"], kind="stable")[
        cols + carried].reset_index(drop=True)


def temuan_inputs(temuan: pd.DataFrame, harta: pd.DataFrame, laporan: pd.DataFrame) -> tuple:
    """`match_temuan`'s inputs cut to the rows it reads, the observed officials' items and declarations
    (a few percent of a national batch), which are cheap to hand to a worker process."""
    if temuan is None or temuan.empty:
        return temuan, None, None  # nothing observed: match_temuan reads neither
    observed = temuan["id_pn"]
    if harta is not None and not harta.empty:
        harta = harta[harta["id_pn"].isin(observed).to_numpy()]
    return temuan, harta, laporan.loc[laporan["id_pn"].isin(observed).to_numpy(), ["id_pn", "tahun_lapor"]]


def match_temuan(temuan: pd.DataFrame, harta: pd.DataFrame, laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """Each observation with `matched` (a declared item of the same official, class, brand and overlapping
    model in the declaration of the observation's year or the next ones), `matched_row`, the catalogue
    value and `value_used` (perkiraan_nilai, else the catalogue value)."""
    tm = temuan.copy().reset_index(drop=True)
    n = len(tm)
    extra = {"matched": pd.Series(dtype=bool), "matched_row": pd.Series(dtype="Int64"),
             "checked_years": pd.Series(dtype=object), "catalogue_value": pd.Series(dtype=float),
             "luxury_class": pd.Series(dtype=object), "value_used": pd.Series(dtype=float),
             "checkable": pd.Series(dtype=bool)}
    if n == 0:
        for k, v in extra.items():
            tm[k] = v
        return tm
    tm["_k"] = np.arange(n)
    jenis = tm["jenis"].astype(object) if "jenis" in tm else pd.Series(None, index=tm.index, dtype=object)
    cls = jenis.map(TEMUAN_CLASS).fillna("")
    merek = tm["merek"] if "merek" in tm else pd.Series(None, index=tm.index, dtype=object)
    model = tm["model"] if "model" in tm else pd.Series(None, index=tm.index, dtype=object)
    uraian = tm["uraian"] if "uraian" in tm else pd.Series(None, index=tm.index, dtype=object)
    text = (merek.fillna("").astype(str) + " " + model.fillna("").astype(str)).str.strip()
    text = text.where(text != "", uraian.fillna("").astype(str))
    cat_idx = match_catalogue(text, cls)
    cat = catalogue()
    has_cat = cat_idx >= 0
    cls = cls.where(cls != "", pd.Series(np.where(has_cat, cat["kelas_jenis"].reindex(cat_idx.clip(lower=0)).to_numpy(),
                                                  ""), index=tm.index))
    tahun = tm["tahun"] if "tahun" in tm else pd.to_datetime(tm.get("tanggal")).dt.year
    tahun = pd.to_numeric(tahun, errors="coerce")
    cat_new = pd.Series(np.where(has_cat, cat["nilai_referensi"].reindex(cat_idx.clip(lower=0)).to_numpy(), np.nan),
                        index=tm.index)
    tm["catalogue_value"] = cat_new
    tm["luxury_class"] = pd.Series(np.where(has_cat, cat["kelas"].reindex(cat_idx.clip(lower=0)).to_numpy(), None),
                                   index=tm.index, dtype=object)
    given = pd.to_numeric(tm["perkiraan_nilai"], errors="coerce") if "perkiraan_nilai" in tm else cat_new * np.nan
    tm["value_used"] = given.where(given.notna(), cat_new).astype(float)
    tm["brand"] = canonical_brand(merek.where(merek.notna(), text))
    model_tokens = tokens(model.where(model.notna() & (model.astype(str).str.strip() != ""), text))
    brand_tokens = tokens(tm["brand"])
    tm["mtok"] = [m - b for m, b in zip(model_tokens, brand_tokens)]
    tm["cls"] = cls

    # Candidate declarations: the observation's year and the next `temuan_years_after` reporting years.
    after = int(settings.temuan_years_after)
    decl = laporan.loc[laporan["id_pn"].isin(tm["id_pn"]).to_numpy(), ["id_pn", "tahun_lapor"]].drop_duplicates()
    cand = tm[["_k", "id_pn"]].assign(tahun=tahun).merge(decl, on="id_pn", how="left")
    nxt = cand[cand["tahun_lapor"] >= cand["tahun"]].sort_values(["_k", "tahun_lapor"], kind="stable")
    nxt = nxt.assign(order=nxt.groupby("_k").cumcount())
    keep = nxt[(nxt["tahun_lapor"] == nxt["tahun"]) | (nxt["order"] <= (after - 1)) |
               ((nxt["tahun_lapor"] <= nxt["tahun"] + after) & (nxt["order"] <= after))]
    # Observed after the last declaration: the last declaration is the one to hold it.
    last = cand.groupby("_k")["tahun_lapor"].max()
    late = tm["_k"][~tm["_k"].isin(keep["_k"])]
    late_rows = pd.DataFrame({"_k": late, "tahun_lapor": late.map(last)}).dropna()
    years = pd.concat([keep[["_k", "tahun_lapor"]], late_rows], ignore_index=True)
    years["tahun_lapor"] = years["tahun_lapor"].astype(np.int64)
    tm["checked_years"] = tm["_k"].map(years.groupby("_k")["tahun_lapor"]
                                       .agg(lambda s: ";".join(map(str, sorted(set(s)))))).fillna("")
    checkable = (cls != "perjalanan") & tm["_k"].isin(years["_k"])
    tm["checkable"] = checkable.to_numpy()

    matched_row = pd.Series(pd.NA, index=tm.index, dtype="Int64")
    if harta is not None and not harta.empty and len(years):
        h = harta[harta["id_pn"].isin(tm["id_pn"]).to_numpy()]  # the observed officials' items, few of all
        h = h[(h["kategori"] != "hutang").to_numpy()]
        f = item_fields(h)
        ibrand = canonical_brand(f["merek"].where(f["merek"].notna(), f["text"]))
        # A two-word brand read out of uraian leaves its second word in the model (`DAVIDSON FATBOY`).
        imtok = [m - b for m, b in zip(tokens(f["model"].where(f["model"].notna(), f["text"])), tokens(ibrand))]
        items = pd.DataFrame({"id_pn": h["id_pn"].to_numpy(), "tahun_lapor": h["tahun_lapor"].to_numpy(),
                              "_row": h["_row"].to_numpy() if "_row" in h else np.arange(len(h)),
                              "icls": f["cls"].to_numpy(), "ibrand": ibrand.to_numpy(), "imtok": imtok})
        pairs = years.merge(tm[["_k", "id_pn", "cls", "brand", "mtok"]], on="_k") \
            .merge(items, on=["id_pn", "tahun_lapor"])
        if len(pairs):
            cls_ok = (pairs["cls"] == "") | (pairs["icls"] == pairs["cls"]) | (pairs["icls"] == "")
            brand_ok = (pairs["brand"] == "") | (pairs["brand"] == pairs["ibrand"])
            model_ok = models_agree(pairs["mtok"], pairs["imtok"])
            hit = pairs[cls_ok & brand_ok & model_ok & ((pairs["brand"] != "") | (pairs["mtok"].map(len) > 0))]
            first = hit.sort_values(["_k", "tahun_lapor", "_row"], kind="stable").drop_duplicates("_k")
            matched_row = tm["_k"].map(dict(zip(first["_k"], first["_row"]))).astype("Int64")
    tm["matched_row"] = matched_row
    tm["matched"] = matched_row.notna().to_numpy()
    return tm.drop(columns=["_k", "brand", "mtok", "cls"])
